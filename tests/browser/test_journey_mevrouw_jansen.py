"""Mevrouw Jansen (78, Beers) asks for help with her groceries, starting from the portal.

She knows she lives in Beers, not that Beers belongs to Cuijk. On a phone (375 px) she uses
the keyboard alone, in Dutch; once more on a computer (1280 px) with the mouse, in English.
Every page is checked with axe-core, and every step she takes (a link or button activated, a
form sent, the link in her email opened) is counted: the README lists the counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from buurtplatform.listings.models import Kind, Listing
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import by_id, category_id, rows_in_cuijk, tab_to
from tests.browser.test_journeys import PASSWORD, PHONE, email_link

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
ASK_FORM = "/vraag-en-aanbod/nieuw?soort=vraag"
# What a person does, at most, from the portal to her ask on the site.
MAX_STEPS = 8


@dataclass
class Steps:
    """Counts what the person does; checks each page she lands on."""

    page: Page
    keyboard: bool
    count: int = 0

    def activate(self, matches, locator: str) -> None:
        """Follow a link or press a button: by Tab and Enter, or by clicking."""
        self.count += 1
        if self.keyboard:
            tab_to(self.page, matches)
        with self.page.expect_navigation():
            if self.keyboard:
                self.page.keyboard.press("Enter")
            else:
                self.page.locator(locator).click()
        assert_accessible(self.page)

    def send(self, form: str) -> None:
        """Send a form: Enter on its button, or a click."""
        self.activate(
            lambda f: f["tag"] == "button" and f["type"] == "submit",
            f"{form} button[type=submit]",
        )

    def type_into(self, field_id: str, text: str) -> None:
        if self.keyboard:
            tab_to(self.page, by_id(field_id))
            self.page.keyboard.type(text)
        else:
            self.page.locator(f"#{field_id}").fill(text)

    def open_email_link(self, url: str) -> None:
        self.count += 1
        self.page.goto(url)
        assert_accessible(self.page)


def choose_english_if_needed(page: Page, dutch: bool) -> None:
    """The English run: a browser that asks for English gets it; otherwise the switch in the
    header, which in development holds per host (browsers refuse a cookie shared by
    "localhost" and its subdomains). Choosing a language is not counted as her journey."""
    if not dutch and page.locator("html").get_attribute("lang") != "en":
        with page.expect_navigation():
            page.locator("button[name=language-locale][value=en]").click()


def walk(page: Page, live_server: LiveServer, email: str, *, dutch: bool, keyboard: bool) -> int:
    steps = Steps(page, keyboard)
    words = DUTCH if dutch else ENGLISH
    page.goto(live_server.portal_url)
    choose_english_if_needed(page, dutch)
    expect(page.locator("html")).to_have_attribute("lang", "nl" if dutch else "en")
    assert_accessible(page)

    # The portal: "In welk dorp woon je?" finds Beers in the municipality of Cuijk.
    expect(page.locator("label[for=dorp]")).to_have_text(words["village_question"])
    steps.type_into("dorp", "beers")
    steps.send("form.village-search")
    expect(page).to_have_url(re.compile(r"\?dorp=beers#uitslag$"))
    expect(page.locator(".search-result")).to_be_in_viewport()  # on a phone too
    expect(page.locator(".search-result")).to_contain_text(words["beers_in_cuijk"])
    cuijk_home = live_server.url("cuijk")
    steps.activate(lambda f: f["href"] == cuijk_home, f".search-result a[href='{cuijk_home}']")
    expect(page).to_have_url(cuijk_home)
    choose_english_if_needed(page, dutch)

    # The home page leads with the two things people come for and the phone number.
    ask = page.locator("main .start-actions a").first
    expect(ask).to_have_text(words["ask"])
    expect(ask).to_be_in_viewport()
    expect(page.locator("main .rather-call .phone")).to_be_in_viewport()
    expect(page.locator("main .rather-call")).to_contain_text(words["rather_call"])
    ask_href = ask.get_attribute("href")
    steps.activate(lambda f: f["href"] == ask_href, "main .start-actions a >> nth=0")

    # Why an account, with signing up and signing in side by side.
    expect(page.locator("h1")).to_have_text(words["account_needed"])
    sign_up_link = page.locator("main .account-choice a.button").first
    expect(sign_up_link).to_have_text(words["sign_up"])
    expect(page.locator("main .account-choice a.button").nth(1)).to_have_text(words["sign_in"])
    sign_up_href = sign_up_link.get_attribute("href")
    steps.activate(lambda f: f["href"] == sign_up_href, "main .account-choice a >> nth=0")

    # Signing up; the password typed again wrongly first.
    steps.type_into("first_name", "Riet")
    steps.type_into("email", email)
    steps.type_into("password", PASSWORD)
    steps.type_into("password_confirm", PASSWORD + " typfout")
    if keyboard:
        tab_to(page, by_id("village"))
        page.keyboard.type("Beers")  # a closed list jumps to the option typed
        tab_to(page, by_id("consent"))
        page.keyboard.press("Space")
    else:
        page.locator("#village").select_option(label="Beers")
        page.locator("#consent").check()
    expect(page.locator("#village option:checked")).to_have_text("Beers")
    steps.send("main form.form")
    expect(page.locator(".error-summary")).to_be_visible()
    for field_id in ("password", "password_confirm"):
        expect(page.locator(f"#{field_id}")).to_have_value("")
        expect(page.locator(f"#{field_id}-hint")).to_contain_text(words["retype"])
    expect(page.locator("#first_name")).to_have_value("Riet")
    steps.type_into("password", PASSWORD)
    steps.type_into("password_confirm", PASSWORD)
    steps.send("main form.form")

    # "Kijk in je e-mail" names the address; the link signs her in on Cuijk.
    expect(page).to_have_url(live_server.url("cuijk", "/aanmelden/controleer-je-mail"))
    expect(page.locator("main .lead")).to_contain_text(email)
    steps.open_email_link(email_link(live_server, email, "/e-mail-bevestigen/"))
    expect(page).to_have_url(live_server.url("cuijk", ASK_FORM))
    expect(page.locator(".flash--success")).to_contain_text(words["welcome"])

    # The ask form, already an ask: groceries, in Beers (her village, chosen already).
    shopping = str(category_id(live_server, "shopping"))
    if keyboard:
        tab_to(page, by_id("category"))
        page.keyboard.type(words["shopping"])
    else:
        page.locator("#category").select_option(shopping)
    expect(page.locator("#category")).to_have_value(shopping)
    steps.type_into("title", words["title"])
    steps.type_into("description", "Sinds mijn heupoperatie kan ik niet zelf naar de winkel.")
    steps.send("main form.form")
    expect(page).to_have_url(re.compile(r"/vraag-en-aanbod/\d+(#\w+)?$"))
    expect(page.locator("main h1")).to_have_text(words["title"])
    [(kind, village)] = rows_in_cuijk(
        live_server,
        sa.select(Listing.kind, Listing.village_id).where(Listing.title == words["title"]),
    )
    assert kind == Kind.ASK and village is not None
    return steps.count


DUTCH = {
    "village_question": "In welk dorp woon je?",
    "beers_in_cuijk": "Beers hoort bij de gemeente Cuijk",
    "ask": "Vraag om hulp",
    "rather_call": "Liever bellen?",
    "account_needed": "Je hebt een gratis account nodig",
    "sign_up": "Account maken",
    "sign_in": "Inloggen",
    "retype": "Typ je wachtwoord hier opnieuw",
    "welcome": "Welkom, Riet!",
    "shopping": "Boodschappen",
    "title": "Wie doet mijn boodschappen?",
}
ENGLISH = {
    "village_question": "In which village do you live?",
    "beers_in_cuijk": "Beers is in the municipality of Cuijk",
    "ask": "Ask for help",
    "rather_call": "Would you rather call?",
    "account_needed": "You need a free account",
    "sign_up": "Sign up",
    "sign_in": "Sign in",
    "retype": "Please type your password here again",
    "welcome": "Welcome, Riet!",
    "shopping": "Shopping",
    "title": "Who does my shopping?",
}


def test_mevrouw_jansen_on_a_phone_by_keyboard_in_dutch(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    context.set_default_timeout(10_000)
    try:
        steps = walk(
            context.new_page(), live_server, "riet.jansen@example.nl", dutch=True, keyboard=True
        )
    finally:
        context.close()
    assert steps <= MAX_STEPS, steps


def test_mevrouw_jansen_on_a_computer_in_english(browser: Browser, live_server: LiveServer) -> None:
    context = browser.new_context(locale="en-GB", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    try:
        steps = walk(
            context.new_page(), live_server, "riet.jansen@example.com", dutch=False, keyboard=False
        )
    finally:
        context.close()
    assert steps <= MAX_STEPS, steps
