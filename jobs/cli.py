"""`flask jobs …`: background work by hand, for operators and the demo."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from rq.registry import FailedJobRegistry

from buurtplatform.accounts.models import Membership, Role
from buurtplatform.extensions import db, rq
from buurtplatform.mail.models import Email, EmailStatus
from buurtplatform.timestamps import utcnow
from jobs.digests import coordinators_due, record_coordinator_digest, send_round_ups
from jobs.directory_reviews import remind_to_review
from jobs.mail import dispatch_emails, sweep_unsent_emails
from jobs.periods import current_week
from jobs.reminders import run_ladder, send_follow_ups
from jobs.schedule import tick
from tenants.models import Tenant
from tenants.scoping import ALL_TENANTS, tenant_context

jobs_cli = AppGroup("jobs", help="Run background work by hand.")
municipality_option = click.option(
    "--municipality", "slug", help="Only this municipality (its slug); default: all."
)


def _tenants(slug: str | None) -> list[Tenant]:
    statement = sa.select(Tenant).where(Tenant.is_active.is_(True)).order_by(Tenant.name)
    if slug:
        statement = statement.where(Tenant.slug == slug)
    tenants = list(db.session.scalars(statement))
    if slug and not tenants:
        raise click.ClickException(f"no municipality with slug {slug!r}")
    return tenants


@jobs_cli.command("sweep-mail")
def sweep_mail_command() -> None:
    """Hand emails that never reached the worker to the queue again."""
    count = sweep_unsent_emails()
    click.echo(f"Handed {count} unsent email(s) to the queue.")


@jobs_cli.command("tick")
def tick_command() -> None:
    """What the scheduler does every few minutes: enqueue all that is due."""
    tick()
    click.echo("Ticked: everything due is enqueued (or done, without Redis).")


@jobs_cli.command("digest")
@municipality_option
def digest_command(slug: str | None) -> None:
    """Send this week's coordinators' digest now (once per coordinator and week)."""
    now = utcnow()
    week = current_week(now)
    wanted = None
    if slug:
        with tenant_context(_tenants(slug)[0]):
            wanted = set(
                db.session.scalars(
                    sa.select(Membership.user_id).where(Membership.role == Role.COORDINATOR)
                )
            )
    due = [uid for uid in coordinators_due(week) if wanted is None or uid in wanted]
    for user_id in due:
        record_coordinator_digest(user_id, week, now)
    click.echo(
        f"Week {week.key}: recorded {len(due)} digest(s); coordinators who had theirs "
        "this week get nothing new."
    )


@jobs_cli.command("sweep")
@municipality_option
def sweep_command(slug: str | None) -> None:
    """Run the escalation ladder, the follow-ups, the round-ups and the sociale kaart's
    review reminders now."""
    now = utcnow()
    for tenant in _tenants(slug):
        with tenant_context(tenant):
            steps = run_ladder(now)
            follow_ups = send_follow_ups(now)
            round_ups = send_round_ups(now)
            reviews = remind_to_review(now)
        click.echo(
            f"{tenant.name}: {steps} ladder step(s), {follow_ups} follow-up(s), "
            f"{round_ups} round-up(s), {reviews} review reminder(s)."
        )
    sweep_unsent_emails()


def failed_emails() -> list[Email]:
    statement = sa.select(Email).where(Email.status == EmailStatus.FAILED)
    return list(db.session.scalars(statement.execution_options(**ALL_TENANTS)))


@jobs_cli.command("failed")
def failed_command() -> None:
    """List the jobs that failed for good, and the emails that could not be sent."""
    registry = FailedJobRegistry(queue=rq.queue)
    for job_id in registry.get_job_ids():
        job = rq.queue.fetch_job(job_id)
        reason = (job.latest_result().exc_string or "").strip().splitlines()[-1:] if job else []
        click.echo(f"job {job_id}: {job.func_name if job else '?'} — {' '.join(reason)}")
    failed = failed_emails()
    for email in failed:
        click.echo(f"email {email.id} to {email.recipient}: {email.subject} — {email.last_error}")
    if not failed and not registry.count:
        click.echo("Nothing failed.")


@jobs_cli.command("retry")
@click.argument("job_ids", nargs=-1)
@click.option("--all", "retry_all", is_flag=True, help="Retry every failed job and email.")
def retry_command(job_ids: tuple[str, ...], retry_all: bool) -> None:
    """Retry failed jobs (by id, or all), and failed emails with --all."""
    registry = FailedJobRegistry(queue=rq.queue)
    for job_id in registry.get_job_ids() if retry_all else job_ids:
        registry.requeue(job_id)
        click.echo(f"Requeued job {job_id}.")
    if retry_all:
        failed = db.session.scalars(
            sa.select(Email)
            .where(Email.status == EmailStatus.FAILED)
            .execution_options(**ALL_TENANTS)
        ).all()
        for email in failed:
            email.status = EmailStatus.QUEUED
            email.attempts = 0  # a fresh count of tries
        db.session.commit()
        dispatch_emails([email.id for email in failed])
        click.echo(f"Handed {len(failed)} failed email(s) to the queue again.")
