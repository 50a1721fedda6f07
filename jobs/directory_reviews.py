"""Reminding the people who keep a sociale kaart entry to check it, every six months.

State-based, like the digests: the municipality's sweep asks which entries nobody checked for
six months, and emails each of their owners. The ledger key names the entry and the moment the
check became due (`directory-review:<entry>:<due date>:<person>`), so however often the sweep
runs, and after downtime, each owner gets one reminder per due date. Checking the entry
(`reviewed_at`) starts a new period; an entry left unchecked is due again six months on.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.directory.models import Organisation, Owner
from buurtplatform.directory.services import REVIEW_AFTER, current_review_due
from buurtplatform.extensions import db
from buurtplatform.mail.models import Email
from buurtplatform.mail.services import queue_email
from buurtplatform.timestamps import utcnow
from tenants.scoping import ALL_TENANTS, current_tenant


def _ledger_key(organisation: Organisation, due: datetime, user: User) -> str:
    return f"directory-review:{organisation.id}:{due:%Y-%m-%d}:{user.id}"


def remind_to_review(now: datetime | None = None) -> int:
    """Email the owners of every entry of the current municipality that is due for a check
    and whose reminder for this due date is not recorded yet; returns how many were queued."""
    now = now or utcnow()
    owners = db.session.scalars(
        sa.select(Owner)
        .join(Owner.organisation)
        .join(Owner.membership)
        .join(Membership.user)
        .where(
            Organisation.reviewed_at <= now - REVIEW_AFTER,
            Membership.role == Role.ORGANISATION,
        )
        .options(
            contains_eager(Owner.organisation),
            contains_eager(Owner.membership).contains_eager(Membership.user),
        )
        .order_by(Owner.id)
    ).all()
    due = {
        _ledger_key(
            owner.organisation,
            current_review_due(owner.organisation.reviewed_at, now),
            owner.membership.user,
        ): owner
        for owner in owners
    }
    # One look-up for all of them, rather than one per owner on every sweep.
    sent = (
        set(
            db.session.scalars(
                sa.select(Email.ledger_key)
                .where(Email.ledger_key.in_(list(due)))
                .execution_options(**ALL_TENANTS)
            )
        )
        if due
        else set()
    )
    tenant = current_tenant()
    queued = 0
    for key, owner in due.items():
        if key in sent:
            continue
        user = owner.membership.user
        queued += (
            queue_email(
                user.email,
                user.locale,
                "directory_review",
                ledger_key=key,
                person=user,
                organisation=owner.organisation,
                link=tenant.url_for("directory.detail", organisation_id=owner.organisation.id),
            )
            is not None
        )
    db.session.commit()
    return queued
