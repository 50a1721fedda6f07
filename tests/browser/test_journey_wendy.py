"""Wendy (41), social worker and coordinator for Grave, acts for someone who called her.

Mevrouw Van Dijk in Gassel has no internet; Wendy entered her once before. From the portal
Wendy goes to Samen Grave, signs in, asks for help on her behalf by picking her from the list,
reads the reply a neighbour sends, records the match with him, and after the follow-up email
records that it worked out ("gelukt"). The neighbour, in a browser of his own, sees that he is
writing with "Wendy, sociaal werker, namens een buur".

In Dutch at 1280 px, and once in English at 375 px. Every page is checked with axe-core, and
every step Wendy takes (a link or button activated, a form sent, a link in an email opened) is
counted: the README lists the counts. Choosing from a list and ticking a box are not steps.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Locator, Page, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Listing, OfflinePerson, Status
from buurtplatform.mail.services import OutboxMessage
from buurtplatform.matches.models import Match, Outcome
from buurtplatform.timestamps import utcnow
from jobs.reminders import send_follow_ups
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import in_municipality, rows_in, village_named
from tests.browser.test_journeys import DESKTOP, PASSWORD, PHONE

pytestmark = pytest.mark.browser

SLUG = "grave"
# What Wendy does, at most, from the portal to "gelukt" recorded.
MAX_STEPS = 10
_numbers = itertools.count(1)


# -- People in Grave, made once in the live server's database ------------------------------


@dataclass(frozen=True)
class Person:
    user_id: int
    email: str
    first_name: str


@dataclass(frozen=True)
class Cast:
    """One run's people: Wendy, a neighbour who helps, and the person Wendy acts for."""

    wendy: Person
    neighbour: Person
    offline_person_id: int


def _member(first_name: str, village: str, role: Role, locale: str) -> Person:
    email = f"{first_name.lower()}{next(_numbers)}@grave.example.nl"
    user = User(email=email, first_name=first_name, email_verified_at=utcnow(), locale=locale)
    user.set_password(PASSWORD)
    db.session.add_all([user, Membership(user=user, role=role, village_id=village_named(village))])
    db.session.flush()
    return Person(user.id, email, first_name)


@pytest.fixture(scope="module")
def casts(live_server: LiveServer) -> dict[str, Cast]:
    """Per language a Wendy whose account speaks it, a neighbour, and the person she entered
    before (name, phone, village and how consent was given)."""
    made = {}
    with in_municipality(live_server, SLUG):
        for locale, neighbour, person in [
            ("nl", "Piet", "Mevrouw Van Dijk"),
            ("en", "Peter", "Mrs Van Dam"),
        ]:
            wendy = _member("Wendy", "Grave", Role.COORDINATOR, locale)
            helper = _member(neighbour, "Gassel", Role.RESIDENT, "nl")
            offline = OfflinePerson(
                name=person,
                phone="0486 123 456",
                village_id=village_named("Gassel"),
                consent_note="Telefonisch, in januari.",
                recorded_by_id=wendy.user_id,
            )
            db.session.add(offline)
            db.session.flush()
            made[locale] = Cast(wendy, helper, offline.id)
        db.session.commit()
    return made


def category_id(live_server: LiveServer, key: str) -> int:
    with in_municipality(live_server, SLUG):
        return db.session.scalar(sa.select(Category.id).where(Category.key == key))


def emails_to(live_server: LiveServer, recipient: str) -> list[OutboxMessage]:
    return [m for m in live_server.outbox() if m.recipient == recipient]


def link_in_email(live_server: LiveServer, recipient: str, *paths: str, after: int = 0) -> str:
    """A link in the newest email to `recipient`, once more than `after` have arrived: the
    first of `paths` that one of its links contains."""
    deadline = time.monotonic() + 5
    while len(found := emails_to(live_server, recipient)) <= after:
        assert time.monotonic() < deadline, f"no new email to {recipient}"
        time.sleep(0.1)
    links = found[0].links
    for path in paths:
        if chosen := next((link for link in links if path in link), None):
            return chosen
    raise AssertionError(f"no link to {paths} in {found[0].subject!r}: {links}")


# -- Wendy's hands ---------------------------------------------------------------------------


@dataclass
class Steps:
    """Counts what Wendy does; checks each page she lands on."""

    page: Page
    count: int = 0

    def click(self, target: Locator) -> None:
        """Follow a link or press a button (a form sent is a button pressed)."""
        self.count += 1
        with self.page.expect_navigation():
            target.click()
        assert_accessible(self.page)

    def open_email_link(self, url: str) -> None:
        self.count += 1
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        assert_accessible(self.page)


def neighbour_replies(
    browser: Browser, live_server: LiveServer, cast: Cast, ask_path: str, words: dict
) -> None:
    """The neighbour replies in a browser of his own, and sees whom he is writing with: in
    the conversation and in his list of conversations."""
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(live_server.url(SLUG, "/inloggen"))
        page.locator("#email").fill(cast.neighbour.email)
        page.locator("#password").fill(PASSWORD)
        page.locator("main form.form button[type=submit]").click()
        expect(page).to_have_url(live_server.url(SLUG))
        page.goto(live_server.url(SLUG, ask_path))
        assert_accessible(page)
        form = page.locator(f"form[action='{ask_path}/reageren']")
        form.locator("textarea[name=body]").fill(words["reply"])
        form.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/gesprekken/\d+$"))
        label = "Wendy, sociaal werker, namens een buur"
        expect(page.locator("main h1")).to_have_text(f"Gesprek met {label}")
        assert_accessible(page)
        page.locator("main a[href='/gesprekken']").click()
        expect(page).to_have_url(live_server.url(SLUG, "/gesprekken"))
        expect(page.locator("main .card h2 a").first).to_have_text(f"Met {label}")
        assert_accessible(page)
    finally:
        context.close()


def walk(browser: Browser, page: Page, live_server: LiveServer, cast: Cast, words: dict) -> int:
    steps = Steps(page)
    page.goto(live_server.portal_url)
    expect(page.locator("html")).to_have_attribute("lang", words["lang"])
    assert_accessible(page)

    # From the portal to Samen Grave, and signed in: her account speaks her language.
    steps.click(page.get_by_role("link", name="Samen Grave").first)
    expect(page).to_have_url(live_server.url(SLUG))
    steps.click(page.locator("header nav a[href='/inloggen']"))
    page.locator("#email").fill(cast.wendy.email)
    page.locator("#password").fill(PASSWORD)
    steps.click(page.locator("main form.form button[type=submit]"))
    expect(page).to_have_url(live_server.url(SLUG))
    expect(page.locator("html")).to_have_attribute("lang", words["lang"])

    # On someone's behalf: she picks the person she entered before; consent for this ask.
    on_behalf = page.locator("header nav a[href='/coordinatie/namens-iemand']")
    expect(on_behalf).to_have_text(words["on_behalf"])
    steps.click(on_behalf)
    expect(page.locator("main h1")).to_have_text(words["on_behalf_title"])
    page.locator("#person").select_option(str(cast.offline_person_id))
    page.locator("#consent").check()
    page.locator("#category").select_option(str(category_id(live_server, "shopping")))
    page.locator("#title").fill(words["title"])
    page.locator("#description").fill(words["description"])
    page.locator("#village").select_option(label="Gassel")
    steps.click(page.locator("main form.form button[type=submit]"))
    expect(page).to_have_url(re.compile(r"/vraag-en-aanbod/\d+$"))
    ask_path = re.search(r"/vraag-en-aanbod/\d+$", page.url).group(0)
    ask_id = int(ask_path.rsplit("/", 1)[1])
    expect(page.locator(".flash--success")).to_have_text(words["posted"])
    expect(page.locator("main .private-box")).to_contain_text(words["person"])
    [(person_id, author_id)] = rows_in(
        live_server,
        sa.select(Listing.offline_person_id, Listing.author_id).where(Listing.id == ask_id),
        SLUG,
    )
    assert (person_id, author_id) == (cast.offline_person_id, cast.wendy.user_id)

    # A neighbour replies; the email about it takes her to the conversation.
    before = len(emails_to(live_server, cast.wendy.email))
    neighbour_replies(browser, live_server, cast, ask_path, words)
    steps.open_email_link(
        link_in_email(live_server, cast.wendy.email, "/gesprekken/", after=before)
    )
    expect(page.locator("main h1")).to_have_text(words["conversation_with"])
    expect(page.locator("main .conversation")).to_contain_text(words["reply"])

    # Back on the ask, she records the match with the neighbour who replied.
    steps.click(page.locator(f"main .lead a[href='{ask_path}']"))
    match_form = page.locator(f"form[action='{ask_path}/match']")
    match_form.locator("select[name=partner]").select_option(str(cast.neighbour.user_id))
    steps.click(match_form.locator("button[type=submit]"))
    expect(page).to_have_url(live_server.url(SLUG, ask_path))
    expect(page.locator(".flash--success")).to_contain_text(cast.neighbour.first_name)
    expect(page.locator("main .badge--matched")).to_be_visible()

    # Days later "did the help happen?" arrives by email; she answers "gelukt" where its
    # link leads (the question's own page, or the ask).
    before = len(emails_to(live_server, cast.wendy.email))
    with in_municipality(live_server, SLUG) as tenant:
        assert send_follow_ups(utcnow() + timedelta(days=tenant.follow_up_after_days + 1)) == 1
    steps.open_email_link(
        link_in_email(live_server, cast.wendy.email, "/uitkomst", ask_path, after=before)
    )
    question = page.locator("main form:has(input[name=outcome])")
    expect(question).to_contain_text(words["did_it_happen"])
    done = question.locator("input[name=outcome][value=done]")
    expect(page.locator(f"label[for='{done.get_attribute('id')}']")).to_have_text(words["done"])
    done.check()
    steps.click(question.locator("button[type=submit]"))
    expect(page).to_have_url(live_server.url(SLUG, ask_path))
    expect(page.locator(".flash--success")).to_have_text(words["thanks"])
    [(outcome, status)] = rows_in(
        live_server,
        sa.select(Match.author_outcome, Listing.status)
        .join(Match.listing)
        .where(Match.listing_id == ask_id, Match.partner_id == cast.neighbour.user_id),
        SLUG,
    )
    assert (outcome, status) == (Outcome.DONE, Status.MATCHED)
    return steps.count


DUTCH = {
    "lang": "nl",
    "on_behalf": "Voor iemand anders",
    "on_behalf_title": "Hulp vragen voor iemand anders",
    "title": "Wie doet de boodschappen voor een buurvrouw?",
    "description": "Elke week een kleine lijst, bij de supermarkt in Grave.",
    "posted": "De hulpvraag staat op de site. Reacties komen bij jou binnen.",
    "person": "Mevrouw Van Dijk",
    "reply": "Dag, ik ben Piet uit Gassel. Ik doe dat graag op dinsdag.",
    "conversation_with": "Gesprek met Piet",
    "did_it_happen": "Is de hulp doorgegaan?",
    "done": "Ja, het is gelukt",
    "thanks": "Bedankt dat je het ons hebt laten weten.",
}
ENGLISH = {
    "lang": "en",
    "on_behalf": "On someone's behalf",
    "on_behalf_title": "Ask for help on someone's behalf",
    "title": "Who does the shopping for a neighbour?",
    "description": "A short list every week, at the supermarket in Grave.",
    "posted": "The ask is on the site. Replies come to you.",
    "person": "Mrs Van Dam",
    "reply": "Hallo, ik ben Peter uit Gassel. Dinsdag kan ik.",
    "conversation_with": "Conversation with Peter",
    "did_it_happen": "Did the help happen?",
    "done": "Yes, it worked out",
    "thanks": "Thank you for letting us know.",
}


@pytest.mark.parametrize(
    ("language", "viewport", "words"),
    [("nl", DESKTOP, DUTCH), ("en", PHONE, ENGLISH)],
    ids=["dutch-1280", "english-375"],
)
def test_wendy_asks_for_someone_on_the_phone_and_records_it_worked_out(
    browser: Browser,
    live_server: LiveServer,
    casts: dict[str, Cast],
    language: str,
    viewport: dict,
    words: dict,
) -> None:
    context = browser.new_context(
        locale="nl-NL" if language == "nl" else "en-GB", viewport=viewport
    )
    context.set_default_timeout(10_000)
    try:
        steps = walk(browser, context.new_page(), live_server, casts[language], words)
    finally:
        context.close()
    assert steps <= MAX_STEPS, steps
