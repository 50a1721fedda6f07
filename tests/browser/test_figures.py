"""The figures pages in Chromium: Fatima, a social worker in Mill en Sint Hubert, looks at the
figures per week and per month for Langenboom, on a phone and on a computer, in Dutch and in
English, and downloads a table as CSV; a platform admin looks at all municipalities on the
portal. axe-core on every page; nothing wider than the phone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.extensions import db
from buurtplatform.figures.periods import week_of
from buurtplatform.listings.models import Category
from buurtplatform.timestamps import utcnow
from jobs.periods import local_day, local_midnight
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import in_municipality, village_named
from tests.browser.test_journeys import DESKTOP, PASSWORD, PHONE, visit
from tests.listing_helpers import new_listing

pytestmark = pytest.mark.browser

SLUG = "mill"
EMAIL = "fatima.cijfers@example.nl"
ADMIN = "beheer.cijfers@example.nl"


@contextmanager
def signed_in_page(browser: Browser, url: str, email: str) -> Iterator[Page]:
    """A new browser window at a computer's size, signed in on the sign-in page at `url`."""
    context = browser.new_context(locale="nl-NL", viewport=DESKTOP, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(url)
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    yield page
    context.close()


@pytest.fixture(scope="module")
def fatima(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """Fatima signed in on Mill, where last week two asks were placed in Langenboom."""
    wednesday = week_of(local_day(utcnow())).first - timedelta(days=5)
    with in_municipality(live_server, SLUG):
        user = User(email=EMAIL, first_name="Fatima", email_verified_at=utcnow())
        user.set_password(PASSWORD)
        langenboom = village_named("Langenboom")
        db.session.add(Membership(user=user, role=Role.COORDINATOR, village_id=langenboom))
        db.session.flush()
        category = db.session.scalar(sa.select(Category.id).limit(1))
        for _ in range(2):
            db.session.add(
                new_listing(
                    user.id,
                    category,
                    village_id=langenboom,
                    created_at=local_midnight(wednesday) + timedelta(hours=12),
                )
            )
        admin = User(
            email=ADMIN, first_name="Bea", email_verified_at=utcnow(), is_platform_admin=True
        )
        admin.set_password(PASSWORD)
        db.session.add(admin)
        db.session.commit()
    with signed_in_page(browser, live_server.url(SLUG, "/inloggen"), EMAIL) as page:
        yield page


def choose_language(page: Page, language: str) -> None:
    switch = page.locator(f"header button[name='language-locale'][value='{language}']")
    if switch.count():
        switch.click()
        page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_a_social_worker_chooses_a_village_and_downloads_its_figures(
    live_server: LiveServer, fatima: Page
) -> None:
    visit(fatima, live_server.url(SLUG, "/cijfers"))
    chart = fatima.locator("#figure-asks ~ .figure-body svg[role=img]")
    expect(chart).to_be_visible()
    fatima.locator("label[for='periode-1']").click()  # per maand, by keyboard-reachable label
    fatima.locator("#dorp").select_option(label="Langenboom")
    fatima.locator("#dorp").press("Tab")
    fatima.keyboard.press("Enter")  # the focus is on "Laat zien"
    fatima.wait_for_load_state()
    expect(fatima.locator("main")).to_contain_text("Geplaatste hulpvragen, Langenboom")
    assert "periode=maand" in fatima.url
    assert_accessible(fatima)
    link = fatima.locator("section[aria-labelledby='figure-asks'] a", has_text="Download")
    with fatima.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("cijfers-mill-asks-langenboom-maand-")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][-1] == "Geplaatste hulpvragen"
    assert sum(int(row[-1]) for row in rows[1:]) == 2


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_figures_pages_are_accessible_on_a_phone_and_a_computer(
    browser: Browser, live_server: LiveServer, fatima: Page, language: str
) -> None:
    fatima.goto(live_server.url(SLUG))
    choose_language(fatima, language)
    with in_municipality(live_server, SLUG):
        langenboom = village_named("Langenboom")
    for path in ("/cijfers", f"/cijfers?periode=maand&dorp={langenboom}"):
        fits_a_phone(fatima, live_server.url(SLUG, path))
        visit(fatima, live_server.url(SLUG, path))

    with signed_in_page(browser, live_server.url(None, "/platformbeheer/inloggen"), ADMIN) as admin:
        admin.goto(live_server.url(None))
        choose_language(admin, language)
        fits_a_phone(admin, live_server.url(None, "/platformbeheer/cijfers"))
        visit(admin, live_server.url(None, "/platformbeheer/cijfers"))
        expect(admin.locator("main table").first).to_contain_text("Mill en Sint Hubert")


def fits_a_phone(page: Page, url: str) -> None:
    """At 375 pixels wide nothing sticks out sideways; axe-core runs at a computer's size
    (`visit`), where every part of the page is shown too."""
    page.set_viewport_size(PHONE)
    try:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (url, width)
    finally:
        page.set_viewport_size(DESKTOP)
