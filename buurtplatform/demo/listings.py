"""Demo asks and offers for `flask demo load`: a living platform in every municipality, with
its own people and villages (buurtplatform.demo.municipalities).

Made once per municipality (a second run finds listings there and adds nothing).
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from buurtplatform.accounts.models import Membership, User
from buurtplatform.conversations.services import send_message, start_or_continue
from buurtplatform.demo.municipalities import DemoMunicipality
from buurtplatform.demo.people import ensure_user
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, HelperCategory, Kind, Listing, OfflinePerson
from buurtplatform.matches.services import record_match
from buurtplatform.timestamps import utcnow
from tenants.models import Tenant, Village


def _member(tenant: Tenant, first_name: str, village: Village, *, offers_help: bool) -> User:
    user = ensure_user(f"{first_name.lower()}.{tenant.slug}@demo.buurtplatform.nl", first_name)
    member = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
    if member is None:
        db.session.add(Membership(user_id=user.id, village_id=village.id, offers_help=offers_help))
        db.session.flush()
    return user


def load_demo_listings(
    tenant: Tenant, demo: DemoMunicipality, organisation: User, coordinator: User
) -> None:
    """Inside `tenant_context(tenant)`: asks, offers, replies, a match, an offline ask."""
    if db.session.scalar(sa.select(Listing.id).limit(1)) is not None:
        return
    villages = {v.name: v for v in db.session.scalars(sa.select(Village).order_by(Village.id))}
    in_order = list(villages.values())
    categories = {c.key: c for c in db.session.scalars(sa.select(Category))}
    neighbours = [
        _member(tenant, name, in_order[i % len(in_order)], offers_help=i % 2 == 1)
        for i, name in enumerate(demo.neighbours)
    ]
    for user in neighbours[1::2]:
        member = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
        for key in ("shopping", "company", "garden"):
            db.session.add(HelperCategory(membership_id=member.id, category_id=categories[key].id))

    now = utcnow()
    listings = []
    for i, listing in enumerate(demo.listings):
        author = organisation if listing.by_organisation else neighbours[i % len(neighbours)]
        created = now - timedelta(days=listing.days_ago)
        listings.append(
            Listing(
                kind=listing.kind,
                category_id=categories[listing.category].id,
                title=listing.title,
                description=listing.description,
                village_id=villages[listing.village].id,
                remote_ok=listing.remote_ok,
                timing=listing.timing,
                on_behalf_of=listing.on_behalf_of,
                author_id=author.id,
                by_organisation=listing.by_organisation,
                created_at=created,
                expires_at=created + timedelta(days=tenant.listing_lifetime_days),
            )
        )
    db.session.add_all(listings)
    db.session.flush()

    shopping_ask, lift_ask = listings[0], listings[1]
    start_or_continue(shopping_ask, shopping_ask.author, neighbours[1], demo.shopping_reply)
    driver = neighbours[3]
    conversation = start_or_continue(lift_ask, lift_ask.author, driver, demo.lift_reply)
    send_message(conversation, lift_ask.author, demo.lift_answer)
    record_match(lift_ask, lift_ask.author, partner=driver)

    offline = demo.offline_ask
    village = villages[offline.village]
    person = OfflinePerson(
        name=offline.person,
        phone=offline.phone,
        village_id=village.id,
        consent_note="Telefonisch akkoord gegeven bij het huisbezoek.",
        recorded_by_id=coordinator.id,
    )
    db.session.add(
        Listing(
            kind=Kind.ASK,
            category_id=categories[offline.category].id,
            title=offline.title,
            description=offline.description,
            village_id=village.id,
            author_id=coordinator.id,
            offline_person=person,
            expires_at=now + timedelta(days=tenant.listing_lifetime_days),
        )
    )
    db.session.flush()
