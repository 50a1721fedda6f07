"""News, the home page's blocks and the printable weekly overview in Chromium: Ingrid, a
connector in Grave, publishes news with a photo, puts the news block on top of the home page,
and prints the weekly overview for Escharen (print media, A4); every page of hers in Dutch
and in English, with axe-core on each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.extensions import db
from buurtplatform.news.models import NewsItem
from buurtplatform.timestamps import utcnow
from tenants.models import Tenant, Village
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import in_municipality
from tests.browser.test_journeys import DESKTOP, PASSWORD, submit, visit
from tests.test_images import photo_with_gps

pytestmark = pytest.mark.browser

SLUG = "grave"
PHONE = {"width": 390, "height": 844}
EMAIL = "ingrid.nieuws@example.nl"


@pytest.fixture(scope="module")
def ingrid(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """Ingrid's page, signed in on Grave; afterwards Grave's home page is as it was, for the
    other journeys there."""
    with in_municipality(live_server, SLUG):
        user = User(email=EMAIL, first_name="Ingrid", email_verified_at=utcnow())
        user.set_password(PASSWORD)
        village = db.session.scalar(sa.select(Village.id).where(Village.name == "Grave"))
        db.session.add(Membership(user=user, role=Role.CONNECTOR, village_id=village))
        db.session.commit()
    context = browser.new_context(locale="nl-NL", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server.url(SLUG, "/inloggen"))
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    submit(page)
    yield page
    context.close()
    with live_server.app.app_context():
        db.session.scalar(sa.select(Tenant).where(Tenant.slug == SLUG)).home_blocks = []
        db.session.commit()


def block_titles(page: Page) -> list[str]:
    return page.locator("main section h2").all_inner_texts()


def test_a_connector_publishes_news_orders_the_home_page_and_prints_the_overview(
    live_server: LiveServer, ingrid: Page, tmp_path: Path
) -> None:
    visit(ingrid, live_server.url(SLUG, "/nieuws"))
    expect(ingrid.locator("main")).to_contain_text("Er is op dit moment geen nieuws.")
    ingrid.locator("main a[href='/nieuws/nieuw']").click()
    ingrid.wait_for_load_state()
    assert_accessible(ingrid)
    ingrid.locator("#body").fill("Iedereen is **welkom** in het dorpshuis.")
    submit(ingrid)  # no headline: the error, and the text kept
    expect(ingrid.locator(".error-summary")).to_contain_text("Schrijf in een paar woorden")
    expect(ingrid.locator("#body")).to_have_value("Iedereen is **welkom** in het dorpshuis.")
    assert_accessible(ingrid)
    ingrid.locator("#title").fill("Koffieochtend in Escharen")
    ingrid.locator("#village").select_option(label="Escharen")
    ingrid.locator("#photo").set_input_files(
        {"name": "dorpshuis.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}
    )
    submit(ingrid)
    expect(ingrid.locator("h1")).to_have_text("Koffieochtend in Escharen")
    expect(ingrid.locator("main .flash--success")).to_contain_text("Geplaatst.")
    photo = ingrid.locator("img.news-photo")
    expect(photo).to_be_visible()
    assert ingrid.evaluate("img => img.naturalWidth", photo.element_handle()) > 0
    assert_accessible(ingrid)

    visit(ingrid, live_server.url(SLUG))
    titles = block_titles(ingrid)
    assert titles.index("Nieuwste vraag en aanbod") < titles.index("Nieuws")
    ingrid.locator("header a[href='/beheer/']").click()
    ingrid.locator("main a[href='/beheer/startpagina']").click()
    ingrid.wait_for_load_state()
    assert_accessible(ingrid)
    while not ingrid.locator("#block-news").evaluate("row => !row.previousElementSibling"):
        ingrid.locator("#block-news button[value='up']").click()
        ingrid.wait_for_load_state()
    expect(ingrid.locator(".flash--success")).to_contain_text("Nieuws staat nu hoger")
    assert_accessible(ingrid)
    visit(ingrid, live_server.url(SLUG))
    titles = block_titles(ingrid)
    assert titles.index("Nieuws") < titles.index("Nieuwste vraag en aanbod")

    ingrid.locator("header a[href='/beheer/']").click()
    ingrid.locator("main a[href='/buurtnieuws']").click()
    ingrid.wait_for_load_state()
    assert_accessible(ingrid)
    ingrid.locator("#dorp").select_option(label="Escharen")
    ingrid.locator("main form.filters button[type=submit]").click()
    ingrid.wait_for_load_state()
    expect(ingrid.locator(".overview-period")).to_contain_text("Voor Escharen")
    expect(ingrid.locator("main")).to_contain_text("Koffieochtend in Escharen")
    assert_accessible(ingrid)

    ingrid.emulate_media(media="print")
    try:
        expect(ingrid.locator(".site-header")).to_be_hidden()
        expect(ingrid.locator(".no-print")).to_be_hidden()
        expect(ingrid.locator(".overview-phone")).to_be_visible()
        ingrid.screenshot(path=tmp_path / "buurtnieuws-print.png", full_page=True)
        pdf = ingrid.pdf(format="A4")
    finally:
        ingrid.emulate_media(media="screen")
    assert 1 <= len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) <= 2  # one or two A4 pages


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_news_and_overview_page_is_accessible(
    live_server: LiveServer, ingrid: Page, language: str
) -> None:
    ingrid.set_viewport_size(PHONE)
    ingrid.goto(live_server.url(SLUG))
    switch = ingrid.locator(f"header button[name='language-locale'][value='{language}']")
    if switch.count():
        switch.click()
    expect(ingrid.locator("html")).to_have_attribute("lang", language)
    with in_municipality(live_server, SLUG):
        news_id = db.session.scalar(sa.select(sa.func.max(NewsItem.id)))
        village_id = db.session.scalar(sa.select(Village.id).where(Village.name == "Gassel"))
    for path in (
        "/",
        "/nieuws",
        "/nieuws/nieuw",
        f"/nieuws/{news_id}",
        f"/nieuws/{news_id}/bewerken",
        f"/nieuws/{news_id}/verwijderen",
        "/beheer/startpagina",
        "/buurtnieuws",
        f"/buurtnieuws/{village_id}",
    ):
        visit(ingrid, live_server.url(SLUG, path))
        assert ingrid.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    ingrid.set_viewport_size(DESKTOP)
