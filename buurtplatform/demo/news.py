"""Demo news for `flask demo load`: each municipality's connectors and social workers tell
what is going on, some of it for one village, one item with a last day.

Made once per municipality (a second run finds news there and adds nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from buurtplatform.extensions import db
from buurtplatform.news.models import NewsItem
from buurtplatform.news.services import local_today
from buurtplatform.timestamps import utcnow
from tenants.models import Village


@dataclass(frozen=True)
class DemoNews:
    title: str
    body: str
    village: str | None  # None: the whole municipality
    days_ago: int
    days_left: int | None = None  # its last day, counted from today


DEMO_NEWS: dict[str, tuple[DemoNews, ...]] = {
    "cuijk": (
        DemoNews(
            "Nieuw: digicafé in de bibliotheek",
            "Vanaf januari is er elke woensdag een **digicafé** in de bibliotheek Cuijk. "
            "Vrijwilligers helpen je met je telefoon, tablet of DigiD.\n\n"
            "- Van 10:00 tot 12:00\n- Gratis, koffie staat klaar",
            None,
            days_ago=1,
        ),
        DemoNews(
            "Kerstmarkt in Beers zoekt nog handen",
            "Op de kerstmarkt bij het dorpshuis kunnen we nog hulp gebruiken bij de kraampjes. "
            "Heb je een uurtje? Bel de buurtverbinder.",
            "Beers",
            days_ago=4,
            days_left=20,
        ),
    ),
    "grave": (
        DemoNews(
            "Wandelgroep langs de Maas begint weer",
            "Elke donderdag wandelen we een uur langs de Maas, in een rustig tempo. "
            "We verzamelen bij de Maaspoort. Iedereen is welkom.",
            "Grave",
            days_ago=2,
        ),
        DemoNews(
            "Spreekuur mantelzorg in Escharen",
            "De sociaal werker houdt elke eerste maandag van de maand **spreekuur** in het "
            "dorpshuis van Escharen. Voor vragen over zorg voor iemand thuis.",
            "Escharen",
            days_ago=6,
        ),
    ),
    "mill": (
        DemoNews(
            "Repair café in Langenboom",
            "Kapotte lamp, stoel of broek? In het repair café in Langenboom maken vrijwilligers "
            "het samen met je. Elke tweede zaterdag van de maand.",
            "Langenboom",
            days_ago=3,
        ),
        DemoNews(
            "Hulp bij de energietoeslag",
            "Heb je een laag inkomen? Je kunt misschien energietoeslag krijgen. De "
            "formulierenhulp helpt je het aan te vragen. Bel het nummer onderaan de pagina.",
            None,
            days_ago=8,
            days_left=30,
        ),
    ),
    "sint-anthonis": (
        DemoNews(
            "Buurtbus rijdt ook op zaterdag",
            "De buurtbus tussen Oploo, Sint Anthonis en Wanroij rijdt vanaf nu ook op "
            "zaterdag. Je betaalt een klein bedrag per rit.",
            None,
            days_ago=2,
        ),
        DemoNews(
            "Koffieochtend in Stevensbeek verhuist",
            "De koffieochtend van de KBO is voortaan in het gemeenschapshuis. Zelfde tijd, "
            "zelfde gezelligheid.",
            "Stevensbeek",
            days_ago=5,
        ),
    ),
}


def load_demo_news(tenant_slug: str, author_id: int) -> None:
    """Inside the municipality's `tenant_context`: its news, by `author_id`."""
    if db.session.scalar(sa.select(NewsItem.id).limit(1)) is not None:
        return
    villages = {v.name: v.id for v in db.session.scalars(sa.select(Village))}
    now, today = utcnow(), local_today()
    for item in DEMO_NEWS[tenant_slug]:
        db.session.add(
            NewsItem(
                title=item.title,
                body=item.body,
                village_id=villages[item.village] if item.village else None,
                last_day=today + timedelta(days=item.days_left) if item.days_left else None,
                author_id=author_id,
                created_at=now - timedelta(days=item.days_ago),
            )
        )
    db.session.flush()  # new rows get their municipality inside its context
