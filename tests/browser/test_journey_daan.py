"""Daan (35, Sint Agatha) offers help in the garden, on his phone: from the portal to two
neighbours helped and "gelukt" recorded, with axe-core on every page and his clicks counted.
In Dutch at 375 pixels, and once in English at 1280.

Every click, choice from a list, radio button and link followed from an email counts as one
click; typing does not. README.md ("Journeys") lists the counts asserted here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Locator, Page, expect

from buurtplatform.listings.models import Kind, Listing, Status
from buurtplatform.matches.models import Match, Outcome
from jobs.reminders import send_follow_ups
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import (  # noqa: F401 - make_member is a fixture
    SLUG,
    Member,
    emails_to,
    in_cuijk,
    listing_id_in,
    make_member,
    rows_in,
    sign_in,
    template_id,
)
from tests.browser.test_journeys import DESKTOP, PASSWORD, PHONE

pytestmark = pytest.mark.browser

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The most clicks each part of the journey may take.
MOST_CLICKS = {"offer": 8, "match": 5, "done": 6}


class Clicks:
    """Daan's hands: each action is counted, and every page it leads to is checked by axe."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def click(self, target: Locator) -> None:
        self.count += 1
        target.click()
        self.page.wait_for_load_state()
        assert_accessible(self.page)

    def choose(self, target: Locator, value: str) -> None:
        self.count += 1
        target.select_option(value)

    def check(self, target: Locator) -> None:
        self.count += 1
        target.check()

    def follow(self, link: str) -> None:
        """A link in an email."""
        self.count += 1
        response = self.page.goto(link)
        assert response is not None and response.status == 200, link
        assert_accessible(self.page)


def reply_to(browser: Browser, live_server: LiveServer, who: Member, offer_path: str) -> None:
    """A neighbour replies to the offer, in a browser of their own."""
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    try:
        page = context.new_page()
        sign_in(page, live_server, who)
        page.goto(live_server.url(SLUG, offer_path))
        form = page.locator(f"form[action='{offer_path}/reageren']")
        form.locator("textarea[name=body]").fill(f"Dag, ik ben {who.first_name}. Graag!")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        expect(page).to_have_url(re.compile(r"/gesprekken/\d+$"))
    finally:
        context.close()


def follow_up_moment(agreed_day: date) -> datetime:
    """The morning after the agreed day, when the follow-up is due."""
    return datetime.combine(agreed_day + timedelta(days=1), time(8, 30), tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("language", "viewport", "names"),
    [
        ("nl", PHONE, ("Daan", "Truus", "Wim")),
        ("en", DESKTOP, ("Dean", "Tess", "Will")),
    ],
    ids=["dutch-phone", "english-desktop"],
)
def test_daan_offers_garden_help_helps_two_neighbours_and_records_it_worked_out(
    browser: Browser,
    live_server: LiveServer,
    make_member: Callable[..., Member],  # noqa: F811
    language: str,
    viewport: dict,
    names: tuple[str, str, str],
) -> None:
    daan = make_member(names[0], village="Sint Agatha")
    neighbours = [make_member(names[1], village="Beers"), make_member(names[2], village="Vianen")]
    context = browser.new_context(locale="nl-NL", viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    hands = Clicks(page)
    try:
        # 1. From the portal to an offer from the garden template, in "Who helps?".
        page.goto(live_server.portal_url)
        assert_accessible(page)
        hands.click(page.get_by_role("link", name="Samen Cuijk").first)
        hands.click(page.locator("header nav a[href='/inloggen']"))
        page.locator("#email").fill(daan.email)
        page.locator("#password").fill(PASSWORD)
        hands.click(page.locator("main form.form button[type=submit]"))
        expect(page).to_have_url(live_server.url(SLUG))
        if language == "en":  # signed in, so that his emails come in English too
            hands.click(page.locator("header button[name='language-locale'][value='en']"))
            expect(page.locator("html")).to_have_attribute("lang", "en")

        hands.click(page.locator("main a.button[href='/vraag-en-aanbod/nieuw?soort=aanbod']"))
        heading = "Offer help" if language == "en" else "Bied hulp aan"
        expect(page.locator("main h1")).to_have_text(heading)
        # It is an offer form: it does not ask again whether he asks or offers.
        expect(page.locator("input[name=kind][type=radio]")).to_have_count(0)
        garden = template_id(live_server, Kind.OFFER, "garden")
        hands.click(page.locator(f"main .templates a[href$='sjabloon={garden}']"))
        title = "I help in the garden" if language == "en" else "Ik help in de tuin"
        expect(page.locator("#title")).to_have_value(title)
        expect(page.locator("#village option:checked")).to_have_text("Sint Agatha")
        agreed_day = datetime.now(AMSTERDAM).date() + timedelta(days=3)
        hands.check(page.locator("input[name=timing][value=on_date]"))
        page.locator("#needed_on").fill(agreed_day.isoformat())
        hands.click(page.locator("main form.form button[type=submit]"))
        expect(page).to_have_url(re.compile(r"/vraag-en-aanbod/\d+$"))
        offer_id = listing_id_in(page.url)
        offer_path = f"/vraag-en-aanbod/{offer_id}"
        expect(page.locator("main .badge--offer")).to_be_visible()
        offering = hands.count
        assert offering <= MOST_CLICKS["offer"]

        hands.click(page.locator("header nav a[href='/wie-helpt']"))
        daan_listed = page.locator("main .helper", has_text=f"{daan.first_name}, Sint Agatha")
        expect(daan_listed.locator(f"a[href='{offer_path}']")).to_be_visible()

        # 2. Two neighbours reply; he records a match with each, and the offer stays open.
        for neighbour in neighbours:
            reply_to(browser, live_server, neighbour, offer_path)
        before = hands.count
        hands.click(daan_listed.locator(f"a[href='{offer_path}']"))
        match_form = page.locator(f"form[action='{offer_path}/match']")
        for neighbour in neighbours:
            hands.choose(match_form.locator("select[name=partner]"), str(neighbour.user_id))
            hands.click(match_form.locator("button[type=submit]"))
            expect(page.locator(".flash--success")).to_be_visible()
        matching = hands.count - before
        assert matching <= MOST_CLICKS["match"]
        expect(page.locator("main .badge--matched")).to_have_count(0)
        helped = "This offer has helped 2 people." if language == "en" else "2 mensen geholpen"
        expect(page.locator("main .helped-count")).to_contain_text(helped)
        assert rows_in(live_server, sa.select(Listing.status).where(Listing.id == offer_id)) == [
            (Status.OPEN,)
        ]
        # Each neighbour was told by email that Daan recorded the match.
        for neighbour in neighbours:
            told = emails_to(live_server, neighbour.email, 1)
            assert any(daan.first_name in m.subject for m in told)

        # 3. After the agreed day, "did the help happen?" arrives; he answers "yes" twice.
        with in_cuijk(live_server):
            # Other journeys in the same server may have matches that are due too.
            assert send_follow_ups(follow_up_moment(agreed_day)) >= 2
        # Two replies, then a question per match.
        asked = [
            m
            for m in emails_to(live_server, daan.email, 4)
            if any("/uitkomst" in link for link in m.links)
        ]
        assert len(asked) == 2
        question = "Did the help happen?" if language == "en" else "Is de hulp doorgegaan?"
        before = hands.count
        for email in asked:
            assert question in email.text
            hands.follow(next(link for link in email.links if "/uitkomst" in link))
            expect(page.locator("main h1")).to_have_text(question)
            hands.check(page.locator("input[name=outcome][value=done]"))
            hands.click(page.locator("main form.form button[type=submit]"))
            expect(page).to_have_url(live_server.url(SLUG, offer_path))
            expect(page.locator(".flash--success")).to_be_visible()
        answering = hands.count - before
        assert answering <= MOST_CLICKS["done"]
    finally:
        context.close()

    outcomes = rows_in(
        live_server,
        sa.select(Match.partner_id, Match.author_outcome)
        .where(Match.listing_id == offer_id)
        .order_by(Match.id),
    )
    assert outcomes == [(n.user_id, Outcome.DONE) for n in neighbours]
    # The counts README.md lists.
    print(
        f"\n{language} {viewport['width']}px: offer {offering}, matches {matching}, "
        f"done {answering}, total {hands.count}"
    )
