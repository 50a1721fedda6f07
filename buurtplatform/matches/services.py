"""Recording a match and its outcome; the listing leaves the open list."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from buurtplatform.accounts.models import User
from buurtplatform.conversations.models import Conversation
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing, Status
from buurtplatform.matches.models import Match, Outcome
from buurtplatform.timestamps import utcnow


def repliers(listing: Listing) -> list[User]:
    """The people who replied to `listing`: those it can be matched with."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Conversation, Conversation.replier_id == User.id)
            .where(Conversation.listing_id == listing.id)
            .order_by(User.first_name)
        )
    )


def record_match(
    listing: Listing, recorded_by: User, partner: User | None = None, partner_name: str = ""
) -> Match | None:
    """The caller checks who may do this and commits. None if the listing was matched since
    the caller looked (a double submit): a listing has one match, as the database ensures."""
    now = utcnow()
    match = Match(
        listing_id=listing.id,
        partner_id=partner.id if partner else None,
        partner_name=partner_name or None,
        recorded_by_id=recorded_by.id,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(match)
    except IntegrityError:
        return None
    listing.status = Status.MATCHED
    listing.matched_at = now
    return match


def record_outcome(match: Match, user_id: int, outcome: Outcome) -> None:
    if user_id == match.partner_id:
        match.partner_outcome = outcome
    else:
        match.author_outcome = outcome
    match.outcome_at = utcnow()
