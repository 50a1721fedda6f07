"""The escalation ladder for asks nobody answered, and the "did it work out?" follow-up after
the agreed day.

Each step is recorded (unique per ask and step) in the same transaction as its emails, so a
step happens once however often the sweep runs; an ask leaves the ladder as soon as it has a
reply, a match, or is closed or expired.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.extensions import db
from buurtplatform.listings.models import Kind, Listing, Status
from buurtplatform.mail.services import queue_email
from buurtplatform.matches.models import Match
from buurtplatform.matches.services import follow_up_is_due
from buurtplatform.notifications.models import EscalationStep, LadderStep
from buurtplatform.timestamps import utcnow
from tenants.models import Tenant
from tenants.scoping import current_tenant

MAIL_KIND = {
    LadderStep.CONNECTORS: "reminder_staff",
    LadderStep.COORDINATORS: "reminder_staff",
    LadderStep.ASKER: "still_needed",
}


def ladder_days(tenant: Tenant) -> dict[LadderStep, int]:
    return {
        LadderStep.CONNECTORS: tenant.remind_connectors_after_days,
        LadderStep.COORDINATORS: tenant.remind_coordinators_after_days,
        LadderStep.ASKER: tenant.remind_asker_after_days,
    }


def unanswered_asks(older_than: datetime, now: datetime) -> sa.Select:
    """Open, unexpired asks that anyone may see, without any reply, posted before
    `older_than`."""
    return sa.select(Listing).where(
        Listing.public(),
        Listing.status == Status.OPEN,
        Listing.first_reply_at.is_(None),
        Listing.created_at <= older_than,
        Listing.kind == Kind.ASK,
        Listing.expires_at > now,
    )


def _staff(role: Role) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.role == role)
            .options(joinedload(Membership.user))
        )
    )


def recipients_for(
    step: LadderStep, listing: Listing, staff: dict[Role, list[Membership]]
) -> list[User]:
    if step == LadderStep.ASKER:
        return [listing.author]
    if step == LadderStep.COORDINATORS:
        return [m.user for m in staff[Role.COORDINATOR]]
    connectors = staff[Role.CONNECTOR]
    of_village = [
        m for m in connectors if listing.village_id and m.village_id == listing.village_id
    ]
    return [m.user for m in (of_village or connectors)]


def take_step(listing: Listing, step: LadderStep, recipients: Iterable[User]) -> bool:
    """Record the step and its emails in one transaction; False if it was taken before."""
    try:
        with db.session.begin_nested():
            db.session.add(EscalationStep(listing_id=listing.id, step=step))
    except IntegrityError:
        return False
    tenant = current_tenant()
    days_waiting = (utcnow() - listing.created_at).days
    for user in recipients:
        queue_email(
            user.email,
            user.locale,
            MAIL_KIND[step],
            ledger_key=f"ladder:{listing.id}:{step.value}:{user.id}",
            person=user,
            listing=listing,
            step=step.value,
            days=days_waiting,
            link=tenant.url_for("listings.detail", listing_id=listing.id),
        )
    db.session.commit()
    return True


def run_ladder(now: datetime | None = None) -> int:
    """Take every step that is due in the current municipality; returns how many."""
    now = now or utcnow()
    tenant = current_tenant()
    staff = {role: _staff(role) for role in (Role.CONNECTOR, Role.COORDINATOR)}
    taken = 0
    for step, days in ladder_days(tenant).items():
        done = sa.select(EscalationStep.listing_id).where(EscalationStep.step == step)
        due = db.session.scalars(
            unanswered_asks(now - timedelta(days=days), now)
            .where(Listing.id.not_in(done))
            .options(joinedload(Listing.author), joinedload(Listing.category))
            .order_by(Listing.created_at)
        ).all()
        for listing in due:
            taken += take_step(listing, step, recipients_for(step, listing, staff))
    return taken


def send_follow_ups(now: datetime | None = None) -> int:
    """Ask both sides of each match that is due whether the help happened; once per match
    (`follow_up_at`) and once per person (the ledger key). The link leads to the question for
    that one match: an offer can have several."""
    now = now or utcnow()
    tenant = current_tenant()
    # The matches not yet asked about are few (those of the last days, or waiting for their
    # agreed day), so the rule shared with the listing's page is applied here, in Python.
    waiting = db.session.scalars(
        sa.select(Match)
        .join(Match.listing)
        .where(Match.follow_up_at.is_(None))
        .options(
            contains_eager(Match.listing).joinedload(Listing.author),
            joinedload(Match.partner),
        )
        .order_by(Match.id)
    ).all()
    matches = [match for match in waiting if follow_up_is_due(match, now)]
    for match in matches:
        people = []
        # A deleted account (buurtplatform.own_data.deletion) is asked nothing.
        if match.author_outcome is None and not match.listing.author.is_deleted:
            people.append((match.listing.author, match.partner_display_name))
        partner = match.partner
        if partner is not None and match.partner_outcome is None and not partner.is_deleted:
            people.append((partner, match.listing.author.display_name))
        for user, other_name in people:
            queue_email(
                user.email,
                user.locale,
                "follow_up",
                ledger_key=f"follow-up:{match.id}:{user.id}",
                person=user,
                other_name=other_name,
                listing=match.listing,
                match=match,
                link=tenant.url_for("matches.outcome", match_id=match.id),
            )
        match.follow_up_at = now
        db.session.commit()
    return len(matches)
