"""Members who help: what they help with ("Mijn hulp"), the "Who helps?" list (which also
lists whoever offers help with an open offer, without a setting), and the email about a new
ask that they asked for.

A member helps with a category through a `HelperCategory` row. Being listed (`offers_help`)
and getting emails about new asks (their notification preference for `Topic.NEW_ASKS`) are
separate choices: someone may want the emails without being listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from buurtplatform.accounts.models import Membership, User
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, HelperCategory, Kind, Listing
from buurtplatform.listings.services import open_listings
from buurtplatform.notifications.models import Frequency, NotificationPreference, Topic
from buurtplatform.notifications.services import (
    frequencies_of,
    frequency_for,
    notify,
    set_frequency,
)
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tenants.scoping import current_tenant


def members_helping_with(category_id: int) -> sa.Select:
    """Members who help with a category, with their account (for the first name)."""
    return (
        sa.select(Membership)
        .join(HelperCategory, HelperCategory.membership_id == Membership.id)
        .where(HelperCategory.category_id == category_id)
        .options(joinedload(Membership.user))
    )


def helper_category_ids(member: Membership) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(HelperCategory.category_id).where(HelperCategory.membership_id == member.id)
        )
    )


@dataclass
class HelpSettings:
    """What a member fills in on "Mijn hulp"."""

    offers_help: bool
    category_ids: set[int]
    skills: str
    notify_new_asks: bool


def save_help_settings(member: Membership, settings: HelpSettings) -> None:
    """Keep the categories that stay chosen, so that nothing changes for them; the caller
    commits."""
    member.offers_help = settings.offers_help
    member.skills = settings.skills
    wants_emails = frequency_for(member.id, Topic.NEW_ASKS) != Frequency.NEVER
    if settings.notify_new_asks and not wants_emails:
        set_frequency(member.id, Topic.NEW_ASKS, Frequency.IMMEDIATELY)
    elif not settings.notify_new_asks and wants_emails:
        set_frequency(member.id, Topic.NEW_ASKS, Frequency.NEVER)
    current = db.session.scalars(
        sa.select(HelperCategory).where(HelperCategory.membership_id == member.id)
    ).all()
    for row in current:
        if row.category_id not in settings.category_ids:
            db.session.delete(row)
    kept = {row.category_id for row in current}
    db.session.add_all(
        HelperCategory(membership_id=member.id, category_id=category_id)
        for category_id in sorted(settings.category_ids - kept)
    )


@dataclass(frozen=True)
class Helper:
    """Someone on "Who helps?": a member who helps (set in "Mijn hulp"), or the author of an
    open offer, shown with the offer's village."""

    first_name: str
    village: Village | None
    membership: Membership | None = None
    offer: Listing | None = None
    skills: str = ""


def helpers_by_category(category_id: int | None = None) -> list[tuple[Category, list[Helper]]]:
    """Everyone on "Who helps?", per category in the usual order, by first name: members who
    help, and whoever posted an open offer (once, by that offer, like the suggestions). Two
    queries, however many people help."""
    members = (
        sa.select(HelperCategory)
        .join(HelperCategory.category)
        .join(HelperCategory.membership)
        .join(Membership.user)
        .where(Membership.helps_here)
        .options(
            contains_eager(HelperCategory.category),
            contains_eager(HelperCategory.membership).contains_eager(Membership.user),
            contains_eager(HelperCategory.membership).joinedload(Membership.village),
        )
        .order_by(Membership.id)
    )
    offers = (
        open_listings()
        .where(Listing.kind == Kind.OFFER)
        .options(
            joinedload(Listing.category), joinedload(Listing.author), joinedload(Listing.village)
        )
    )
    if category_id:
        members = members.where(HelperCategory.category_id == category_id)
        offers = offers.where(Listing.category_id == category_id)
    found: dict[int, tuple[Category, list[Helper]]] = {}
    offered = set()
    for offer in db.session.scalars(offers).unique():
        offered.add((offer.category_id, offer.author_id))
        helper = Helper(offer.author.first_name, offer.village, offer=offer)
        found.setdefault(offer.category_id, (offer.category, []))[1].append(helper)
    for row in db.session.scalars(members):
        member = row.membership
        if (row.category_id, member.user_id) in offered:
            continue
        helper = Helper(member.user.first_name, member.village, member, skills=member.skills)
        found.setdefault(row.category_id, (row.category, []))[1].append(helper)
    groups = sorted(found.values(), key=lambda group: (group[0].position, group[0].name))
    return [
        (category, sorted(helpers, key=lambda h: h.first_name.casefold()))
        for category, helpers in groups
    ]


def helpers_to_notify(ask: Listing) -> Sequence[Membership]:
    """Who asked for an email about this ask: they help with its category and live in its
    village, or anywhere when it can be done by phone or online or has no village. Never its
    author, and only verified addresses."""
    wants_new_asks = sa.select(NotificationPreference.membership_id).where(
        NotificationPreference.topic == Topic.NEW_ASKS,
        NotificationPreference.frequency != Frequency.NEVER,
    )
    statement = members_helping_with(ask.category_id).where(
        Membership.id.in_(wants_new_asks),
        Membership.user_id != ask.author_id,
        Membership.user.has(User.email_verified_at.is_not(None)),
    )
    if ask.village_id is not None and not ask.remote_ok:
        statement = statement.where(Membership.village_id == ask.village_id)
    return db.session.scalars(statement.order_by(Membership.id)).all()


def notify_helpers_of(ask: Listing) -> int:
    """Tell each helper who chose to hear about new asks, as often as they chose, and commit;
    returns how many. Runs in a job after the ask is posted. The ask is claimed first, so a
    doubled or retried job tells nobody twice. The email names the ask, its category and
    village, never who asked: the link leads to the site, where people talk."""
    claimed = db.session.execute(
        sa.update(Listing)
        .where(Listing.id == ask.id, Listing.helpers_notified_at.is_(None))
        .values(helpers_notified_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return 0
    tenant = current_tenant()
    link = tenant.url_for("listings.detail", listing_id=ask.id)
    settings_link = tenant.url_for("listings.helping")
    helpers = helpers_to_notify(ask)
    frequencies = frequencies_of(helper.id for helper in helpers)
    for helper in helpers:
        notify(
            helper,
            Topic.NEW_ASKS,
            "new_ask",
            title=ask.title,
            link=link,
            frequency=frequencies[helper.id, Topic.NEW_ASKS],
            person=helper.user,
            listing=ask,
            settings_link=settings_link,
        )
    db.session.commit()
    return len(helpers)
