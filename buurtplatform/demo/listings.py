"""Demo asks and offers for `flask demo load`: a living platform in every municipality.

The texts are Dutch: they are what inhabitants would write. Made once per municipality (a
second run finds listings there and adds nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from buurtplatform.accounts.models import Membership, User
from buurtplatform.conversations.services import send_message, start_or_continue
from buurtplatform.demo.people import ensure_user
from buurtplatform.extensions import db
from buurtplatform.listings.models import (
    Category,
    HelperCategory,
    Kind,
    Listing,
    OfflinePerson,
    Timing,
)
from buurtplatform.matches.services import record_match
from buurtplatform.timestamps import utcnow
from tenants.models import Tenant, Village

NEIGHBOURS = ("Marie", "Joop", "Fatima", "Kees", "Ria", "Daan")


@dataclass(frozen=True)
class DemoListing:
    kind: Kind
    category: str
    title: str
    description: str
    timing: Timing = Timing.FLEXIBLE
    remote_ok: bool = False
    on_behalf_of: str | None = None
    days_ago: int = 1


DEMO_LISTINGS = (
    DemoListing(
        Kind.ASK,
        "shopping",
        "Wie doet boodschappen voor mij?",
        "Ik loop slecht sinds mijn heupoperatie. Wie wil één keer per week boodschappen "
        "voor mij doen bij de supermarkt in het dorp? Ik geef een lijstje en geld mee.",
        Timing.WEEKLY,
        days_ago=5,
    ),
    DemoListing(
        Kind.ASK,
        "transport",
        "Vervoer naar het ziekenhuis in Boxmeer",
        "Mijn moeder heeft volgende week een afspraak bij de oogarts. Wie kan haar brengen "
        "en weer ophalen? Ik werk zelf die dag.",
        on_behalf_of="mijn moeder",
        days_ago=3,
    ),
    DemoListing(
        Kind.ASK,
        "digital_help",
        "Hulp bij videobellen met mijn kleinkinderen",
        "Ik heb een tablet gekregen, maar weet niet hoe videobellen werkt. Wie legt het "
        "rustig uit?",
        remote_ok=True,
        days_ago=6,
    ),
    DemoListing(
        Kind.ASK,
        "carer_support",
        "Even een middag vrij als mantelzorger",
        "Ik zorg voor mijn man met dementie. Wie wil een middag bij hem zijn, zodat ik even "
        "naar de kapper kan?",
        days_ago=1,
    ),
    DemoListing(
        Kind.OFFER,
        "shopping",
        "Ik doe graag boodschappen voor een ander",
        "Ik ga elke dinsdag en vrijdag naar de supermarkt. Ik neem graag iets mee voor een "
        "buurtgenoot.",
        Timing.WEEKLY,
        days_ago=8,
    ),
    DemoListing(
        Kind.OFFER,
        "garden",
        "Gras maaien en heg knippen",
        "Ik ben gepensioneerd hovenier en help graag in de tuin. Gereedschap heb ik zelf.",
        days_ago=4,
    ),
    DemoListing(
        Kind.OFFER,
        "company",
        "Een kop koffie en een praatje",
        "Ik kom graag op bezoek voor een gezellig gesprek, een spelletje of een wandeling.",
        Timing.WEEKLY,
        days_ago=2,
    ),
    DemoListing(
        Kind.OFFER,
        "digital_help",
        "Digi-café in de bibliotheek",
        "Elke woensdagochtend helpen vrijwilligers in de bibliotheek met telefoon, tablet "
        "en DigiD. Gratis en zonder afspraak.",
        Timing.WEEKLY,
        remote_ok=True,
        days_ago=9,
    ),
)


def _member(tenant: Tenant, first_name: str, village: Village, *, offers_help: bool) -> User:
    user = ensure_user(f"{first_name.lower()}.{tenant.slug}@demo.buurtplatform.nl", first_name)
    member = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
    if member is None:
        db.session.add(Membership(user_id=user.id, village_id=village.id, offers_help=offers_help))
        db.session.flush()
    return user


def load_demo_listings(tenant: Tenant, organisation: User, coordinator: User) -> None:
    """Inside `tenant_context(tenant)`: asks, offers, replies, a match, an offline ask."""
    if db.session.scalar(sa.select(Listing.id).limit(1)) is not None:
        return
    villages = list(db.session.scalars(sa.select(Village).order_by(Village.id)))
    categories = {c.key: c for c in db.session.scalars(sa.select(Category))}
    neighbours = [
        _member(tenant, name, villages[i % len(villages)], offers_help=i % 2 == 1)
        for i, name in enumerate(NEIGHBOURS)
    ]
    for user in neighbours[1::2]:
        member = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
        for key in ("shopping", "company", "garden"):
            db.session.add(HelperCategory(membership_id=member.id, category_id=categories[key].id))

    now = utcnow()
    listings = []
    for i, demo in enumerate(DEMO_LISTINGS):
        author = (
            organisation if demo.title.startswith("Digi-café") else neighbours[i % len(neighbours)]
        )
        created = now - timedelta(days=demo.days_ago)
        listing = Listing(
            kind=demo.kind,
            category_id=categories[demo.category].id,
            title=demo.title,
            description=demo.description,
            village_id=villages[i % len(villages)].id,
            remote_ok=demo.remote_ok,
            timing=demo.timing,
            on_behalf_of=demo.on_behalf_of,
            author_id=author.id,
            by_organisation=author is organisation,
            created_at=created,
            expires_at=created + timedelta(days=tenant.listing_lifetime_days),
        )
        db.session.add(listing)
        listings.append(listing)
    db.session.flush()

    shopping_ask, transport_ask = listings[0], listings[1]
    helper = neighbours[1]
    start_or_continue(
        shopping_ask,
        shopping_ask.author,
        helper,
        "Hallo! Ik ga elke vrijdag naar de winkel. Zal ik uw boodschappen meenemen?",
    )
    conversation = start_or_continue(
        transport_ask,
        transport_ask.author,
        neighbours[3],
        "Ik kan uw moeder dinsdag brengen. Hoe laat is de afspraak?",
    )
    send_message(conversation, transport_ask.author, "Fijn! Om half tien. Ik stuur u het adres.")
    record_match(transport_ask, transport_ask.author, partner=neighbours[3])

    person = OfflinePerson(
        name="Mevrouw J. van den Berg",
        phone="0485 - 123 456",
        village_id=villages[-1].id,
        consent_note="Telefonisch akkoord gegeven bij het huisbezoek.",
        recorded_by_id=coordinator.id,
    )
    db.session.add(
        Listing(
            kind=Kind.ASK,
            category_id=categories["odd_jobs"].id,
            title="Wie hangt een paar schilderijen op?",
            description="Een oudere inwoner is verhuisd en wil graag haar schilderijen weer aan de "
            "muur. Wie heeft een boormachine en een uurtje tijd?",
            village_id=villages[-1].id,
            author_id=coordinator.id,
            offline_person=person,
            expires_at=now + timedelta(days=tenant.listing_lifetime_days),
        )
    )
    db.session.flush()
