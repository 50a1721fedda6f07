"""The sociale kaart in Chromium. Ria, who cares for her husband in Gassel, finds respite care
in her village on her phone: from the home page to the organisation's phone number. Marleen,
connector of Grave, adds an organisation with an offer (refused first without a name, and
without a theme) and invites it to keep its own page; in Dutch at 1280 px and in English at
390 px. axe-core runs on every page, and nothing is wider than the screen.
"""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.directory.models import Organisation, OrganisationType, Theme
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import in_municipality, rows_in
from tests.browser.test_journeys import DESKTOP, PASSWORD
from tests.directory_helpers import new_organisation

pytestmark = pytest.mark.browser

SLUG = "grave"
PHONE = {"width": 390, "height": 844}
_numbers = itertools.count(1)


def checked(page: Page, viewport: dict) -> None:
    """axe finds nothing, and nothing needs sideways scrolling."""
    page.wait_for_load_state("load")
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width}px wide"


def new_page(browser: Browser, viewport: dict) -> Page:
    context = browser.new_context(locale="nl-NL", viewport=viewport)
    context.set_default_timeout(10_000)
    return context.new_page()


def press(page: Page, form: str = "main form.form") -> None:
    page.locator(f"{form} button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture(scope="module")
def organisations(live_server: LiveServer) -> dict[str, int]:
    """Three of Grave's organisations: respite care in Gassel, respite in Grave only, and a
    dagbesteding (care, not respite) in Gassel."""
    with in_municipality(live_server, SLUG):
        made = [
            new_organisation(
                "Respijthuis De Linde",
                offering="Respijtzorg: een middag vrij",
                villages=("Gassel", "Velp"),
                phone="0486 111 222",
            ),
            new_organisation(
                "Mantelzorg Grave-stad", offering="Respijt in de stad", villages=("Grave",)
            ),
            new_organisation(
                "Dagbesteding De Boomgaard",
                type=OrganisationType.CARE,
                themes=(Theme.CARE,),
                offering="Dagbesteding",
                villages=("Gassel",),
            ),
        ]
        db.session.commit()
        return {organisation.name: organisation.id for organisation in made}


def test_a_carer_finds_respite_care_in_her_village(
    browser: Browser, live_server: LiveServer, organisations: dict[str, int]
) -> None:
    page = new_page(browser, PHONE)
    try:
        page.goto(live_server.url(SLUG))
        checked(page, PHONE)
        page.locator("header nav a[href='/sociale-kaart']").click()
        checked(page, PHONE)
        page.locator("#theme").select_option("carers")
        [(gassel,)] = rows_in(
            live_server, sa.text("SELECT id FROM villages WHERE name = 'Gassel'"), SLUG
        )
        page.locator("#village").select_option(str(gassel))
        press(page, "main form.filters")
        checked(page, PHONE)
        titles = page.locator("main .listing-card__title")
        expect(titles).to_have_text(["Respijthuis De Linde"])
        expect(page.locator("main .directory-card")).to_contain_text("Respijtzorg: een middag vrij")

        titles.first.locator("a").click()
        expect(page).to_have_url(
            live_server.url(SLUG, f"/sociale-kaart/{organisations['Respijthuis De Linde']}")
        )
        checked(page, PHONE)
        expect(page.locator("main a[href='tel:0486111222']").first).to_be_visible()
        expect(page.locator("main .reviewed")).to_contain_text("Laatst nagekeken op")
        # Nobody signed in: nothing to keep up to date here.
        expect(page.locator("main form[action$='/nagekeken']")).to_have_count(0)
    finally:
        page.context.close()


def connector(live_server: LiveServer, language: str) -> str:
    email = f"marleen.{language}.{next(_numbers)}@kaart.example.nl"
    with in_municipality(live_server, SLUG):
        user = User(email=email, first_name="Marleen", email_verified_at=utcnow())
        user.set_password(PASSWORD)
        db.session.add_all([user, Membership(user=user, role=Role.CONNECTOR)])
        db.session.commit()
    return email


@pytest.mark.parametrize(("language", "viewport"), [("nl", DESKTOP), ("en", PHONE)])
def test_a_connector_adds_an_organisation_and_invites_it(
    browser: Browser, live_server: LiveServer, language: str, viewport: dict
) -> None:
    email = connector(live_server, language)
    page = new_page(browser, viewport)
    url = lambda path: live_server.url(SLUG, path)  # noqa: E731
    name = f"KBO Escharen {language}"
    try:
        page.goto(url("/inloggen"))
        page.locator("#email").fill(email)
        page.locator("#password").fill(PASSWORD)
        press(page)
        if language == "en":
            page.locator("header button[name='language-locale'][value='en']").click()
        expect(page.locator("html")).to_have_attribute("lang", language)

        page.goto(url("/beheer/"))
        page.locator("main a[href='/beheer/sociale-kaart']").click()
        checked(page, viewport)
        page.locator("main a[href='/sociale-kaart/nieuw']").first.click()
        checked(page, viewport)
        page.locator("#website").fill("www.kbo.example.nl")
        press(page)
        expect(page.locator(".error-summary li")).to_have_count(2)  # name, web address
        checked(page, viewport)
        page.locator("#name").fill(name)
        page.locator("#type").select_option("seniors")
        page.locator("#website").fill("https://www.kbo.example.nl")
        page.locator("#phone").fill("0486 222 333")
        press(page)
        checked(page, viewport)  # the offer's form

        page.locator("#title").fill("Ouderenadviseur")
        press(page)
        expect(page.locator(".error-summary")).to_be_visible()  # no theme
        checked(page, viewport)
        page.locator("main input[name='themes'][value='money']").check()
        page.locator("main input[name='themes'][value='housing']").check()
        press(page)
        [(organisation_id,)] = rows_in(
            live_server, sa.select(Organisation.id).where(Organisation.name == name), SLUG
        )
        expect(page).to_have_url(url(f"/sociale-kaart/{organisation_id}"))
        expect(page.locator("main")).to_contain_text("Ouderenadviseur")
        checked(page, viewport)

        page.goto(url(f"/sociale-kaart/{organisation_id}/uitnodigen"))
        checked(page, viewport)
        page.locator("#email").fill(f"info.{language}@kbo.example.nl")
        press(page)
        expect(page).to_have_url(url("/beheer/sociale-kaart"))
        expect(page.locator(".flash")).to_contain_text(f"info.{language}@kbo.example.nl")
        checked(page, viewport)
        assert any(m.recipient == f"info.{language}@kbo.example.nl" for m in live_server.outbox())

        page.goto(url("/"))
        expect(page.locator("main")).to_contain_text(name)  # organisations to know
        checked(page, viewport)
    finally:
        page.context.close()
