"""Helpers for the agenda's tests: activities made directly in the database, at local times."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Flask

from buurtplatform.accounts.models import User
from buurtplatform.activities.models import Activity, ActivityKind, Repeat, Signup
from buurtplatform.activities.occurrences import from_local
from buurtplatform.extensions import db
from jobs.periods import LOCAL
from tenants.scoping import tenant_context
from tests.helpers import tenant_by_slug


def local_today() -> date:
    return datetime.now(LOCAL).date()


def next_weekday(weekday: int, after: date | None = None) -> date:
    """The first day with this weekday (0 is Monday) after `after` (default: a week ahead, so
    that a test never meets today's clock)."""
    start = (after or local_today() + timedelta(days=7)) + timedelta(days=1)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def new_activity(organiser_id: int, day: date, **fields: object) -> Activity:
    """A one-off coffee morning from 10:00 to 11:30 local time, unless `fields` say otherwise;
    to be added inside `tenant_context`."""
    starts, ends = fields.pop("starts", time(10)), fields.pop("ends", time(11, 30))
    values: dict[str, object] = {
        "kind": ActivityKind.COFFEE,
        "title": "Koffieochtend",
        "description": "Gezellig koffie drinken.",
        "starts_at": from_local(day, starts),
        "ends_at": from_local(day, ends),
        "place": "De Schakel",
        "organiser_id": organiser_id,
        "repeat": Repeat.NONE,
        **fields,
    }
    return Activity(**values)


def add_activity(app: Flask, organiser: User, day: date, slug: str = "cuijk", **fields) -> int:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        activity = new_activity(organiser.id, day, **fields)
        db.session.add(activity)
        db.session.commit()
        return activity.id


def week_of_month(day: date) -> int:
    """Which of the month's weekdays `day` is: 1 to 4, or -1 for a fifth (the last)."""
    return (day.day - 1) // 7 + 1 if day.day <= 28 else -1


def add_many_activities(app: Flask, organiser: User, count: int, slug: str = "cuijk") -> None:
    """`count` activities: one-offs, weekly and monthly ones, in the coming weeks."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        first = next_weekday(1)  # a Tuesday
        for n in range(count):
            day = first + timedelta(weeks=n % 5)
            repeat = (Repeat.NONE, Repeat.WEEKLY, Repeat.MONTHLY)[n % 3]
            db.session.add(
                new_activity(
                    organiser.id,
                    day,
                    title=f"Activiteit {n}",
                    repeat=repeat,
                    week_of_month=week_of_month(day) if repeat == Repeat.MONTHLY else None,
                    capacity=10,
                )
            )
        db.session.commit()


def signups(app: Flask, activity_id: int, slug: str = "cuijk") -> list[tuple[str, str]]:
    """(first name or person's name, status) of every sign-up, in the order they came."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        rows = db.session.scalars(
            sa.select(Signup).where(Signup.activity_id == activity_id).order_by(Signup.id)
        ).all()
        return [(row.name, row.status.value) for row in rows]
