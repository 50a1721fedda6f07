"""Asks and offers: posting, browsing, managing one's own, and asks on someone's behalf."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from buurtplatform.accounts.models import Role
from buurtplatform.conversations.models import Conversation
from buurtplatform.extensions import db
from buurtplatform.listings.models import Kind, Listing, OfflinePerson, Status, Timing
from buurtplatform.timestamps import utcnow
from tenants.scoping import tenant_context
from tests.helpers import tenant_by_slug
from tests.listing_helpers import (
    add_listing,
    add_many_listings,
    category_id,
    close_in_db,
    counting_queries,
    expire,
    in_english,
    listing_row,
    page,
    set_listing,
    signed_in,
    template_id,
    village_ids,
)

NEXT_WEEK = date.today() + timedelta(days=7)


def ask_form(app, **changes: object) -> dict[str, object]:
    """What a person fills in for an ask; a change of None leaves the field out."""
    data = {
        "kind": "ask",
        "category": category_id(app),
        "title": "Hulp bij de boodschappen",
        "description": "Wie doet op dinsdag boodschappen voor mij?",
        "on_behalf_of": "",
        "village": village_ids(app)["Beers"],
        "remote_ok": "y",
        "timing": "on_date",
        "needed_on": NEXT_WEEK.isoformat(),
        **changes,
    }
    return {name: value for name, value in data.items() if value is not None}


def listing_count(app, slug: str = "cuijk") -> int:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        return db.session.scalar(sa.select(sa.func.count(Listing.id)))


def card_ids(html_text: str) -> list[int]:
    """The listings shown as cards on a page, in order."""
    return [
        int(found)
        for found in re.findall(
            r'class="listing-card__title"><a href="/vraag-en-aanbod/(\d+)">', html_text
        )
    ]


def tag_of(html_text: str, field_id: str) -> str:
    """The HTML tag of the form control (or radio group) with this id."""
    found = re.search(
        rf'<(?:input|textarea|select|fieldset)\b[^>]*\bid="{field_id}"[^>]*>', html_text
    )
    assert found, f"no control with id {field_id!r}"
    return found.group(0)


def has_error(html_text: str, field_id: str) -> bool:
    tag = tag_of(html_text, field_id)
    return 'aria-invalid="true"' in tag or "field--error" in tag


def is_selected(html_text: str, field_id: str, value: object) -> bool:
    select = re.search(rf'<select\b[^>]*\bid="{field_id}"[^>]*>(.*?)</select>', html_text, re.S)
    assert select, f"no select with id {field_id!r}"
    return re.search(rf'<option selected value="{value}">', select.group(1)) is not None


def is_checked(html_text: str, name: str, value: str) -> bool:
    radios = re.findall(rf'<input\b[^>]*\bname="{name}"[^>]*>', html_text)
    chosen = [radio for radio in radios if f'value="{value}"' in radio]
    assert chosen, f"no radio button {name}={value}"
    return " checked " in chosen[0]


def detail_id(response) -> int:
    assert response.status_code == 302, page(response)
    found = re.fullmatch(r"/vraag-en-aanbod/(\d+)", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


# Posting


def test_an_ask_in_three_steps_is_on_its_page_and_in_the_list(app, client_for, make_user):
    annie = make_user()
    client = signed_in(client_for, annie)
    form_page = page(client.get("/vraag-en-aanbod/nieuw"))
    assert is_checked(form_page, "kind", "ask")
    # The form starts in the member's own village (the first of Cuijk).
    assert is_selected(form_page, "village", village_ids(app)["Cuijk"])

    listing_id = detail_id(client.post("/vraag-en-aanbod/nieuw", data=ask_form(app)))

    listing = listing_row(app, listing_id)
    assert listing.kind == Kind.ASK
    assert listing.status == Status.OPEN
    assert listing.author_id == annie.id
    assert listing.category_id == category_id(app)
    assert listing.village_id == village_ids(app)["Beers"]
    assert listing.remote_ok is True
    assert listing.timing == Timing.ON_DATE
    assert listing.needed_on == NEXT_WEEK
    assert listing.by_organisation is False
    assert listing.on_behalf_of is None
    lifetime = listing.expires_at - utcnow()
    assert timedelta(days=29) < lifetime <= timedelta(days=30)

    detail = page(client.get(f"/vraag-en-aanbod/{listing_id}"))
    assert "<h1>Hulp bij de boodschappen</h1>" in detail
    assert "Wie doet op dinsdag boodschappen voor mij?" in detail
    assert "Beers" in detail
    # Anyone, also without an account, finds it in the list.
    browse = page(client_for("cuijk").get("/vraag-en-aanbod"))
    assert card_ids(browse) == [listing_id]
    assert "Hulp bij de boodschappen" in browse


def test_an_offer_and_a_flexible_or_weekly_timing(app, client_for, make_user):
    client = signed_in(client_for, make_user())
    offer_id = detail_id(
        client.post(
            "/vraag-en-aanbod/nieuw",
            data=ask_form(app, kind="offer", timing="weekly", needed_on="", village=0),
        )
    )
    offer = listing_row(app, offer_id)
    assert offer.kind == Kind.OFFER
    assert offer.timing == Timing.WEEKLY
    assert offer.needed_on is None
    # Village 0: the whole municipality.
    assert offer.village_id is None
    # A date given with a flexible timing is not kept.
    flexible_id = detail_id(
        client.post("/vraag-en-aanbod/nieuw", data=ask_form(app, timing="flexible"))
    )
    assert listing_row(app, flexible_id).needed_on is None
    # Today, in the Netherlands, is not in the past.
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    today_id = detail_id(
        client.post("/vraag-en-aanbod/nieuw", data=ask_form(app, needed_on=today.isoformat()))
    )
    assert listing_row(app, today_id).needed_on == today


def hidden_kind(html_text: str) -> str | None:
    found = re.search(r'<input type="hidden" name="kind" value="(\w+)">', html_text)
    return found.group(1) if found else None


@pytest.mark.parametrize(
    ("soort", "kind", "heading", "other"),
    [("vraag", Kind.ASK, "Vraag om hulp", "offer"), ("aanbod", Kind.OFFER, "Bied hulp aan", "ask")],
)
def test_the_form_reached_from_ask_or_offer_does_not_ask_the_kind_again(
    app, client_for, make_user, soort, kind, heading, other
):
    client = signed_in(client_for, make_user())
    form_page = page(client.get(f"/vraag-en-aanbod/nieuw?soort={soort}"))
    assert f"<h1>{heading}</h1>" in form_page
    assert hidden_kind(form_page) == kind.value
    assert 'type="radio" name="kind"' not in form_page
    # Even a changed hidden field keeps the kind of the form.
    listing_id = detail_id(
        client.post(f"/vraag-en-aanbod/nieuw?soort={soort}", data=ask_form(app, kind=other))
    )
    assert listing_row(app, listing_id).kind == kind
    # Without a kind in the address, the form asks it.
    assert is_checked(page(client.get("/vraag-en-aanbod/nieuw")), "kind", "ask")


def test_the_offer_form_is_written_for_offers(app, client_for, make_user):
    client = in_english(signed_in(client_for, make_user()))
    offer_form = page(client.get("/vraag-en-aanbod/nieuw?soort=aanbod"))
    ask_form_page = page(client.get("/vraag-en-aanbod/nieuw?soort=vraag"))
    assert "for example: I help in the garden." in offer_form
    assert "What can you do, and when does it suit you?" in offer_form
    assert "Who can take me to the hospital?" in ask_form_page
    # An offer is never for someone else, so it does not ask for whom.
    assert 'name="on_behalf_of"' not in offer_form
    assert 'name="on_behalf_of"' in ask_form_page


def test_offer_templates_fill_in_an_offer_and_ask_templates_an_ask(app, client_for, make_user):
    client = in_english(signed_in(client_for, make_user()))

    def link(kind: Kind, key: str) -> str:
        soort = "aanbod" if kind == Kind.OFFER else "vraag"
        return f"/vraag-en-aanbod/nieuw?soort={soort}&sjabloon={template_id(app, kind, key)}"

    offer_page = page(client.get("/vraag-en-aanbod/nieuw?soort=aanbod"))
    for key in ("shopping", "odd_jobs", "company", "computer", "garden"):
        assert f'href="{html.escape(link(Kind.OFFER, key))}"' in offer_page
    assert f"sjabloon={template_id(app, Kind.ASK, 'hospital')}" not in offer_page
    assert "I offer a chat or a walk" in offer_page

    garden = page(client.get(link(Kind.OFFER, "garden")))
    assert 'value="I help in the garden"' in tag_of(garden, "title")
    assert "I can mow the lawn" in garden
    assert is_selected(garden, "category", category_id(app, key="garden"))
    # A template never switches the kind: the offer form stays an offer form.
    assert hidden_kind(garden) == "offer"
    shopping = page(client.get(link(Kind.ASK, "shopping")))
    assert tag_of(shopping, "title").count('value="Help with the weekly shopping"') == 1
    assert hidden_kind(shopping) == "ask"
    hospital = page(client.get(link(Kind.ASK, "hospital")))
    assert is_selected(hospital, "category", category_id(app, key="transport"))
    # An ask's template asked for on the offer form, an unknown one, or another
    # municipality's, leaves it empty.
    for address in (
        f"soort=aanbod&sjabloon={template_id(app, Kind.ASK, 'hospital')}",
        "soort=vraag&sjabloon=bestaat-niet",
        "soort=vraag&sjabloon=99999999999999999999",
        f"soort=vraag&sjabloon={template_id(app, Kind.ASK, 'hospital', slug='grave')}",
    ):
        assert 'value=""' in tag_of(page(client.get(f"/vraag-en-aanbod/nieuw?{address}")), "title")
    # Without a kind, both kinds of examples are offered, each leading to its own form.
    both = page(client.get("/vraag-en-aanbod/nieuw"))
    assert f'href="{html.escape(link(Kind.ASK, "hospital"))}"' in both
    assert f'href="{html.escape(link(Kind.OFFER, "garden"))}"' in both


def test_an_open_offer_puts_its_author_in_who_helps(app, client_for, make_user):
    daan = make_user(first_name="Daan")
    client = signed_in(client_for, daan)
    offer_id = detail_id(
        client.post(
            "/vraag-en-aanbod/nieuw?soort=aanbod",
            data=ask_form(
                app,
                category=category_id(app, key="garden"),
                title="Ik help in de tuin",
                village=village_ids(app)["Sint Agatha"],
            ),
        )
    )
    visitor = client_for("cuijk")
    garden = page(visitor.get(f"/wie-helpt?category={category_id(app, key='garden')}"))
    assert "Daan, Sint Agatha" in garden
    assert f'href="/vraag-en-aanbod/{offer_id}">Ik help in de tuin</a>' in garden
    assert "Dit is jouw aanbod." in page(client.get("/wie-helpt"))
    # Only while the offer is open: closed, Daan is no longer listed.
    close_in_db(app, offer_id)
    assert "Daan" not in page(visitor.get("/wie-helpt"))


def test_an_ask_for_someone_else_says_for_whom(app, client_for, make_user):
    client = signed_in(client_for, make_user())
    listing_id = detail_id(
        client.post("/vraag-en-aanbod/nieuw", data=ask_form(app, on_behalf_of="mijn moeder"))
    )
    assert listing_row(app, listing_id).on_behalf_of == "mijn moeder"
    assert "mijn moeder" in page(client.get(f"/vraag-en-aanbod/{listing_id}"))
    assert "mijn moeder" in page(client.get("/vraag-en-aanbod"))
    # An offer is never for someone else.
    offer_id = detail_id(
        client.post(
            "/vraag-en-aanbod/nieuw",
            data=ask_form(app, kind="offer", on_behalf_of="mijn moeder"),
        )
    )
    assert listing_row(app, offer_id).on_behalf_of is None


def test_an_organisation_s_listing_is_labelled(app, client_for, make_user):
    organisation = signed_in(client_for, make_user(role=Role.ORGANISATION))
    resident = signed_in(client_for, make_user())
    by_organisation = detail_id(organisation.post("/vraag-en-aanbod/nieuw", data=ask_form(app)))
    by_resident = detail_id(resident.post("/vraag-en-aanbod/nieuw", data=ask_form(app)))
    assert listing_row(app, by_organisation).by_organisation is True
    assert listing_row(app, by_resident).by_organisation is False
    assert "badge--organisation" in page(organisation.get(f"/vraag-en-aanbod/{by_organisation}"))
    assert "badge--organisation" not in page(resident.get(f"/vraag-en-aanbod/{by_resident}"))
    browse = page(client_for("cuijk").get("/vraag-en-aanbod"))
    assert browse.count("badge--organisation") == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 101}, "title"),
        ({"description": "x" * 2001}, "description"),
        ({"description": ""}, "description"),
        ({"needed_on": ""}, "needed_on"),
        ({"needed_on": (date.today() - timedelta(days=2)).isoformat()}, "needed_on"),
        ({"needed_on": "morgen"}, "needed_on"),
        ({"category": 0}, "category"),
        ({"kind": None}, "kind"),
        ({"kind": "ruilen"}, "kind"),
        ({"timing": "ooit"}, "timing"),
        ({"on_behalf_of": "x" * 81}, "on_behalf_of"),
    ],
)
def test_bad_input_is_shown_again_with_an_error_and_saves_nothing(
    app, client_for, make_user, changes, field
):
    client = signed_in(client_for, make_user())
    data = ask_form(app, **changes)
    response = client.post("/vraag-en-aanbod/nieuw", data=data)
    assert response.status_code == 200
    form_page = page(response)
    assert has_error(form_page, field)
    assert 'class="error-summary"' in form_page
    # What was typed is still there.
    if data.get("title", "").strip():
        assert f'value="{data["title"]}"' in tag_of(form_page, "title")
    if field != "description":
        assert html.escape(data["description"], quote=False) in form_page
    assert listing_count(app) == 0


def test_a_village_or_category_of_another_municipality_is_refused(app, client_for, make_user):
    client = signed_in(client_for, make_user())
    grave_village = village_ids(app, "grave")["Escharen"]
    grave_category = category_id(app, "grave")
    for changes, field in [
        ({"village": grave_village}, "village"),
        ({"category": grave_category}, "category"),
    ]:
        response = client.post("/vraag-en-aanbod/nieuw", data=ask_form(app, **changes))
        assert response.status_code == 200
        assert has_error(page(response), field)
        assert 'value="Hulp bij de boodschappen"' in tag_of(page(response), "title")
    assert listing_count(app) == 0
    assert listing_count(app, "grave") == 0


def test_the_error_message_says_what_is_wrong(app, client_for, make_user):
    client = in_english(signed_in(client_for, make_user()))
    form_page = page(
        client.post("/vraag-en-aanbod/nieuw", data=ask_form(app, title="", needed_on=""))
    )
    assert "Give your message a short title." in form_page
    assert "Fill in the date, for example 24-12-2026." in form_page
    past = (date.today() - timedelta(days=2)).isoformat()
    form_page = page(client.post("/vraag-en-aanbod/nieuw", data=ask_form(app, needed_on=past)))
    assert "This date has passed. Choose a date from today on." in form_page


def test_a_visitor_is_sent_to_become_a_member_and_anonymous_to_sign_in(app, client_for, make_user):
    visitor = signed_in(client_for, make_user("grave"))
    for response in (
        visitor.get("/vraag-en-aanbod/nieuw"),
        visitor.post("/vraag-en-aanbod/nieuw", data=ask_form(app)),
    ):
        assert response.status_code == 302
        # Joining carries the page asked for (a GET) as its goal.
        assert response.headers["Location"].split("?")[0] == "/lid-worden"
    anonymous = client_for("cuijk")
    for response in (
        anonymous.get("/vraag-en-aanbod/nieuw"),
        anonymous.post("/vraag-en-aanbod/nieuw", data=ask_form(app)),
    ):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/inloggen")
    assert listing_count(app) == 0


# Browsing


@pytest.fixture
def three_listings(app, make_user) -> dict[str, int]:
    """An ask for shopping in Beers (also remote), an offer for the garden in Haps, an ask for
    transport in the whole municipality."""
    author = make_user()
    villages = village_ids(app)
    return {
        "shopping": add_listing(
            app,
            author,
            title="Boodschappen in Beers",
            village_id=villages["Beers"],
            remote_ok=True,
        ),
        "garden": add_listing(
            app,
            author,
            title="Tuinhulp in Haps",
            kind=Kind.OFFER,
            category_id=category_id(app, key="garden"),
            village_id=villages["Haps"],
        ),
        "transport": add_listing(
            app,
            author,
            title="Vervoer naar Nijmegen",
            category_id=category_id(app, key="transport"),
        ),
    }


def test_filters_by_kind_category_village_and_remote(app, client_for, three_listings):
    client = client_for("cuijk")
    ids = three_listings
    villages = village_ids(app)

    def shown(query: str) -> set[int]:
        response = client.get(f"/vraag-en-aanbod{query}")
        assert response.status_code == 200
        return set(card_ids(page(response)))

    assert shown("") == set(ids.values())
    assert shown("?kind=ask") == {ids["shopping"], ids["transport"]}
    assert shown("?kind=offer") == {ids["garden"]}
    assert shown(f"?category={category_id(app, key='transport')}") == {ids["transport"]}
    assert shown(f"?village={villages['Haps']}") == {ids["garden"]}
    assert shown("?remote=y") == {ids["shopping"]}
    assert shown(f"?kind=ask&village={villages['Beers']}&remote=y") == {ids["shopping"]}
    assert shown(f"?kind=offer&village={villages['Beers']}") == set()
    # Nonsense in the query string is ignored, not an error.
    assert shown("?kind=ruilen&category=abc&village=-1&page=xyz") == set(ids.values())
    assert shown("?category=99999999999999999999&page=0") == set(ids.values())
    assert shown("?page=99999999999999999999") == set(ids.values())


def test_pages_of_twenty_with_links_that_keep_the_filters(app, client_for, make_user):
    author = make_user()
    add_many_listings(app, author, 50)  # 25 asks and 25 offers
    client = client_for("cuijk")
    first = page(client.get("/vraag-en-aanbod?kind=ask"))
    first_ids = card_ids(first)
    assert len(first_ids) == 20
    assert 'rel="prev"' not in first
    next_link = html.unescape(re.search(r'<a rel="next" href="([^"]+)"', first).group(1))
    assert next_link.startswith("/vraag-en-aanbod?")
    assert "kind=ask" in next_link
    assert "page=2" in next_link

    second = page(client.get(next_link))
    second_ids = card_ids(second)
    assert len(second_ids) == 5
    assert not set(first_ids) & set(second_ids)
    assert 'rel="next"' not in second
    prev_link = html.unescape(re.search(r'<a rel="prev" href="([^"]+)"', second).group(1))
    assert "kind=ask" in prev_link
    assert "page=1" in prev_link
    assert {listing_row(app, n).kind for n in first_ids + second_ids} == {Kind.ASK}


def test_twenty_one_listings_make_a_second_page(app, client_for, make_user):
    author = make_user()
    ids = [add_listing(app, author, title=f"Vraag {n}") for n in range(21)]
    client = client_for("cuijk")
    first = page(client.get("/vraag-en-aanbod"))
    # Newest first.
    assert card_ids(first) == ids[::-1][:20]
    assert 'rel="next"' in first
    assert card_ids(page(client.get("/vraag-en-aanbod?page=2"))) == [ids[0]]


def test_empty_states(app, client_for, make_user):
    client = client_for("cuijk")
    nothing = page(client.get("/vraag-en-aanbod"))
    assert card_ids(nothing) == []
    assert 'class="empty-state"' in nothing
    add_listing(app, make_user(), kind=Kind.OFFER)
    no_match = page(client.get("/vraag-en-aanbod?kind=ask"))
    assert card_ids(no_match) == []
    assert 'class="empty-state"' in no_match
    # The way out: a link to the list without filters.
    assert '<a href="/vraag-en-aanbod">' in no_match


def test_expired_closed_and_matched_listings_are_not_listed(app, client_for, make_user):
    author = make_user()
    open_id = add_listing(app, author, title="Nog open")
    expired_id = add_listing(app, author, title="Verlopen vraag")
    closed_id = add_listing(app, author, title="Gesloten vraag")
    matched_id = add_listing(app, author, title="Gematchte vraag")
    expire(app, expired_id)
    close_in_db(app, closed_id)
    set_listing(app, matched_id, status=Status.MATCHED, matched_at=utcnow())
    client = client_for("cuijk")
    for url in ("/vraag-en-aanbod", "/"):
        shown = page(client.get(url))
        assert card_ids(shown) == [open_id], url
        for title in ("Verlopen vraag", "Gesloten vraag", "Gematchte vraag"):
            assert title not in shown
    # Their own pages still answer, for the people who have the link.
    for listing_id in (expired_id, closed_id, matched_id):
        assert client.get(f"/vraag-en-aanbod/{listing_id}").status_code == 200


def test_another_municipality_s_listings_never_appear(app, client_for, make_user):
    grave_id = add_listing(app, make_user("grave"), "grave", title="Alleen in Grave")
    cuijk_id = add_listing(app, make_user(), title="Alleen in Cuijk")
    cuijk = signed_in(client_for, make_user(role=Role.CONNECTOR))
    for url in ("/vraag-en-aanbod", "/", "/vraag-en-aanbod?kind=ask&page=1"):
        shown = page(cuijk.get(url))
        assert "Alleen in Grave" not in shown
        assert card_ids(shown) == [cuijk_id]
    for suffix in ("", "/afdrukken", "/bewerken", "/verwijderen", "/reageren", "/melden"):
        assert cuijk.get(f"/vraag-en-aanbod/{grave_id}{suffix}").status_code == 404, suffix
    assert card_ids(page(client_for("grave").get("/vraag-en-aanbod"))) == [grave_id]


def test_what_people_write_is_shown_as_text(app, client_for, make_user):
    author = make_user()
    listing_id = add_listing(
        app,
        author,
        title="<script>alert(1)</script>",
        description='<img src=x onerror="alert(2)">',
        on_behalf_of="<b>oma</b>",
    )
    client = signed_in(client_for, author)
    for url in ("/vraag-en-aanbod", "/", f"/vraag-en-aanbod/{listing_id}", "/mijn/vraag-en-aanbod"):
        shown = page(client.get(url))
        assert "<script>alert(1)</script>" not in shown, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown, url
        assert "<b>oma</b>" not in shown, url
    detail = page(client.get(f"/vraag-en-aanbod/{listing_id}"))
    assert "<img src=x" not in detail
    assert "&lt;img src=x" in detail


# The number of SQL queries a page costs does not grow with the number of listings.


def queries_for(app, client, url: str) -> int:
    app.config["PAGE_CACHE"] = False  # the page made, not kept (tests/test_page_cache.py)
    assert client.get(url).status_code == 200  # a first request warms up any caches
    with counting_queries(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("url", ["/vraag-en-aanbod", "/vraag-en-aanbod?kind=ask&page=2", "/"])
def test_the_list_and_the_home_page_cost_the_same_queries_for_10_or_500_listings(
    app, client_for, make_user, url
):
    # A coordinator's listings include asks on someone's behalf, which a card mentions.
    author = make_user(role=Role.COORDINATOR)
    reader = signed_in(client_for, make_user())
    anonymous = client_for("cuijk")
    counts = []
    for added in (10, 40, 450):  # 10, 50 and 500 in all
        add_many_listings(app, author, added)
        counts.append((queries_for(app, reader, url), queries_for(app, anonymous, url)))
    assert counts[0] == counts[1] == counts[2]


def test_my_listings_cost_the_same_queries_for_10_or_100(app, client_for, make_user):
    coordinator = make_user(role=Role.COORDINATOR)
    client = signed_in(client_for, coordinator)
    add_many_listings(app, coordinator, 10)
    few = queries_for(app, client, "/mijn/vraag-en-aanbod")
    assert len(card_ids(page(client.get("/mijn/vraag-en-aanbod")))) == 10
    add_many_listings(app, coordinator, 90)
    many = queries_for(app, client, "/mijn/vraag-en-aanbod")
    assert len(card_ids(page(client.get("/mijn/vraag-en-aanbod")))) == 100
    assert many == few


# Managing one's own listings


def test_the_author_edits_a_listing(app, client_for, make_user):
    author = make_user()
    client = signed_in(client_for, author)
    listing_id = detail_id(client.post("/vraag-en-aanbod/nieuw", data=ask_form(app)))
    form_page = page(client.get(f"/vraag-en-aanbod/{listing_id}/bewerken"))
    assert 'value="Hulp bij de boodschappen"' in tag_of(form_page, "title")
    assert is_selected(form_page, "category", category_id(app))
    assert is_selected(form_page, "village", village_ids(app)["Beers"])
    assert is_checked(form_page, "timing", "on_date")
    assert f'value="{NEXT_WEEK.isoformat()}"' in tag_of(form_page, "needed_on")

    response = client.post(
        f"/vraag-en-aanbod/{listing_id}/bewerken",
        data=ask_form(
            app,
            title="Hulp in de tuin",
            category=category_id(app, key="garden"),
            village=0,
            remote_ok=None,
            timing="weekly",
        ),
    )
    assert detail_id(response) == listing_id
    listing = listing_row(app, listing_id)
    assert listing.title == "Hulp in de tuin"
    assert listing.category_id == category_id(app, key="garden")
    assert listing.village_id is None
    assert listing.remote_ok is False
    assert listing.timing == Timing.WEEKLY
    assert listing.needed_on is None
    assert listing.author_id == author.id
    # An ask stays an ask: the edit form does not ask the kind, nor takes it.
    assert 'type="radio" name="kind"' not in form_page
    client.post(f"/vraag-en-aanbod/{listing_id}/bewerken", data=ask_form(app, kind="offer"))
    assert listing_row(app, listing_id).kind == Kind.ASK
    # A bad edit changes nothing.
    bad = client.post(f"/vraag-en-aanbod/{listing_id}/bewerken", data=ask_form(app, title=""))
    assert bad.status_code == 200
    assert has_error(page(bad), "title")
    assert listing_row(app, listing_id).title == "Hulp bij de boodschappen"


def test_renewing_moves_the_end_date_and_brings_an_expired_listing_back(app, client_for, make_user):
    with app.app_context():
        tenant_by_slug("cuijk").listing_lifetime_days = 14
        db.session.commit()
    author = make_user()
    listing_id = add_listing(app, author)
    expire(app, listing_id)
    client = signed_in(client_for, author)
    assert card_ids(page(client.get("/vraag-en-aanbod"))) == []
    detail = page(client.get(f"/vraag-en-aanbod/{listing_id}"))
    assert f'action="/vraag-en-aanbod/{listing_id}/verlengen"' in detail

    response = client.post(f"/vraag-en-aanbod/{listing_id}/verlengen")
    assert detail_id(response) == listing_id
    remaining = listing_row(app, listing_id).expires_at - utcnow()
    assert timedelta(days=13, hours=23) < remaining <= timedelta(days=14)
    assert card_ids(page(client.get("/vraag-en-aanbod"))) == [listing_id]


def test_renewing_reopens_a_closed_listing(app, client_for, make_user):
    author = make_user()
    listing_id = add_listing(app, author)
    close_in_db(app, listing_id)
    client = signed_in(client_for, author)
    client.post(f"/vraag-en-aanbod/{listing_id}/verlengen")
    listing = listing_row(app, listing_id)
    assert listing.status == Status.OPEN
    assert listing.closed_at is None
    assert card_ids(page(client.get("/vraag-en-aanbod"))) == [listing_id]


def test_closing_takes_a_listing_out_of_the_list(app, client_for, make_user):
    author = make_user()
    listing_id = add_listing(app, author)
    client = signed_in(client_for, author)
    assert card_ids(page(client.get("/vraag-en-aanbod"))) == [listing_id]
    assert detail_id(client.post(f"/vraag-en-aanbod/{listing_id}/sluiten")) == listing_id
    listing = listing_row(app, listing_id)
    assert listing.status == Status.CLOSED
    assert listing.closed_at is not None
    assert card_ids(page(client.get("/vraag-en-aanbod"))) == []
    # The author still finds it among their own.
    assert card_ids(page(client.get("/mijn/vraag-en-aanbod"))) == [listing_id]


def test_deleting_asks_for_confirmation_first(app, client_for, make_user):
    author = make_user()
    listing_id = add_listing(app, author, title="Weg ermee")
    client = signed_in(client_for, author)
    confirmation = client.get(f"/vraag-en-aanbod/{listing_id}/verwijderen")
    assert confirmation.status_code == 200
    assert "Weg ermee" in page(confirmation)
    assert '<form method="post"' in page(confirmation)
    assert listing_row(app, listing_id) is not None

    response = client.post(f"/vraag-en-aanbod/{listing_id}/verwijderen")
    assert response.status_code == 302
    assert response.headers["Location"] == "/mijn/vraag-en-aanbod"
    assert listing_row(app, listing_id) is None
    assert client.get(f"/vraag-en-aanbod/{listing_id}").status_code == 404


def conversations(app) -> list[Conversation]:
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        found = db.session.scalars(sa.select(Conversation)).all()
        db.session.expunge_all()
        return list(found)


def test_deleting_a_listing_with_replies_removes_its_conversations(app, client_for, make_user):
    author = make_user()
    replier = make_user()
    listing_id = add_listing(app, author, title="Weg ermee")
    replying = signed_in(client_for, replier)
    reply = replying.post(f"/vraag-en-aanbod/{listing_id}/reageren", data={"body": "Ik help."})
    assert reply.status_code == 302
    client = signed_in(client_for, author)
    assert [c.listing_id for c in conversations(app)] == [listing_id]
    for person in (client, replying):
        assert reply.location in page(person.get("/gesprekken"))

    assert client.post(f"/vraag-en-aanbod/{listing_id}/verwijderen").status_code == 302

    assert listing_row(app, listing_id) is None
    assert conversations(app) == []
    for person in (client, replying):
        assert reply.location not in page(person.get("/gesprekken"))
        assert person.get("/mijn/reacties").status_code == 200
    assert replying.get(reply.location).status_code == 404


def manage_requests(listing_id: int) -> list[tuple[str, str]]:
    base = f"/vraag-en-aanbod/{listing_id}"
    return [
        ("GET", f"{base}/bewerken"),
        ("POST", f"{base}/bewerken"),
        ("POST", f"{base}/verlengen"),
        ("POST", f"{base}/sluiten"),
        ("GET", f"{base}/verwijderen"),
        ("POST", f"{base}/verwijderen"),
    ]


def test_only_the_author_or_staff_may_manage_a_listing(app, client_for, make_user):
    author = make_user()
    listing_id = add_listing(app, author, title="Van Annie")
    expire(app, listing_id)
    before = listing_row(app, listing_id)
    for role in (Role.RESIDENT, Role.ORGANISATION):
        client = signed_in(client_for, make_user(role=role))
        for method, url in manage_requests(listing_id):
            data = ask_form(app, title="Gekaapt") if url.endswith("bewerken") else {}
            assert client.open(url, method=method, data=data).status_code == 403, (role, url)
        # Nor are the buttons shown.
        assert f"/vraag-en-aanbod/{listing_id}/bewerken" not in page(
            client.get(f"/vraag-en-aanbod/{listing_id}")
        )
    # A visitor from Grave, signed in on Cuijk, may not either.
    visitor = signed_in(client_for, make_user("grave", Role.CONNECTOR))
    for method, url in manage_requests(listing_id):
        assert visitor.open(url, method=method, data={}).status_code == 403, url
    # Anonymous: sign in first.
    for method, url in manage_requests(listing_id):
        response = client_for("cuijk").open(url, method=method, data={})
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/inloggen")
    after = listing_row(app, listing_id)
    assert (after.title, after.status, after.expires_at) == (
        before.title,
        before.status,
        before.expires_at,
    )


def test_a_connector_of_another_municipality_gets_a_404(app, client_for, make_user):
    listing_id = add_listing(app, make_user(), title="Van Annie")
    for role in (Role.CONNECTOR, Role.COORDINATOR):
        client = signed_in(client_for, make_user("grave", role), "grave")
        for method, url in manage_requests(listing_id):
            assert client.open(url, method=method, data={}).status_code == 404, url
    assert listing_row(app, listing_id).title == "Van Annie"


@pytest.mark.parametrize("role", [Role.CONNECTOR, Role.COORDINATOR])
def test_a_connector_or_coordinator_manages_any_listing_of_their_municipality(
    app, client_for, make_user, role
):
    author = make_user()
    listing_id = add_listing(app, author, title="Van Annie")
    client = signed_in(client_for, make_user(role=role))
    assert f"/vraag-en-aanbod/{listing_id}/bewerken" in page(
        client.get(f"/vraag-en-aanbod/{listing_id}")
    )
    assert client.get(f"/vraag-en-aanbod/{listing_id}/bewerken").status_code == 200
    client.post(f"/vraag-en-aanbod/{listing_id}/bewerken", data=ask_form(app, title="Aangepast"))
    assert listing_row(app, listing_id).title == "Aangepast"
    # The author stays the author.
    assert listing_row(app, listing_id).author_id == author.id
    client.post(f"/vraag-en-aanbod/{listing_id}/sluiten")
    assert listing_row(app, listing_id).status == Status.CLOSED
    client.post(f"/vraag-en-aanbod/{listing_id}/verlengen")
    assert listing_row(app, listing_id).status == Status.OPEN
    assert client.get(f"/vraag-en-aanbod/{listing_id}/verwijderen").status_code == 200
    assert client.post(f"/vraag-en-aanbod/{listing_id}/verwijderen").status_code == 302
    assert listing_row(app, listing_id) is None


def test_my_listings_show_only_mine_with_their_state(app, client_for, make_user):
    annie = make_user()
    open_id = add_listing(app, annie)
    closed_id = add_listing(app, annie)
    close_in_db(app, closed_id)
    someone_else = add_listing(app, make_user())
    grave_id = add_listing(app, annie, "grave")  # annie is a member of Cuijk only, but still
    client = signed_in(client_for, annie)
    shown = card_ids(page(client.get("/mijn/vraag-en-aanbod")))
    assert set(shown) == {open_id, closed_id}
    assert someone_else not in shown
    assert grave_id not in shown
    assert client_for("cuijk").get("/mijn/vraag-en-aanbod").status_code == 302


def test_the_printable_page(app, client_for, make_user):
    listing_id = add_listing(app, make_user(), title="Boodschappen op dinsdag")
    printed = client_for("cuijk").get(f"/vraag-en-aanbod/{listing_id}/afdrukken")
    assert printed.status_code == 200
    text = page(printed)
    assert "<h1>Boodschappen op dinsdag</h1>" in text
    assert f"<dd>{listing_id}</dd>" in text
    assert "0485 - 700 100" in text
    assert f"http://cuijk.buurt.test/vraag-en-aanbod/{listing_id}" in text


# On someone's behalf


def on_behalf_form(app, **changes: object) -> dict[str, object]:
    person = {
        "person_name": "Mevrouw Jansen",
        "person_phone": "0485 999 888",
        "consent": "y",
        "consent_note": "Telefonisch op 3 maart, met haar dochter erbij.",
    }
    return ask_form(app, **{**person, **changes})


def test_a_coordinator_posts_for_someone_who_is_not_online(app, client_for, make_user):
    coordinator = make_user(role=Role.COORDINATOR, first_name="Sanne")
    client = signed_in(client_for, coordinator)
    assert client.get("/coordinatie/namens-iemand").status_code == 200
    listing_id = detail_id(client.post("/coordinatie/namens-iemand", data=on_behalf_form(app)))

    listing = listing_row(app, listing_id)
    assert listing.author_id == coordinator.id
    assert listing.kind == Kind.ASK
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        person = db.session.get(Listing, listing_id).offline_person
        assert person.name == "Mevrouw Jansen"
        assert person.phone == "0485 999 888"
        assert person.consent_note == "Telefonisch op 3 maart, met haar dochter erbij."
        assert person.recorded_by_id == coordinator.id
        assert person.village_id == village_ids(app)["Beers"]

    # The coordinator sees the name and phone number.
    own_view = page(client.get(f"/vraag-en-aanbod/{listing_id}"))
    assert "Mevrouw Jansen" in own_view
    assert "0485 999 888" in own_view
    other_coordinator = signed_in(client_for, make_user(role=Role.COORDINATOR))
    assert "Mevrouw Jansen" in page(other_coordinator.get(f"/vraag-en-aanbod/{listing_id}"))

    # Nobody else does: not the public, not a resident, not a connector.
    for viewer in (
        client_for("cuijk"),
        signed_in(client_for, make_user()),
        signed_in(client_for, make_user(role=Role.CONNECTOR)),
    ):
        for url in (
            f"/vraag-en-aanbod/{listing_id}",
            f"/vraag-en-aanbod/{listing_id}/afdrukken",
            "/vraag-en-aanbod",
            "/",
        ):
            shown = page(viewer.get(url))
            assert "Hulp bij de boodschappen" in shown, url
            assert "Mevrouw Jansen" not in shown, url
            assert "0485 999 888" not in shown, url


def test_the_printable_page_of_an_ask_on_someone_s_behalf(app, client_for, make_user):
    client = signed_in(client_for, make_user(role=Role.COORDINATOR))
    listing_id = detail_id(client.post("/coordinatie/namens-iemand", data=on_behalf_form(app)))
    printed = page(client_for("cuijk").get(f"/vraag-en-aanbod/{listing_id}/afdrukken"))
    assert "<h1>Hulp bij de boodschappen</h1>" in printed
    assert f"<dd>{listing_id}</dd>" in printed
    assert "0485 - 700 100" in printed  # Cuijk's social worker
    assert "Mevrouw Jansen" not in printed
    assert "0485 999 888" not in printed


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.ORGANISATION, Role.CONNECTOR])
def test_only_coordinators_post_on_someone_s_behalf(app, client_for, make_user, role):
    client = signed_in(client_for, make_user(role=role))
    assert client.get("/coordinatie/namens-iemand").status_code == 403
    assert client.post("/coordinatie/namens-iemand", data=on_behalf_form(app)).status_code == 403
    assert listing_count(app) == 0


def test_a_coordinator_of_another_municipality_does_not_post_here(app, client_for, make_user):
    visitor = signed_in(client_for, make_user("grave", Role.COORDINATOR))
    response = visitor.post("/coordinatie/namens-iemand", data=on_behalf_form(app))
    assert response.status_code == 302
    assert response.headers["Location"] == "/lid-worden"
    assert listing_count(app) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"consent": None}, "consent"),
        ({"consent_note": ""}, "consent_note"),
        ({"person_name": ""}, "person_name"),
        ({"person_phone": ""}, "person_phone"),
    ],
)
def test_without_consent_or_details_nothing_is_posted(app, client_for, make_user, changes, field):
    client = signed_in(client_for, make_user(role=Role.COORDINATOR))
    response = client.post("/coordinatie/namens-iemand", data=on_behalf_form(app, **changes))
    assert response.status_code == 200
    assert has_error(page(response), field)
    assert 'value="Hulp bij de boodschappen"' in tag_of(page(response), "title")
    assert listing_count(app) == 0
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert db.session.scalars(sa.select(OfflinePerson)).all() == []


def test_replies_to_an_ask_on_someone_s_behalf_go_to_the_coordinator(
    app, client_for, make_user, outbox
):
    coordinator = make_user(role=Role.COORDINATOR, email="sanne@sociom.nl")
    client = signed_in(client_for, coordinator)
    listing_id = detail_id(client.post("/coordinatie/namens-iemand", data=on_behalf_form(app)))
    helper = signed_in(client_for, make_user())
    response = helper.post(f"/vraag-en-aanbod/{listing_id}/reageren", data={"body": "Ik help."})
    assert response.status_code == 302
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        conversation = db.session.scalar(sa.select(Conversation))
        assert conversation.author_id == coordinator.id
        conversation_id = conversation.id
    assert outbox()[0].recipient == "sanne@sociom.nl"
    assert "Ik help." in page(client.get(f"/gesprekken/{conversation_id}"))
