"""What a figures page shows: every figure in `FIGURES` over the last twelve weeks or months,
for the total or one group (a village, or for platform admins a municipality), and one table
with every group for the latest complete period.

The page, its charts and its CSV files are all made from one `FiguresPage`, so the numbers in
a chart, its table and the downloaded file are the same by construction. Each figure is
counted once for all periods and all groups, so a page costs one query per figure whatever
the amount of data.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, format_decimal, format_number, format_percent, ngettext

from buurtplatform.figures.definitions import FIGURES, By, Counts, Figure, Unit, Value
from buurtplatform.figures.periods import (
    Span,
    month_in_words,
    months_up_to,
    week_in_words,
    weeks_up_to,
)

PERIODS_SHOWN = 12
NOT_KNOWN = "\u2013"  # an en dash
HOURS_IN_DAYS_FROM = 48  # from two days on, a duration reads better in days


class Period(enum.Enum):
    """How a page divides time; the values are what the address says (`?periode=maand`)."""

    WEEK = "week"
    MONTH = "maand"


@dataclass(frozen=True)
class Group:
    id: int
    name: str


@dataclass(frozen=True)
class Series:
    """One figure over the periods, for the chosen group or the total. `per_group` is False
    when the figure is known only in total while a group was chosen."""

    figure: Figure
    values: list[tuple[Span, Value]]
    per_group: bool


@dataclass(frozen=True)
class FiguresPage:
    by: By
    period: Period
    spans: list[Span]
    groups: list[Group]
    chosen: Group | None
    series: list[Series]
    counts: dict[str, Counts]

    @property
    def latest(self) -> Span:
        """The latest complete period: the current one is still going on."""
        return self.spans[-2]

    @property
    def table_figures(self) -> list[Figure]:
        """The figures that are known per group, for the table of all groups."""
        return [f for f in FIGURES.values() if knows_groups(f, self.by)]

    def value(self, figure: Figure, span: Span, group: Group | None) -> Value:
        return value_in(self.counts[figure.name], figure, span, group)


def knows_groups(figure: Figure, by: By) -> bool:
    """Figures known only in total (such as visits) are still known per municipality."""
    return figure.per_village or by is By.MUNICIPALITY


def value_in(counts: Counts, figure: Figure, span: Span, group: Group | None) -> Value:
    """A group without rows counted nothing; a share or a duration of nothing is not known."""
    nothing = 0 if figure.unit is Unit.NUMBER else None
    return counts.get(span.key, {}).get(group.id if group else None, nothing)


def spans_for(period: Period, today: date) -> list[Span]:
    if period is Period.WEEK:
        return weeks_up_to(today, PERIODS_SHOWN)
    return months_up_to(today, PERIODS_SHOWN)


def figures_page(
    by: By, period: Period, groups: Sequence[Group], chosen: Group | None, today: date
) -> FiguresPage:
    spans = spans_for(period, today)
    counts = {name: figure.count(spans, by) for name, figure in FIGURES.items()}
    series = []
    for figure in FIGURES.values():
        per_group = chosen is None or knows_groups(figure, by)
        group = chosen if per_group else None
        values = [(span, value_in(counts[figure.name], figure, span, group)) for span in spans]
        series.append(Series(figure, values, per_group))
    return FiguresPage(by, period, spans, list(groups), chosen, series, counts)


def in_words(span: Span, period: Period) -> str:
    """The period in full words, for tables: "week van maandag 16 tot en met zondag 22
    november", "november 2026"."""
    return week_in_words(span) if period is Period.WEEK else month_in_words(span)


def short_label(span: Span, period: Period) -> str:
    """The period in a few letters, for a chart's axis: "16 nov.", "nov. 2026"."""
    return format_date(span.first, "d MMM" if period is Period.WEEK else "MMM y")


def shown(value: Value, unit: Unit) -> str:
    """A value as people read it, in the current language: "1.234", "67%", "5 uur",
    "2,5 dagen". Not known: a dash (the template adds words for screen readers)."""
    if value is None:
        return NOT_KNOWN
    if unit is Unit.PERCENT:
        return format_percent(value / 100)
    if unit is Unit.HOURS:
        return duration(value)
    return format_number(value)


def duration(hours: float) -> str:
    if hours >= HOURS_IN_DAYS_FROM:
        days = round(hours / 24, 1)
        return ngettext(
            "%(days)s day", "%(days)s days", plural(days), days=format_decimal(days, format="0.#")
        )
    rounded = round(hours, 1) if hours < 10 else round(hours)
    return ngettext(
        "%(hours)s hour",
        "%(hours)s hours",
        plural(rounded),
        hours=format_decimal(rounded, format="0.#"),
    )


def plural(value: float) -> int:
    """The number that chooses between "1 hour" and "1.5 hours": a fraction is plural."""
    return int(value) if value == int(value) else 2
