"""A platform admin adds a fifth municipality from the portal and opens its new site.

From the portal's footer to Platformbeheer, signing in there, a first try without villages,
then the new municipality, which answers on its own subdomain at once. In Dutch at 1280 px and
in English at 390 px; axe-core on every page, also the form with its errors and the page that
asks before a site is switched off.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from buurtplatform.accounts.models import User
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_journeys import DESKTOP, PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def make_platform_admin(live_server: LiveServer, email: str) -> None:
    with live_server.app.app_context():
        user = User(email=email, first_name="Bea", email_verified_at=utcnow())
        user.is_platform_admin = True
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()


def fits(page: Page, viewport: dict) -> None:
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width}px wide"


def checked(page: Page, viewport: dict) -> None:
    assert_accessible(page)
    fits(page, viewport)


@pytest.mark.parametrize(
    ("language", "viewport", "slug", "name", "villages"),
    [
        ("nl", DESKTOP, "boxmeer", "Boxmeer", "Beugen\nOeffelt\nRijkevoort"),
        ("en", PHONE, "boekel", "Boekel", "Venhorst\nHuize Padua"),
    ],
)
def test_a_platform_admin_adds_a_municipality_and_opens_its_site(
    browser: Browser,
    live_server: LiveServer,
    language: str,
    viewport: dict,
    slug: str,
    name: str,
    villages: str,
) -> None:
    email = f"bea.{language}@platform.example.nl"
    make_platform_admin(live_server, email)
    context = browser.new_context(locale="nl-NL", viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(live_server.portal_url)
        if language == "en":
            page.locator("header button[name='language-locale'][value='en']").click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
        page.locator("footer a[href='/platformbeheer/']").click()
        expect(page).to_have_url(
            live_server.url(None, "/platformbeheer/inloggen?next=%2Fplatformbeheer%2F")
        )
        checked(page, viewport)

        page.locator("#email").fill(email)
        page.locator("#password").fill(PASSWORD)
        page.locator("main form.form button[type=submit]").click()
        expect(page).to_have_url(live_server.url(None, "/platformbeheer/"))
        expect(page.locator("header nav a[aria-current=page]")).to_have_attribute(
            "href", "/platformbeheer/"
        )
        checked(page, viewport)

        page.locator("main a[href='/platformbeheer/nieuw']").click()
        checked(page, viewport)
        page.locator("#name").fill(name)
        page.locator("#slug").fill(slug)
        page.locator("#connector_email").fill(f"verbinder@{slug}.example.nl")
        page.locator("main form.form button[type=submit]").click()
        expect(page.locator(".error-summary")).to_be_visible()
        expect(page.locator("#villages")).to_have_attribute("aria-invalid", "true")
        checked(page, viewport)

        page.locator("#villages").fill(villages)
        page.locator("main form.form button[type=submit]").click()
        expect(page).to_have_url(live_server.url(None, "/platformbeheer/"))
        expect(page.locator(".flash--success")).to_contain_text(name)
        checked(page, viewport)

        page.locator(f"main a[href='/platformbeheer/{slug}/uitzetten']").click()
        checked(page, viewport)
        page.go_back()

        page.locator(f"main .card h3 a[href='{live_server.url(slug)}']").click()
        expect(page).to_have_url(live_server.url(slug))
        expect(page.locator(".site-name")).to_have_text(name)
        assert_accessible(page)
    finally:
        context.close()
