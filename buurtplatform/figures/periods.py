"""The periods that figures are counted in: calendar weeks (Monday to Sunday) and months, in
the municipalities' local time (Europe/Amsterdam).

A span runs from local midnight to local midnight, turned into UTC: a week with a change of
clock is 167 or 169 hours long, and still holds exactly its seven local days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

from jobs.periods import local_midnight


@dataclass(frozen=True)
class Span:
    """Local days `first` to `last` (inclusive); `start` and `end` are the UTC moments they
    begin and end."""

    first: date
    last: date

    @property
    def key(self) -> str:
        return self.first.isoformat()

    @property
    def start(self) -> datetime:
        return local_midnight(self.first)

    @property
    def end(self) -> datetime:
        return local_midnight(self.last + timedelta(days=1))

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def week_of(day: date) -> Span:
    monday = day - timedelta(days=day.weekday())
    return Span(monday, monday + timedelta(days=6))


def month_of(day: date) -> Span:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Span(first, following - timedelta(days=1))


def weeks_up_to(day: date, count: int) -> list[Span]:
    """The `count` weeks ending with the week of `day`, oldest first."""
    last = week_of(day)
    return [week_of(last.first - timedelta(weeks=n)) for n in reversed(range(count))]


def months_up_to(day: date, count: int) -> list[Span]:
    """The `count` months ending with the month of `day`, oldest first."""
    spans = [month_of(day)]
    while len(spans) < count:
        spans.insert(0, month_of(spans[0].first - timedelta(days=1)))
    return spans


def week_in_words(span: Span) -> str:
    """ "week van maandag 16 tot en met zondag 22 november", in the current language."""
    same_month = span.first.month == span.last.month
    return _(
        "week of %(first)s to %(last)s",
        first=format_date(span.first, "EEEE d" if same_month else "EEEE d MMMM"),
        last=format_date(span.last, "EEEE d MMMM"),
    )


def month_in_words(span: Span) -> str:
    return format_date(span.first, "MMMM y")
