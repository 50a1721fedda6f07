"""The agenda in Chromium: Truus (Velp) finds the coffee morning on her phone, comes, and says
she cannot come after all; every page of the agenda for the organiser, a connector and a
social worker, in Dutch and in English, with axe-core on each and no sideways scrolling on a
phone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.activities.models import Repeat, Signup
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tests.activity_helpers import new_activity, next_weekday
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import in_municipality
from tests.browser.test_journeys import DESKTOP, PASSWORD, submit, visit

pytestmark = pytest.mark.browser

# A municipality whose agenda the other journeys leave alone.
SLUG = "grave"
PHONE = {"width": 390, "height": 844}
PEOPLE = {
    "truus.agenda@example.nl": ("Truus", Role.RESIDENT, "Velp"),
    "gerda.agenda@example.nl": ("Gerda", Role.ORGANISATION, "Grave"),
    "piet.agenda@example.nl": ("Piet", Role.CONNECTOR, "Grave"),
    "wendy.agenda@example.nl": ("Wendy", Role.COORDINATOR, "Escharen"),
}


@pytest.fixture(scope="module")
def agenda(live_server: LiveServer) -> dict[str, int]:
    """The people, Gerda's weekly coffee morning in Velp (room for two) and a course."""
    with in_municipality(live_server, SLUG):
        villages = {v.name: v.id for v in db.session.scalars(sa.select(Village))}
        users = {}
        for email, (first_name, role, village) in PEOPLE.items():
            user = User(email=email, first_name=first_name, email_verified_at=utcnow())
            user.set_password(PASSWORD)
            db.session.add(Membership(user=user, role=role, village_id=villages[village]))
            users[first_name] = user
        db.session.flush()
        coffee = new_activity(
            users["Gerda"].id,
            next_weekday(3),
            title="Koffieochtend in Velp",
            description="Elke donderdag **koffie** met iets lekkers.",
            village_id=villages["Velp"],
            repeat=Repeat.WEEKLY,
            capacity=2,
            cost="gratis",
            accessibility="Toegankelijk met een rollator.",
            by_organisation=True,
        )
        course = new_activity(
            users["Gerda"].id,
            next_weekday(1) + timedelta(weeks=1),
            title="Cursus tablet",
            kind="course",
            village_id=villages["Grave"],
        )
        db.session.add_all([coffee, course])
        db.session.commit()
        return {"coffee": coffee.id, "course": course.id}


@pytest.fixture
def signed_in(browser: Browser, live_server: LiveServer, agenda) -> Iterator:
    """`signed_in(email, viewport)`: a page of a new browser, signed in on Grave."""
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


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def signups_of(live_server: LiveServer, activity_id: int) -> list[str]:
    with in_municipality(live_server, SLUG):
        return list(
            db.session.scalars(sa.select(Signup.status).where(Signup.activity_id == activity_id))
        )


def test_a_resident_finds_the_coffee_morning_comes_and_cannot_come_after_all(
    live_server: LiveServer, signed_in: Callable[..., Page], agenda: dict[str, int]
) -> None:
    truus = signed_in("truus.agenda@example.nl", PHONE)
    truus.locator("nav a[href='/agenda']").first.click()
    truus.wait_for_load_state()
    assert_accessible(truus)
    fits_the_phone(truus)
    truus.locator("#village").select_option(label="Velp")
    truus.locator("main form.filters button[type=submit]").click()
    truus.wait_for_load_state()
    expect(truus.locator("main .listing-list")).to_contain_text("Koffieochtend in Velp")
    expect(truus.locator("main .listing-list")).not_to_contain_text("Cursus tablet")
    assert_accessible(truus)
    truus.locator("main .listing-list a", has_text="Koffieochtend in Velp").click()
    truus.wait_for_load_state()
    expect(truus.locator("h1")).to_have_text("Koffieochtend in Velp")
    expect(truus.locator("main strong").first).to_have_text("koffie")
    expect(truus.locator("main")).to_contain_text("Nog 2 plekken vrij")
    assert_accessible(truus)
    fits_the_phone(truus)

    truus.locator("form[action$='/ik-kom'] button").click()
    truus.wait_for_load_state()
    expect(truus.locator("main")).to_contain_text("Je staat op de lijst. Welkom!")
    expect(truus.locator("main")).to_contain_text("Nog 1 plek vrij")
    assert signups_of(live_server, agenda["coffee"]) == ["going"]
    assert_accessible(truus)
    fits_the_phone(truus)

    truus.locator("form[action$='/ik-kom-niet'] button").click()
    truus.wait_for_load_state()
    expect(truus.locator("main")).to_contain_text("Je staat niet meer op de lijst.")
    expect(truus.locator("form[action$='/ik-kom'] button")).to_be_visible()
    assert signups_of(live_server, agenda["coffee"]) == []
    assert_accessible(truus)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_agenda_page_is_accessible(
    live_server: LiveServer, signed_in: Callable[..., Page], agenda: dict[str, int], language
) -> None:
    coffee, course = agenda["coffee"], agenda["course"]
    pages = {
        "gerda.agenda@example.nl": (
            "/agenda",
            "/agenda?kind=walk",
            "/agenda/voorbij",
            "/agenda/nieuw",
            f"/agenda/{coffee}",
            f"/agenda/{coffee}/bewerken",
            f"/agenda/{coffee}/wie-komen",
        ),
        "wendy.agenda@example.nl": (
            f"/agenda/{course}",
            f"/agenda/{course}/wie-komen",
            f"/agenda/{course}/namens-iemand",
        ),
        "piet.agenda@example.nl": (f"/agenda/{course}/bewerken",),
    }
    for email, paths in pages.items():
        person = signed_in(email, PHONE)
        person.goto(live_server.url(SLUG))
        switch = person.locator(f"header button[name='language-locale'][value='{language}']")
        if switch.count():
            switch.click()
        expect(person.locator("html")).to_have_attribute("lang", language)
        for path in paths:
            visit(person, live_server.url(SLUG, path))
            fits_the_phone(person)
    # An end before the start: the error, as a screen reader meets it, and the input kept.
    visit(person, live_server.url(SLUG, f"/agenda/{course}/bewerken"))
    person.locator("#ends").fill("08:00")
    submit(person)
    expect(person.locator(".error-summary")).to_be_visible()
    expect(person.locator("#title")).to_have_value("Cursus tablet")
    assert_accessible(person)
    fits_the_phone(person)
