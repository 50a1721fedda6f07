"""News: connectors and coordinators publish, change and remove it (audited), with a photo
and a last day; everyone reads it; the latest show on the home page."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from buurtplatform.accounts.models import Role
from buurtplatform.extensions import db
from buurtplatform.news.models import NewsItem
from tenants.models import Village
from tenants.scoping import tenant_context
from tests.helpers import tenant_by_slug
from tests.listing_helpers import counting_queries, page, signed_in
from tests.test_beheer_lists import audit_log, error_of, rows
from tests.test_images import UNUSABLE, photo_with_gps, picture


def today() -> date:
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def news(**changes: object) -> dict:
    return {
        "title": "Koffieochtend in Beers",
        "body": "Iedereen is **welkom**.",
        "village": 0,
    } | changes


def news_ids(app, slug: str = "cuijk") -> list[int]:
    return [row.id for row in rows(app, sa.select(NewsItem.id).order_by(NewsItem.id), slug)]


def item_id(response) -> int:
    assert response.status_code == 302, page(response)
    return int(re.fullmatch(r"/nieuws/(\d+)", response.location)[1])


def add_news(app, count: int, slug: str = "cuijk", **fields: object) -> None:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        db.session.add_all(
            NewsItem(**({"title": f"Nieuws {n}", "body": "Tekst"} | fields)) for n in range(count)
        )
        db.session.commit()


@pytest.fixture
def connector(client_for, make_user):
    return signed_in(client_for, make_user(role=Role.CONNECTOR))


def test_a_connector_publishes_news_that_everyone_reads_and_the_home_page_shows(
    app, connector, client_for
):
    response = connector.post("/nieuws/nieuw", data=news())
    detail = f"/nieuws/{item_id(response)}"
    visitor = client_for("cuijk")
    shown = page(visitor.get(detail))
    assert "Koffieochtend in Beers" in shown
    assert "<strong>welkom</strong>" in shown
    assert "Voor de hele gemeente" in shown
    assert "Koffieochtend in Beers" in page(visitor.get("/nieuws"))
    home = page(visitor.get("/"))
    assert 'id="news-title">Nieuws</h2>' in home
    assert f'href="{detail}"' in home
    assert audit_log(app) == [("community.news_published", "Koffieochtend in Beers")]


def test_a_coordinator_publishes_too_but_residents_and_organisations_cannot(
    app, client_for, make_user
):
    coordinator = signed_in(client_for, make_user(role=Role.COORDINATOR))
    assert coordinator.post("/nieuws/nieuw", data=news()).status_code == 302
    for role in (Role.RESIDENT, Role.ORGANISATION):
        member = signed_in(client_for, make_user(role=role))
        assert member.get("/nieuws/nieuw").status_code == 403
        assert member.post("/nieuws/nieuw", data=news(title="Van een inwoner")).status_code == 403
        assert member.post(f"/nieuws/{news_ids(app)[0]}/verwijderen").status_code == 403
        assert "Nieuws plaatsen" not in page(member.get("/nieuws"))
    assert len(news_ids(app)) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "Schrijf in een paar woorden waar het nieuws over gaat."),
        ({"body": ""}, "Schrijf het nieuws zelf."),
        ({"title": "x" * 121}, "Dit mag niet langer zijn dan 120 tekens."),
        ({"last_day": "gisteren"}, "Vul de datum in, bijvoorbeeld 24-12-2026."),
        ({"last_day": "2020-01-01"}, "Deze datum is al voorbij. Kies vandaag of een latere datum."),
    ],
)
def test_bad_news_is_refused_in_dutch_keeping_what_was_typed(app, connector, changes, message):
    response = connector.post("/nieuws/nieuw", data=news(**changes))
    assert response.status_code == 200
    assert error_of(response) == message
    if "body" not in changes:
        assert "Iedereen is **welkom**." in page(response)
    assert news_ids(app) == []
    assert audit_log(app) == []


@pytest.mark.parametrize("kind", UNUSABLE)
def test_an_unusable_photo_is_refused_and_nothing_is_published(app, connector, kind):
    data, message = UNUSABLE[kind]
    response = connector.post("/nieuws/nieuw", data=news(photo=(io.BytesIO(data), "foto.png")))
    assert message in error_of(response)
    assert news_ids(app) == []


def test_a_photo_is_stored_without_its_gps_position_replaced_and_removed(
    app, connector, client_for
):
    response = connector.post(
        "/nieuws/nieuw", data=news(photo=(io.BytesIO(photo_with_gps()), "f.jpg"))
    )
    detail = f"/nieuws/{item_id(response)}"
    first = re.search(
        r'src="(/nieuws/\d+/foto/[0-9a-f]{32}\.jpg)"', page(client_for("cuijk").get(detail))
    )[1]
    served = client_for("cuijk").get(first)
    assert served.status_code == 200 and b"Telefoon" not in served.data

    connector.post(f"{detail}/bewerken", data=news(photo=(io.BytesIO(picture()), "nieuw.png")))
    second = re.search(
        r'src="(/nieuws/\d+/foto/[0-9a-f]{32}\.png)"', page(client_for("cuijk").get(detail))
    )[1]
    assert client_for("cuijk").get(first).status_code == 404  # the old file is gone

    connector.post(f"{detail}/bewerken", data=news(remove_photo="y"))
    assert "/foto/" not in page(client_for("cuijk").get(detail))
    assert client_for("cuijk").get(second).status_code == 404


def test_news_leaves_the_lists_after_its_last_day_but_its_writers_still_find_it(
    app, connector, client_for
):
    add_news(app, 1, title="Kerstmarkt", last_day=today())
    add_news(app, 1, title="Zomerfeest", last_day=today() - timedelta(days=1))
    visitor = client_for("cuijk")
    for path in ("/nieuws", "/"):
        shown = page(visitor.get(path))
        assert "Kerstmarkt" in shown, path  # its last day is today: still there
        assert "Zomerfeest" not in shown, path
    listed = page(connector.get("/nieuws"))
    assert "Niet meer in de lijsten" in listed.split("Kerstmarkt")[1]
    assert "Zomerfeest" in listed.split("Niet meer in de lijsten")[1]


def test_a_connector_changes_and_removes_news_in_the_audit_log(app, connector, client_for):
    detail = f"/nieuws/{item_id(connector.post('/nieuws/nieuw', data=news()))}"
    form = page(connector.get(f"{detail}/bewerken"))
    assert 'value="Koffieochtend in Beers"' in form
    villages = dict(rows(app, sa.select(Village.name, Village.id)))
    connector.post(
        f"{detail}/bewerken",
        data=news(title="Koffieochtend gaat niet door", village=villages["Beers"]),
    )
    assert "Voor Beers" in page(client_for("cuijk").get(detail))
    assert "Wil je" in page(connector.get(f"{detail}/verwijderen"))
    assert connector.post(f"{detail}/verwijderen").location == "/nieuws"
    assert client_for("cuijk").get(detail).status_code == 404
    assert [action for action, _ in audit_log(app)] == [
        "community.news_published",
        "community.news_changed",
        "community.news_removed",
    ]


def test_another_municipalitys_news_is_a_404(app, connector, client_for, make_user):
    add_news(app, 1, slug="grave", title="Nieuws uit Grave")
    grave_id = news_ids(app, "grave")[0]
    for path in (
        f"/nieuws/{grave_id}",
        f"/nieuws/{grave_id}/bewerken",
        f"/nieuws/{grave_id}/verwijderen",
    ):
        assert connector.get(path).status_code == 404, path
    assert connector.post(f"/nieuws/{grave_id}/verwijderen").status_code == 404
    assert connector.post(f"/nieuws/{grave_id}/bewerken", data=news()).status_code == 404
    assert "Nieuws uit Grave" not in page(client_for("cuijk").get("/nieuws"))
    assert news_ids(app, "grave") == [grave_id]


def test_the_news_list_costs_the_same_queries_for_10_or_1000_items(app, connector, client_for):
    visitor = client_for("cuijk")
    counts = []
    for added in (10, 990):
        add_news(app, added)
        for client in (visitor, connector):
            client.get("/nieuws")
            with counting_queries(app) as statements:
                assert client.get("/nieuws").status_code == 200
            counts.append(len(statements))
    assert counts[:2] == counts[2:]


def test_links_in_news_are_marked_as_written_by_users_and_script_is_removed(connector, client_for):
    body = "Zie [de gemeente](https://cuijk.nl) <script>alert(1)</script> [x](javascript:alert(1))"
    detail = f"/nieuws/{item_id(connector.post('/nieuws/nieuw', data=news(body=body)))}"
    shown = page(client_for("cuijk").get(detail))
    assert '<a href="https://cuijk.nl" rel="nofollow ugc">de gemeente</a>' in shown
    assert "<script>alert" not in shown
    assert 'href="javascript' not in shown  # left as plain text, never a link


def test_the_demo_gives_each_municipality_its_own_news_once(app, client_for):
    from tests.test_demo import SLUGS, in_each, loaded

    loaded(app)
    loaded(app)  # a second run adds nothing

    def titles() -> list[str]:
        return sorted(db.session.scalars(sa.select(NewsItem.title)))

    found = in_each(app, titles)
    assert all(len(found[slug]) == 2 for slug in SLUGS)
    assert len({title for slug in SLUGS for title in found[slug]}) == 2 * len(SLUGS)
    assert found["grave"][0] in page(client_for("grave").get("/nieuws"))


def test_ended_news_can_be_corrected_without_choosing_a_new_last_day(app, connector):
    add_news(app, 1, title="Zomerfeest", last_day=today() - timedelta(days=3))
    [news_id] = news_ids(app)
    form = page(connector.get(f"/nieuws/{news_id}/bewerken"))
    last_day = re.search(r'name="last_day"[^>]*value="([^"]+)"', form)[1]
    response = connector.post(
        f"/nieuws/{news_id}/bewerken", data=news(title="Zomerfeest 2026", last_day=last_day)
    )
    assert response.status_code == 302
    assert rows(app, sa.select(NewsItem.title))[0].title == "Zomerfeest 2026"
