"""Every figure the platform shows, each with one definition and one function.

The figures page, the home page and the coordinators' digest read figures only through
`FIGURES`, so they agree by construction. A figure's function takes the spans to count in and
how to group, and answers in a fixed number of queries whatever the amount of data:
`Counts[span.key][group]`, where the group is a village's id (or a municipality's id, for the
platform admin), and `None` holds the total over all groups.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from buurtplatform.extensions import db
from buurtplatform.figures.periods import Span
from buurtplatform.listings.models import Kind, Listing
from tenants.scoping import ALL_TENANTS

Value = int | float | None
Counts = dict[str, dict[int | None, Value]]


class By(enum.Enum):
    """How a figure's counts are grouped: per village of the current municipality, or per
    municipality across all of them (platform admins only)."""

    VILLAGE = "village"
    MUNICIPALITY = "municipality"


class Unit(enum.Enum):
    NUMBER = "number"
    PERCENT = "percent"  # 0 to 100, None when there is nothing to divide by
    HOURS = "hours"  # a duration in hours, None when there is nothing to measure


@dataclass(frozen=True)
class Figure:
    name: str
    label: object  # a lazy string
    definition: object  # a lazy string: shown beside the figure and in docs/figures.md
    count: Callable[[Sequence[Span], By], Counts]
    unit: Unit = Unit.NUMBER
    per_village: bool = True  # False: only the total is known (e.g. visits)


FIGURES: dict[str, Figure] = {}


def figure(
    name: str, label: object, definition: object, unit: Unit = Unit.NUMBER, per_village: bool = True
) -> Callable[[Callable[[Sequence[Span], By], Counts]], Callable[[Sequence[Span], By], Counts]]:
    """Register the decorated function as the one way to count `name`."""

    def register(count: Callable[[Sequence[Span], By], Counts]) -> Callable:
        FIGURES[name] = Figure(name, label, definition, count, unit, per_village)
        return count

    return register


def count_in_spans(
    moment: sa.ColumnElement, group: sa.ColumnElement, spans: Sequence[Span], by: By, *where
) -> Counts:
    """How many rows have `moment` in each span, per group and in total: one query."""
    columns = [
        sa.func.count(sa.case((sa.and_(moment >= span.start, moment < span.end), 1)))
        for span in spans
    ]
    statement = (
        sa.select(group, *columns)
        .where(moment >= spans[0].start, moment < spans[-1].end, *where)
        .group_by(group)
    )
    if by is By.MUNICIPALITY:
        statement = statement.execution_options(**ALL_TENANTS)
    counts: Counts = {span.key: {None: 0} for span in spans}
    for row in db.session.execute(statement):
        for span, number in zip(spans, row[1:], strict=True):
            counts[span.key][row[0]] = number
            counts[span.key][None] += number
    return counts


def grouped_by(model: type, by: By) -> sa.ColumnElement:
    return model.tenant_id if by is By.MUNICIPALITY else model.village_id


def spans_of(moment: datetime, spans: Sequence[Span]) -> list[Span]:
    """The spans (of those given) that hold `moment`: one, or none."""
    return [span for span in spans if moment in span]


@figure(
    "asks",
    _l("Asks for help posted"),
    _l(
        "Asks for help placed in this period, also those later taken off the list or "
        "agreed. Not counted: asks that a buurtverbinder hid or did not approve."
    ),
)
def asks_posted(spans: Sequence[Span], by: By) -> Counts:
    return count_in_spans(
        Listing.created_at,
        grouped_by(Listing, by),
        spans,
        by,
        Listing.kind == Kind.ASK,
        Listing.public(),
    )


@figure(
    "offers",
    _l("Offers of help posted"),
    _l(
        "Offers of help placed in this period, also those later taken off the list. Not "
        "counted: offers that a buurtverbinder hid or did not approve."
    ),
)
def offers_posted(spans: Sequence[Span], by: By) -> Counts:
    return count_in_spans(
        Listing.created_at,
        grouped_by(Listing, by),
        spans,
        by,
        Listing.kind == Kind.OFFER,
        Listing.public(),
    )
