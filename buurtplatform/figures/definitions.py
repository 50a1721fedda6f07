"""Every figure the platform shows, each with one definition and one function.

The figures page, the home page and the coordinators' digest read figures only through
`FIGURES`, so they agree by construction. A figure's function takes the spans to count in and
how to group, and answers in a fixed number of queries whatever the amount of data:
`Counts[span.key][group]`, where the group is a village's id (or a municipality's id, for the
platform admin), and `None` holds the total over all groups.
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import join

from buurtplatform.accounts.models import Membership
from buurtplatform.activities.models import Activity, Repeat, Signup, SignupStatus
from buurtplatform.activities.occurrences import from_local, local, occurrences_between
from buurtplatform.board.models import BoardPost
from buurtplatform.extensions import db
from buurtplatform.figures.periods import Span
from buurtplatform.listings.models import Kind, Listing
from buurtplatform.matches.models import Match, Outcome
from buurtplatform.timestamps import utcnow
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
    moment: sa.ColumnElement,
    group: sa.ColumnElement,
    spans: Sequence[Span],
    by: By,
    *where,
    joined: sa.FromClause | None = None,
) -> Counts:
    """How many rows have `moment` in each span, per group and in total: one query. `spans`
    are in order and follow each other; `joined` is the join to select from when `group` or
    `where` need a second table."""
    columns = [
        sa.func.count(sa.case((sa.and_(moment >= span.start, moment < span.end), 1)))
        for span in spans
    ]
    statement = sa.select(group, *columns)
    if joined is not None:
        statement = statement.select_from(joined)
    statement = statement.where(moment >= spans[0].start, moment < spans[-1].end, *where).group_by(
        group
    )
    return _counted(statement, spans, by)


def count_up_to(
    moment: sa.ColumnElement, group: sa.ColumnElement, spans: Sequence[Span], by: By, *where
) -> Counts:
    """How many rows have `moment` before the end of each span (a running total), per group
    and in total: one query."""
    columns = [sa.func.count(sa.case((moment < span.end, 1))) for span in spans]
    statement = sa.select(group, *columns).where(moment < spans[-1].end, *where).group_by(group)
    return _counted(statement, spans, by)


def _counted(statement: sa.Select, spans: Sequence[Span], by: By) -> Counts:
    """Run a select of (group, a count per span) into `Counts`. Rows without a group (e.g. a
    listing whose village was removed) count only in the total."""
    counts: Counts = {span.key: {None: 0} for span in spans}
    for row in run(statement, by):
        for span, number in zip(spans, row[1:], strict=True):
            if row[0] is not None:
                counts[span.key][row[0]] = number
            counts[span.key][None] += number
    return counts


def run(statement: sa.Select, by: By) -> sa.Result:
    """Execute a figure's select: across municipalities when counting per municipality."""
    if by is By.MUNICIPALITY:
        statement = statement.execution_options(**ALL_TENANTS)
    return db.session.execute(statement)


def gathered(
    items: Iterable[tuple[int | None, datetime, object]], spans: Sequence[Span]
) -> dict[str, dict[int | None, list]]:
    """Values (group, moment, value) gathered per span and group, and over all groups (None),
    for figures that are not a count (a share, a median): worked out in Python, so that they
    mean the same on every database."""
    found: dict[str, dict[int | None, list]] = {span.key: {None: []} for span in spans}
    for group, moment, value in items:
        for span in spans_of(moment, spans):
            if group is not None:
                found[span.key].setdefault(group, []).append(value)
            found[span.key][None].append(value)
    groups = {group for in_span in found.values() for group in in_span}
    for in_span in found.values():
        for group in groups:
            in_span.setdefault(group, [])
    return found


def reduced(found: dict[str, dict[int | None, list]], reduce: Callable[[list], Value]) -> Counts:
    """Each span's and group's values brought down to one figure (`len`, `sum`, `share`,
    `median`)."""
    return {
        key: {group: reduce(items) for group, items in groups.items()}
        for key, groups in found.items()
    }


def share(answers: list[bool]) -> Value:
    """The percentage of True among `answers`; None when there are none."""
    return 100 * sum(answers) / len(answers) if answers else None


def median(numbers: list[float]) -> Value:
    """The middle one (of an even number, the average of the two middle ones); None when
    there are none."""
    return statistics.median(numbers) if numbers else None


def grouped_by(model: type, by: By) -> sa.ColumnElement:
    return model.tenant_id if by is By.MUNICIPALITY else model.village_id


def spans_of(moment: datetime, spans: Sequence[Span]) -> list[Span]:
    """The spans (of those given) that hold `moment`: one, or none."""
    return [span for span in spans if moment in span]


@figure(
    "members",
    _l("Members"),
    _l(
        "Everyone with a profile in this municipality at the end of this period, all roles "
        "together, counted by the village or neighbourhood on their profile. Not counted: "
        "profiles that were deleted since; they are gone from earlier periods too."
    ),
)
def members(spans: Sequence[Span], by: By) -> Counts:
    return count_up_to(Membership.created_at, grouped_by(Membership, by), spans, by)


@figure(
    "new_members",
    _l("New members"),
    _l(
        "Profiles made in this period, counted by the village or neighbourhood on the "
        "profile. Not counted: profiles that were deleted since."
    ),
)
def new_members(spans: Sequence[Span], by: By) -> Counts:
    return count_in_spans(Membership.created_at, grouped_by(Membership, by), spans, by)


# Visits are counted by their own module (no cookies, no IP addresses); imported here so that
# they come third in the registry's order.
from buurtplatform.figures import visits  # noqa: E402,F401 - registers "visits"


@figure(
    "asks",
    _l("Asks for help posted"),
    _l(
        "Asks for help placed in this period, also those later taken off the list or "
        "agreed. Not counted: asks that a buurtverbinder hid or did not approve."
    ),
)
def asks_posted(spans: Sequence[Span], by: By) -> Counts:
    return _posted(Kind.ASK, spans, by)


@figure(
    "offers",
    _l("Offers of help posted"),
    _l(
        "Offers of help placed in this period, also those later taken off the list. Not "
        "counted: offers that a buurtverbinder hid or did not approve."
    ),
)
def offers_posted(spans: Sequence[Span], by: By) -> Counts:
    return _posted(Kind.OFFER, spans, by)


def _posted(kind: Kind, spans: Sequence[Span], by: By) -> Counts:
    """Public asks or offers by the moment they were placed."""
    return count_in_spans(
        Listing.created_at,
        grouped_by(Listing, by),
        spans,
        by,
        Listing.kind == kind,
        Listing.public(),
    )


# How long an ask may wait for its first reply and still count as answered in time.
IN_TIME = timedelta(hours=72)


@figure(
    "answered_in_3_days",
    _l("Asks answered within 3 days"),
    _l(
        "Of the asks for help placed in this period, the share that got a first reply "
        "within 72 hours (3 days) of being placed. Only asks placed at least 3 days ago "
        "count, so that new asks do not lower the share. Not counted: asks that a "
        "buurtverbinder hid or did not approve. Empty when no ask counts."
    ),
    unit=Unit.PERCENT,
)
def answered_in_3_days(spans: Sequence[Span], by: By) -> Counts:
    old_enough = utcnow() - IN_TIME
    rows = run(
        sa.select(grouped_by(Listing, by), Listing.created_at, Listing.first_reply_at).where(
            Listing.kind == Kind.ASK,
            Listing.public(),
            Listing.created_at >= spans[0].start,
            Listing.created_at < spans[-1].end,
            Listing.created_at <= old_enough,
        ),
        by,
    )
    answers = (
        (group, posted, replied is not None and replied - posted <= IN_TIME)
        for group, posted, replied in rows
    )
    return reduced(gathered(answers, spans), share)


@figure(
    "first_reply_hours",
    _l("Time to the first reply"),
    _l(
        "For the asks for help placed in this period that got a reply: the median number of "
        "hours from placing the ask to its first reply. Half of these asks got a reply "
        "sooner, half later. Asks without a reply do not count here. Not counted: asks that "
        "a buurtverbinder hid or did not approve. Empty when no ask counts."
    ),
    unit=Unit.HOURS,
)
def first_reply_hours(spans: Sequence[Span], by: By) -> Counts:
    rows = run(
        sa.select(grouped_by(Listing, by), Listing.created_at, Listing.first_reply_at).where(
            Listing.kind == Kind.ASK,
            Listing.public(),
            Listing.first_reply_at.is_not(None),
            Listing.created_at >= spans[0].start,
            Listing.created_at < spans[-1].end,
        ),
        by,
    )
    waits = (
        (group, posted, (replied - posted).total_seconds() / 3600)
        for group, posted, replied in rows
    )
    return reduced(gathered(waits, spans), median)


def _matches_by(by: By) -> sa.ColumnElement:
    """A match belongs to the village of its ask or offer."""
    return Match.tenant_id if by is By.MUNICIPALITY else Listing.village_id


_MATCH_LISTING = join(Match, Listing, Match.listing_id == Listing.id)


@figure(
    "matches",
    _l("Agreements"),
    _l(
        "Agreements made in this period: someone who asked or offered help agreed with "
        "someone else, counted by the village or neighbourhood of the ask or offer. An offer "
        "that helped three people counts three times. Not counted: agreements about asks or "
        "offers that a buurtverbinder hid."
    ),
)
def matches(spans: Sequence[Span], by: By) -> Counts:
    return count_in_spans(
        Match.created_at, _matches_by(by), spans, by, Listing.public(), joined=_MATCH_LISTING
    )


# How the two sides' answers make one outcome per agreement: "niet gelukt" as soon as one
# side says so (the person who was helped may see what the helper did not), "gelukt" when at
# least one side says so and neither side says "niet gelukt". Each agreement counts once, in
# the period of the last answer (`outcome_at`), with the outcome the answers make together.
def _said(outcome: Outcome) -> sa.ColumnElement[bool]:
    return sa.or_(Match.author_outcome == outcome, Match.partner_outcome == outcome)


def _did_not_say(outcome: Outcome) -> sa.ColumnElement[bool]:
    return sa.and_(
        sa.or_(Match.author_outcome.is_(None), Match.author_outcome != outcome),
        sa.or_(Match.partner_outcome.is_(None), Match.partner_outcome != outcome),
    )


@figure(
    "done",
    _l("Help that worked out"),
    _l(
        "Agreements about which someone said in this period how the help went, where at "
        "least one side said it worked out and neither side said it did not. Both sides are "
        "asked; the period of the last answer decides, so each agreement counts once. Counted "
        "by the village or neighbourhood of the ask or offer. Not counted: agreements about "
        "asks or offers that a buurtverbinder hid."
    ),
)
def done(spans: Sequence[Span], by: By) -> Counts:
    return count_in_spans(
        Match.outcome_at,
        _matches_by(by),
        spans,
        by,
        Listing.public(),
        _said(Outcome.DONE),
        _did_not_say(Outcome.NOT_DONE),
        joined=_MATCH_LISTING,
    )


@figure(
    "not_done",
    _l("Help that did not work out"),
    _l(
        "Agreements about which someone said in this period how the help went, where at "
        "least one side said it did not work out, also when the other side said it did. "
        "Both sides are asked; the period of the last answer decides, so each agreement "
        "counts once. Counted by the village or neighbourhood of the ask or offer. Not "
        "counted: agreements about asks or offers that a buurtverbinder hid."
    ),
)
def not_done(spans: Sequence[Span], by: By) -> Counts:
    return count_in_spans(
        Match.outcome_at,
        _matches_by(by),
        spans,
        by,
        Listing.public(),
        _said(Outcome.NOT_DONE),
        joined=_MATCH_LISTING,
    )


@figure(
    "activities",
    _l("Activities held"),
    _l(
        "The times that activities in the agenda took place in this period: a weekly coffee "
        "morning held four times counts four times. The start decides the period. Counted by "
        "the village or neighbourhood of the activity. Not counted: times after the activity "
        "was called off."
    ),
)
def activities(spans: Sequence[Span], by: By) -> Counts:
    start, end = spans[0].start, spans[-1].end
    may_repeat_into = sa.and_(
        Activity.repeat != Repeat.NONE,
        sa.or_(Activity.repeat_until.is_(None), Activity.repeat_until >= spans[0].first),
    )
    found = run(
        sa.select(Activity).where(
            Activity.starts_at < end, sa.or_(Activity.starts_at >= start, may_repeat_into)
        ),
        by,
    ).scalars()
    held = (
        (grouped_by_value(activity, by), occurrence.starts_at, 1)
        for activity in found
        for occurrence in occurrences_between(activity, start, end)
        if occurrence.starts_at >= start and _took_place(activity, occurrence.starts_at)
    )
    return reduced(gathered(held, spans), len)


def grouped_by_value(row: object, by: By) -> int | None:
    """The group of a loaded row, as `grouped_by` names it in a query."""
    return row.tenant_id if by is By.MUNICIPALITY else row.village_id


def _took_place(activity: Activity, starts_at: datetime) -> bool:
    """An activity called off still took place the times that started before that."""
    return activity.cancelled_at is None or starts_at < activity.cancelled_at


@figure(
    "signups",
    _l("People coming to activities"),
    _l(
        "Places taken for activities that took place in this period: someone who comes to a "
        "weekly coffee morning four times counts four times. The day of the activity decides "
        "the period, not the day someone put their name down. Counted by the village or "
        "neighbourhood of the activity. Not counted: people on the waiting list, people who "
        "took their name off the list, and times after the activity was called off."
    ),
)
def signups(spans: Sequence[Span], by: By) -> Counts:
    group = grouped_by(Activity, by)
    rows = run(
        sa.select(
            group, Signup.occurs_on, Activity.starts_at, Activity.cancelled_at, sa.func.count()
        )
        .select_from(join(Signup, Activity, Signup.activity_id == Activity.id))
        .where(
            Signup.status == SignupStatus.GOING,
            Signup.occurs_on >= spans[0].first,
            Signup.occurs_on <= spans[-1].last,
        )
        .group_by(group, Signup.occurs_on, Activity.starts_at, Activity.cancelled_at),
        by,
    )
    places = []
    for village, day, first_start, cancelled_at, number in rows:
        starts_at = _start_on(day, first_start)
        if cancelled_at is None or starts_at < cancelled_at:
            places.append((village, starts_at, number))
    return reduced(gathered(places, spans), sum)


def _start_on(day: date, first_start: datetime) -> datetime:
    """When an activity that first started at `first_start` starts on `day`: at the same
    local clock time."""
    return from_local(day, local(first_start).time())


@figure(
    "board_posts",
    _l("Prikbord messages"),
    _l(
        "Messages placed on the prikbord in this period, counted by the village or "
        "neighbourhood they are about (a message for the whole municipality counts only in "
        "the total). Comments do not count. Not counted: messages that a buurtverbinder hid "
        "or did not approve."
    ),
)
def board_posts(spans: Sequence[Span], by: By) -> Counts:
    return count_in_spans(
        BoardPost.created_at, grouped_by(BoardPost, by), spans, by, BoardPost.public()
    )


def values(names: Iterable[str], spans: Sequence[Span], by: By) -> dict[str, Counts]:
    """The figures `names` for `spans`: the one entry point for pages, blocks and digests."""
    return {name: FIGURES[name].count(spans, by) for name in names}
