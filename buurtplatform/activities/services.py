"""Signing up and cancelling, the waiting list, and what the agenda's pages and other features
(the home page, the printable weekly overview) ask of activities.

Sign-ups and cancellations of one activity happen one at a time: each first locks the
activity's row (PostgreSQL waits at `FOR UPDATE`; SQLite has one writer at a time anyway), so
that two people who take the last place at the same moment, or two cancellations at once,
never put more people on the list than there is room for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import contains_eager, joinedload

from buurtplatform.accounts.models import Role, User
from buurtplatform.accounts.sessions import has_role
from buurtplatform.activities.models import Activity, Repeat, Signup, SignupStatus
from buurtplatform.activities.occurrences import (
    Occurrence,
    next_occurrences,
    occurrence_on,
    occurrences_between,
)
from buurtplatform.extensions import db
from buurtplatform.listings.models import OfflinePerson
from buurtplatform.mail.services import queue_email
from buurtplatform.search import matches
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tenants.scoping import current_tenant


def activity_or_404(activity_id: int) -> Activity:
    """Another municipality's activity is not found here: the scoping hook hides it."""
    return db.get_or_404(Activity, activity_id)


def occurrence_or_404(activity: Activity, day: date) -> Occurrence:
    """A day on which the activity happens and that has not ended yet."""
    occurrence = occurrence_on(activity, day)
    if occurrence is None or occurrence.ends_at <= utcnow() or activity.is_cancelled:
        abort(404)
    return occurrence


def can_manage(activity: Activity) -> bool:
    """The organiser, or a connector of this municipality."""
    if not current_user.is_authenticated:
        return False
    return activity.organiser_id == current_user.id or has_role(Role.CONNECTOR)


def can_see_who_comes(activity: Activity) -> bool:
    """The organiser and the connectors, and the coordinators, who sign people up."""
    return can_manage(activity) or has_role(Role.COORDINATOR)


def _lock(activity: Activity) -> None:
    db.session.execute(sa.select(Activity.id).where(Activity.id == activity.id).with_for_update())


def signups_for(activity: Activity, day: date) -> list[Signup]:
    """Who comes and who waits, in the order they signed up."""
    return list(
        db.session.scalars(
            sa.select(Signup)
            .where(Signup.activity_id == activity.id, Signup.occurs_on == day)
            .options(joinedload(Signup.user), joinedload(Signup.offline_person))
            .order_by(Signup.created_at, Signup.id)
        )
    )


def going_count(activity: Activity, day: date) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Signup.id)).where(
            Signup.activity_id == activity.id,
            Signup.occurs_on == day,
            Signup.status == SignupStatus.GOING,
        )
    )


def signup_of(activity: Activity, day: date, user: User) -> Signup | None:
    return db.session.scalar(
        sa.select(Signup).where(
            Signup.activity_id == activity.id, Signup.occurs_on == day, Signup.user_id == user.id
        )
    )


def _signed_up_before(
    occurrence: Occurrence, user: User | None, person: OfflinePerson | None
) -> Signup | None:
    if user is not None:
        return signup_of(occurrence.activity, occurrence.day, user)
    if person is None or person.id is None:  # someone the coordinator enters now
        return None
    return db.session.scalar(
        sa.select(Signup).where(
            Signup.activity_id == occurrence.activity.id,
            Signup.occurs_on == occurrence.day,
            Signup.offline_person_id == person.id,
        )
    )


def sign_up(
    occurrence: Occurrence,
    *,
    user: User | None = None,
    person: OfflinePerson | None = None,
    signed_up_by: User | None = None,
) -> Signup:
    """Sign a member or an offline person up for one occurrence: a place, or the waiting list
    when it is full. Signing up twice gives the first sign-up back. The caller commits."""
    activity = occurrence.activity
    _lock(activity)
    if (existing := _signed_up_before(occurrence, user, person)) is not None:
        return existing
    full = activity.capacity is not None and going_count(activity, occurrence.day) >= (
        activity.capacity
    )
    signup = Signup(
        activity_id=activity.id,
        occurs_on=occurrence.day,
        status=SignupStatus.WAITING if full else SignupStatus.GOING,
        user_id=user.id if user else None,
        offline_person=person,
        signed_up_by_id=signed_up_by.id if signed_up_by else None,
    )
    db.session.add(signup)
    db.session.flush()
    return signup


def cancel_signup(signup: Signup) -> Signup | None:
    """Take a sign-up off the list; when it held a place, the first on the waiting list moves
    up and is told by email. Returns who moved up. The caller commits."""
    activity = signup.activity
    _lock(activity)
    db.session.delete(signup)
    db.session.flush()
    if signup.status != SignupStatus.GOING:
        return None
    return _fill_places(activity, signup.occurs_on)


def _fill_places(activity: Activity, day: date) -> Signup | None:
    """Move the first waiting person up while there is room (with the row locked)."""
    if activity.capacity is not None and going_count(activity, day) >= activity.capacity:
        return None
    waiting = next(
        (s for s in signups_for(activity, day) if s.status == SignupStatus.WAITING), None
    )
    if waiting is None:
        return None
    waiting.status = SignupStatus.GOING
    occurrence = occurrence_on(activity, day)
    if waiting.user is not None and occurrence is not None:
        _tell(waiting.user, "activity_place", occurrence)
    return waiting


def fill_freed_places(activity: Activity) -> None:
    """After the capacity went up: move people up on every coming occurrence."""
    _lock(activity)
    days = db.session.scalars(
        sa.select(Signup.occurs_on)
        .where(
            Signup.activity_id == activity.id,
            Signup.status == SignupStatus.WAITING,
            Signup.occurs_on >= utcnow().date() - timedelta(days=1),
        )
        .distinct()
    ).all()
    for day in days:
        while _fill_places(activity, day) is not None:
            pass


def _tell(user: User, kind: str, occurrence: Occurrence, **context: object) -> None:
    activity = occurrence.activity
    queue_email(
        user.email,
        user.locale,
        kind,
        person=user,
        activity=activity,
        occurrence=occurrence,
        link=current_tenant().url_for(
            "activities.detail", activity_id=activity.id, datum=occurrence.day.isoformat()
        ),
        **context,
    )


def coming_signups(activity: Activity) -> list[Signup]:
    """Who signed up for an occurrence that may not have ended (from yesterday on)."""
    return list(
        db.session.scalars(
            sa.select(Signup)
            .where(
                Signup.activity_id == activity.id,
                Signup.occurs_on >= utcnow().date() - timedelta(days=1),
            )
            .options(joinedload(Signup.user))
            .order_by(Signup.occurs_on, Signup.id)
        )
    )


def _tell_members(kind: str, told: Iterable[tuple[Signup, Occurrence]]) -> int:
    """Email the members among them (a coordinator calls who is not online)."""
    count = 0
    for signup, occurrence in told:
        if signup.user is not None and occurrence.ends_at > utcnow():
            _tell(signup.user, kind, occurrence)
            count += 1
    return count


def cancel_activity(activity: Activity) -> int:
    """Call the activity off and tell everyone signed up; returns how many were told."""
    activity.cancelled_at = utcnow()
    told = []
    for signup in coming_signups(activity):
        if (occurrence := occurrence_on(activity, signup.occurs_on)) is not None:
            told.append((signup, occurrence))
    return _tell_members("activity_cancelled", told)


def apply_change(activity: Activity) -> int:
    """After an edit: everyone signed up for a coming day is told. A sign-up for a day on
    which the activity no longer happens is taken off the list, and its email names the next
    date instead; more room moves people up. Returns how many were told."""
    coming = next_occurrences(activity, utcnow(), 1)
    told = []
    for signup in coming_signups(activity):
        occurrence = occurrence_on(activity, signup.occurs_on)
        if occurrence is None:
            db.session.delete(signup)
            occurrence = coming[0] if coming else None
        if occurrence is not None:
            told.append((signup, occurrence))
    db.session.flush()
    fill_freed_places(activity)
    return _tell_members("activity_changed", told)


# Lists


def _possible_between(start: datetime, end: datetime | None) -> sa.Select:
    """Activities that may have an occurrence in [start, end): narrowed in SQL, exact in
    Python."""
    statement = sa.select(Activity).where(
        Activity.cancelled_at.is_(None),
        sa.or_(
            sa.and_(Activity.repeat == Repeat.NONE, Activity.ends_at > start),
            sa.and_(
                Activity.repeat != Repeat.NONE,
                sa.or_(
                    Activity.repeat_until.is_(None),
                    Activity.repeat_until >= (start - timedelta(days=1)).date(),
                ),
            ),
        ),
    )
    if end is not None:
        statement = statement.where(Activity.starts_at < end)
    return statement.options(joinedload(Activity.village), joinedload(Activity.organiser))


def upcoming_activities(
    start: datetime, end: datetime, village: Village | None = None
) -> list[Occurrence]:
    """Every occurrence of an activity that has not been called off, from `start` until `end`
    (aware datetimes), earliest first; of one village's activities and those for the whole
    municipality, or (None) of all. For the home page and the printable weekly overview: two
    queries, however many activities."""
    statement = _possible_between(start, end)
    if village is not None:
        statement = statement.where(
            sa.or_(Activity.village_id == village.id, Activity.village_id.is_(None))
        )
    found = [
        occurrence
        for activity in db.session.scalars(statement).unique()
        for occurrence in occurrences_between(activity, start, end)
    ]
    return sorted(found, key=lambda o: (o.starts_at, o.activity.id))


@dataclass
class AgendaFilter:
    village_id: int | None = None
    kind: str | None = None
    week_start: datetime | None = None  # Monday 00:00 local, as UTC
    words: str = ""  # searched for in the title, description and place


def _narrowed(statement: sa.Select, agenda: AgendaFilter) -> sa.Select:
    """`statement` of the chosen village and kind, with the searched words, if any."""
    if agenda.village_id:
        statement = statement.where(Activity.village_id == agenda.village_id)
    if agenda.kind:
        statement = statement.where(Activity.kind == agenda.kind)
    if (condition := matches(Activity, agenda.words)) is not None:
        statement = statement.where(condition)
    return statement


def coming_activities(now: datetime) -> sa.Select:
    """Activities that have not been called off and may still come (as `next_of_each`
    narrows them in SQL), the earliest first: what the search of the whole site finds."""
    return _possible_between(now, None).order_by(Activity.starts_at, Activity.id)


def next_of_each(agenda: AgendaFilter, now: datetime) -> list[Occurrence]:
    """The coming list: each activity once, at its next occurrence (in the chosen week, if
    any), earliest first."""
    start = max(now, agenda.week_start) if agenda.week_start else now
    end = agenda.week_start + timedelta(days=7) if agenda.week_start else None
    statement = _narrowed(_possible_between(start, end), agenda)
    found = []
    for activity in db.session.scalars(statement).unique():
        coming = next_occurrences(activity, start, 1)
        if coming and (end is None or coming[0].starts_at < end):
            found.append(coming[0])
    return sorted(found, key=lambda o: (o.starts_at, o.activity.id))


def past_activities(agenda: AgendaFilter, now: datetime) -> sa.Select:
    """Activities that are over: one-offs that ended, repetitions whose last day went by."""
    statement = sa.select(Activity).where(
        sa.or_(
            sa.and_(Activity.repeat == Repeat.NONE, Activity.ends_at <= now),
            sa.and_(Activity.repeat != Repeat.NONE, Activity.repeat_until < now.date()),
        )
    )
    return (
        _narrowed(statement, agenda)
        .options(joinedload(Activity.village), joinedload(Activity.organiser))
        .order_by(Activity.starts_at.desc(), Activity.id.desc())
    )


def counts_by_day(activity_ids: Iterable[int], days: Iterable[date]) -> dict[tuple[int, date], int]:
    """How many come to each (activity, day), in one query."""
    rows = db.session.execute(
        sa.select(Signup.activity_id, Signup.occurs_on, sa.func.count(Signup.id))
        .where(
            Signup.activity_id.in_(list(activity_ids)),
            Signup.occurs_on.in_(list(set(days))),
            Signup.status == SignupStatus.GOING,
        )
        .group_by(Signup.activity_id, Signup.occurs_on)
    )
    return {(activity_id, day): count for activity_id, day, count in rows}


def signups_of_member(user: User) -> list[Signup]:
    """A member's sign-ups from today on, with their activities (one query), for the agenda's
    "you are coming to" list."""
    return list(
        db.session.scalars(
            sa.select(Signup)
            .join(Signup.activity)
            .where(
                Signup.user_id == user.id,
                Signup.occurs_on >= utcnow().date(),
                Activity.cancelled_at.is_(None),
            )
            .options(contains_eager(Signup.activity))
            .order_by(Signup.occurs_on, Signup.id)
        )
    )
