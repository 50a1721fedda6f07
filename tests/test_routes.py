"""The route crawler: every route, for every role on every municipality.

New routes join automatically. A route whose URL takes an argument must have a sample in
`SAMPLES` (how to make a valid value for a given municipality), or the crawler fails: that is
how a new route with an id is forced into the cross-municipality check.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from werkzeug.routing import Rule

from buurtplatform.accounts.models import Role, User
from buurtplatform.accounts.tokens import RESET, VERIFY, make_token
from tenants.scoping import tenant_context
from tests.helpers import sign_in, tenant_by_slug

MUNICIPALITIES = ("cuijk", "grave", "mill", "sint-anthonis")
# Who visits: nobody signed in, a member of another municipality, each role, a platform admin.
VISITORS = ("anonymous", "visitor", *[role.value for role in Role], "platform_admin")


def _token(purpose: str) -> Callable[[Flask, str, User], str]:
    def make(app: Flask, slug: str, user: User) -> str:
        with app.test_request_context(), tenant_context(tenant_by_slug(slug)):
            return make_token(user, purpose)

    return make


# URL argument -> how to make a valid value for a municipality, given a user there.
SAMPLES: dict[tuple[str, str], Callable[[Flask, str, User], str]] = {
    ("accounts.verify_email", "token"): _token(VERIFY),
    ("accounts.reset_password", "token"): _token(RESET),
}
# Arguments that identify a municipality's row: another municipality's value must be a 404.
ID_ARGUMENTS = {name for (_, name) in SAMPLES if name.endswith("_id")}


def crawlable_rules(app: Flask, method: str = "GET") -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if method in rule.methods and rule.endpoint != "static"
    ]


def build_url(app: Flask, rule: Rule, slug: str, user: User) -> str:
    values = {}
    for argument in rule.arguments:
        sample = SAMPLES.get((rule.endpoint, argument))
        assert sample is not None, (
            f"{rule.rule} takes {argument!r}: add a sample to SAMPLES in tests/test_routes.py"
        )
        values[argument] = sample(app, slug, user)
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


@pytest.fixture
def people(make_user) -> dict[tuple[str, str], User | None]:
    """For each municipality, one person per kind of visitor."""
    found: dict[tuple[str, str], User | None] = {}
    for slug in MUNICIPALITIES:
        other = "grave" if slug == "cuijk" else "cuijk"
        found[slug, "anonymous"] = None
        found[slug, "visitor"] = make_user(other)
        for role in Role:
            found[slug, role.value] = make_user(slug, role)
        found[slug, "platform_admin"] = make_user(None, admin=True)
    return found


def test_every_get_route_answers_for_every_role_on_every_municipality(app, client_for, people):
    failures = []
    owner = people["cuijk", "resident"]
    for slug in MUNICIPALITIES:
        for kind in VISITORS:
            person = people[slug, kind]
            client = client_for(slug)
            if person is not None:
                assert sign_in(client, person).status_code == 302
            for rule in crawlable_rules(app):
                url = build_url(app, rule, slug, person or owner)
                status = client.get(url).status_code
                if status >= 500 or status == 405:
                    failures.append(f"{slug} {kind} GET {url} -> {status}")
    assert failures == []


def test_every_get_route_answers_on_the_portal(app, client_for):
    portal = client_for(None)
    for rule in crawlable_rules(app):
        if rule.arguments:
            continue  # tokens and ids belong to a municipality; the portal has none
        assert portal.get(rule.rule).status_code in (200, 302, 404), rule.rule


def test_every_id_of_another_municipality_is_a_404(app, client_for, make_user):
    grave_user = make_user("grave")
    cuijk_user = make_user("cuijk")
    cuijk = client_for("cuijk")
    sign_in(cuijk, cuijk_user)
    for rule in crawlable_rules(app):
        if not set(rule.arguments) & ID_ARGUMENTS:
            continue
        url = build_url(app, rule, "grave", grave_user)
        assert cuijk.get(url).status_code == 404, url


def test_tokens_of_another_municipality_do_not_work(app, client_for, make_user):
    grave_user = make_user("grave")
    cuijk = client_for("cuijk")
    for endpoint in ("accounts.verify_email", "accounts.reset_password"):
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        url = build_url(app, rule, "grave", grave_user)
        assert cuijk.get(url).status_code == 400, url


def test_every_post_route_requires_a_csrf_token(make_app, client_for, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    annie = make_user("cuijk")
    client = app.test_client()
    host = {"base_url": "http://cuijk.buurt.test"}
    # Signing in without a token fails too, so sign in with one.
    page = client.get("/inloggen", **host).get_data(True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    signed_in = client.post(
        "/inloggen",
        data={"email": annie.email, "password": "een goed wachtwoord", "csrf_token": token},
        **host,
    )
    assert signed_in.status_code == 302
    for rule in crawlable_rules(app, "POST"):
        url = build_url(app, rule, "cuijk", annie)
        response = client.post(url, data={}, **host)
        assert response.status_code == 400, url
        assert "Dit formulier is verlopen" in response.get_data(True), url
