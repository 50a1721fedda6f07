"""The periodic tick: ask the database what is due in each municipality, and enqueue it.

One scheduler runs the tick every few minutes (`flask rq cron`; run exactly one). The tick
itself sends nothing: it enqueues a job per coordinator's digest and per municipality's sweep,
with job ids that name the period, and the ledger (unique email keys, escalation steps) makes
a doubled or retried job send nothing twice. After downtime the next tick finds the work still
due and catches up.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from buurtplatform.activities.reminders import send_activity_reminders
from buurtplatform.callbacks.services import remind_unclaimed
from buurtplatform.extensions import db, rq
from buurtplatform.figures.visits import fold_visits
from buurtplatform.retention.jobs import apply_platform_periods, archive_and_remove_listings
from buurtplatform.timestamps import utcnow
from jobs import enqueue
from jobs.digests import coordinators_due, record_coordinator_digest, send_round_ups
from jobs.directory_reviews import remind_to_review
from jobs.mail import sweep_unsent_emails
from jobs.new_asks import announce_missed_asks
from jobs.periods import current_week
from jobs.reminders import run_ladder, send_follow_ups
from tenants.models import Tenant
from tenants.scoping import tenant_context

TICK_SECONDS = 300


def _moment(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


@rq.job
def tick() -> None:
    now = utcnow()
    week = current_week(now)
    for user_id in coordinators_due(week):
        enqueue(coordinator_digest, user_id, now.timestamp(), job_id=f"digest-{user_id}-{week.key}")
    for tenant_id in db.session.scalars(sa.select(Tenant.id).where(Tenant.is_active.is_(True))):
        enqueue(
            municipality_sweep,
            tenant_id,
            now.timestamp(),
            job_id=f"sweep-{tenant_id}-{now:%Y%m%dT%H%M}",
        )
    enqueue(platform_retention, now.timestamp(), job_id=f"retention-{now:%Y%m%dT%H%M}")
    sweep_unsent_emails()


@rq.job
def coordinator_digest(user_id: int, timestamp: float) -> None:
    now = _moment(timestamp)
    record_coordinator_digest(user_id, current_week(now), now)


@rq.job
def municipality_sweep(tenant_id: int, timestamp: float) -> None:
    """Missed new-ask announcements, the ladder, the follow-ups, the round-ups, the
    activity reminders, the sociale kaart's review reminders and the reminders about call-back
    requests nobody took, of one municipality; its visits of finished days folded into
    daily numbers; and its asks and offers archived and removed after its period."""
    now = _moment(timestamp)
    tenant = db.session.get(Tenant, tenant_id)
    with tenant_context(tenant):
        announce_missed_asks(now)
        run_ladder(now)
        send_follow_ups(now)
        send_round_ups(now)
        send_activity_reminders(now)
        remind_to_review(now)
        remind_unclaimed(now)
        fold_visits(now)
        archive_and_remove_listings(now)


@rq.job
def platform_retention(timestamp: float) -> None:
    """The retention periods that span municipalities: unconfirmed accounts and email
    bodies (buurtplatform/retention.py). Harmless twice: conditional DELETE and UPDATE."""
    apply_platform_periods(_moment(timestamp))


tick.cron_register(TICK_SECONDS)
