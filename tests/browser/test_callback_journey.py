"""Mevrouw Jansen (78, Beers) would rather call: she leaves her number on "Bel mij terug" on
her phone, with the keyboard, makes a typing mistake in the number and is told how to write it;
the social worker takes the request and closes it, and her number is gone. Once in Dutch at
phone width, once in English on a computer; axe-core on every page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, expect

from buurtplatform.accounts.models import Role
from buurtplatform.callbacks.models import CallbackRequest
from buurtplatform.extensions import db
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import (  # noqa: F401 - make_member is a fixture
    SLUG,
    emails_to,
    in_cuijk,
    make_member,
    sign_in,
)
from tests.browser.test_journeys import DESKTOP, PHONE, visit

pytestmark = pytest.mark.browser

TEXTS = {
    "nl": (
        "Liever teruggebeld worden?",
        "Schrijf een Nederlands telefoonnummer",
        "We bellen je terug",
    ),
    "en": ("Rather be called back?", "Write a Dutch phone number", "We will call you back"),
}


@pytest.mark.parametrize(("language", "size"), [("nl", PHONE), ("en", DESKTOP)])
def test_mevrouw_jansen_asks_to_be_called_back_and_wendy_calls(
    browser: Browser,
    live_server: LiveServer,
    make_member,  # noqa: F811 - the fixture
    language: str,
    size: dict,
    tmp_path,
) -> None:
    link_text, phone_error, thanks = TEXTS[language]
    wendy = make_member("Wendy", role=Role.COORDINATOR)
    context = browser.new_context(locale="nl-NL", viewport=size)
    page = context.new_page()
    visit(page, live_server.url(SLUG))
    if language == "en":
        page.locator("header button[name='language-locale'][value='en']").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name=link_text).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]

    page.locator("#first_name").fill("Truus")
    page.locator("#phone").fill("0485 12 34")  # a digit short
    page.locator("#village").select_option(label="Beers")
    page.locator("#about").fill("Boodschappen doen")
    page.locator("#consent").check()
    with page.expect_navigation():
        page.locator("#phone").press("Enter")  # sends the form, as Enter in a text field does
    expect(page.locator(".error-summary")).to_contain_text(phone_error)
    assert_accessible(page)
    expect(page.locator("#first_name")).to_have_value("Truus")  # nothing lost
    page.locator("#phone").fill("0485 12 34 56")
    page.locator("#consent").check()
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").press("Enter")
    expect(page.locator("h1")).to_have_text(thanks)
    assert_accessible(page)
    page.screenshot(path=tmp_path / f"bel-mij-terug-{language}.png", full_page=True)
    context.close()

    [mail] = emails_to(live_server, wendy.email, 1)[:1]
    assert "Truus" in mail.subject

    staff = browser.new_context(locale="nl-NL", viewport=size)
    desk = staff.new_page()
    sign_in(desk, live_server, wendy)
    visit(desk, live_server.url(SLUG, "/werkbank/terugbellen"))
    with in_cuijk(live_server):
        request_id = db.session.scalar(
            sa.select(CallbackRequest.id).where(CallbackRequest.closed_at.is_(None))
        )
    card = desk.locator(f"#verzoek-{request_id}")
    with desk.expect_navigation():
        card.locator("button[type=submit]").click()
    assert_accessible(desk)
    expect(desk.locator(f"#verzoek-{request_id} a.phone")).to_have_text("0485123456")
    desk.locator(f"#outcome-{request_id}").select_option("helped_by_phone")
    with desk.expect_navigation():
        desk.locator(f"#verzoek-{request_id} form.form button[type=submit]").click()
    assert_accessible(desk)
    with in_cuijk(live_server):
        closed = db.session.get(CallbackRequest, request_id)
        assert closed.closed_at is not None and closed.phone is None
    staff.close()
