"""Mevrouw Jansen (78, Beers) asks for help with her groceries, starting from the portal, and
ends with "gelukt" recorded.

She knows she lives in Beers, not that Beers belongs to Cuijk. She posts her ask; a neighbour
replies (in a browser of his own); she follows the link in the email about his reply, reads
it, records the agreement with him on her ask, and when "Is de hulp doorgegaan?" arrives by
email days later, answers "Ja, het is gelukt" where its link leads.

On a phone (375 px) she uses the keyboard alone, in Dutch; once more on a computer (1280 px)
with the mouse, in English. Every page is checked with axe-core, and every step she takes (a
link or button activated, a form sent, a link in an email opened) is counted: the README lists
the counts. Choosing from a list and ticking a box are not steps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from buurtplatform.listings.models import Kind, Listing, Status
from buurtplatform.matches.models import Match, Outcome
from buurtplatform.timestamps import utcnow
from jobs.reminders import send_follow_ups
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import (  # noqa: F401 - make_member is a fixture
    _FOCUSED,
    SLUG,
    Member,
    by_id,
    category_id,
    emails_to,
    in_cuijk,
    listing_id_in,
    make_member,
    rows_in,
    sign_in,
    tab_to,
)
from tests.browser.test_journeys import DESKTOP, PASSWORD, PHONE, email_link

pytestmark = pytest.mark.browser

ASK_FORM = "/vraag-en-aanbod/nieuw?soort=vraag"
# What she does from the portal to her ask on the site, and from there to "gelukt" recorded.
ASK_STEPS = 8
GELUKT_STEPS = 5


@dataclass
class Steps:
    """Counts what the person does; checks each page she lands on."""

    page: Page
    keyboard: bool
    count: int = 0

    def activate(self, matches, locator: str, *, backwards: bool = False) -> None:
        """Follow a link or press a button: by Tab (or Shift+Tab, back up the page) and
        Enter, or by clicking."""
        self.count += 1
        if self.keyboard:
            (tab_back_to if backwards else tab_to)(self.page, matches)
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
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        assert_accessible(self.page)

    def choose(self, field_id: str, typed: str, value: str) -> None:
        """Choose from a list (not a step): typing what the option starts with, or the mouse."""
        if self.keyboard:
            tab_to(self.page, by_id(field_id))
            self.page.keyboard.type(typed)
        else:
            self.page.locator(f"#{field_id}").select_option(value)
        expect(self.page.locator(f"#{field_id}")).to_have_value(value)

    def tick(self, name: str, value: str) -> None:
        """Tick a radio button (not a step): Tab reaches the group, Space ticks the first."""
        radio = self.page.locator(f"input[name={name}][value={value}]")
        if self.keyboard:
            focused = tab_to(self.page, lambda f: f["name"] == name)
            assert focused["value"] == value, focused
            self.page.keyboard.press("Space")
        else:
            radio.check()
        expect(radio).to_be_checked()


def tab_back_to(page: Page, matches, limit: int = 30) -> dict:
    """Press Shift+Tab until the focused element matches; every element passed on the way
    shows that it has the focus (as `tab_to` does forwards)."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab")
        focused = page.evaluate(_FOCUSED)
        assert focused["visible"], f"no visible focus on {focused} at {page.url}"
        if matches(focused):
            return focused
    raise AssertionError(f"Shift+Tab never reached the element on {page.url}")


def choose_english_if_needed(page: Page, dutch: bool) -> None:
    """The English run: a browser that asks for English gets it; otherwise the switch in the
    header, which in development holds per host (browsers refuse a cookie shared by
    "localhost" and its subdomains). Choosing a language is not counted as her journey."""
    if not dutch and page.locator("html").get_attribute("lang") != "en":
        with page.expect_navigation():
            page.locator("button[name=language-locale][value=en]").click()


def neighbour_replies(
    browser: Browser, live_server: LiveServer, neighbour: Member, ask_path: str, words: dict
) -> None:
    """A neighbour replies to her ask in a browser of his own, and sees whom he writes with."""
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        sign_in(page, live_server, neighbour)
        page.goto(live_server.url(SLUG, ask_path))
        assert_accessible(page)
        form = page.locator(f"form[action='{ask_path}/reageren']")
        form.locator("textarea[name=body]").fill(words["reply"])
        form.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/gesprekken/\d+$"))
        expect(page.locator("main h1")).to_have_text("Gesprek met Riet")
        assert_accessible(page)
    finally:
        context.close()


def walk(
    browser: Browser,
    page: Page,
    live_server: LiveServer,
    email: str,
    neighbour: Member,
    *,
    dutch: bool,
    keyboard: bool,
) -> tuple[int, int]:
    """Her walk: the steps to her posted ask, and from there to "gelukt" recorded."""
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
    ask_id = listing_id_in(page.url)
    ask_path = f"/vraag-en-aanbod/{ask_id}"
    [(kind, village)] = rows_in(
        live_server, sa.select(Listing.kind, Listing.village_id).where(Listing.id == ask_id)
    )
    assert kind == Kind.ASK and village is not None
    asked = steps.count

    # A neighbour replies; the email about it takes her to the conversation.
    before = len(emails_to(live_server, email, 0))
    neighbour_replies(browser, live_server, neighbour, ask_path, words)
    told = emails_to(live_server, email, before + 1)[0]
    assert words["reply"] in told.text  # the email carries his message
    steps.open_email_link(next(link for link in told.links if "/gesprekken/" in link))
    expect(page).to_have_url(re.compile(r"/gesprekken/\d+(#[\w-]+)?$"))
    expect(page.locator("main h1")).to_have_text(words["conversation_with"])
    expect(page.locator("main .conversation")).to_contain_text(words["reply"])

    # From the conversation to her ask, where she records the agreement with him. The email's
    # link opens the page at the answer form ("#nieuw"), below his message and the link to
    # her ask: by keyboard she goes back up with Shift+Tab.
    ask_url = live_server.url(SLUG, ask_path)
    steps.activate(
        lambda f: f["href"] in (ask_path, ask_url),
        f"main .lead a[href='{ask_path}']",
        backwards=True,
    )
    expect(page).to_have_url(ask_url)
    steps.choose("partner", neighbour.first_name, str(neighbour.user_id))
    steps.send(f"form[action='{ask_path}/match']")
    expect(page).to_have_url(ask_url)
    expect(page.locator(".flash--success")).to_contain_text(neighbour.first_name)
    expect(page.locator("main .badge--matched")).to_be_visible()

    # Days later "Is de hulp doorgegaan?" arrives by email; she answers where its link leads.
    before = len(emails_to(live_server, email, 0))
    with in_cuijk(live_server) as tenant:
        # Other journeys in the same server may have matches that are due too.
        assert send_follow_ups(utcnow() + timedelta(days=tenant.follow_up_after_days + 1)) >= 1
    question = emails_to(live_server, email, before + 1)[0]
    assert words["did_it_happen"] in question.text
    steps.open_email_link(next(link for link in question.links if "/uitkomst" in link))
    expect(page.locator("main h1")).to_have_text(words["did_it_happen"])
    done = page.locator("input[name=outcome][value=done]")
    expect(page.locator(f"label[for='{done.get_attribute('id')}']")).to_have_text(words["done"])
    steps.tick("outcome", "done")
    steps.send("main form.form")
    expect(page).to_have_url(ask_url)
    expect(page.locator(".flash--success")).to_have_text(words["thanks"])

    [(outcome, status)] = rows_in(
        live_server,
        sa.select(Match.author_outcome, Listing.status)
        .join(Match.listing)
        .where(Match.listing_id == ask_id, Match.partner_id == neighbour.user_id),
    )
    assert (outcome, status) == (Outcome.DONE, Status.MATCHED)
    return asked, steps.count - asked


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
    "reply": "Dag mevrouw Jansen, ik ben Gerrit uit Beers. Ik ga zaterdag, zal ik het meenemen?",
    "conversation_with": "Gesprek met Gerrit",
    "did_it_happen": "Is de hulp doorgegaan?",
    "done": "Ja, het is gelukt",
    "thanks": "Bedankt dat je het ons hebt laten weten.",
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
    "reply": "Dag mevrouw Jansen, ik ben Gerard uit Beers. Zaterdag kan ik, zal ik het doen?",
    "conversation_with": "Conversation with Gerard",
    "did_it_happen": "Did the help happen?",
    "done": "Yes, it worked out",
    "thanks": "Thank you for letting us know.",
}


def test_mevrouw_jansen_on_a_phone_by_keyboard_in_dutch(
    browser: Browser,
    live_server: LiveServer,
    make_member: Callable[..., Member],  # noqa: F811
) -> None:
    gerrit = make_member("Gerrit", village="Beers")
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    context.set_default_timeout(10_000)
    try:
        steps = walk(
            browser,
            context.new_page(),
            live_server,
            "riet.jansen@example.nl",
            gerrit,
            dutch=True,
            keyboard=True,
        )
    finally:
        context.close()
    assert steps == (ASK_STEPS, GELUKT_STEPS), steps


def test_mevrouw_jansen_on_a_computer_in_english(
    browser: Browser,
    live_server: LiveServer,
    make_member: Callable[..., Member],  # noqa: F811
) -> None:
    gerard = make_member("Gerard", village="Beers")
    context = browser.new_context(locale="en-GB", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    try:
        steps = walk(
            browser,
            context.new_page(),
            live_server,
            "riet.jansen@example.com",
            gerard,
            dutch=False,
            keyboard=False,
        )
    finally:
        context.close()
    assert steps == (ASK_STEPS, GELUKT_STEPS), steps
