"""Demo prikbord for `flask demo load`: each municipality's neighbours share tips,
experiences, a question and things wanted or on offer, in their own villages, with a few
comments; one post per municipality is pinned by its connectors.

Made once per municipality (a second run finds posts there and adds nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from buurtplatform.board.models import BoardComment, BoardPost, PostKind
from buurtplatform.demo.municipalities import DemoMunicipality
from buurtplatform.demo.people import ensure_user
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.models import Tenant, Village


@dataclass(frozen=True)
class DemoPost:
    kind: PostKind
    village: str
    title: str
    body: str
    author: int  # the index of a neighbour in DemoMunicipality.neighbours
    days_ago: int
    comments: tuple[tuple[int, str], ...] = ()  # (neighbour, text)
    pinned: bool = False


DEMO_POSTS: dict[str, tuple[DemoPost, ...]] = {
    "cuijk": (
        DemoPost(
            PostKind.TIP,
            "Cuijk",
            "Gratis hulp bij je belastingaangifte in de bibliotheek",
            "Elke dinsdagochtend helpen vrijwilligers in de **bibliotheek Cuijk** met de "
            "aangifte. Neem je DigiD mee. Je hoeft geen afspraak te maken.",
            author=0,
            days_ago=2,
            comments=((1, "Goed om te weten! Ik ga volgende week."),),
            pinned=True,
        ),
        DemoPost(
            PostKind.EXPERIENCE,
            "Beers",
            "Mijn ervaring met de dagbesteding in Beers",
            "Mijn man gaat sinds een maand twee dagen per week naar de dagbesteding. "
            "Hij vindt het gezellig en ik heb even tijd voor mezelf. Vraag ernaar bij de "
            "sociaal werker, die helpt je op weg.",
            author=4,
            days_ago=5,
            comments=((2, "Fijn om te lezen. Wij twijfelen nog."), (4, "Bel gerust eens.")),
        ),
        DemoPost(
            PostKind.QUESTION,
            "Haps",
            "Wie weet een goede fietsenmaker in de buurt van Haps?",
            "Mijn fiets maakt een raar geluid. Ik zoek iemand die ook aan huis komt.",
            author=1,
            days_ago=1,
            comments=((3, "Fietsenmaker Van Dijk in Cuijk komt langs. Ze zijn heel vriendelijk."),),
        ),
        DemoPost(
            PostKind.OFFERED,
            "Katwijk",
            "Rollator, zo goed als nieuw",
            "Ik heb een rollator over. Wie hem kan gebruiken, mag hem gratis hebben.",
            author=5,
            days_ago=3,
        ),
    ),
    "grave": (
        DemoPost(
            PostKind.TIP,
            "Grave",
            "Koffie-uurtje op de markt, elke woensdag",
            "Op woensdag staat de koffiekar van de KBO op de markt in Grave. "
            "Koffie is gratis en er is altijd iemand om mee te praten.",
            author=0,
            days_ago=3,
            pinned=True,
            comments=((3, "Gezellig! Tot woensdag."),),
        ),
        DemoPost(
            PostKind.WANTED,
            "Escharen",
            "Gezocht: oude breiwol voor de breiclub",
            "De breiclub in Escharen maakt dekens voor het verzorgingshuis. "
            "Heb je nog wol liggen? We halen het graag op.",
            author=3,
            days_ago=2,
            comments=((5, "Ik heb nog een hele tas. Ik stuur je een bericht."),),
        ),
        DemoPost(
            PostKind.EXPERIENCE,
            "Velp",
            "De belbus naar het ziekenhuis werkt goed",
            "Ik moest naar het ziekenhuis in Boxmeer en nam de belbus. Je belt een dag van "
            "tevoren en ze halen je thuis op. Ik was op tijd en de chauffeur hielp me met "
            "instappen.",
            author=4,
            days_ago=6,
        ),
    ),
    "mill": (
        DemoPost(
            PostKind.TIP,
            "Mill",
            "Repair Café in Mill: breng je kapotte spullen mee",
            "Elke eerste zaterdag van de maand repareren vrijwilligers lampen, kleding en "
            "kleine apparaten in het dorpshuis. Gratis, een gift mag.",
            author=2,
            days_ago=4,
            pinned=True,
        ),
        DemoPost(
            PostKind.QUESTION,
            "Langenboom",
            "Wie wandelt er mee op zondagochtend?",
            "Ik wandel elke zondag een uurtje rond Langenboom. Samen is gezelliger. "
            "Rustig tempo, honden welkom.",
            author=3,
            days_ago=1,
            comments=((1, "Ik loop graag mee. Hoe laat ga je?"), (3, "Om tien uur bij de kerk.")),
        ),
        DemoPost(
            PostKind.OFFERED,
            "Wilbertoord",
            "Groente uit eigen tuin",
            "Ik heb te veel courgettes en bonen. Kom gerust wat halen, het is gratis.",
            author=5,
            days_ago=2,
        ),
    ),
    "sint-anthonis": (
        DemoPost(
            PostKind.TIP,
            "Oploo",
            "Hulp bij je telefoon in het dorpshuis van Oploo",
            "Op donderdagmiddag helpen jongeren van de middelbare school met je telefoon "
            "of tablet. Bijvoorbeeld met beeldbellen of foto's sturen.",
            author=1,
            days_ago=2,
            pinned=True,
            comments=((3, "Mijn moeder is geweest. Ze kan nu met de kleinkinderen beeldbellen!"),),
        ),
        DemoPost(
            PostKind.EXPERIENCE,
            "Landhorst",
            "Mantelzorg en even vrij: het logeerhuis",
            "Mijn vader logeerde een weekend in het logeerhuis. Ik kon eindelijk eens "
            "uitrusten. Het Centrum Mantelzorg hielp met de aanvraag.",
            author=0,
            days_ago=7,
        ),
        DemoPost(
            PostKind.WANTED,
            "Sint Anthonis",
            "Gezocht: puzzels voor de soos",
            "De soos op dinsdag zoekt legpuzzels van 500 of 1000 stukjes.",
            author=5,
            days_ago=3,
            comments=((2, "Ik heb er drie. Ik breng ze dinsdag mee."),),
        ),
    ),
}


def _neighbour(tenant: Tenant, demo: DemoMunicipality, index: int) -> int:
    """The id of the demo neighbour (made with the asks and offers) at `index`."""
    name = demo.neighbours[index]
    return ensure_user(f"{name.lower()}.{tenant.slug}@demo.buurtplatform.nl", name).id


def load_demo_board(tenant: Tenant, demo: DemoMunicipality) -> None:
    """Inside `tenant_context(tenant)`, after the asks and offers: the board's posts."""
    if db.session.scalar(sa.select(BoardPost.id).limit(1)) is not None:
        return
    villages = {v.name: v.id for v in db.session.scalars(sa.select(Village))}
    now = utcnow()
    for demo_post in DEMO_POSTS[tenant.slug]:
        created = now - timedelta(days=demo_post.days_ago)
        post = BoardPost(
            kind=demo_post.kind,
            title=demo_post.title,
            body=demo_post.body,
            village_id=villages[demo_post.village],
            author_id=_neighbour(tenant, demo, demo_post.author),
            created_at=created,
            pinned_at=created if demo_post.pinned else None,
        )
        post.comments = [
            BoardComment(
                author_id=_neighbour(tenant, demo, author),
                body=text,
                created_at=created + timedelta(hours=3 * (n + 1)),
            )
            for n, (author, text) in enumerate(demo_post.comments)
        ]
        db.session.add(post)
