"""Delivering recorded emails, and the sweep that re-enqueues what never reached Redis."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from buurtplatform.extensions import db, rq
from buurtplatform.mail.models import Email, EmailStatus
from buurtplatform.mail.services import deliver
from buurtplatform.timestamps import utcnow
from jobs import enqueue
from tenants.models import Tenant
from tenants.scoping import ALL_TENANTS, tenant_context

# An email still queued after this long never reached the worker (Redis was down).
SWEEP_AFTER = timedelta(minutes=10)


@rq.job
def deliver_email(email_id: int) -> None:
    """Send one email. The row says which municipality it belongs to."""
    email = db.session.get(Email, email_id, execution_options=ALL_TENANTS)
    if email is None or email.status == EmailStatus.SENT:
        return
    tenant = db.session.get(Tenant, email.tenant_id)
    with tenant_context(tenant):
        deliver(email)


def dispatch_emails(email_ids: list[int]) -> None:
    for email_id in email_ids:
        enqueue(deliver_email, email_id, job_id=f"email-{email_id}")


def sweep_unsent_emails() -> int:
    """Hand every email that is still queued after `SWEEP_AFTER` to the queue again."""
    cutoff = utcnow() - SWEEP_AFTER
    ids = db.session.scalars(
        sa.select(Email.id)
        .where(Email.status == EmailStatus.QUEUED, Email.created_at < cutoff)
        .execution_options(**ALL_TENANTS)
    ).all()
    dispatch_emails(list(ids))
    return len(ids)
