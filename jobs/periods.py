"""When periodic work is due, in the municipalities' local time (Europe/Amsterdam).

A period is named by a key (e.g. "2026-W48" for a week, "2026-11-30" for a day). Work for a
period is due from its start until the next period starts; whether it was done is for the
ledger to say. So a tick after downtime still finds it due, and sends it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Amsterdam")
SEND_AT = time(8, 0)  # the digests and round-ups go out at 08:00 local time


@dataclass(frozen=True)
class Period:
    key: str
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC: when the next period starts


def local_midnight(day: date) -> datetime:
    """The start of `day` in Amsterdam, as UTC. (Babel's pytz zone given as `tzinfo` would take
    Amsterdam's offset of 1892, +00:18: always a ZoneInfo.)"""
    return datetime.combine(day, time(0), tzinfo=LOCAL).astimezone(ZoneInfo("UTC"))


def local_day(moment: datetime) -> date:
    """The day in Amsterdam at `moment`."""
    return moment.astimezone(LOCAL).date()


def morning_of(day: date) -> datetime:
    """08:00 on `day` in Amsterdam, as UTC (right in summer and winter time)."""
    return datetime.combine(day, SEND_AT, tzinfo=LOCAL).astimezone(ZoneInfo("UTC"))


def current_week(now: datetime) -> Period:
    """The week whose Monday 08:00 (local) is the latest one at or before `now`."""
    local = now.astimezone(LOCAL)
    monday = local.date() - timedelta(days=local.weekday())
    if local < datetime.combine(monday, SEND_AT, tzinfo=LOCAL):
        monday -= timedelta(days=7)
    year, week, _ = monday.isocalendar()
    return Period(f"{year}-W{week:02d}", morning_of(monday), morning_of(monday + timedelta(days=7)))


def current_day(now: datetime) -> Period:
    """The day whose 08:00 (local) is the latest one at or before `now`."""
    local = now.astimezone(LOCAL)
    day = local.date()
    if local.time() < SEND_AT:
        day -= timedelta(days=1)
    return Period(day.isoformat(), morning_of(day), morning_of(day + timedelta(days=1)))


def previous(period: Period) -> Period:
    """The period of as many days just before `period` (for week-on-week figures), counted
    in local days: a week with a change of clock is an hour shorter or longer in UTC."""
    first, last = (moment.astimezone(LOCAL).date() for moment in (period.start, period.end))
    start = first - (last - first)
    return Period(f"before {period.key}", morning_of(start), period.start)
