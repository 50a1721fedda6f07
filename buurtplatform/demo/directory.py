"""Demo sociale kaart for `flask demo load`: each municipality its own organisations (Centrum
Mantelzorg, the KBO, the library's infopunt, a dorpsraad, a dagbesteding …) with what they
offer in its own villages. The demo organisation account keeps the entry of its name; one entry
per municipality was last checked long ago, so that its note and the reminder can be seen.

Made once per municipality (a second run finds entries there and adds nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from buurtplatform.accounts.models import Membership, User
from buurtplatform.directory.models import Access, Offering, Organisation, Owner, Theme
from buurtplatform.directory.models import OrganisationType as Type
from buurtplatform.directory.services import REVIEW_AFTER, save_offering
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.models import Tenant, Village


@dataclass(frozen=True)
class DemoOffering:
    title: str
    description: str
    for_whom: str
    cost: str
    themes: tuple[Theme, ...]
    villages: tuple[str, ...] = ()  # none: the whole municipality
    access: Access = Access.DIRECT
    opening_hours: str = ""


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    type: Type
    description: str
    phone: str
    address: str
    offerings: tuple[DemoOffering, ...]
    overdue: bool = False  # last checked more than six months ago


def _site(name: str) -> str:
    return "https://" + "".join(c for c in name.lower() if c.isalnum()) + ".example.nl"


RESPITE = (
    "Een vrijwilliger neemt de zorg een dagdeel van je over, zodat jij even tijd voor jezelf hebt."
)

DEMO_DIRECTORY: dict[str, tuple[DemoOrganisation, ...]] = {
    "cuijk": (
        DemoOrganisation(
            "Centrum Mantelzorg Land van Cuijk",
            Type.CARER_SUPPORT,
            "Wij steunen **mantelzorgers**: mensen die zorgen voor een zieke partner, ouder, "
            "kind of buur. Bel gerust voor een gesprek.",
            "0485 700 100",
            "Grotestraat 12, Cuijk",
            (
                DemoOffering(
                    "Respijtzorg: even tijd voor jezelf",
                    RESPITE,
                    "Mantelzorgers",
                    "Gratis",
                    (Theme.CARERS,),
                    ("Cuijk", "Beers", "Haps"),
                    opening_hours="Op afspraak, ook 's avonds",
                ),
                DemoOffering(
                    "Mantelzorgcafé",
                    "Elke eerste dinsdag van de maand praten mantelzorgers met elkaar, met koffie.",
                    "Mantelzorgers en wie het wil worden",
                    "Gratis",
                    (Theme.CARERS, Theme.MEETING),
                    ("Cuijk",),
                    opening_hours="Eerste dinsdag van de maand, 10.00 tot 12.00 uur",
                ),
            ),
        ),
        DemoOrganisation(
            "Bibliotheek Cuijk",
            Type.LIBRARY,
            "In de bibliotheek is het **Informatiepunt Digitale Overheid**: hulp met DigiD, "
            "toeslagen en formulieren.",
            "0485 700 200",
            "Kerkstraat 3, Cuijk",
            (
                DemoOffering(
                    "Digicafé",
                    "Vragen over je telefoon, tablet of laptop? Neem hem mee.",
                    "Iedereen",
                    "Gratis",
                    (Theme.DIGITAL_HELP,),
                    opening_hours="Woensdag 14.00 tot 16.00 uur",
                ),
                DemoOffering(
                    "Hulp bij formulieren en toeslagen",
                    "Samen vullen we je formulier in, of zoeken we uit waar je recht op hebt.",
                    "Iedereen",
                    "Gratis",
                    (Theme.MONEY, Theme.DIGITAL_HELP),
                    opening_hours="Dinsdag en donderdag, 10.00 tot 12.00 uur",
                ),
            ),
        ),
        DemoOrganisation(
            "Dagbesteding De Linde",
            Type.CARE,
            "Kleinschalige dagbesteding voor ouderen met geheugenproblemen.",
            "0485 700 300",
            "Lindenlaan 8, Linden",
            (
                DemoOffering(
                    "Dagbesteding voor ouderen met geheugenproblemen",
                    "Samen koken, wandelen en bezig zijn in een vaste groep. Thuis heeft de "
                    "mantelzorger die dag rust.",
                    "Ouderen met geheugenproblemen",
                    "Eigen bijdrage via de Wmo",
                    (Theme.CARE, Theme.CARERS),
                    ("Linden", "Beers", "Katwijk"),
                    access=Access.WMO,
                    opening_hours="Maandag, woensdag en vrijdag",
                ),
            ),
            overdue=True,
        ),
    ),
    "grave": (
        DemoOrganisation(
            "KBO Grave",
            Type.SENIORS,
            "De ouderenvereniging van Grave: samen actief, en hulp als het nodig is.",
            "0486 400 100",
            "Hampoort 2, Grave",
            (
                DemoOffering(
                    "Ouderenadviseur aan huis",
                    "Een ouderenadviseur komt bij je thuis en denkt mee over wonen, geld en zorg.",
                    "Mensen vanaf 65 jaar",
                    "Gratis voor leden",
                    (Theme.MONEY, Theme.HOUSING),
                ),
                DemoOffering(
                    "Soos op donderdag",
                    "Kaarten, biljarten en een praatje.",
                    "Iedereen vanaf 55 jaar",
                    "€ 1 per keer",
                    (Theme.MEETING, Theme.LONELINESS),
                    ("Grave",),
                    opening_hours="Donderdag 13.30 tot 16.30 uur",
                ),
            ),
        ),
        DemoOrganisation(
            "Zorgboerderij De Maashoeve",
            Type.CARE,
            "Dagbesteding op een boerderij aan de Maas, met dieren en een moestuin.",
            "0486 400 200",
            "Maasdijk 40, Velp",
            (
                DemoOffering(
                    "Dagbesteding op de boerderij",
                    "Buiten bezig zijn met de dieren en de tuin, in een kleine groep. Een dag "
                    "rust voor de mantelzorger thuis.",
                    "Ouderen en volwassenen die zorg nodig hebben",
                    "Via een indicatie",
                    (Theme.CARE, Theme.CARERS),
                    ("Velp", "Escharen", "Gassel"),
                    access=Access.WMO,
                    opening_hours="Dinsdag tot en met vrijdag",
                ),
            ),
        ),
        DemoOrganisation(
            "Welzijn Grave",
            Type.WELFARE,
            "Sociaal werkers en vrijwilligers voor alle vragen over meedoen en rondkomen.",
            "0486 400 300",
            "Oliestraat 5, Grave",
            (
                DemoOffering(
                    "Maatje voor wie zich alleen voelt",
                    "Een vrijwilliger komt regelmatig langs voor een praatje of een wandeling.",
                    "Iedereen die zich eenzaam voelt",
                    "Gratis",
                    (Theme.LONELINESS,),
                ),
                DemoOffering(
                    "Respijt voor mantelzorgers",
                    RESPITE,
                    "Mantelzorgers",
                    "Gratis",
                    (Theme.CARERS,),
                    ("Grave", "Gassel"),
                ),
            ),
            overdue=True,
        ),
    ),
    "mill": (
        DemoOrganisation(
            "Dorpsraad Wilbertoord",
            Type.VILLAGE_COUNCIL,
            "De dorpsraad zet zich in voor een leefbaar Wilbertoord.",
            "0485 450 100",
            "Dorpshuis, Wilbertoord",
            (
                DemoOffering(
                    "Buurtbus naar Mill",
                    "Vrijwilligers rijden je naar de winkels, de huisarts of de apotheek in Mill.",
                    "Inwoners van Wilbertoord zonder vervoer",
                    "€ 1,50 per rit",
                    (Theme.TRANSPORT,),
                    ("Wilbertoord",),
                    opening_hours="Dinsdag en vrijdagochtend",
                ),
            ),
        ),
        DemoOrganisation(
            "Steunpunt Mantelzorg Mill",
            Type.CARER_SUPPORT,
            "Luisteren, advies en even vrij: voor iedereen die voor een ander zorgt.",
            "0485 450 200",
            "Hoofdstraat 20, Mill",
            (
                DemoOffering(
                    "Respijtzorg in Mill en Sint Hubert",
                    RESPITE,
                    "Mantelzorgers",
                    "Gratis",
                    (Theme.CARERS,),
                    ("Mill", "Sint Hubert"),
                ),
            ),
        ),
        DemoOrganisation(
            "KBO Langenboom",
            Type.SENIORS,
            "Samen fietsen, eten en erop uit.",
            "0485 450 300",
            "Gemeenschapshuis, Langenboom",
            (
                DemoOffering(
                    "Duofiets: samen op pad",
                    "Een vrijwilliger fietst met je mee op de duofiets.",
                    "Ouderen die niet meer alleen fietsen",
                    "Gratis",
                    (Theme.TRANSPORT, Theme.LONELINESS),
                    ("Langenboom", "Mill"),
                ),
            ),
            overdue=True,
        ),
    ),
    "sint-anthonis": (
        DemoOrganisation(
            "Zonnebloem Oploo",
            Type.CITIZENS_INITIATIVE,
            "Vrijwilligers die mensen met een beperking of ziekte bezoeken en uitjes maken.",
            "0485 380 100",
            "Dorpsstraat 1, Oploo",
            (
                DemoOffering(
                    "Bezoek aan huis",
                    "Een vaste vrijwilliger komt op bezoek, voor een kop koffie en aandacht.",
                    "Mensen die ziek zijn of een beperking hebben",
                    "Gratis",
                    (Theme.LONELINESS,),
                    ("Oploo", "Stevensbeek"),
                ),
            ),
        ),
        DemoOrganisation(
            "Bibliotheek Sint Anthonis",
            Type.LIBRARY,
            "Boeken, en hulp met de computer en de digitale overheid.",
            "0485 380 200",
            "Hoofdstraat 30, Sint Anthonis",
            (
                DemoOffering(
                    "Klik & Tik: leren internetten",
                    "Stap voor stap leren mailen, zoeken en videobellen.",
                    "Beginners",
                    "Gratis",
                    (Theme.DIGITAL_HELP,),
                    opening_hours="Maandagochtend",
                ),
            ),
        ),
        DemoOrganisation(
            "Dorpsondersteuner Wanroij",
            Type.WELFARE,
            "De dorpsondersteuner kent het dorp en helpt je op weg met vragen over zorg, wonen "
            "en geld.",
            "0485 380 300",
            "Gemeenschapshuis, Wanroij",
            (
                DemoOffering(
                    "Spreekuur van de dorpsondersteuner",
                    "Loop binnen met je vraag. Ook mantelzorgers zijn welkom.",
                    "Iedereen",
                    "Gratis",
                    (Theme.CARE, Theme.CARERS, Theme.HOUSING, Theme.MONEY),
                    ("Wanroij", "Rijkevoort-De Walsert"),
                    opening_hours="Woensdag 9.00 tot 11.00 uur",
                ),
            ),
            overdue=True,
        ),
    ),
}


def load_demo_directory(tenant: Tenant, organisation_account: User) -> None:
    """Inside `tenant_context(tenant)`: the sociale kaart, and the demo organisation account
    as keeper of the entry with its name."""
    if db.session.scalar(sa.select(Organisation.id).limit(1)) is not None:
        return
    villages = {v.name: v.id for v in db.session.scalars(sa.select(Village))}
    member_id = db.session.scalar(
        sa.select(Membership.id).where(Membership.user_id == organisation_account.id)
    )
    for demo in DEMO_DIRECTORY[tenant.slug]:
        organisation = Organisation(
            name=demo.name,
            type=demo.type,
            description=demo.description,
            phone=demo.phone,
            address=demo.address,
            website=_site(demo.name),
            email=f"info@{_site(demo.name).removeprefix('https://')}",
            reviewed_at=utcnow()
            - (REVIEW_AFTER + timedelta(days=20) if demo.overdue else timedelta(days=10)),
        )
        db.session.add(organisation)
        for position, item in enumerate(demo.offerings):
            offering = Offering(position=position)
            organisation.offerings.append(offering)
            save_offering(
                offering,
                [theme.value for theme in item.themes],
                [villages[name] for name in item.villages],
                title=item.title,
                description=item.description,
                for_whom=item.for_whom,
                cost=item.cost,
                access=item.access,
                opening_hours=item.opening_hours,
                contact="",
            )
        if demo.name == organisation_account.first_name and member_id is not None:
            organisation.owners.append(Owner(membership_id=member_id))
    db.session.flush()  # in this municipality: the caller commits after leaving it
