"""Delivery over real SMTP (aiosmtpd in a thread), and every email exactly once: with two
real workers at once, with sweeps while an email is queued, being sent or waiting for its
retry, and after a crash between the server's acceptance and the marking."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from rq.registry import ScheduledJobRegistry

from buurtplatform.extensions import db, rq
from buurtplatform.mail.models import Email, EmailStatus
from buurtplatform.mail.services import build_message, claim, message_id, send_over_smtp
from buurtplatform.timestamps import utcnow
from config import ROOT
from jobs import enqueue
from jobs.cli import jobs_cli
from jobs.mail import deliver_email, sweep_unsent_emails
from jobs.schedule import coordinator_digest, municipality_sweep
from tenants.scoping import ALL_TENANTS, tenant_context
from tests.conftest import REDIS_URL
from tests.helpers import all_emails, run_worker, tenant_by_slug
from tests.smtp_server import LOGIN
from tests.test_jobs import sign_up


def the_email(app) -> Email:
    [email] = all_emails(app)
    return email


def backdate(app, minutes: int = 60) -> None:
    """Make the recorded emails old enough for the sweep."""
    with app.app_context():
        db.session.execute(
            sa.update(Email)
            .values(created_at=utcnow() - timedelta(minutes=minutes))
            .execution_options(**ALL_TENANTS, synchronize_session=False)
        )
        db.session.commit()


def sweep(app) -> int:
    with app.app_context():
        return sweep_unsent_emails()


# --- the SMTP connection -------------------------------------------------------------------


def test_starttls_to_a_server_with_an_unknown_certificate_is_refused(make_app, smtp_server):
    server = smtp_server("starttls", trusted=False)
    app = make_app(**server.settings)
    sign_up(app)
    email = the_email(app)
    assert email.status == EmailStatus.QUEUED
    assert "CERTIFICATE_VERIFY_FAILED" in email.last_error
    assert server.recorder.attempts == [] and server.recorder.logins == []


def test_starttls_with_a_trusted_certificate_signs_in_and_delivers(make_app, smtp_server):
    server = smtp_server("starttls")
    app = make_app(**server.settings)
    sign_up(app)
    [message] = server.recorder.accepted
    assert server.recorder.logins == [LOGIN]
    assert message["To"] == "truus@example.nl"
    text = message.get_body(("plain",)).get_content()
    assert "http://cuijk.buurt.test/e-mail-bevestigen/" in text
    email = the_email(app)
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)
    with app.app_context():
        assert message["Message-ID"] == message_id(email)
    assert message["Auto-Submitted"] == "auto-generated"


def test_implicit_tls_checks_the_server_s_host_name(make_app, smtp_server):
    wrong_name = smtp_server("tls", hosts=("mail.example.nl",))
    app = make_app(**wrong_name.settings)
    sign_up(app)
    assert "CERTIFICATE_VERIFY_FAILED" in the_email(app).last_error
    assert wrong_name.recorder.attempts == []

    right_name = smtp_server("tls")
    fixed = make_app(**right_name.settings)
    with time_machine.travel(utcnow() + timedelta(minutes=11)):
        assert sweep(fixed) == 1
    assert len(right_name.recorder.accepted) == 1
    assert the_email(fixed).status == EmailStatus.SENT


def test_a_relay_on_this_machine_without_tls_is_possible_by_setting(make_app, smtp_server):
    server = smtp_server("none")
    app = make_app(**server.settings)
    sign_up(app)
    assert len(server.recorder.accepted) == 1
    assert the_email(app).status == EmailStatus.SENT


def test_an_unknown_mail_security_setting_sends_nothing(make_app, smtp_server):
    server = smtp_server("none")
    app = make_app(**{**server.settings, "MAIL_SECURITY": "starttls-if-you-like"})
    sign_up(app)
    assert server.recorder.attempts == []
    assert "MAIL_SECURITY" in the_email(app).last_error


def test_a_resend_carries_the_same_message_id(make_app, smtp_server):
    server = smtp_server("none", refuse_first=1)
    app = make_app(**server.settings)
    sign_up(app)  # in-process: the server refuses the first try, the email stays queued
    assert the_email(app).status == EmailStatus.QUEUED
    with time_machine.travel(utcnow() + timedelta(minutes=11)):
        assert sweep(app) == 1
    first, second = server.recorder.attempts
    assert first["Message-ID"] == second["Message-ID"]
    assert (the_email(app).status, the_email(app).attempts) == (EmailStatus.SENT, 2)


# --- exactly once, with the queue ----------------------------------------------------------


@pytest.fixture
def redis_app(make_app, clean_redis, smtp_server):
    """An app on the real Redis whose mail goes to a real SMTP server."""

    def make(**recorder_options):
        server = smtp_server("none", **recorder_options)
        return make_app(REDIS_URL=REDIS_URL, **server.settings), server.recorder

    return make


def start_worker(app) -> subprocess.Popen:
    """A worker process with this app's database, Redis and mail settings."""
    names = ["SQLALCHEMY_DATABASE_URI", "REDIS_URL", "MAIL_PORT"]
    names += [key for key in app.config if key.startswith("MAIL_") and key != "MAIL_PORT"]
    settings = {key: app.config[key] for key in names}
    settings["MAIL_OUTBOX"] = str(settings["MAIL_OUTBOX"])
    return subprocess.Popen(  # noqa: S603 - the test's own interpreter and module
        [sys.executable, "-m", "tests.worker_process", json.dumps(settings)], cwd=ROOT
    )


@pytest.mark.redis
def test_two_workers_handed_the_same_email_send_it_once(redis_app):
    app, recorder = redis_app(delay=2.0)
    sign_up(app)
    email_id = the_email(app).id
    with app.app_context():
        # As a sweep used to do: the same email handed to the queue a second time.
        deliver_email.enqueue(email_id, job_id="the-same-email-again")
        assert rq.queue.count == 2
    backdate(app)
    workers = [start_worker(app), start_worker(app)]
    assert recorder.receiving.wait(timeout=30), "no worker reached the SMTP server"
    assert sweep(app) == 0  # being sent: the sweep adds nothing
    for worker in workers:
        assert worker.wait(timeout=60) == 0
    assert len(recorder.attempts) == 1
    email = the_email(app)
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)


@pytest.mark.redis
def test_a_sweep_adds_nothing_while_the_email_waits_in_the_queue_or_for_its_retry(redis_app):
    app, _ = redis_app(refuse_first=1)
    sign_up(app)
    backdate(app)
    assert sweep(app) == 0  # still in the queue
    with app.app_context():
        assert rq.queue.count == 1
    run_worker(app)  # the server refuses: the job waits for its retry
    with app.app_context():
        assert (rq.queue.count, ScheduledJobRegistry(queue=rq.queue).count) == (0, 1)
    assert sweep(app) == 0
    with app.app_context():
        assert (rq.queue.count, ScheduledJobRegistry(queue=rq.queue).count) == (0, 1)
    assert the_email(app).attempts == 1


@pytest.mark.redis
def test_retries_keep_counting_across_sweeps_until_the_email_fails(redis_app):
    app, recorder = redis_app(refuse_first=100)
    sign_up(app)
    backdate(app)
    run_worker(app)
    for _ in range(4):
        # Redis lost its queue (a restart without persistence): the sweep hands it back.
        with app.app_context():
            rq.queue.connection.flushdb()
        assert sweep(app) == 1
        run_worker(app)
    email = the_email(app)
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 5)
    assert len(recorder.attempts) == 5
    assert sweep(app) == 0
    listed = app.test_cli_runner().invoke(jobs_cli, ["failed"]).output
    assert f"email {email.id} to truus@example.nl" in listed and "451" in listed


@pytest.mark.redis
def test_a_crash_after_the_server_accepted_doubles_at_most_once(redis_app):
    app, recorder = redis_app()
    sign_up(app)
    backdate(app)
    email_id = the_email(app).id
    with app.app_context():
        rq.queue.connection.flushdb()  # the worker that took the job died with it
        assert claim(email_id)
        email = db.session.get(Email, email_id, execution_options=ALL_TENANTS)
        with tenant_context(tenant_by_slug("cuijk")):
            send_over_smtp(build_message(email))
        # ... and the worker is killed before it marks the email sent.
    assert sweep(app) == 0  # the dead worker's claim still holds
    with time_machine.travel(utcnow() + timedelta(minutes=11)):
        assert sweep(app) == 1
        run_worker(app)
        assert sweep(app) == 0
    first, second = recorder.accepted
    assert first["Message-ID"] == second["Message-ID"]
    assert the_email(app).status == EmailStatus.SENT


@pytest.mark.redis
def test_the_same_digest_or_sweep_job_enqueued_twice_runs_once(redis_app, make_user):
    from buurtplatform.accounts.models import Role

    app, recorder = redis_app()
    wendy = make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl")
    now = utcnow().timestamp()
    with app.app_context():
        cuijk = tenant_by_slug("cuijk").id
        for _ in range(2):
            enqueue(coordinator_digest, wendy.id, now, job_id="digest-test-week")
            enqueue(municipality_sweep, cuijk, now, job_id="sweep-test-moment")
        assert rq.queue.count == 2
    run_worker(app)
    assert [m["To"] for m in recorder.accepted] == ["wendy@example.nl"]
