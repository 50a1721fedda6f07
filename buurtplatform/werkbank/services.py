"""What the werkbank shows: the open asks with what staff need to act on them, loaded in a
fixed number of queries however many asks there are; and removing a person on request."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from buurtplatform.activities.models import Signup
from buurtplatform.activities.services import cancel_signup
from buurtplatform.conversations.models import Conversation
from buurtplatform.extensions import db
from buurtplatform.listings.models import Kind, Listing, OfflinePerson, Status
from buurtplatform.listings.services import close
from buurtplatform.matches.models import Match
from buurtplatform.notifications.models import EscalationStep, LadderStep
from buurtplatform.timestamps import utcnow
from buurtplatform.werkbank.models import StaffNote
from jobs.periods import local_day
from jobs.reminders import ladder_days
from tenants.models import Village
from tenants.scoping import current_tenant


@dataclass
class LadderPlace:
    """Where an ask is on the reminder ladder: the last step taken, and the next one."""

    last: LadderStep | None
    next: LadderStep | None
    next_on: date | None


@dataclass
class WorkItem:
    ask: Listing
    age_days: int
    replies: int
    ladder: LadderPlace
    notes: list[StaffNote] = field(default_factory=list)


@dataclass
class VillageGroup:
    village: Village | None
    items: list[WorkItem]


def _no_outcome() -> sa.ColumnElement[bool]:
    """The ask has a match, and neither side said how it went."""
    return (
        sa.select(Match.id)
        .where(
            Match.listing_id == Listing.id,
            Match.author_outcome.is_(None),
            Match.partner_outcome.is_(None),
        )
        .exists()
    )


def asks_in(situation: str, now: datetime) -> sa.Select:
    """The asks of one situation of the werkbank's filter. Open means: on the list (open,
    public, not expired); an agreed ask has left the list, but waits for its outcome."""
    statement = sa.select(Listing).where(Listing.kind == Kind.ASK, Listing.public())
    if situation == "no_outcome":
        return statement.where(Listing.status.in_((Status.OPEN, Status.MATCHED)), _no_outcome())
    statement = statement.where(Listing.status == Status.OPEN, Listing.expires_at > now)
    if situation == "no_reply":
        return statement.where(Listing.first_reply_at.is_(None))
    if situation == "no_match":
        matched = sa.select(Match.id).where(Match.listing_id == Listing.id).exists()
        return statement.where(Listing.first_reply_at.is_not(None), ~matched)
    return statement


def _reply_counts(ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Conversation.listing_id, sa.func.count(Conversation.id))
        .where(Conversation.listing_id.in_(ids))
        .group_by(Conversation.listing_id)
    )
    return dict(rows.tuples().all())


def _steps_taken(ids: list[int]) -> dict[int, list[LadderStep]]:
    taken: dict[int, list[LadderStep]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(EscalationStep.listing_id, EscalationStep.step)
        .where(EscalationStep.listing_id.in_(ids))
        .order_by(EscalationStep.created_at, EscalationStep.id)
    )
    for listing_id, step in rows:
        taken[listing_id].append(step)
    return taken


def notes_on(ids: list[int]) -> dict[int, list[StaffNote]]:
    notes: dict[int, list[StaffNote]] = defaultdict(list)
    for note in db.session.scalars(
        sa.select(StaffNote)
        .where(StaffNote.listing_id.in_(ids))
        .options(joinedload(StaffNote.author))
        .order_by(StaffNote.created_at, StaffNote.id)
    ):
        notes[note.listing_id].append(note)
    return notes


def ladder_place(
    ask: Listing, taken: list[LadderStep], days: dict[LadderStep, int], today: date
) -> LadderPlace:
    """The ladder only climbs while nobody replied (jobs/reminders.py): an ask with a reply,
    or agreed, has no next step. A step already due is taken by today's sweep."""
    last = taken[-1] if taken else None
    if ask.first_reply_at is not None or ask.status != Status.OPEN:
        return LadderPlace(last, None, None)
    coming = sorted((d, step) for step, d in days.items() if step not in taken)
    if not coming:
        return LadderPlace(last, None, None)
    after, step = coming[0]
    due = local_day(ask.created_at + timedelta(days=after))
    return LadderPlace(last, step, max(due, today))


def werkbank_items(situation: str, village_id: int | None) -> list[VillageGroup]:
    """The asks of `situation` (in one village, or all), grouped by village in name order
    (the whole municipality last), oldest first. Five queries, whatever their number."""
    now = utcnow()
    statement = asks_in(situation, now).options(
        joinedload(Listing.village),
        joinedload(Listing.category),
        joinedload(Listing.author),
        joinedload(Listing.offline_person),
    )
    if village_id:
        statement = statement.where(Listing.village_id == village_id)
    asks = db.session.scalars(statement.order_by(Listing.created_at, Listing.id)).unique().all()
    ids = [ask.id for ask in asks]
    replies, taken, notes = _reply_counts(ids), _steps_taken(ids), notes_on(ids)
    days = ladder_days(current_tenant())
    today = local_day(now)
    groups: dict[int | None, VillageGroup] = {}
    for ask in asks:
        group = groups.setdefault(ask.village_id, VillageGroup(ask.village, []))
        group.items.append(
            WorkItem(
                ask=ask,
                age_days=(today - local_day(ask.created_at)).days,
                replies=replies.get(ask.id, 0),
                ladder=ladder_place(ask, taken[ask.id], days, today),
                notes=notes[ask.id],
            )
        )
    return sorted(
        groups.values(), key=lambda g: (g.village is None, g.village.name if g.village else "")
    )


@dataclass
class PersonRow:
    person: OfflinePerson
    open_asks: int
    signups: int


def people_rows() -> list[PersonRow]:
    """The people the municipality's coordinators act for, with their open asks and their
    coming activity sign-ups: three queries."""
    people = db.session.scalars(
        sa.select(OfflinePerson)
        .options(joinedload(OfflinePerson.village))
        .order_by(OfflinePerson.name, OfflinePerson.id)
    ).all()
    asks = dict(
        db.session.execute(
            sa.select(Listing.offline_person_id, sa.func.count(Listing.id))
            .where(
                Listing.offline_person_id.is_not(None),
                Listing.status == Status.OPEN,
                Listing.expires_at > utcnow(),
            )
            .group_by(Listing.offline_person_id)
        )
        .tuples()
        .all()
    )
    signups = dict(
        db.session.execute(
            sa.select(Signup.offline_person_id, sa.func.count(Signup.id))
            .where(Signup.offline_person_id.is_not(None), Signup.occurs_on >= local_day(utcnow()))
            .group_by(Signup.offline_person_id)
        )
        .tuples()
        .all()
    )
    return [PersonRow(p, asks.get(p.id, 0), signups.get(p.id, 0)) for p in people]


def remove_person(person: OfflinePerson) -> None:
    """Remove someone's details on their request; the caller records it and commits. Their
    open asks leave the list (the asks stay, without the person, as the foreign key says),
    and their sign-ups go through the agenda's own cancelling, so that the waiting list moves
    up."""
    for ask in db.session.scalars(
        sa.select(Listing).where(
            Listing.offline_person_id == person.id, Listing.status == Status.OPEN
        )
    ):
        close(ask)
    for signup in db.session.scalars(
        sa.select(Signup).where(Signup.offline_person_id == person.id)
    ).all():
        cancel_signup(signup)
    db.session.delete(person)
