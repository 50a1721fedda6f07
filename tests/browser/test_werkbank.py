"""Wendy (41), social worker and coordinator for Grave, on her phone between visits: she
opens the werkbank, sees the ask nobody answered for Mevrouw Van Rooij, narrows the list to
asks without a reply, leaves a note for her colleagues with the keyboard, and keeps her list of
people: she adds someone (after a phone number in words is refused), opens a new ask for him
with him chosen, and removes him on his request. At 375 px, axe-core on every page, in Dutch
and in English.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Kind, Listing, OfflinePerson
from buurtplatform.timestamps import utcnow
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import in_municipality, village_named
from tests.browser.test_journeys import PASSWORD, PHONE, visit

pytestmark = pytest.mark.browser

SLUG = "grave"
EMAIL = "wendy.werkbank@grave.example.nl"


@pytest.fixture(scope="module")
def wendy(browser: Browser, live_server: LiveServer) -> Iterator[tuple[Page, int, int]]:
    """Wendy's phone, signed in on Grave, with the ask she posted three days ago for Mevrouw
    Van Rooij in Gassel, which nobody answered; and the person's id. Removed afterwards."""
    with in_municipality(live_server, SLUG):
        user = User(email=EMAIL, first_name="Wendy", email_verified_at=utcnow())
        user.set_password(PASSWORD)
        gassel = village_named("Gassel")
        db.session.add(Membership(user=user, role=Role.COORDINATOR, village_id=gassel))
        db.session.flush()
        person = OfflinePerson(
            name="Mevrouw Van Rooij",
            phone="0486 555 123",
            village_id=gassel,
            consent_note="Telefonisch, met haar dochter erbij.",
            recorded_by_id=user.id,
        )
        ask = Listing(
            kind=Kind.ASK,
            category_id=db.session.scalar(sa.select(Category.id).where(Category.key == "shopping")),
            title="Boodschappen voor mevrouw Van Rooij",
            description="Elke dinsdag boodschappen.",
            village_id=gassel,
            author_id=user.id,
            offline_person=person,
            created_at=utcnow() - timedelta(days=3),
            expires_at=utcnow() + timedelta(days=27),
        )
        db.session.add(ask)
        db.session.commit()
        ask_id, person_id, user_id = ask.id, person.id, user.id
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server.url(SLUG, "/inloggen"))
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    yield page, ask_id, person_id
    context.close()
    # Grave as it was for the other journeys there (the note goes with the ask).
    with in_municipality(live_server, SLUG):
        db.session.delete(db.session.get(Listing, ask_id))
        db.session.delete(db.session.get(OfflinePerson, person_id))
        db.session.delete(db.session.get(User, user_id))
        db.session.commit()


def test_wendy_sees_who_waits_leaves_a_note_and_keeps_her_people(
    live_server: LiveServer, wendy: tuple[Page, int, int]
) -> None:
    page, ask_id, _person_id = wendy
    page.locator("header nav a[href='/werkbank/']").click()
    page.wait_for_load_state()
    assert_accessible(page)
    item = page.locator(f"#vraag-{ask_id}")
    expect(item).to_contain_text("3 dagen")
    expect(item.locator("a[href^='tel:']")).to_have_text("0486 555 123")
    # Only the asks without a reply; hers is one of them.
    page.get_by_label("Nog geen reactie").check()
    page.locator("main form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page)
    expect(page).to_have_url(live_server.url(SLUG, "/werkbank/?situation=no_reply&village=0"))
    # A note for colleagues, with the keyboard only.
    item.locator("summary").focus()
    page.keyboard.press("Enter")
    item.locator("textarea").focus()
    page.keyboard.type("Gebeld: de dochter helpt tot vrijdag.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".flash--success")).to_contain_text("Alleen collega's zien hem")
    expect(item.locator(".staff-note__body")).to_have_text("Gebeld: de dochter helpt tot vrijdag.")
    assert_accessible(page)

    # Her list of people: a new one, a phone number in words refused first.
    page.locator("main a[href='/werkbank/mensen']").click()
    page.locator("main a[href='/werkbank/mensen/nieuw']").click()
    page.locator("#name").fill("Meneer De Wit")
    page.locator("#phone").fill("bel de buurvrouw")
    page.locator("#village").select_option(label="Gassel")
    page.locator("#consent_note").fill("Telefonisch op 3 maart.")
    page.locator("main form.form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text("telefoonnummer in cijfers")
    assert_accessible(page)
    page.locator("#phone").fill("0486 777 888")
    page.locator("main form.form button[type=submit]").click()
    card = page.locator(".people-list .card", has_text="Meneer De Wit")
    expect(card).to_contain_text("0486 777 888")
    assert_accessible(page)
    # A new ask for him opens with him chosen.
    card.get_by_role("link", name="Nieuwe hulpvraag voor Meneer De Wit").click()
    expect(page.locator("#person option:checked")).to_contain_text("Meneer De Wit")
    page.go_back()
    # He asks to be removed.
    card.get_by_role("link", name="Gegevens van Meneer De Wit verwijderen").click()
    assert_accessible(page)
    page.locator("main button[type=submit]").click()
    expect(page.locator(".flash--success")).to_have_text("De gegevens zijn verwijderd.")
    expect(page.locator("main")).not_to_contain_text("Meneer De Wit")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_werkbank_page_is_accessible_at_phone_width(
    live_server: LiveServer, wendy: tuple[Page, int, int], language: str
) -> None:
    page, _ask_id, person_id = wendy
    page.goto(live_server.url(SLUG))
    switch = page.locator(f"header button[name='language-locale'][value='{language}']")
    if switch.count():
        switch.click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    for path in (
        "/werkbank/",
        "/werkbank/?situation=no_outcome",
        "/werkbank/mensen",
        "/werkbank/mensen/nieuw",
        f"/werkbank/mensen/{person_id}/bewerken",
        f"/werkbank/mensen/{person_id}/activiteit",
        f"/werkbank/mensen/{person_id}/verwijderen",
    ):
        visit(page, live_server.url(SLUG, path))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
