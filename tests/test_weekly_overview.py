"""The printable weekly overview ("Buurtnieuws van deze week"): open asks and offers with the
number to call, the coming activities and news, for the municipality or one village."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from buurtplatform.accounts.models import Membership, Role
from buurtplatform.activities.models import Activity, ActivityKind
from buurtplatform.extensions import db
from buurtplatform.listings.models import Kind
from buurtplatform.overview.services import LISTINGS_SHOWN
from buurtplatform.timestamps import utcnow
from tenants.scoping import tenant_context
from tests.helpers import tenant_by_slug
from tests.listing_helpers import (
    add_listing,
    add_many_listings,
    counting_queries,
    page,
    signed_in,
    village_ids,
)
from tests.test_background import MONDAY_0800, tick_at
from tests.test_news import add_news

SITE_CSS = Path(__file__).parents[1] / "buurtplatform" / "static" / "css" / "site.css"


def add_activity(app, organiser, title: str, village_id: int | None, slug: str = "cuijk") -> None:
    start = utcnow() + timedelta(days=2)
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        db.session.add(
            Activity(
                kind=ActivityKind.COFFEE,
                title=title,
                description="Gezellig",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                village_id=village_id,
                place="Het buurthuis",
                organiser_id=organiser.id,
            )
        )
        db.session.commit()


@pytest.fixture
def neighbourhood(app, make_user):
    """In Cuijk: an ask, an offer, an activity and news in Beers, in Haps, and for everyone."""
    author = make_user(first_name="Gerrit")
    villages = village_ids(app)
    for place, village_id in (
        ("Beers", villages["Beers"]),
        ("Haps", villages["Haps"]),
        ("iedereen", None),
    ):
        add_listing(app, author, title=f"Hulpvraag {place}", village_id=village_id)
        add_listing(
            app, author, kind=Kind.OFFER, title=f"Hulpaanbod {place}", village_id=village_id
        )
        add_activity(app, author, f"Koffie {place}", village_id)
        add_news(app, 1, title=f"Nieuws {place}", village_id=village_id)
    return villages


def overview_main(response) -> str:
    assert response.status_code == 200
    return page(response).split('<main id="inhoud"')[1].split("</main>")[0]


def test_the_overview_lists_asks_offers_activities_and_news_with_the_number_to_call(
    client_for, neighbourhood
):
    shown = overview_main(client_for("cuijk").get("/buurtnieuws"))
    assert "Buurtnieuws van deze week" in shown
    assert "Hulp nodig, maar liever niet online? Bel" in shown
    assert "0485 - 700 100" in shown
    for place in ("Beers", "Haps", "iedereen"):
        for text in (
            f"Hulpvraag {place}",
            f"Hulpaanbod {place}",
            f"Koffie {place}",
        ):
            assert text in shown, text
    assert "Nieuws iedereen" in shown and "Nieuws Haps" in shown  # the newest two
    assert (
        shown.index("Wie zoekt hulp?")
        < shown.index("Hulpvraag Beers")
        < shown.index("Wie biedt hulp aan?")
    )
    assert "Gerrit" not in shown  # never a resident's details: people call the number
    assert "@example.nl" not in shown


def test_a_villages_overview_shows_that_village_and_the_whole_municipality_only(
    client_for, neighbourhood
):
    beers = neighbourhood["Beers"]
    cuijk = client_for("cuijk")
    chosen = cuijk.get(f"/buurtnieuws?dorp={beers}")
    assert chosen.status_code == 302 and chosen.location == f"/buurtnieuws/{beers}"
    shown = overview_main(cuijk.get(chosen.location))
    assert "Voor Beers," in shown
    for text in ("Hulpvraag", "Hulpaanbod", "Koffie", "Nieuws"):
        assert f"{text} Beers" in shown and f"{text} iedereen" in shown, text
        assert f"{text} Haps" not in shown, text


def test_another_municipalitys_village_is_a_404(app, client_for):
    grave_village = next(iter(village_ids(app, "grave").values()))
    assert client_for("cuijk").get(f"/buurtnieuws/{grave_village}").status_code == 404
    assert client_for("cuijk").get(f"/buurtnieuws?dorp={grave_village}").status_code == 302


def test_an_empty_week_says_so_in_plain_words(client_for):
    shown = overview_main(client_for("grave").get("/buurtnieuws"))
    assert "Op dit moment vraagt niemand om hulp." in shown
    assert "Op dit moment biedt niemand hulp aan." in shown
    assert "Geen activiteiten in de komende dagen." in shown


def test_paper_gets_the_overview_without_the_sites_menus_and_forms(client_for):
    shown = page(client_for("cuijk").get("/buurtnieuws"))
    assert 'href="/static/css/site.css?v=' in shown
    assert 'class="panel no-print"' in shown  # the village choice and the printing tip
    css = SITE_CSS.read_text()
    print_rules = css[css.index("@media print") :]
    assert "@page { size: A4" in print_rules
    for hidden in (".site-header", ".site-footer", ".no-print"):
        assert hidden in print_rules.split("display: none")[0], hidden


def test_connectors_find_the_overview_in_beheer(client_for, make_user):
    connector = signed_in(client_for, make_user(role=Role.CONNECTOR))
    assert 'href="/buurtnieuws"' in page(connector.get("/beheer/"))


def test_the_overview_costs_the_same_queries_for_10_or_1000_items(app, client_for, make_user):
    author = make_user(role=Role.COORDINATOR)
    visitor = client_for("cuijk")
    beers = village_ids(app)["Beers"]
    counts = []
    for added in (10, 990):
        add_many_listings(app, author, added)
        add_news(app, added)
        for path in ("/buurtnieuws", f"/buurtnieuws/{beers}"):
            visitor.get(path)
            with counting_queries(app) as statements:
                assert visitor.get(path).status_code == 200
            counts.append(len(statements))
    assert counts[:2] == counts[2:]
    # A fixed number of each kind, so that it stays on one or two A4 pages.
    assert page(visitor.get("/buurtnieuws")).count("Nummer ") == 2 * LISTINGS_SHOWN


def test_the_coordinators_digest_links_to_each_municipalitys_overview(app, make_user, outbox):
    wendy = make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl")
    with app.app_context(), tenant_context(tenant_by_slug("grave")):
        db.session.add(Membership(user_id=wendy.id, role=Role.COORDINATOR))
        db.session.commit()
    tick_at(app, MONDAY_0800)
    [digest] = [m for m in outbox() if m.recipient == wendy.email]
    assert "Buurtnieuws van deze week, om te printen" in digest.text
    for host in ("cuijk", "grave"):
        assert f"http://{host}.buurt.test/buurtnieuws" in digest.links
