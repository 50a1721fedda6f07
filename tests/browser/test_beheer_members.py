"""Members and roles in Chromium: Ingrid, connector of Mill, finds a member, blocks him with a
reason, makes someone coordinator and invites an organisation; the blocked member sees why; the
invited person makes an account through the link. In Dutch at 1280 px and in English at 390 px,
with axe-core on every page, also forms with their errors and the invalid-link page.
"""

from __future__ import annotations

import itertools
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import in_municipality, rows_in
from tests.browser.test_journeys import DESKTOP, PASSWORD, email_link

pytestmark = pytest.mark.browser

SLUG = "mill"
PHONE = {"width": 390, "height": 844}
_numbers = itertools.count(1)


def make_member(live_server: LiveServer, first_name: str, role: Role = Role.RESIDENT) -> str:
    """A verified member of Mill; returns the email address."""
    email = f"{first_name.lower()}.{next(_numbers)}@leden.example.nl"
    with in_municipality(live_server, SLUG):
        user = User(email=email, first_name=first_name, email_verified_at=utcnow())
        user.set_password(PASSWORD)
        db.session.add_all([user, Membership(user=user, role=role)])
        db.session.commit()
    return email


def checked(page: Page, viewport: dict) -> None:
    """axe finds nothing, and nothing needs sideways scrolling."""
    page.wait_for_load_state("load")
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width}px wide"


def new_page(browser: Browser, live_server: LiveServer, viewport: dict, language: str) -> Page:
    context = browser.new_context(locale="nl-NL", viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server.url(SLUG))
    if language == "en":
        page.locator("header button[name='language-locale'][value='en']").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    return page


def sign_in(page: Page, live_server: LiveServer, email: str) -> None:
    page.goto(live_server.url(SLUG, "/inloggen"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form.form button[type=submit]").click()
    expect(page).to_have_url(live_server.url(SLUG))


def press(page: Page, form: str) -> None:
    page.locator(f"{form} button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("language", "viewport"), [("nl", DESKTOP), ("en", PHONE)])
def test_a_connector_blocks_a_member_changes_a_role_and_invites_someone(
    browser: Browser, live_server: LiveServer, language: str, viewport: dict
) -> None:
    ingrid = make_member(live_server, "Ingrid", Role.CONNECTOR)
    bert_name = f"Bert{language}"
    bert = make_member(live_server, bert_name)
    make_member(live_server, f"Wendy{language}")
    invited = f"kbo.{language}@uitgenodigd.example.nl"

    page = new_page(browser, live_server, viewport, language)
    try:
        sign_in(page, live_server, ingrid)
        page.locator("header a[href='/beheer/']").click()
        page.locator("main a[href='/beheer/leden']").click()
        checked(page, viewport)

        # Find Bert and block him; first without a reason.
        page.locator("#q").fill(bert_name)
        press(page, "main form.filters")
        expect(page.locator("main .data-table tbody tr")).to_have_count(1)
        checked(page, viewport)
        page.locator("main .data-table tbody a").click()
        checked(page, viewport)
        press(page, "main form[action*='/blokkeren']")
        expect(page.locator("#block_reason")).to_have_attribute("aria-invalid", "true")
        checked(page, viewport)
        page.locator("#block_reason").fill(
            "Je stuurde buren reclame. Dat mag niet volgens de huisregels."
        )
        press(page, "main form[action*='/blokkeren']")
        expect(page.locator(".flash--success")).to_contain_text(bert_name)
        checked(page, viewport)

        # Make Wendy coordinator.
        page.goto(live_server.url(SLUG, f"/beheer/leden?q=Wendy{language}"))
        page.locator("main .data-table tbody a").click()
        page.locator("#role").select_option("coordinator")
        press(page, "main form[action*='/rol']")
        expect(page.locator(".flash--success")).to_be_visible()
        checked(page, viewport)

        # Invite an organisation; first with a wrong address.
        page.goto(live_server.url(SLUG, "/beheer/uitnodigingen"))
        checked(page, viewport)
        page.locator("#email").fill("kbo at mill")
        press(page, "main form.form")
        expect(page.locator(".error-summary")).to_be_visible()
        checked(page, viewport)
        page.locator("#email").fill(invited)
        page.locator("#role").select_option("organisation")
        page.locator("#personal_note").fill("Fijn als de KBO meedoet!")
        press(page, "main form.form")
        expect(page.locator("main .data-table")).to_contain_text(invited)
        checked(page, viewport)
    finally:
        page.context.close()

    rows = rows_in(
        live_server,
        sa.select(Membership.role, Membership.blocked_at)
        .join(User, User.id == Membership.user_id)
        .where(User.first_name.in_([bert_name, f"Wendy{language}"]))
        .order_by(User.first_name),
        SLUG,
    )
    assert rows[0].blocked_at is not None and rows[1].role == Role.COORDINATOR

    # Bert reads the notice and is refused the ask form, with the reason.
    page = new_page(browser, live_server, viewport, language)
    try:
        sign_in(page, live_server, bert)
        expect(page.locator(".notice")).to_contain_text("Je stuurde buren reclame.")
        checked(page, viewport)
        response = page.goto(live_server.url(SLUG, "/vraag-en-aanbod/nieuw"))
        assert response is not None and response.status == 403
        expect(page.locator("main blockquote")).to_contain_text("Je stuurde buren reclame.")
        checked(page, viewport)
    finally:
        page.context.close()

    # The invited person makes an account through the link; first with a mistake.
    link = re.sub(r"^https?://[^/]+", "", email_link(live_server, invited, "/uitnodiging/"))
    page = new_page(browser, live_server, viewport, language)
    try:
        page.goto(live_server.url(SLUG, link))
        checked(page, viewport)
        page.locator("#first_name").fill("Gerda")
        page.locator("#password").fill(PASSWORD)
        page.locator("#password_confirm").fill("iets anders")
        page.locator("#consent").check()
        press(page, "main form.form")
        expect(page.locator(".error-summary")).to_be_visible()
        checked(page, viewport)
        page.locator("#password").fill(PASSWORD)
        page.locator("#password_confirm").fill(PASSWORD)
        press(page, "main form.form")
        expect(page).to_have_url(live_server.url(SLUG))
        expect(page.locator(".flash--success")).to_be_visible()
        checked(page, viewport)
        # Used once, the link says so.
        response = page.goto(live_server.url(SLUG, link))
        assert response is not None and response.status == 410
        checked(page, viewport)
    finally:
        page.context.close()
    assert rows_in(
        live_server,
        sa.select(Membership.role)
        .join(User, User.id == Membership.user_id)
        .where(User.email == invited),
        SLUG,
    ) == [(Role.ORGANISATION,)]
