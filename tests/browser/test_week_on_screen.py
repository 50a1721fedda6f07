"""The week on screen in Chromium: Wendy, a social worker in Sint Anthonis, opens last week
from the werkbank's address, reads its figures and the ask nobody answered, and goes to the
week before with the keyboard; in Dutch and English, at 375 pixels wide, axe-core clean."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.extensions import db
from buurtplatform.figures.periods import week_of
from buurtplatform.listings.models import Category
from buurtplatform.timestamps import utcnow
from jobs.periods import local_day, local_midnight
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import in_municipality
from tests.browser.test_journeys import DESKTOP, PASSWORD, PHONE
from tests.listing_helpers import new_listing

pytestmark = pytest.mark.browser

SLUG = "sint-anthonis"
EMAIL = "wendy.week@example.nl"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_last_week_on_a_phone_in_both_languages(
    browser: Browser, live_server: LiveServer, language: str
) -> None:
    last_week = week_of(local_day(utcnow()) - timedelta(days=7))
    with in_municipality(live_server, SLUG):
        if db.session.scalar(sa.select(User).where(User.email == EMAIL)) is None:
            user = User(email=EMAIL, first_name="Wendy", email_verified_at=utcnow())
            user.set_password(PASSWORD)
            db.session.add(Membership(user=user, role=Role.COORDINATOR))
            db.session.flush()
            category = db.session.scalar(sa.select(Category.id).limit(1))
            db.session.add(
                new_listing(
                    user.id,
                    category,
                    title="Wie haalt mijn recepten op?",
                    created_at=local_midnight(last_week.first) + timedelta(days=2, hours=10),
                )
            )
            db.session.commit()

    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(live_server.url(SLUG, "/inloggen?next=/werkbank/week"))
        page.locator("#email").fill(EMAIL)
        page.locator("#password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        if language == "en":
            page.locator("header button[name='language-locale'][value='en']").click()
            page.wait_for_load_state()
        page.goto(live_server.url(SLUG, "/werkbank/week"))
        assert page.url.endswith(f"/werkbank/week/{last_week.key}")
        heading = "Week van maandag" if language == "nl" else "Week of Monday"
        expect(page.locator("h1")).to_contain_text(heading)
        expect(page.locator("main")).to_contain_text("Wie haalt mijn recepten op?")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.set_viewport_size(DESKTOP)
        assert_accessible(page)
        page.locator("a[rel=prev]").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        earlier = week_of(last_week.first - timedelta(days=7))
        assert page.url.endswith(f"/werkbank/week/{earlier.key}")
        expect(page.locator("a[rel=next]")).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()
