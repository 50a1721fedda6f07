"""Email through the real queue: Redis, an RQ worker, the sweep. Nothing lost, nothing twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from rq.registry import ScheduledJobRegistry

from buurtplatform.extensions import db, rq
from buurtplatform.mail.models import EmailStatus
from buurtplatform.timestamps import utcnow
from jobs import enqueue
from jobs.cli import sweep_mail_command
from jobs.mail import deliver_email
from tests.conftest import REDIS_URL
from tests.helpers import all_emails, run_worker, tenant_by_slug

pytestmark = pytest.mark.redis
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def _clean_redis(clean_redis):
    yield


def sign_up(app, email="truus@example.nl"):
    client = app.test_client()
    with app.app_context():
        from tenants.models import Village
        from tenants.scoping import tenant_context

        with tenant_context(tenant_by_slug("cuijk")):
            village = db.session.scalar(sa.select(Village.id).limit(1))
    return client.post(
        "/aanmelden",
        base_url="http://cuijk.buurt.test",
        data={
            "first_name": "Truus",
            "email": email,
            "password": "mijn lange wachtwoord",
            "password_confirm": "mijn lange wachtwoord",
            "village": village,
            "consent": "y",
        },
    )


def test_email_is_delivered_by_the_worker(make_app, outbox):
    app = make_app(REDIS_URL=REDIS_URL)
    assert sign_up(app).status_code == 302
    [email] = all_emails(app)
    assert email.status == EmailStatus.QUEUED
    assert outbox() == []  # not sent by the web request itself
    with app.app_context():
        assert rq.queue.count == 1

    run_worker(app)
    [message] = outbox()
    assert message.recipient == "truus@example.nl"
    assert "http://cuijk.buurt.test/e-mail-bevestigen/" in message.text
    [email] = all_emails(app)
    assert email.status == EmailStatus.SENT
    assert email.sent_at is not None


def test_with_redis_down_the_site_works_and_the_sweep_delivers_later(make_app, outbox):
    down = make_app(REDIS_URL=UNREACHABLE_REDIS, RATELIMIT_ENABLED=True)
    assert sign_up(down).status_code == 302
    [email] = all_emails(down)
    assert email.status == EmailStatus.QUEUED
    assert outbox() == []

    back = make_app(REDIS_URL=REDIS_URL)
    runner = back.test_cli_runner()
    # Too fresh to sweep: it may still be on its way.
    assert "Handed 0" in runner.invoke(sweep_mail_command).output
    with time_machine.travel(utcnow() + timedelta(minutes=11)):
        assert "Handed 1" in runner.invoke(sweep_mail_command).output
    run_worker(back)
    assert len(outbox()) == 1
    assert all_emails(back)[0].status == EmailStatus.SENT

    # A second sweep finds nothing left to send.
    with time_machine.travel(utcnow() + timedelta(minutes=30)):
        assert "Handed 0" in runner.invoke(sweep_mail_command).output


def test_a_job_enqueued_twice_sends_once(make_app, outbox):
    app = make_app(REDIS_URL=REDIS_URL)
    sign_up(app)
    [email] = all_emails(app)
    with app.app_context():
        enqueue(deliver_email, email.id)
        enqueue(deliver_email, email.id)
    run_worker(app)
    assert len(outbox()) == 1


def test_smtp_failure_is_retried_with_backoff_and_nothing_is_lost(make_app, outbox):
    broken = make_app(
        REDIS_URL=REDIS_URL, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1
    )
    sign_up(broken)
    run_worker(broken)
    [email] = all_emails(broken)
    assert email.status == EmailStatus.QUEUED
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    with broken.app_context():
        scheduled = ScheduledJobRegistry(queue=rq.queue)
        assert scheduled.count == 1  # waiting for its retry, not dropped

    # The mail server is back: the retry delivers it, once.
    fixed = make_app(REDIS_URL=REDIS_URL)
    with fixed.app_context():
        job_id = ScheduledJobRegistry(queue=rq.queue).get_job_ids()[0]
        rq.queue.enqueue_job(rq.queue.fetch_job(job_id))
    run_worker(fixed)
    assert len(outbox()) == 1
    assert all_emails(fixed)[0].status == EmailStatus.SENT


def test_without_redis_jobs_run_in_process(app, outbox):
    assert sign_up(app).status_code == 302
    assert len(outbox()) == 1
    assert all_emails(app)[0].status == EmailStatus.SENT
