"""Henk, buurtverbinder of Sint Anthonis, gives the site its own colours and logo: a colour
that is too light is refused with its contrast, the preview shows the home page as it would
look while visitors still see the old one, and after "Publiceren" everyone sees it at once.
axe-core checks every settings page and the pages it feeds, in Dutch and in English.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import in_municipality
from tests.browser.test_journeys import DESKTOP, PASSWORD, PHONE, submit, visit

pytestmark = pytest.mark.browser

# A municipality the other journeys leave alone, so its new look changes none of theirs.
SLUG = "sint-anthonis"
EMAIL = "henk.branding@example.nl"
NEW_PRIMARY, NEW_ACCENT = "#0b5e3c", "#7a2048"


def header_colour(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")


@pytest.fixture(scope="module")
def henk(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """Henk, signed in on Sint Anthonis, in one browser for the whole module."""
    with in_municipality(live_server, SLUG):
        village = db.session.scalar(sa.select(Village).order_by(Village.id))
        user = User(email=EMAIL, first_name="Henk", email_verified_at=utcnow())
        user.set_password(PASSWORD)
        db.session.add(Membership(user=user, role=Role.CONNECTOR, village_id=village.id))
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


@pytest.fixture
def logo_file(tmp_path: Path) -> Path:
    path = tmp_path / "logo-sint-anthonis.png"
    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    image.paste((11, 94, 60, 255), (20, 20, 580, 180))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_henk_previews_and_publishes_new_colours_and_a_logo(
    henk: Page, browser: Browser, live_server: LiveServer, logo_file: Path
) -> None:
    page = henk
    visitor = browser.new_page(locale="nl-NL")
    try:
        visit(page, live_server.url(SLUG, "/beheer/"))
        page.get_by_role("link", name="Kleuren en logo").click()
        assert_accessible(page)

        # While picking, the page says at once; sending the form, the server says it too.
        page.locator("#primary_color").fill("#8a8a8a")
        expect(page.locator("#primary_color-contrast")).to_have_text(
            "Deze kleur verschilt te weinig van wit: het contrast is 3,4:1. Er is minstens "
            "4,5:1 nodig. Kies een donkerdere kleur."
        )
        submit(page)
        expect(page.locator(".error-summary")).to_contain_text("het contrast is 3,4:1")
        assert_accessible(page)

        page.locator("#primary_color").fill(NEW_PRIMARY)
        expect(page.locator("#primary_color-contrast")).to_have_text(
            "Goed: deze kleur heeft genoeg contrast."
        )
        page.locator("#accent_color").fill(NEW_ACCENT)
        page.locator("#logo").set_input_files(logo_file)
        submit(page)
        expect(page).to_have_url(
            live_server.url(SLUG, "/beheer/instellingen/kleuren-en-logo/voorbeeld")
        )
        expect(page.locator(".preview-banner")).to_contain_text("Dit is een voorbeeld.")
        expect(page.locator("header img.site-logo")).to_have_attribute("alt", "Samen Sint Anthonis")
        assert header_colour(page) == "rgb(11, 94, 60)"
        assert_accessible(page)

        # Nobody else sees it yet.
        visit(visitor, live_server.url(SLUG))
        old_colour = header_colour(visitor)
        assert old_colour != "rgb(11, 94, 60)"
        expect(visitor.locator("header img.site-logo")).to_have_count(0)

        page.get_by_role("button", name="Publiceren", exact=True).click()
        expect(page).to_have_url(live_server.url(SLUG))
        expect(page.locator(".flash")).to_contain_text("Gepubliceerd.")
        assert header_colour(page) == "rgb(11, 94, 60)"
        assert_accessible(page)

        visitor.reload()
        assert header_colour(visitor) == "rgb(11, 94, 60)"
        logo = visitor.locator("header img.site-logo")
        expect(logo).to_be_visible()
        assert logo.evaluate("image => image.naturalWidth") == 512
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        visitor.close()
    with in_municipality(live_server, SLUG) as tenant:
        assert (tenant.primary_color, tenant.accent_color) == (NEW_PRIMARY, NEW_ACCENT)


PAGES = [
    "/beheer/instellingen/teksten",
    "/beheer/instellingen/contact",
    "/beheer/instellingen/kleuren-en-logo",
    "/beheer/instellingen/toegankelijkheid",
    "/over-ons",
    "/huisregels",
    "/privacy",
    "/toegankelijkheid",
]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_settings_pages_are_accessible(henk: Page, live_server: LiveServer, language: str):
    page = henk
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url(SLUG))
    switch = page.locator(f"header button[name='language-locale'][value='{language}']")
    if switch.count():
        switch.click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    for path in PAGES:
        visit(page, live_server.url(SLUG, path))

    # A form with errors, and the texts it fills in once saved.
    visit(page, live_server.url(SLUG, "/beheer/instellingen/contact"))
    page.locator("#link_1_label").fill("Gemeente")
    page.locator("#link_1_url").fill("gemeente.nl")
    submit(page)
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)

    visit(page, live_server.url(SLUG, "/beheer/instellingen/teksten"))
    page.locator("#about_text").fill(
        "## Wie wij zijn\n\nWij zijn **vrijwilligers**.\n\n- Een\n- Twee"
    )
    submit(page)
    expect(page.locator(".flash")).to_be_visible()
    visit(page, live_server.url(SLUG, "/over-ons"))
    expect(page.locator("main h2")).to_have_text("Wie wij zijn")

    # The preview, with a draft.
    visit(page, live_server.url(SLUG, "/beheer/instellingen/kleuren-en-logo"))
    submit(page)
    assert_accessible(page)
    page.get_by_role(
        "button", name="Do not publish" if language == "en" else "Niet publiceren"
    ).click()
    assert_accessible(page)
    with in_municipality(live_server, SLUG) as tenant:
        assert (tenant.primary_color, tenant.accent_color) == (NEW_PRIMARY, NEW_ACCENT)
