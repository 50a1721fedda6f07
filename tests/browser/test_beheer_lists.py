"""The municipality's own lists in Chromium: Gerrit, connector of Mill, adds a village, renames
it and removes it while an ask uses it (choosing where the ask goes); adds a kind of help, moves
it up and removes it; adds, edits and removes an example; and is refused a reminder ladder out of
order. In Dutch at 1280 px and in English at 390 px, with axe-core on every page, forms with
their errors included, and nothing wider than the screen.

He only changes what he added himself, so the other journeys in Mill find its lists as seeded.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Kind, Listing, ListingTemplate
from buurtplatform.timestamps import utcnow
from tenants.models import Tenant, Village
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_beheer_members import PHONE, new_page, press, sign_in
from tests.browser.test_help_journeys import in_municipality, rows_in
from tests.browser.test_journeys import DESKTOP, PASSWORD

pytestmark = pytest.mark.browser

SLUG = "mill"


def checked(page: Page, viewport: dict) -> None:
    """axe finds nothing, and nothing needs sideways scrolling."""
    page.wait_for_load_state("load")
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width}px wide"


def connector(live_server: LiveServer, language: str) -> str:
    email = f"gerrit.{language}@lijsten.example.nl"
    with in_municipality(live_server, SLUG):
        user = User(email=email, first_name="Gerrit", email_verified_at=utcnow())
        user.set_password(PASSWORD)
        db.session.add_all([user, Membership(user=user, role=Role.CONNECTOR)])
        db.session.commit()
    return email


def ask_in(live_server: LiveServer, village: str, author_email: str) -> int:
    """An ask in `village` of Mill, so that removing the village asks where it goes."""
    with in_municipality(live_server, SLUG):
        author = db.session.scalar(sa.select(User).where(User.email == author_email))
        listing = Listing(
            kind=Kind.ASK,
            category_id=db.session.scalar(sa.select(Category.id).limit(1)),
            title="Wie brengt mij naar de markt?",
            description="Op woensdag.",
            village_id=db.session.scalar(sa.select(Village.id).where(Village.name == village)),
            author_id=author.id,
            expires_at=utcnow() + timedelta(days=30),
        )
        db.session.add(listing)
        db.session.commit()
        return listing.id


@pytest.mark.parametrize(("language", "viewport"), [("nl", DESKTOP), ("en", PHONE)])
def test_a_connector_runs_the_municipalitys_lists(
    browser: Browser, live_server: LiveServer, language: str, viewport: dict
) -> None:
    email = connector(live_server, language)
    page = new_page(browser, live_server, viewport, "nl")
    sign_in(page, live_server, email)
    if language == "en":  # once signed in: a person's own choice counts then
        page.locator("header button[name='language-locale'][value='en']").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    url = lambda path: live_server.url(SLUG, path)  # noqa: E731
    try:
        page.goto(url("/beheer/"))
        checked(page, viewport)

        # A village: refused without a name, added, renamed, and removed while an ask uses it.
        page.locator("main a[href='/beheer/dorpen-en-wijken']").click()
        checked(page, viewport)
        press(page, "main form.form")
        expect(page.locator(".error-summary")).to_be_visible()
        checked(page, viewport)
        page.locator("#name").fill(f"Nieuwdorp {language}")
        press(page, "main form.form")
        expect(page.locator(".flash")).to_contain_text(f"Nieuwdorp {language}")
        checked(page, viewport)
        [(village_id,)] = rows_in(
            live_server, sa.select(Village.id).where(Village.name == f"Nieuwdorp {language}"), SLUG
        )
        page.locator(f"main a[href='/beheer/dorpen-en-wijken/{village_id}']").click()
        checked(page, viewport)
        page.locator("#name").fill(f"Oostdorp {language}")
        press(page, "main form.form")
        checked(page, viewport)
        listing_id = ask_in(live_server, f"Oostdorp {language}", email)
        page.locator(f"main a[href='/beheer/dorpen-en-wijken/{village_id}/verwijderen']").click()
        checked(page, viewport)
        press(page, "main form.form")
        expect(page.locator(".error-summary")).to_be_visible()
        checked(page, viewport)
        page.locator("main input[name='move_to'][value='0']").check()
        press(page, "main form.form")
        expect(page).to_have_url(url("/beheer/dorpen-en-wijken"))
        checked(page, viewport)
        query = sa.select(Listing.village_id).where(Listing.id == listing_id)
        assert rows_in(live_server, query, SLUG) == [(None,)]

        # A kind of help: added at the end, moved up, its name page, and removed.
        page.goto(url("/beheer/soorten-hulp"))
        checked(page, viewport)
        page.locator("#name").fill(f"Huisdieren {language}")
        press(page, "main form.form")
        checked(page, viewport)
        [(category_id,)] = rows_in(
            live_server,
            sa.select(Category.id).where(Category.name == f"Huisdieren {language}"),
            SLUG,
        )
        row = page.locator(f"#category-{category_id}")
        row.locator("button[value='up']").click()
        page.wait_for_load_state()
        expect(page.locator(f"#category-{category_id} button[value='down']")).to_be_visible()
        checked(page, viewport)
        page.goto(url(f"/beheer/soorten-hulp/{category_id}"))
        checked(page, viewport)
        page.goto(url(f"/beheer/soorten-hulp/{category_id}/verwijderen"))
        checked(page, viewport)
        press(page, "main form.form")
        expect(page).to_have_url(url("/beheer/soorten-hulp"))
        assert (
            rows_in(live_server, sa.select(Category.id).where(Category.id == category_id), SLUG)
            == []
        )

        # An example: refused without words, added for offers, edited and removed.
        page.goto(url("/beheer/voorbeelden"))
        checked(page, viewport)
        page.locator("main a[href='/beheer/voorbeelden/nieuw?soort=aanbod']").click()
        checked(page, viewport)
        press(page, "main form.form")
        expect(page.locator(".error-summary")).to_be_visible()
        checked(page, viewport)
        page.locator("#category").select_option(index=1)
        page.locator("#title").fill(f"Ik lees voor {language}")
        page.locator("#description").fill("Uit de krant of een boek.")
        press(page, "main form.form")
        expect(page).to_have_url(url("/beheer/voorbeelden"))
        [(template_id,)] = rows_in(
            live_server,
            sa.select(ListingTemplate.id).where(
                ListingTemplate.title == f"Ik lees voor {language}"
            ),
            SLUG,
        )
        page.locator(f"main a[href='/beheer/voorbeelden/{template_id}']").click()
        checked(page, viewport)
        page.locator("#title").fill(f"Ik lees graag voor {language}")
        press(page, "main form.form")
        page.goto(url("/vraag-en-aanbod/nieuw?soort=aanbod"))
        expect(page.locator("main .templates")).to_contain_text(f"Ik lees graag voor {language}")
        page.goto(url("/beheer/voorbeelden"))
        page.locator(f"#template-{template_id} form[action$='/verwijderen'] button").click()
        page.wait_for_load_state()
        checked(page, viewport)
        query = sa.select(ListingTemplate.id).where(ListingTemplate.id == template_id)
        assert rows_in(live_server, query, SLUG) == []

        # The ladder: out of order is refused with the reason; the same days save as they were.
        page.goto(url("/beheer/herinneringen"))
        checked(page, viewport)
        page.locator("#remind_coordinators_after_days").fill("1")
        press(page, "main form.form")
        expect(page.locator(".error-summary")).to_be_visible()
        checked(page, viewport)
        page.locator("#remind_coordinators_after_days").fill("4")
        press(page, "main form.form")
        expect(page.locator(".flash")).to_be_visible()
        checked(page, viewport)
        with in_municipality(live_server, SLUG) as tenant:
            assert db.session.get(Tenant, tenant.id).remind_coordinators_after_days == 4
    finally:
        page.context.close()
