"""What a page costs to make (issue 11): the same SQL queries whatever the number of asks and
offers, for a signed-in person and for a visitor; the menu's unread count asked once per page;
and the cards' words, worked out once per page (buurtplatform/listings/cards.py), still right
on every card and in either language."""

from __future__ import annotations

import re
from datetime import date

import pytest

from buurtplatform.accounts.models import Role
from buurtplatform.listings.models import Timing
from tests.listing_helpers import (
    add_listing,
    add_many_listings,
    counting_queries,
    in_english,
    page,
    signed_in,
    village_ids,
)


@pytest.fixture
def app(make_app):
    """Every page made anew, never served from the visitors' page cache: it is the making
    that is measured here."""
    return make_app(CACHE_TYPE="NullCache")


def queries_for(app, client, url: str) -> int:
    assert client.get(url).status_code == 200  # a first request warms up what is kept
    with counting_queries(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def cards(html_text: str) -> list[str]:
    return re.findall(r'<article class="listing-card.*?</article>', html_text, re.S)


@pytest.mark.parametrize("url", ["/", "/vraag-en-aanbod", "/zoeken?q=bericht"])
def test_a_page_costs_the_same_queries_for_3_or_30_listings(app, client_for, make_user, url):
    # A coordinator's listings include asks on someone's behalf, which a card mentions.
    author = make_user(role=Role.COORDINATOR)
    reader = make_user(first_name="Bob")
    own = add_listing(app, reader, title="Een eigen vraag")
    # Bob has a message waiting: the menu counts it on every page.
    author_client = signed_in(client_for, author)
    reply = author_client.post(f"/vraag-en-aanbod/{own}/reageren", data={"body": "Ik help."})
    assert reply.status_code == 302
    people = {"signed in": signed_in(client_for, reader), "visitor": client_for("cuijk")}

    add_many_listings(app, author, 3)
    few = {who: queries_for(app, client, url) for who, client in people.items()}
    few_cards = len(cards(page(people["visitor"].get(url))))
    add_many_listings(app, author, 27)
    many = {who: queries_for(app, client, url) for who, client in people.items()}
    assert len(cards(page(people["signed in"].get(url)))) > few_cards
    assert many == few


def test_the_menu_counts_unread_messages_with_one_query_on_a_page_of_many_parts(
    app, client_for, make_user
):
    annie = make_user(first_name="Annie")
    ask = add_listing(app, annie, title="Boodschappen op dinsdag")
    bob = signed_in(client_for, make_user(first_name="Bob"))
    assert (
        bob.post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": "Ik help."}).status_code == 302
    )
    annie_client = signed_in(client_for, annie)

    annie_client.get("/")
    with counting_queries(app) as statements:
        home = page(annie_client.get("/"))
    assert '<span class="count">(1 nieuw)</span>' in home
    # The home page renders a template per block; the count is asked once all the same.
    assert sum("FROM conversations" in statement for statement in statements) == 1


def test_each_card_shows_its_own_words_in_the_readers_language(app, client_for, make_user):
    author = make_user(role=Role.COORDINATOR, first_name="Carla")
    beers = village_ids(app)["Beers"]
    add_listing(
        app,
        author,
        title="Naar de markt",
        village_id=beers,
        remote_ok=True,
        timing=Timing.WEEKLY,
        on_behalf_of="<b>oma</b>",
    )
    add_listing(app, author, title="Een lift", timing=Timing.ON_DATE, needed_on=date(2031, 3, 5))
    client = client_for("cuijk")

    lift, market = cards(page(client.get("/vraag-en-aanbod")))
    assert "<dd>Beers · ook via telefoon of online</dd>" in market
    assert "<dd>Elke week</dd>" in market
    assert "<dd>Carla (voor &lt;b&gt;oma&lt;/b&gt;)</dd>" in market
    assert "<dd>De hele gemeente</dd>" in lift
    assert "<dd>Op woensdag 5 maart 2031</dd>" in lift
    assert "Hulpvraag" in lift and "Request for help" not in lift

    lift, market = cards(page(in_english(client).get("/vraag-en-aanbod")))
    assert "<dd>Beers · also by phone or online</dd>" in market
    assert "<dd>Every week</dd>" in market
    assert "<dd>Carla (for &lt;b&gt;oma&lt;/b&gt;)</dd>" in market
    assert "<dd>The whole municipality</dd>" in lift
    assert "<dd>On Wednesday, March 5, 2031</dd>" in lift
    assert "Request for help" in lift and "Hulpvraag" not in lift


def test_wtforms_own_messages_follow_the_readers_language(client_for):
    # WTForms' catalogues are read once per language and kept: each reader still gets theirs.
    dutch, english = client_for("cuijk"), in_english(client_for("cuijk"))
    for _ in range(2):
        assert "Ongeldige keuze" in page(dutch.get("/vraag-en-aanbod?category=999"))
        shown = page(english.get("/vraag-en-aanbod?category=999"))
        assert "Not a valid choice" in shown and "Ongeldige keuze" not in shown
