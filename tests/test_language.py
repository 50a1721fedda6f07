"""Language and text size across the platform: small cookies of their own (no session), set
for the platform's domain so that a choice holds on the portal and every municipality; the
browser's wish for English; a signed-in person's saved language; municipality texts in
English."""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest

from buurtplatform.accounts.models import User
from buurtplatform.extensions import db
from buurtplatform.i18n import LANGUAGE_COOKIE, LARGE_TEXT_COOKIE
from tenants.models import TenantDomain
from tests.helpers import DOMAIN, sign_in, tenant_by_slug


def switch_language(client, locale: str, next_page: str = "/"):
    return client.post("/taal", data={"language-locale": locale, "language-next": next_page})


def toggle_text_size(client, next_page: str = "/"):
    return client.post("/tekstgrootte", data={"textsize-next": next_page})


def set_cookies(response) -> dict[str, SimpleCookie]:
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        cookie = SimpleCookie(header)
        found.update({name: cookie for name in cookie})
    return found


def lang_of(client, path: str = "/", **headers) -> str:
    page = client.get(path, headers=headers).get_data(as_text=True)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("en-GB,en;q=0.9", "en"),
        ("en-US", "en"),
        ("en,nl;q=0.8", "nl"),
        ("nl-NL,nl;q=0.9,en;q=0.8", "nl"),
        ("de-DE,de;q=0.9", "nl"),
        ("en;q=0", "nl"),
        ("", "nl"),
    ],
)
def test_the_browsers_wish_for_english_counts_only_without_dutch(client_for, asked, expected):
    assert lang_of(client_for("cuijk"), **{"Accept-Language": asked}) == expected


def test_a_visitors_choice_is_a_cookie_for_the_whole_platform_not_a_session(client_for):
    response = switch_language(client_for("grave"), "en")
    cookies = set_cookies(response)
    assert "session" not in cookies
    language = cookies[LANGUAGE_COOKIE][LANGUAGE_COOKIE]
    assert language.value == "en"
    assert language["domain"] == DOMAIN
    assert language["httponly"]
    assert language["samesite"] == "Lax"
    assert int(language["max-age"]) >= 300 * 24 * 3600


def test_a_language_chosen_on_one_site_holds_on_the_portal_and_every_municipality(app, client_for):
    grave = client_for("grave")
    switch_language(grave, "en")
    # The test client keeps cookies per domain as a browser does: the portal and Cuijk see it.
    for slug in (None, "cuijk", "mill"):
        other = client_for(slug)
        other._cookies = grave._cookies
        assert lang_of(other) == "en"
    # A later choice wins over the browser's wish.
    switch_language(grave, "nl")
    assert lang_of(grave, **{"Accept-Language": "en"}) == "nl"


def test_a_municipalitys_own_domain_keeps_the_choice_for_itself(app, client_for):
    with app.app_context():
        cuijk = tenant_by_slug("cuijk")
        db.session.add(TenantDomain(tenant=cuijk, host="samencuijk.example", is_canonical=True))
        db.session.commit()
    client = client_for("cuijk")
    client.host = "samencuijk.example"
    language = set_cookies(switch_language(client, "en"))[LANGUAGE_COOKIE][LANGUAGE_COOKIE]
    assert language["domain"] == ""
    assert lang_of(client) == "en"


def test_in_development_on_localhost_the_cookie_is_for_the_host_alone(make_app):
    # Browsers refuse a cookie for the domain "localhost" altogether (checked in Chromium).
    app = make_app(PLATFORM_DOMAIN="localhost:5000")
    client = app.test_client()
    response = client.post(
        "/taal", data={"language-locale": "en"}, base_url="http://cuijk.localhost:5000"
    )
    assert set_cookies(response)[LANGUAGE_COOKIE][LANGUAGE_COOKIE]["domain"] == ""


def test_a_signed_in_persons_saved_language_wins_and_a_change_updates_both(
    app, client_for, make_user
):
    annie = make_user("cuijk")
    with app.app_context():
        db.session.get(User, annie.id).locale = "en"
        db.session.commit()
    cuijk = client_for("cuijk")
    switch_language(cuijk, "nl")  # as a visitor, before signing in
    # The cookie follows the account, so that English holds on the other sites too.
    signed_in = sign_in(cuijk, annie)
    assert set_cookies(signed_in)[LANGUAGE_COOKIE][LANGUAGE_COOKIE].value == "en"
    assert lang_of(cuijk) == "en"
    portal = client_for(None)
    portal._cookies = cuijk._cookies
    assert lang_of(portal) == "en"

    # Changing it while signed in changes the account and the cookie.
    cookies = set_cookies(switch_language(cuijk, "nl"))
    assert cookies[LANGUAGE_COOKIE][LANGUAGE_COOKIE].value == "nl"
    with app.app_context():
        assert db.session.get(User, annie.id).locale == "nl"
    assert lang_of(portal) == "nl"

    # So does changing it on the profile page.
    with app.app_context():
        db.session.get(User, annie.id).locale = "en"
        db.session.commit()
    assert lang_of(cuijk) == "en"
    cuijk.post("/uitloggen")
    assert lang_of(cuijk) == "en"
    assert lang_of(portal) == "en"


def test_larger_text_shows_its_state_and_stays_on_without_a_session(client_for):
    cuijk = client_for("cuijk")
    page = cuijk.get("/").get_data(as_text=True)
    assert 'aria-pressed="false"' in page
    assert 'Grotere letters<span aria-hidden="true">: uit</span>' in page
    assert 'class="large-text"' not in page

    response = toggle_text_size(cuijk, "/vraag-en-aanbod")
    assert response.headers["Location"] == "/vraag-en-aanbod"
    cookies = set_cookies(response)
    assert "session" not in cookies
    assert cookies[LARGE_TEXT_COOKIE][LARGE_TEXT_COOKIE].value == "1"
    for path in ("/", "/vraag-en-aanbod", "/wie-helpt", "/privacy"):
        page = cuijk.get(path).get_data(as_text=True)
        assert 'class="large-text"' in page, path
        assert 'aria-pressed="true"' in page
        assert 'Grotere letters<span aria-hidden="true">: aan</span>' in page

    toggle_text_size(cuijk)
    assert 'aria-pressed="false"' in cuijk.get("/").get_data(as_text=True)


def test_visitor_pages_say_they_differ_by_language(client_for):
    response = client_for("cuijk").get("/")
    assert {"Accept-Language", "Cookie"} <= set(response.vary)
    assert "Set-Cookie" not in response.headers
