"""The page for partners in Chromium, on a phone: Marieke of Centrum Mantelzorg finds the
address of Beers' news list and makes a piece of HTML for her newsletter with the keyboard
alone; the page in Dutch and in English, with axe-core on each and no sideways scrolling.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from buurtplatform.extensions import db
from buurtplatform.news.models import NewsItem
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import in_municipality, village_named
from tests.browser.test_journeys import PHONE

pytestmark = pytest.mark.browser

SLUG = "cuijk"
TITLE = "Mantelzorgcafé in Beers"


@pytest.fixture
def news_in_beers(live_server: LiveServer) -> Iterator[int]:
    """A news item for Beers, removed afterwards for the other journeys on Cuijk."""
    with in_municipality(live_server, SLUG):
        item = NewsItem(title=TITLE, body="Koffie en een goed gesprek.")
        item.village_id = village_named("Beers")
        db.session.add(item)
        db.session.commit()
        beers = item.village_id
    yield beers
    with in_municipality(live_server, SLUG):
        db.session.execute(sa.delete(NewsItem).where(NewsItem.title == TITLE))
        db.session.commit()


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_partner_makes_a_piece_of_html_for_her_newsletter(
    browser: Browser, live_server: LiveServer, news_in_beers: int, language: str
) -> None:
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server.url(SLUG))
    switch = page.locator(f"header button[name='language-locale'][value='{language}']")
    if switch.count():
        switch.click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("footer a[href='/voor-partners']").click()
    page.wait_for_load_state()
    assert_accessible(page)
    fits_the_phone(page)
    address = live_server.url(SLUG, f"/atom/{news_in_beers}/nieuws.xml")
    expect(page.locator(f"main a[href='{address}']")).to_be_visible()

    # The village, then with the keyboard alone the news list and the button.
    page.locator("#village").select_option(label="Beers")
    page.locator("#kind-2").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".partner-preview")).to_contain_text(TITLE)
    snippet = page.locator("#partner-snippet")
    expect(snippet).to_have_attribute("readonly", "")
    assert "<ul>" in snippet.input_value() and TITLE in snippet.input_value()
    assert "<script" not in snippet.input_value()
    assert_accessible(page)
    fits_the_phone(page)

    feed = page.goto(address)
    assert feed is not None and feed.status == 200
    assert feed.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert TITLE in feed.text()
    context.close()
