"""Posting, renewing and closing asks and offers; who may change them; the open list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload

from buurtplatform.accounts.models import Role, User
from buurtplatform.accounts.sessions import current_member, has_role
from buurtplatform.extensions import db
from buurtplatform.listings.models import (
    DEFAULT_CATEGORIES,
    Category,
    Kind,
    Listing,
    OfflinePerson,
    Status,
    Timing,
)
from buurtplatform.timestamps import utcnow
from jobs import enqueue_after_commit
from tenants.models import Tenant, Village
from tenants.provisioning import tenant_created
from tenants.scoping import current_tenant


@tenant_created.connect
def seed_categories(tenant: Tenant) -> None:
    """Every new municipality starts with the default categories, named in Dutch."""
    with force_locale("nl"):
        db.session.add_all(
            Category(key=key, name=str(label), position=position)
            for position, (key, label) in enumerate(DEFAULT_CATEGORIES.items())
        )


@dataclass(frozen=True)
class ListingTemplate:
    """A ready-made ask or offer for a common need: the form starts filled in."""

    key: str
    category_key: str
    title: str
    description: str


ASK_TEMPLATES = (
    ListingTemplate(
        "shopping",
        "shopping",
        _l("Help with the weekly shopping"),
        _l("I would like someone to do my shopping once a week. I will give you a list."),
    ),
    ListingTemplate(
        "hospital",
        "transport",
        _l("A lift to the hospital"),
        _l("I have an appointment at the hospital and need a lift there and back."),
    ),
    ListingTemplate(
        "company",
        "company",
        _l("Someone to have coffee with"),
        _l("I am often alone. I would like someone to visit me for a cup of coffee and a chat."),
    ),
    ListingTemplate(
        "computer",
        "digital_help",
        _l("Help with my phone or computer"),
        _l("I need help with my phone, tablet or computer, for example with video calls."),
    ),
    ListingTemplate(
        "garden",
        "garden",
        _l("Help in the garden"),
        _l("My garden needs work: mowing the lawn or trimming the hedge."),
    ),
    ListingTemplate(
        "respite",
        "carer_support",
        _l("A break for a carer"),
        _l(
            "I care for someone at home. I would like someone to be there for a few hours, "
            "so that I can take a break."
        ),
    ),
)

OFFER_TEMPLATES = (
    ListingTemplate(
        "shopping",
        "shopping",
        _l("I help with shopping"),
        _l("I can do the shopping for someone, for example once a week. Give me your list."),
    ),
    ListingTemplate(
        "odd_jobs",
        "odd_jobs",
        _l("I can do odd jobs"),
        _l("I can help with small jobs in and around the house, such as hanging a lamp."),
    ),
    ListingTemplate(
        "company",
        "company",
        _l("I offer a chat or a walk"),
        _l("I like to come by for a cup of coffee and a chat, or to go for a walk together."),
    ),
    ListingTemplate(
        "computer",
        "digital_help",
        _l("I help with the computer or phone"),
        _l("I can help with a phone, tablet or computer, for example with video calls."),
    ),
    ListingTemplate(
        "garden",
        "garden",
        _l("I help in the garden"),
        _l("I like gardening. I can mow the lawn, trim the hedge or pull weeds."),
    ),
    ListingTemplate(
        "transport",
        "transport",
        _l("I can give someone a lift"),
        _l("I have a car and can take someone to the doctor or the hospital."),
    ),
)

TEMPLATES = {Kind.ASK: ASK_TEMPLATES, Kind.OFFER: OFFER_TEMPLATES}


def listing_template(kind: Kind, key: str | None) -> ListingTemplate | None:
    """A template of this kind only: an offer's template never makes it an ask."""
    return next((t for t in TEMPLATES[kind] if t.key == key), None)


def category_for_key(key: str) -> Category | None:
    return db.session.scalar(sa.select(Category).where(Category.key == key))


def categories() -> list[Category]:
    return list(db.session.scalars(sa.select(Category).order_by(Category.position, Category.name)))


def villages() -> list[Village]:
    return list(db.session.scalars(sa.select(Village).order_by(Village.name)))


def lifetime() -> timedelta:
    return timedelta(days=current_tenant().listing_lifetime_days)


@dataclass
class ListingDraft:
    """What a poster fills in; the same for a new listing and an edit."""

    kind: Kind
    category_id: int
    title: str
    description: str
    village_id: int | None
    remote_ok: bool
    timing: Timing
    needed_on: date | None
    on_behalf_of: str | None = None


def apply_draft(listing: Listing, draft: ListingDraft) -> None:
    listing.kind = draft.kind
    listing.category_id = draft.category_id
    listing.title = draft.title
    listing.description = draft.description
    listing.village_id = draft.village_id
    listing.remote_ok = draft.remote_ok
    listing.timing = draft.timing
    listing.needed_on = draft.needed_on if draft.timing == Timing.ON_DATE else None
    listing.on_behalf_of = draft.on_behalf_of or None


def post_listing(
    draft: ListingDraft, author: User, offline_person: OfflinePerson | None = None
) -> Listing:
    """Add a new ask or offer; the caller commits. A job then tells the helpers about a new
    ask, outside the request, however many there are."""
    member = current_member() if author.id == getattr(current_user, "id", None) else None
    listing = Listing(
        author_id=author.id,
        offline_person=offline_person,
        by_organisation=member is not None and member.role == Role.ORGANISATION,
        expires_at=utcnow() + lifetime(),
    )
    apply_draft(listing, draft)
    db.session.add(listing)
    db.session.flush()
    if listing.is_ask:
        from jobs.new_asks import announce_new_ask  # jobs import the features: no cycle

        enqueue_after_commit(announce_new_ask, listing.id, job_id=f"new-ask-{listing.id}")
    return listing


def is_open(listing: Listing) -> bool:
    return listing.status == Status.OPEN and listing.expires_at > utcnow()


def is_expired(listing: Listing) -> bool:
    return listing.status == Status.OPEN and listing.expires_at <= utcnow()


def renew(listing: Listing) -> None:
    listing.expires_at = utcnow() + lifetime()
    if listing.status == Status.CLOSED:
        listing.status = Status.OPEN
        listing.closed_at = None


def close(listing: Listing) -> None:
    listing.status = Status.CLOSED
    listing.closed_at = utcnow()


def can_manage(listing: Listing) -> bool:
    """The author, or a connector or coordinator of this municipality."""
    if not current_user.is_authenticated:
        return False
    return listing.author_id == current_user.id or has_role(Role.CONNECTOR, Role.COORDINATOR)


def open_listings() -> sa.Select:
    """Open, unexpired asks and offers, newest first."""
    return (
        sa.select(Listing)
        .where(Listing.status == Status.OPEN, Listing.expires_at > utcnow())
        .order_by(Listing.created_at.desc(), Listing.id.desc())
    )


def with_card_details(statement: sa.Select) -> sa.Select:
    """Load what a listing card shows in the same query, so a page costs the same number of
    queries whatever its length."""
    return statement.options(
        joinedload(Listing.category),
        joinedload(Listing.village),
        joinedload(Listing.author),
        # A card says "through the social worker" for an ask on someone's behalf.
        joinedload(Listing.offline_person),
    )


def listing_or_404(listing_id: int) -> Listing:
    """Another municipality's listing is not found here: the scoping hook hides it."""
    return db.get_or_404(Listing, listing_id)
