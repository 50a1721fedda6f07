"""The home page's blocks: each municipality's connectors choose which show and in what order
(Beheer > Startpagina); the welcome, the two actions and the phone number stay on top."""

from __future__ import annotations

import pytest

from buurtplatform.accounts.models import Role
from buurtplatform.extensions import db
from buurtplatform.site.blocks import as_choice, layout, registered_blocks
from tests.helpers import tenant_by_slug
from tests.listing_helpers import counting_queries, page, signed_in
from tests.test_beheer_lists import audit_log
from tests.test_news import add_news

TITLES = {
    "listings": 'id="latest-title"',
    "news": 'id="news-title"',
    "villages": 'id="villages-title"',
}


def order_on(client) -> list[str]:
    """The blocks of TITLES on the home page, from top to bottom."""
    home = page(client.get("/"))
    found = {key: home.find(marker) for key, marker in TITLES.items()}
    return sorted((key for key, at in found.items() if at >= 0), key=found.get)


def choice_of(app, slug: str) -> list[dict]:
    with app.app_context():
        return tenant_by_slug(slug).home_blocks


def set_choice(app, slug: str, choice: list[dict]) -> None:
    with app.app_context():
        tenant_by_slug(slug).home_blocks = choice
        db.session.commit()


@pytest.fixture
def grave_connector(client_for, make_user):
    return signed_in(client_for, make_user("grave", Role.CONNECTOR), "grave")


def change(client, block: str, how: str):
    return client.post("/beheer/startpagina", data={"block": block, "change": how})


def test_every_block_shows_in_its_default_place_below_the_fixed_start(app, client_for):
    add_news(app, 1)
    cuijk = client_for("cuijk")
    assert order_on(cuijk) == ["listings", "news", "villages"]
    home = page(cuijk.get("/"))
    assert (
        home.index("Bied hulp aan") < home.index("Liever bellen?") < home.index(TITLES["listings"])
    )


def test_a_block_with_nothing_to_show_is_left_out(client_for):
    assert "news" not in order_on(client_for("cuijk"))  # no news yet


def test_graves_connector_orders_and_hides_blocks_and_cuijk_stays_as_it_was(
    app, client_for, grave_connector
):
    for slug in ("cuijk", "grave"):
        add_news(app, 1, slug=slug)
    steps_to_top = [block.key for block in registered_blocks()].index("villages")
    for _ in range(steps_to_top):
        assert change(grave_connector, "villages", "up").status_code == 302
    change(grave_connector, "news", "hide")
    assert order_on(client_for("grave")) == ["villages", "listings"]
    assert order_on(client_for("cuijk")) == ["listings", "news", "villages"]
    assert choice_of(app, "cuijk") == []

    listed = page(grave_connector.get("/beheer/startpagina"))
    assert "Nee, verborgen" in listed.split('id="block-news"')[1].split("</tr>")[0]
    change(grave_connector, "news", "show")
    assert order_on(client_for("grave")) == ["villages", "listings", "news"]
    assert audit_log(app, "grave") == [
        *[("settings.home_blocks_changed", "Onze dorpen en wijken: staat nu hoger")] * steps_to_top,
        ("settings.home_blocks_changed", "Nieuws: is verborgen"),
        ("settings.home_blocks_changed", "Nieuws: is weer te zien"),
    ]
    assert audit_log(app, "cuijk") == []


def test_moving_the_top_block_up_or_showing_a_shown_one_changes_nothing(app, grave_connector):
    top = registered_blocks()[0].key
    change(grave_connector, top, "up")
    change(grave_connector, top, "show")
    assert choice_of(app, "grave") == []
    assert audit_log(app, "grave") == []


def test_an_unknown_block_is_a_404_and_a_made_up_change_does_nothing(app, grave_connector):
    assert change(grave_connector, "weer", "hide").status_code == 404
    assert change(grave_connector, "news", "delete").status_code == 200
    assert choice_of(app, "grave") == []
    assert audit_log(app, "grave") == []


def test_blocks_that_no_longer_exist_are_ignored_and_new_ones_come_last(app, client_for):
    set_choice(
        app,
        "grave",
        [{"key": "weerbericht", "shown": True}, {"key": "villages", "shown": True}],
    )
    add_news(app, 1, slug="grave")
    assert order_on(client_for("grave")) == ["villages", "listings", "news"]
    with app.app_context():
        keys = [item.key for item in layout(tenant_by_slug("grave"))]
    assert keys[0] == "villages" and "weerbericht" not in keys
    assert sorted(keys) == sorted(block.key for block in registered_blocks())


def test_only_connectors_and_platform_admins_choose_the_blocks(app, client_for, make_user):
    for role in (Role.RESIDENT, Role.ORGANISATION, Role.COORDINATOR):
        member = signed_in(client_for, make_user("grave", role), "grave")
        assert member.get("/beheer/startpagina").status_code == 403
        assert change(member, "news", "hide").status_code == 403
    admin = signed_in(client_for, make_user(None, admin=True), "grave")
    assert change(admin, "news", "hide").status_code == 302
    assert {"key": "news", "shown": False} in choice_of(app, "grave")


def test_the_beheer_page_lists_every_block_with_its_buttons(grave_connector):
    listed = page(grave_connector.get("/beheer/startpagina"))
    for block in registered_blocks():
        assert f'id="block-{block.key}"' in listed
    assert listed.count('name="change" value="hide"') == len(registered_blocks())
    assert "Startpagina" in page(grave_connector.get("/beheer/"))


def test_the_home_page_costs_the_same_queries_for_10_or_1000_news_items(app, client_for):
    visitor = client_for("cuijk")
    counts = []
    for added in (10, 990):
        add_news(app, added)
        visitor.get("/")
        with counting_queries(app) as statements:
            visitor.get("/")
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_as_choice_keeps_a_layout(app):
    with app.app_context():
        placed = layout(tenant_by_slug("cuijk"))
        assert [item["key"] for item in as_choice(placed)] == [item.key for item in placed]
