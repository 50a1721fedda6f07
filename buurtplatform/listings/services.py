"""Posting, renewing and closing asks and offers; who may change them; the open list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import abort
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy.orm import joinedload

from buurtplatform.accounts.models import Role, User
from buurtplatform.accounts.sessions import current_member, has_role
from buurtplatform.extensions import db
from buurtplatform.listings.models import (
    DEFAULT_CATEGORIES,
    DEFAULT_TEMPLATES,
    Category,
    Kind,
    Listing,
    ListingTemplate,
    OfflinePerson,
    Status,
    Timing,
)
from buurtplatform.moderated import approved, awaits_approval, first_one_waits
from buurtplatform.timestamps import utcnow
from jobs import enqueue_after_commit
from tenants.models import Tenant, Village
from tenants.provisioning import tenant_created
from tenants.scoping import current_tenant


@tenant_created.connect
def seed_categories_and_templates(tenant: Tenant) -> None:
    """Every new municipality starts with the default categories and templates, in Dutch."""
    with force_locale("nl"):
        categories_by_key = {
            key: Category(key=key, name=str(label), position=position)
            for position, (key, label) in enumerate(DEFAULT_CATEGORIES.items())
        }
        db.session.add_all(categories_by_key.values())
        db.session.add_all(
            ListingTemplate(
                kind=kind,
                key=key,
                category=categories_by_key[default.category_key],
                title=str(default.title),
                description=str(default.description),
                position=position,
            )
            for kind, defaults in DEFAULT_TEMPLATES.items()
            for position, (key, default) in enumerate(defaults.items())
        )


def listing_templates(kind: Kind | None = None) -> list[ListingTemplate]:
    """The municipality's templates in their order, of one kind or (None) both."""
    statement = sa.select(ListingTemplate).order_by(
        ListingTemplate.kind, ListingTemplate.position, ListingTemplate.id
    )
    if kind is not None:
        statement = statement.where(ListingTemplate.kind == kind)
    return list(db.session.scalars(statement))


def listing_template(kind: Kind, template_id: str | None) -> ListingTemplate | None:
    """A template of this kind only: an offer's template never makes it an ask."""
    if not re.fullmatch(r"[0-9]{1,9}", template_id or ""):
        return None
    template = db.session.get(ListingTemplate, int(template_id))
    return template if template is not None and template.kind == kind else None


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
    listing.awaiting_approval = first_one_waits(Listing, member)
    db.session.add(listing)
    db.session.flush()
    if listing.awaiting_approval:
        awaits_approval.send(Listing, content=listing)
    else:
        announce(Listing, content=listing)
    return listing


@approved.connect_via(Listing)
def announce(sender: type[Listing], content: Listing) -> None:
    """A public new ask: a job tells the helpers, outside the request."""
    if content.is_ask:
        from jobs.new_asks import announce_new_ask  # jobs import the features: no cycle

        enqueue_after_commit(announce_new_ask, content.id, job_id=f"new-ask-{content.id}")


def is_open(listing: Listing) -> bool:
    return listing.status == Status.OPEN and listing.expires_at > utcnow() and listing.is_public


def is_expired(listing: Listing) -> bool:
    return listing.status == Status.OPEN and listing.expires_at <= utcnow()


def renew(listing: Listing) -> None:
    """Back on the list for the municipality's lifetime; an archived one comes back too."""
    listing.expires_at = utcnow() + lifetime()
    listing.archived_at = None
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
    """Open, unexpired asks and offers that anyone may see, newest first. The one filter of
    every list, search, feed and suggestion: an archived one (buurtplatform/retention/) is
    never among them, also when its poster let it stay longer."""
    return (
        sa.select(Listing)
        .where(
            Listing.status == Status.OPEN,
            Listing.expires_at > utcnow(),
            Listing.archived_at.is_(None),
            Listing.public(),
        )
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
    """Another municipality's listing is not found here: the scoping hook hides it. A hidden
    listing, one that waits for approval, or an archived one, exists only for its author and
    the connectors."""
    listing = db.get_or_404(Listing, listing_id)
    hidden = not listing.is_public or listing.archived_at is not None
    if hidden and not can_see_unpublished(listing):
        abort(404)
    return listing


def can_see_unpublished(listing: Listing) -> bool:
    if not current_user.is_authenticated:
        return False
    return (
        listing.author_id == current_user.id
        or current_user.is_platform_admin
        or has_role(Role.CONNECTOR)
    )
