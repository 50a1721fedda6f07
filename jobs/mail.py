"""Delivering recorded emails, and the sweep that re-enqueues what never reached Redis."""

from __future__ import annotations

import sqlalchemy as sa

from buurtplatform.extensions import db, rq
from buurtplatform.mail.models import Email, EmailStatus
from buurtplatform.mail.services import CLAIM_LEASE, claim, deliver
from buurtplatform.timestamps import utcnow
from jobs import enqueue
from tenants.models import Tenant
from tenants.scoping import ALL_TENANTS, tenant_context

# An email still queued after this long may never have reached the worker (Redis was down).
SWEEP_AFTER = CLAIM_LEASE


@rq.job
def deliver_email(email_id: int) -> None:
    """Send one email, if this worker wins its claim. The row says which municipality it
    belongs to."""
    if not claim(email_id):
        return  # sent, failed for good, or being sent by another worker
    email = db.session.get(Email, email_id, execution_options=ALL_TENANTS)
    tenant = db.session.get(Tenant, email.tenant_id)
    with tenant_context(tenant):
        deliver(email)


def dispatch_emails(email_ids: list[int]) -> int:
    """Hand emails to the queue; returns how many were added (not already waiting)."""
    return sum(
        enqueue(deliver_email, email_id, job_id=f"email-{email_id}") for email_id in email_ids
    )


def sweep_unsent_emails() -> int:
    """Hand every email that is still queued after `SWEEP_AFTER`, and held by no worker, to
    the queue again. One that is waiting in the queue or for its retry is not added twice
    (`jobs.enqueue` enqueues an id once)."""
    now = utcnow()
    ids = db.session.scalars(
        sa.select(Email.id)
        .where(
            Email.status == EmailStatus.QUEUED,
            Email.created_at < now - SWEEP_AFTER,
            sa.or_(Email.claimed_until.is_(None), Email.claimed_until < now),
        )
        .execution_options(**ALL_TENANTS)
    ).all()
    return dispatch_emails(list(ids))
