"""Recording a match and its outcome. An ask leaves the open list when it is matched; an
offer stays open for more people until its author closes it."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from buurtplatform.accounts.models import User
from buurtplatform.conversations.models import Conversation
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing, Status
from buurtplatform.matches.models import ASK_SLOT, Match, Outcome
from buurtplatform.notifications.models import Topic
from buurtplatform.notifications.services import membership_of, notify
from buurtplatform.timestamps import utcnow
from jobs.periods import LOCAL, current_day, morning_of
from tenants.scoping import current_tenant


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


def matches_of(listing: Listing) -> list[Match]:
    return list(
        db.session.scalars(
            sa.select(Match).where(Match.listing_id == listing.id).order_by(Match.id)
        )
    )


def can_still_match(listing: Listing, partner: User) -> bool:
    """Whether `listing` can still be matched with `partner`: it is open, and (an offer) has
    not helped them yet. An open ask has no match."""
    if listing.status != Status.OPEN:
        return False
    return listing.is_ask or not db.session.scalar(
        sa.select(
            sa.select(Match.id)
            .where(Match.listing_id == listing.id, Match.partner_id == partner.id)
            .exists()
        )
    )


def name_slot(partner_name: str) -> int:
    """The slot of an offer's match with someone known only by name (a coordinator's match by
    phone): the same name gives the same slot, so that a double submit records one match.
    Negative, so that it never takes a member's slot (their id) or an ask's."""
    name = " ".join(partner_name.split()).casefold()
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")
    return -1 - digest % (2**31 - 1)


def record_match(
    listing: Listing, recorded_by: User, partner: User | None = None, partner_name: str = ""
) -> Match | None:
    """The caller checks who may do this and commits. None if this match exists already (a
    double submit): an ask has one match, an offer one per person, as the database ensures.
    The partner hears of it, as often as they chose to hear about their conversations."""
    now = utcnow()
    offer_slot = partner.id if partner else name_slot(partner_name)
    slot = ASK_SLOT if listing.is_ask else offer_slot
    match = Match(
        listing_id=listing.id,
        slot=slot,
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
    if listing.is_ask:
        listing.status = Status.MATCHED
    listing.matched_at = now
    if partner is not None:
        _tell_partner(listing, partner)
    return match


def _tell_partner(listing: Listing, partner: User) -> None:
    """Through the partner's notification choice for messages: a match is news in a
    conversation they are in, so whoever turned those emails off, or gets them once a day,
    is not mailed separately about this."""
    membership = membership_of(partner.id)
    if membership is None:
        return
    author = listing.author.first_name
    notify(
        membership,
        Topic.MESSAGES,
        "match_recorded",
        title=f"{author}: {listing.title}",
        link=current_tenant().url_for("listings.detail", listing_id=listing.id),
        person=partner,
        author_name=author,
        listing=listing,
    )


def record_outcome(match: Match, user_id: int, outcome: Outcome) -> None:
    if user_id == match.partner_id:
        match.partner_outcome = outcome
    else:
        match.author_outcome = outcome
    match.outcome_at = utcnow()


def follow_up_moment(match: Match) -> datetime:
    """When both sides of `match` are asked "did the help happen?": from 08:00 (local) on the
    day after the agreed day (`needed_on`) when its listing has one, else a few days after the
    match. Never on the day the match was saved, even when that was after the agreed day."""
    needed_on = match.listing.needed_on
    if needed_on is None:
        return match.created_at + timedelta(days=current_tenant().follow_up_after_days)
    return max(morning_of(needed_on + timedelta(days=1)), current_day(match.created_at).end)


def follow_up_is_due(match: Match, now: datetime) -> bool:
    """The one rule for the follow-up email and for the question on the listing's page."""
    return now >= follow_up_moment(match)


def asked_after(match: Match) -> date:
    """The day after which we ask how it went, as the page tells it before then."""
    return follow_up_moment(match).astimezone(LOCAL).date() - timedelta(days=1)
