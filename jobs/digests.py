"""The coordinators' weekly digest and the residents' daily and weekly round-ups.

A digest covers every municipality its coordinator coordinates: the one place (besides the
platform admin's) that reads several municipalities at once, and says so with ALL_TENANTS.
It costs a fixed number of queries per municipality, whatever the number of recipients.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.conversations.models import Conversation
from buurtplatform.extensions import db
from buurtplatform.listings.models import HelperCategory, Kind, Listing, Status
from buurtplatform.mail.models import Email
from buurtplatform.mail.services import queue_email
from buurtplatform.matches.models import Match
from buurtplatform.notifications.models import Frequency, PendingNotification, Topic
from buurtplatform.notifications.services import frequencies_of, unsubscribe_url
from buurtplatform.timestamps import utcnow
from jobs.periods import Period, current_day, current_week, previous
from jobs.reminders import unanswered_asks
from tenants.models import Tenant
from tenants.scoping import ALL_TENANTS, current_tenant, tenant_context

DIGEST = "coordinator_digest"
LEDGER_BATCH = 500  # keys per look-up in the ledger
ROUND_UP = "round_up"
FIGURE_LABELS = {
    "asks": _l("New asks for help"),
    "offers": _l("New offers of help"),
    "replies": _l("People who replied"),
    "matches": _l("Matches"),
    "members": _l("New members"),
}


def digest_key(user_id: int, period: Period) -> str:
    return f"digest:{user_id}:{period.key}"


@dataclass
class MunicipalitySection:
    """What one municipality contributes to a coordinator's digest."""

    tenant: Tenant
    new_listings: list[Listing]
    unanswered_by_village: dict[str, list[Listing]]
    matches: list[Match]
    new_helpers: list[Membership]
    figures: dict[str, tuple[int, int]] = field(default_factory=dict)  # this week, week before

    def link(self, listing: Listing) -> str:
        return self.tenant.url_for("listings.detail", listing_id=listing.id)


def _count_between(column: sa.Column, start: datetime, end: datetime) -> sa.ColumnElement:
    return sa.func.count(sa.case((sa.and_(column >= start, column < end), 1)))


def _figures(this: Period, last: Period) -> dict[str, tuple[int, int]]:
    """Counts for the digest's week and the week before, a query per table."""
    listing_counts = db.session.execute(
        sa.select(
            *[
                _count_between(Listing.created_at, p.start, p.end).filter(Listing.kind == kind)
                for kind in (Kind.ASK, Kind.OFFER)
                for p in (this, last)
            ]
        ).where(Listing.created_at >= last.start)
    ).one()
    figures = {
        "asks": (listing_counts[0], listing_counts[1]),
        "offers": (listing_counts[2], listing_counts[3]),
    }
    for name, column in (
        ("replies", Conversation.created_at),
        ("matches", Match.created_at),
        ("members", Membership.created_at),
    ):
        figures[name] = tuple(
            db.session.execute(
                sa.select(
                    _count_between(column, this.start, this.end),
                    _count_between(column, last.start, last.end),
                ).where(column >= last.start)
            ).one()
        )
    return figures


def municipality_section(week: Period, now: datetime) -> MunicipalitySection:
    """The current municipality's part of the digest for `week`: sent at its start, it tells
    about the seven days before."""
    tenant = current_tenant()
    covered = previous(week)
    since = covered.start
    new_listings = db.session.scalars(
        sa.select(Listing)
        .where(Listing.created_at >= since, Listing.created_at < week.start, Listing.public())
        .options(joinedload(Listing.category), joinedload(Listing.village))
        .order_by(Listing.kind, Listing.created_at)
    ).all()
    unanswered = db.session.scalars(
        unanswered_asks(now - timedelta(days=tenant.remind_coordinators_after_days), now)
        .options(joinedload(Listing.village), joinedload(Listing.category))
        .order_by(Listing.created_at)
    ).all()
    by_village: dict[str, list[Listing]] = {}
    for listing in unanswered:
        by_village.setdefault(listing.village.name if listing.village else "", []).append(listing)
    matches = db.session.scalars(
        sa.select(Match)
        .where(Match.created_at >= since, Match.created_at < week.start)
        .options(joinedload(Match.listing), joinedload(Match.partner))
        .order_by(Match.created_at)
    ).all()
    open_ask_categories = (
        sa.select(Listing.category_id)
        .where(
            Listing.kind == Kind.ASK,
            Listing.status == Status.OPEN,
            Listing.expires_at > now,
            Listing.public(),
        )
        .scalar_subquery()
    )
    new_helpers = db.session.scalars(
        sa.select(Membership)
        .where(
            Membership.offers_help.is_(True),
            Membership.created_at >= since,
            Membership.id.in_(
                sa.select(HelperCategory.membership_id).where(
                    HelperCategory.category_id.in_(open_ask_categories)
                )
            ),
        )
        .options(joinedload(Membership.user), joinedload(Membership.village))
    ).all()
    return MunicipalitySection(
        tenant=tenant,
        new_listings=list(new_listings),
        unanswered_by_village=by_village,
        matches=list(matches),
        new_helpers=list(new_helpers),
        figures=_figures(covered, previous(covered)),
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
    sections = []
    for tenant in tenants:
        with tenant_context(tenant):
            sections.append(municipality_section(week, now))
    with tenant_context(tenants[0]):
        email = queue_email(
            user.email,
            user.locale,
            DIGEST,
            ledger_key=digest_key(user_id, week),
            person=user,
            sections=sections,
            week=week,
            figure_names=list(FIGURE_LABELS),
            figure_labels=FIGURE_LABELS,
            now=now,
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
