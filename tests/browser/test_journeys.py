"""The main journeys in Chromium, with axe-core on every page visited.

The Dutch catalogue is complete, so a Dutch page's text is checked in Dutch; elements are
found by role, form action, id or link target rather than by wording.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, assert_accessible

pytestmark = pytest.mark.browser

PASSWORD = "een goed wachtwoord"
MUNICIPALITIES = ["cuijk", "grave", "mill", "sint-anthonis"]
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}


def visit(page: Page, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == status, f"{url} answered {response.status}"
    assert_accessible(page)


def submit(page: Page) -> None:
    """Press the submit button of the page's main form."""
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()


def fill_sign_up(page: Page, first_name: str, email: str) -> None:
    page.locator("#first_name").fill(first_name)
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password_confirm").fill(PASSWORD)
    page.locator("#village").select_option(label="Haps")
    page.locator("#consent").check()


def sign_up(page: Page, live_server: LiveServer, first_name: str, email: str) -> None:
    visit(page, live_server.url("cuijk", "/aanmelden"))
    fill_sign_up(page, first_name, email)
    submit(page)
    expect(page).to_have_url(live_server.url("cuijk", "/aanmelden/controleer-je-mail"))


def email_link(live_server: LiveServer, recipient: str, path: str) -> str:
    """The link containing `path` in the newest email to `recipient`."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        for message in live_server.outbox():
            if message.recipient == recipient:
                return next(link for link in message.links if path in link)
        time.sleep(0.1)
    raise AssertionError(f"no email to {recipient} in the outbox")


def test_sign_up_journey(page: Page, live_server: LiveServer) -> None:
    visit(page, live_server.portal_url)

    page.get_by_role("link", name="Samen Cuijk").click()
    expect(page).to_have_url(live_server.url("cuijk"))
    expect(page.locator("h1")).to_have_text("Samen Cuijk")
    assert_accessible(page)

    page.locator("header nav a[href='/aanmelden']").click()
    expect(page).to_have_url(live_server.url("cuijk", "/aanmelden"))
    assert_accessible(page)

    # Sent empty: the error summary lists every problem, and the page stays accessible.
    submit(page)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Kijk dit nog even na")
    for field_id in ["first_name", "email", "password", "password_confirm", "village", "consent"]:
        expect(summary.locator(f"a[href='#{field_id}']")).to_have_count(1)
        expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    fill_sign_up(page, "Annie", "annie@example.nl")
    submit(page)
    expect(page).to_have_url(live_server.url("cuijk", "/aanmelden/controleer-je-mail"))
    assert_accessible(page)

    # The link in the email signs her in (the first time only) and leads home.
    visit(page, email_link(live_server, "annie@example.nl", "/e-mail-bevestigen/"))
    expect(page).to_have_url(live_server.url("cuijk"))
    expect(page.locator(".flash--success")).to_have_text(
        "Je e-mailadres is bevestigd. Welkom, Annie!"
    )
    expect(page.locator("#welcome-title")).to_have_text("Hallo Annie")
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("#welcome-title")).to_have_text("Hello Annie")
    assert_accessible(page)

    page.get_by_role("link", name="My profile").click()
    expect(page).to_have_url(live_server.url("cuijk", "/profiel"))
    assert_accessible(page)

    text_size = page.get_by_role("button", name="Larger text")
    expect(text_size).to_have_attribute("aria-pressed", "false")
    text_size.click()
    expect(page.locator("body")).to_have_class(re.compile(r"\blarge-text\b"))
    expect(page.get_by_role("button", name="Larger text")).to_have_attribute("aria-pressed", "true")
    expect(page).to_have_url(live_server.url("cuijk", "/profiel"))
    assert_accessible(page)


def test_skip_link_is_first_and_moves_focus_to_main(page: Page, live_server: LiveServer) -> None:
    visit(page, live_server.url("cuijk"))

    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("href", "#inhoud")
    expect(focused).to_have_class(re.compile(r"\bskip-link\b"))
    expect(focused).to_be_in_viewport()
    # Shown while focused, so checked for contrast in that state too.
    assert_accessible(page)

    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url("cuijk", "/#inhoud"))
    assert page.evaluate("document.activeElement.id") == "inhoud"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


@pytest.mark.parametrize(
    ("slug", "path"),
    [
        (None, "/"),
        *[(slug, "/") for slug in MUNICIPALITIES],
        ("cuijk", "/inloggen"),
        ("cuijk", "/aanmelden"),
        ("cuijk", "/wachtwoord-vergeten"),
        ("cuijk", "/bevestigingsmail-opnieuw"),
        ("cuijk", "/privacy"),
        ("cuijk", "/aanmelden/controleer-je-mail"),
        (None, "/ontwikkeling/outbox"),
    ],
)
def test_page_is_accessible(
    page: Page, live_server: LiveServer, slug: str | None, path: str
) -> None:
    visit(page, live_server.url(slug, path))


def test_unknown_municipality_is_an_accessible_404(page: Page, live_server: LiveServer) -> None:
    visit(page, live_server.url("onbekend"), status=404)
    expect(page.locator("main a.button")).to_have_attribute("href", live_server.portal_url)


def test_outbox_with_an_email_is_accessible(page: Page, live_server: LiveServer) -> None:
    sign_up(page, live_server, "Bert", "bert@example.nl")
    visit(page, live_server.url("cuijk", "/ontwikkeling/outbox"))
    expect(page.locator("main .outbox li")).not_to_have_count(0)
    # The long links in an email wrap on a phone instead of widening the page.
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_wrong_password_shows_an_accessible_error(page: Page, live_server: LiveServer) -> None:
    sign_up(page, live_server, "Carla", "carla@example.nl")
    visit(page, email_link(live_server, "carla@example.nl", "/e-mail-bevestigen/"))
    page.context.clear_cookies()  # the link signed her in; this is another visit
    visit(page, live_server.url("cuijk", "/inloggen"))

    page.locator("#email").fill("carla@example.nl")
    page.locator("#password").fill("niet het goede wachtwoord")
    submit(page)
    expect(page).to_have_url(live_server.url("cuijk", "/inloggen"))
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary li")).to_have_count(1)
    assert_accessible(page)


@pytest.mark.parametrize("large_text", [False, True], ids=["normal-text", "large-text"])
def test_home_fits_a_phone(browser: Browser, live_server: LiveServer, large_text: bool) -> None:
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    try:
        page = context.new_page()
        visit(page, live_server.url("cuijk"))
        if large_text:
            page.locator("form[action='/tekstgrootte'] button").click()
            expect(page.locator("body")).to_have_class(re.compile(r"\blarge-text\b"))
            page.wait_for_load_state("load")  # the stylesheets too, before measuring
            assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
