"""Annie (Mill) reports a message in which Bob asks for her bank details; Henk, the
buurtverbinder, follows the email to that one message, hides it with a reason, and Bob is told
why by email and answers once. Both see the message hidden in their conversation. axe-core
checks each page of the flow, and the same pages in English.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.conversations.services import start_or_continue
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Kind, Listing
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import in_municipality
from tests.browser.test_journeys import DESKTOP, PASSWORD, PHONE, email_link, submit, visit

pytestmark = pytest.mark.browser

# A municipality the other journeys leave alone.
SLUG = "mill"
RUDE = "Stuur mij je pincode, dan doe ik de boodschappen."


@dataclass(frozen=True)
class Scene:
    conversation_id: int
    message_id: int


def _person(email: str, first_name: str, role: Role, village: Village) -> User:
    user = User(email=email, first_name=first_name, email_verified_at=utcnow())
    user.set_password(PASSWORD)
    db.session.add(Membership(user=user, role=role, village_id=village.id))
    return user


@pytest.fixture(scope="module")
def scene(live_server: LiveServer) -> Scene:
    """Annie asked for help with shopping; Bob answered with a message asking for her PIN."""
    with in_municipality(live_server, SLUG):
        village = db.session.scalar(sa.select(Village).order_by(Village.id))
        _person("henk.moderation@example.nl", "Henk", Role.CONNECTOR, village)
        annie = _person("annie.moderation@example.nl", "Annie", Role.RESIDENT, village)
        bob = _person("bob.moderation@example.nl", "Bob", Role.RESIDENT, village)
        db.session.flush()
        ask = Listing(
            kind=Kind.ASK,
            category_id=db.session.scalar(sa.select(Category.id).where(Category.key == "shopping")),
            title="Wie doet mijn boodschappen?",
            description="Eens per week, ik geef een lijstje mee.",
            village_id=village.id,
            author_id=annie.id,
            expires_at=utcnow() + timedelta(days=30),
        )
        db.session.add(ask)
        db.session.flush()
        conversation = start_or_continue(ask, annie, bob, RUDE)
        db.session.commit()
        return Scene(conversation.id, conversation.messages[0].id)


@pytest.fixture
def signed_in(browser: Browser, live_server: LiveServer) -> Iterator:
    """`signed_in(email)`: a page of a new browser, signed in on Mill."""
    contexts = []

    def open_as(email: str, viewport: dict = DESKTOP) -> Page:
        context = browser.new_context(locale="nl-NL", viewport=viewport)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url(SLUG, "/inloggen"))
        page.locator("#email").fill(email)
        page.locator("#password").fill(PASSWORD)
        submit(page)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_a_reported_message_is_hidden_and_its_writer_is_told(
    live_server: LiveServer, scene: Scene, signed_in
) -> None:
    thread = live_server.url(SLUG, f"/gesprekken/{scene.conversation_id}")

    # Annie reports the message, on her phone.
    annie = signed_in("annie.moderation@example.nl", PHONE)
    visit(annie, thread)
    annie.get_by_role("link", name="Meld dit bericht").click()
    submit(annie)
    expect(annie.locator(".error-summary a[href='#reason_code']")).to_have_text(
        "Kies wat er niet klopt."
    )
    assert_accessible(annie)
    annie.get_by_label("Onveilig, of oplichting").check()
    annie.locator("#reason").fill("Hij vraagt om mijn pincode.")
    submit(annie)
    expect(annie).to_have_url(thread)
    expect(annie.locator(".flash")).to_contain_text("Een buurtverbinder gaat ernaar kijken.")

    # Henk follows the email to that one message, and hides it.
    review = email_link(
        live_server, "henk.moderation@example.nl", f"/beheer/meldingen/bericht/{scene.message_id}"
    )
    henk = signed_in("henk.moderation@example.nl")
    visit(henk, review)
    expect(henk.locator("main")).to_contain_text(RUDE)
    expect(henk.locator("main")).to_contain_text("Onveilig, of oplichting")
    henk.get_by_label("Verbergen").check()
    submit(henk)
    expect(henk.locator(".error-summary")).to_contain_text("Schrijf kort waarom je dit besluit.")
    assert_accessible(henk)
    henk.get_by_label("Verbergen").check()
    henk.locator("#reason").fill("Vraag nooit om een pincode of bankgegevens.")
    submit(henk)
    expect(henk).to_have_url(live_server.url(SLUG, "/beheer/meldingen"))
    expect(henk.locator(".flash")).to_contain_text("Je besluit is bewaard.")
    expect(henk.locator("main")).to_contain_text("Er is niets gemeld.")
    assert_accessible(henk)

    # Bob is told why, and answers once.
    [told] = [m for m in live_server.outbox() if m.recipient == "bob.moderation@example.nl"][:1]
    assert told.subject.startswith("Je bericht in een gesprek is verborgen")
    assert "Waarom: Vraag nooit om een pincode of bankgegevens." in told.text
    assert "Annie" not in told.text
    bob = signed_in("bob.moderation@example.nl", PHONE)
    visit(bob, email_link(live_server, "bob.moderation@example.nl", "/beheer/besluit/"))
    bob.locator("#reply").fill("Het was een grap, sorry.")
    submit(bob)
    expect(bob.locator(".flash")).to_contain_text("De buurtverbinders lezen je reactie.")
    expect(bob.locator("main form")).to_have_count(0)
    assert_accessible(bob)

    # Both see the message hidden; the connectors read Bob's answer.
    for person in (annie, bob):
        visit(person, thread)
        expect(person.locator("main")).to_contain_text(
            "Dit bericht is verborgen door een buurtverbinder."
        )
        expect(person.locator("main")).not_to_contain_text("pincode")
    visit(henk, live_server.url(SLUG, "/beheer/meldingen"))
    expect(henk.locator("main")).to_contain_text("Het was een grap, sorry.")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_moderation_pages_are_accessible(
    live_server: LiveServer, scene: Scene, signed_in, language: str
) -> None:
    henk = signed_in("henk.moderation@example.nl")
    henk.goto(live_server.url(SLUG))
    switch = henk.locator(f"header button[name='language-locale'][value='{language}']")
    if switch.count():
        switch.click()
    expect(henk.locator("html")).to_have_attribute("lang", language)
    for path in (
        "/beheer/",
        "/beheer/meldingen",
        f"/beheer/meldingen/bericht/{scene.message_id}",
        "/beheer/logboek",
    ):
        visit(henk, live_server.url(SLUG, path))
    # The settings form with an error.
    visit(henk, live_server.url(SLUG, "/beheer/meldingen"))
    henk.locator("#report_hide_threshold").fill("12")
    henk.locator("section.panel form button[type=submit]").click()
    expect(henk.locator(".error-summary")).to_be_visible()
    assert_accessible(henk)
    henk.set_viewport_size(PHONE)
    assert henk.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
