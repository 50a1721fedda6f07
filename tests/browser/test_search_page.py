"""The search of the whole site in Chromium, on a phone: from the home page's search box to
what it finds of each kind, on to the board's own list, and what it says when it finds nothing
or the text is too long; in Dutch and in English, with axe-core on each page.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.board.models import BoardPost, PostKind
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Kind, Listing
from buurtplatform.news.models import NewsItem
from buurtplatform.timestamps import utcnow
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import in_municipality
from tests.browser.test_journeys import visit

pytestmark = pytest.mark.browser

SLUG = "sint-anthonis"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def visitor(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A visitor's phone, and something about herbs of each kind in Sint Anthonis."""
    with in_municipality(live_server, SLUG):
        author = User(
            email="kruiden.zoeker@example.nl", first_name="Riek", email_verified_at=utcnow()
        )
        author.set_password("een goed wachtwoord")
        db.session.add(Membership(user=author, role=Role.RESIDENT))
        db.session.flush()
        category = db.session.scalar(sa.select(Category.id).order_by(Category.id))
        db.session.add_all(
            [
                Listing(
                    kind=Kind.ASK,
                    category_id=category,
                    title="Hulp bij mijn kruidentuin",
                    description="Wie helpt met wieden?",
                    author_id=author.id,
                    expires_at=utcnow() + timedelta(days=30),
                ),
                BoardPost(
                    kind=PostKind.TIP,
                    title="Verse kruiden op de markt",
                    body="Elke zaterdag in Oploo.",
                    author_id=author.id,
                ),
                NewsItem(title="Kruidenwandeling in Stevensbeek", body="Met een gids."),
            ]
        )
        db.session.commit()
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def search_from_the_box(page: Page, text: str) -> None:
    page.locator("main form.site-search input[name=q]").fill(text)
    page.locator("main form.site-search button[type=submit]").click()
    page.wait_for_load_state()


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def walk(page: Page, live_server: LiveServer, texts: dict[str, str]) -> None:
    """Search from the home page, follow a kind to its own list, find nothing, ask too much."""
    visit(page, live_server.url(SLUG, "/"))
    search_from_the_box(page, "kruiden")
    expect(page.locator("h1")).to_have_text(texts["title"])
    headings = page.locator("main section.found-group h2").all_inner_texts()
    assert headings == texts["groups"]
    expect(page.locator("main")).to_contain_text("Hulp bij mijn kruidentuin")
    assert fits_the_screen(page)
    assert_accessible(page)

    page.locator("main a[href='/prikbord?q=kruiden']").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Verse kruiden op de markt")
    assert_accessible(page)

    visit(page, live_server.url(SLUG, "/zoeken"))
    search_from_the_box(page, "zwembad")
    expect(page.locator("main .empty-state")).to_contain_text(texts["nothing"])
    expect(page.locator("main .empty-state a.phone")).to_be_visible()
    assert fits_the_screen(page)
    assert_accessible(page)

    # The box takes no more than fits; a link can hold more.
    page.goto(live_server.url(SLUG, "/zoeken?q=" + "kruiden+" * 20))
    expect(page.locator("main .error-message")).to_contain_text(texts["too_long"])
    assert_accessible(page)


def test_a_visitor_searches_everything_in_dutch_and_in_english(
    live_server: LiveServer, visitor: Page
) -> None:
    walk(
        visitor,
        live_server,
        {
            "title": "Zoeken op de site",
            "groups": ["Vraag en aanbod (1)", "Prikbord (1)", "Nieuws (1)"],
            "nothing": 'Niets gevonden voor "zwembad"',
            "too_long": "Dit mag niet langer zijn dan 100 tekens.",
        },
    )
    visitor.locator("header button[name='language-locale'][value='en']").click()
    visitor.wait_for_load_state()
    walk(
        visitor,
        live_server,
        {
            "title": "Search the site",
            "groups": ["Asks and offers (1)", "Board (1)", "News (1)"],
            "nothing": 'Nothing found for "zwembad"',
            "too_long": "This can be at most 100 characters long.",
        },
    )
