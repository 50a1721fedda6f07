"""When an activity happens: its occurrences, computed in local time (Europe/Amsterdam), so
that a coffee morning at 10:00 stays at 10:00 when the clocks change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dateutil import rrule

from buurtplatform.activities.models import Activity, Repeat
from jobs.periods import LOCAL


@dataclass(frozen=True)
class Occurrence:
    activity: Activity
    starts_at: datetime  # aware, UTC
    ends_at: datetime

    @property
    def day(self) -> date:
        """The local day, which names the occurrence (sign-ups, addresses)."""
        return self.starts_at.astimezone(LOCAL).date()


def local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL)


def from_local(day: date, clock: time) -> datetime:
    """A local day and clock time as a UTC moment."""
    return datetime.combine(day, clock, tzinfo=LOCAL).astimezone(UTC)


def recurrence(activity: Activity) -> rrule.rrule | None:
    """The repetition of a repeating activity in local wall time (naive), or None."""
    if activity.repeat == Repeat.NONE:
        return None
    start = local(activity.starts_at).replace(tzinfo=None)
    until = datetime.combine(activity.repeat_until, time.max) if activity.repeat_until else None
    if activity.repeat == Repeat.WEEKLY:
        return rrule.rrule(rrule.WEEKLY, dtstart=start, until=until)
    weekday = rrule.weekdays[start.weekday()](activity.week_of_month)
    return rrule.rrule(rrule.MONTHLY, dtstart=start, byweekday=weekday, until=until)


def _occurrence(activity: Activity, wall_start: datetime) -> Occurrence:
    """The occurrence that starts at this local wall time, lasting as long on the clock."""
    wall_length = local(activity.ends_at).replace(tzinfo=None) - local(activity.starts_at).replace(
        tzinfo=None
    )
    return Occurrence(
        activity,
        wall_start.replace(tzinfo=LOCAL).astimezone(UTC),
        (wall_start + wall_length).replace(tzinfo=LOCAL).astimezone(UTC),
    )


def occurrences_between(activity: Activity, start: datetime, end: datetime) -> list[Occurrence]:
    """The occurrences that have not ended by `start` and begin before `end` (aware)."""
    rule = recurrence(activity)
    if rule is None:
        found = [Occurrence(activity, activity.starts_at, activity.ends_at)]
    else:
        # A day's margin on both sides covers the length and the zone; filtered exactly below.
        wall_from = local(start).replace(tzinfo=None) - timedelta(days=1)
        wall_to = local(end).replace(tzinfo=None) + timedelta(days=1)
        found = [_occurrence(activity, wall) for wall in rule.between(wall_from, wall_to, inc=True)]
    return [o for o in found if o.ends_at > start and o.starts_at < end]


def next_occurrences(activity: Activity, after: datetime, count: int) -> list[Occurrence]:
    """Up to `count` occurrences that have not ended at `after`."""
    rule = recurrence(activity)
    if rule is None:
        return occurrences_between(activity, after, activity.ends_at + timedelta(seconds=1))
    found: list[Occurrence] = []
    wall = local(after).replace(tzinfo=None) - timedelta(days=1)
    while len(found) < count and (wall := rule.after(wall)) is not None:
        occurrence = _occurrence(activity, wall)
        if occurrence.ends_at > after:
            found.append(occurrence)
    return found


def occurrence_on(activity: Activity, day: date) -> Occurrence | None:
    """The occurrence on this local day, if the activity happens then."""
    start = from_local(day, time.min)
    found = occurrences_between(activity, start, from_local(day + timedelta(days=1), time.min))
    return next((o for o in found if o.day == day), None)


def fits_rule(activity: Activity) -> bool:
    """Whether the first occurrence is itself one of the rule's days (a monthly "first
    Tuesday" must start on a first Tuesday), as calendars count it as the first either way."""
    rule = recurrence(activity)
    start = local(activity.starts_at).replace(tzinfo=None)
    return rule is None or rule.after(start, inc=True) == start
