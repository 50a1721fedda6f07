"""Jouw gegevens in Chromium: Wim (Mill) downloads his data and deletes his account on his
phone; axe-core on every page, and no sideways scrolling."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from playwright.sync_api import Browser, expect

from buurtplatform.accounts.models import Role
from buurtplatform.extensions import db
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_board import _person, fits_the_phone
from tests.browser.test_help_journeys import in_municipality
from tests.browser.test_journeys import PASSWORD, submit, visit

pytestmark = pytest.mark.browser

SLUG = "mill"
PHONE = {"width": 375, "height": 667}


def test_wim_downloads_his_data_and_deletes_his_account(
    browser: Browser, live_server: LiveServer
) -> None:
    with in_municipality(live_server, SLUG):
        _person("wim.gegevens@example.nl", "Wim", Role.RESIDENT, "Wilbertoord")
        db.session.commit()
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server.url(SLUG, "/inloggen"))
    page.locator("#email").fill("wim.gegevens@example.nl")
    page.locator("#password").fill(PASSWORD)
    submit(page)

    visit(page, live_server.url(SLUG, "/profiel"))
    fits_the_phone(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download je gegevens (een ZIP-bestand)").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert json.loads(archive.read("data.json"))["account"]["first_name"] == "Wim"

    page.get_by_role("link", name="Je account verwijderen").click()
    expect(page.locator("h1")).to_have_text("Je account verwijderen")
    assert_accessible(page)
    fits_the_phone(page)
    submit(page)  # nothing chosen, no password: the errors are listed
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Laat mijn berichten staan zonder mijn naam").check()
    page.locator("#password").fill(PASSWORD)
    submit(page)
    expect(page).to_have_url(live_server.url(SLUG))
    expect(page.locator(".flash--success")).to_have_text(
        "Je account is verwijderd. Bedankt dat je meedeed."
    )
    assert_accessible(page)
    context.close()
