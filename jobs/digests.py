"""The coordinators' weekly digest and the residents' daily and weekly round-ups.

A digest covers every municipality its coordinator coordinates: the one place (besides the
platform admin's) that reads several municipalities at once, and says so with ALL_TENANTS.
It costs a fixed number of queries per municipality, whatever the number of recipients.

It goes out on Monday from 08:00 and tells about the calendar week before (Monday 00:00 to
Sunday 24:00, local time), the same week that the werkbank's week on screen shows: both are
built by `municipality_section`, and their figures come from the one registry of figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.extensions import db
from buurtplatform.figures.definitions import FIGURES, By, Figure, Value, values
from buurtplatform.figures.periods import Span, week_in_words, week_of
from buurtplatform.figures.tables import shown
from buurtplatform.listings.models import HelperCategory, Kind, Listing, Status
from buurtplatform.mail.models import Email
from buurtplatform.mail.services import queue_email
from buurtplatform.matches.models import Match
from buurtplatform.notifications.models import Frequency, PendingNotification, Topic
from buurtplatform.notifications.services import frequencies_of, unsubscribe_url
from buurtplatform.timestamps import utcnow
from jobs.periods import Period, current_day, current_week, local_day
from tenants.models import Tenant
from tenants.scoping import ALL_TENANTS, current_tenant, tenant_context

DIGEST = "coordinator_digest"
LEDGER_BATCH = 500  # keys per look-up in the ledger
ROUND_UP = "round_up"
# The digest's figures, in this order; each is counted only by its function in FIGURES.
DIGEST_FIGURES = ("asks", "offers", "answered_in_3_days", "matches", "new_members")


def digest_key(user_id: int, period: Period) -> str:
    return f"digest:{user_id}:{period.key}"


def covered_week(week: Period) -> Span:
    """The calendar week that the digest due in `week` tells about: the Monday to Sunday
    before the Monday it is sent on."""
    return week_of(local_day(week.start) - timedelta(days=7))


@dataclass(frozen=True)
class FigureLine:
    """A figure for the week and for the week before, as the registry counts it."""

    figure: Figure
    this_week: Value
    week_before: Value

    def shown(self, value: Value) -> str:
        """The value as the figures page shows it, in the reader's language (call it while
        rendering): a dash when there was nothing to measure."""
        return shown(value, self.figure.unit)


def week_figures(span: Span) -> list[FigureLine]:
    """The digest's figures for `span` and the week before, in the current municipality,
    through the registry's one entry point: a figure that is not in the registry is left out
    rather than counted here."""
    before = week_of(span.first - timedelta(days=7))
    names = [name for name in DIGEST_FIGURES if name in FIGURES]
    counts = values(names, [before, span], By.VILLAGE)
    return [
        FigureLine(FIGURES[name], counts[name][span.key][None], counts[name][before.key][None])
        for name in names
    ]


@dataclass
class MunicipalitySection:
    """What one municipality's week holds: its part of a coordinator's digest, and the
    werkbank's week on screen. `as_of` is the moment the asks nobody answered are taken at."""

    tenant: Tenant
    span: Span
    as_of: datetime
    new_listings: list[Listing]
    unanswered_by_village: dict[str, list[Listing]]
    matches: list[Match]
    new_helpers: list[Membership]
    figures: list[FigureLine] = field(default_factory=list)

    def link(self, listing: Listing) -> str:
        return self.tenant.url_for("listings.detail", listing_id=listing.id)

    def age_in_days(self, listing: Listing) -> int:
        return (self.as_of - listing.created_at).days

    @property
    def week_link(self) -> str:
        """This week on screen, in the werkbank (for the digest's readers)."""
        return self.tenant.url_for("werkbank.week", monday=self.span.key)

    @property
    def unanswered_count(self) -> int:
        return sum(len(listings) for listings in self.unanswered_by_village.values())


def open_asks_at(moment: datetime) -> sa.Select:
    """Asks on the list at `moment`: posted before it, neither agreed, taken off the list nor
    expired before it."""
    return sa.select(Listing).where(
        Listing.kind == Kind.ASK,
        Listing.public(),
        Listing.created_at < moment,
        Listing.expires_at > moment,
        sa.or_(Listing.closed_at.is_(None), Listing.closed_at >= moment),
        sa.or_(Listing.matched_at.is_(None), Listing.matched_at >= moment),
        # Rows taken off the list or agreed before these moments were recorded.
        sa.or_(
            Listing.status == Status.OPEN,
            Listing.closed_at >= moment,
            Listing.matched_at >= moment,
        ),
    )


def unanswered_asks_at(moment: datetime) -> sa.Select:
    """Asks that nobody had answered at `moment`: on the list then, without a reply before
    it. For a past week `moment` is the week's end; for the digest being sent, now."""
    return open_asks_at(moment).where(
        sa.or_(Listing.first_reply_at.is_(None), Listing.first_reply_at >= moment)
    )


def municipality_section(span: Span, as_of: datetime) -> MunicipalitySection:
    """The current municipality's week `span`: what was posted, agreed and who joined in it,
    with the asks nobody had answered `as_of` (the week's end, or now for the digest)."""
    tenant = current_tenant()
    new_listings = db.session.scalars(
        sa.select(Listing)
        .where(Listing.created_at >= span.start, Listing.created_at < span.end, Listing.public())
        .options(joinedload(Listing.category), joinedload(Listing.village))
        .order_by(Listing.kind, Listing.created_at)
    ).all()
    unanswered = db.session.scalars(
        unanswered_asks_at(as_of)
        .options(joinedload(Listing.village), joinedload(Listing.category))
        .order_by(Listing.created_at)
    ).all()
    by_village: dict[str, list[Listing]] = {}
    for listing in unanswered:
        by_village.setdefault(listing.village.name if listing.village else "", []).append(listing)
    matches = db.session.scalars(
        sa.select(Match)
        .where(Match.created_at >= span.start, Match.created_at < span.end)
        .options(joinedload(Match.listing), joinedload(Match.partner))
        .order_by(Match.created_at)
    ).all()
    open_ask_categories = (
        open_asks_at(as_of).with_only_columns(Listing.category_id).scalar_subquery()
    )
    new_helpers = db.session.scalars(
        sa.select(Membership)
        .where(
            Membership.offers_help.is_(True),
            Membership.created_at >= span.start,
            Membership.created_at < span.end,
            Membership.id.in_(
                sa.select(HelperCategory.membership_id).where(
                    HelperCategory.category_id.in_(open_ask_categories)
                )
            ),
        )
        .options(joinedload(Membership.user), joinedload(Membership.village))
        .order_by(Membership.created_at)
    ).all()
    return MunicipalitySection(
        tenant=tenant,
        span=span,
        as_of=as_of,
        new_listings=list(new_listings),
        unanswered_by_village=by_village,
        matches=list(matches),
        new_helpers=list(new_helpers),
        figures=week_figures(span),
    )


def recorded_keys(keys: list[str]) -> sa.Select:
    """Which of these ledger keys are recorded: a look-up in the unique index on the key."""
    return (
        sa.select(Email.ledger_key)
        .where(Email.ledger_key.in_(keys))
        .execution_options(**ALL_TENANTS)
    )


def coordinators_due(week: Period) -> list[int]:
    """Coordinators of an active municipality whose digest for `week` is not recorded yet.
    The ledger is read through its unique index on the key, a batch of keys at a time."""
    coordinator_ids = db.session.scalars(
        sa.select(Membership.user_id)
        .join(Tenant, Membership.tenant_id == Tenant.id)
        .where(Membership.role == Role.COORDINATOR, Tenant.is_active.is_(True))
        .distinct()
        .order_by(Membership.user_id)
        .execution_options(**ALL_TENANTS)
    ).all()
    keys = {digest_key(uid, week): uid for uid in coordinator_ids}
    batch = list(keys)
    recorded: set[str] = set()
    for start in range(0, len(batch), LEDGER_BATCH):
        recorded.update(db.session.scalars(recorded_keys(batch[start : start + LEDGER_BATCH])))
    return [uid for key, uid in keys.items() if key not in recorded]


def record_coordinator_digest(
    user_id: int, week: Period, now: datetime | None = None
) -> Email | None:
    """Build and record one coordinator's digest (sent after commit); None if they
    coordinate nothing any more."""
    now = now or utcnow()
    user = db.session.get(User, user_id)
    tenants = db.session.scalars(
        sa.select(Tenant)
        .join(Membership, Membership.tenant_id == Tenant.id)
        .where(
            Membership.user_id == user_id,
            Membership.role == Role.COORDINATOR,
            Tenant.is_active.is_(True),
        )
        .order_by(Tenant.name)
        .execution_options(**ALL_TENANTS)
    ).all()
    if user is None or not tenants:
        return None
    span = covered_week(week)
    sections = []
    for tenant in tenants:
        with tenant_context(tenant):
            sections.append(municipality_section(span, now))
    with tenant_context(tenants[0]):
        email = queue_email(
            user.email,
            user.locale,
            DIGEST,
            ledger_key=digest_key(user_id, week),
            person=user,
            sections=sections,
            span=span,
            week_in_words=week_in_words,
        )
        db.session.commit()
    return email


def round_up_period(frequency: Frequency, now: datetime) -> Period:
    return current_day(now) if frequency == Frequency.DAILY else current_week(now)


def send_round_ups(now: datetime | None = None) -> int:
    """In the current municipality: one email per person with what waited for their daily or
    weekly round-up, once per period. An item is tied to the email that carries it; one that
    arrives after its period's round-up was recorded waits for the next round-up."""
    now = now or utcnow()
    tenant = current_tenant()
    pending = db.session.scalars(
        sa.select(PendingNotification)
        .where(PendingNotification.email_id.is_(None))
        .options(joinedload(PendingNotification.membership).joinedload(Membership.user))
        .order_by(PendingNotification.membership_id, PendingNotification.created_at)
    ).all()
    by_member: dict[int, list[PendingNotification]] = {}
    for item in pending:
        by_member.setdefault(item.membership_id, []).append(item)
    frequencies = frequencies_of(by_member)
    sent = 0
    for membership_id, items in by_member.items():
        for topic in Topic:
            frequency = frequencies[membership_id, topic]
            if frequency not in (Frequency.DAILY, Frequency.WEEKLY):
                continue
            period = round_up_period(frequency, now)
            # What arrived before the period's 08:00 goes out in its round-up; later items
            # wait for the next one.
            topic_items = [i for i in items if i.topic == topic and i.created_at < period.start]
            if not topic_items:
                continue
            user = topic_items[0].membership.user
            email = queue_email(
                user.email,
                user.locale,
                ROUND_UP,
                ledger_key=f"round-up:{membership_id}:{topic.value}:{period.key}",
                unsubscribe_url=unsubscribe_url(membership_id, topic),
                person=user,
                items=topic_items,
                topic=topic.value,
                link=tenant.url_for("conversations.index"),
            )
            if email is None:
                continue  # this period's round-up went out before these items arrived
            for item in topic_items:
                item.email_id = email.id
            sent += 1
        db.session.commit()
    return sent
