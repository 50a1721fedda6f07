"""Behind a proxy: `PROXY_COUNT` says how many proxies' `X-Forwarded-*` headers to trust. Without
it nobody can pick a municipality or a client address with a header; with it the proxy's
headers give the real host and the real client."""

from __future__ import annotations

import pytest

from buurtplatform.extensions import limiter

CUIJK = "http://cuijk.buurt.test"
WRONG_PASSWORD = {"email": "a@example.nl", "password": "verkeerd"}


def site_name(client, **headers: str) -> str:
    page = client.get("/", base_url=CUIJK, headers=headers).get_data(True)
    return next(name for name in ("Samen Cuijk", "Samen Grave") if name in page)


def test_a_forwarded_host_is_ignored_without_a_trusted_proxy(make_app):
    client = make_app().test_client()
    assert site_name(client, **{"X-Forwarded-Host": "grave.buurt.test"}) == "Samen Cuijk"


def test_a_trusted_proxy_gives_the_host(make_app):
    client = make_app(PROXY_COUNT=1).test_client()
    assert site_name(client) == "Samen Cuijk"
    assert site_name(client, **{"X-Forwarded-Host": "grave.buurt.test"}) == "Samen Grave"


def make_limited_app(make_app, proxy_count: int):
    app = make_app(PROXY_COUNT=proxy_count, RATELIMIT_ENABLED=True, RATELIMIT_AUTH="3 per minute")
    # The limiter is one object per process: forget that an earlier test's app found its
    # storage unreachable.
    limiter._storage_dead = False
    return app


@pytest.fixture
def limited_behind_proxy(make_app):
    return make_limited_app(make_app, proxy_count=1)


def attempt(client, forwarded_for: str) -> int:
    """A sign-in through the proxy, which appends the address it saw to X-Forwarded-For."""
    response = client.post(
        "/inloggen",
        data=WRONG_PASSWORD,
        base_url=CUIJK,
        headers={"X-Forwarded-For": forwarded_for},
    )
    return response.status_code


def test_the_sign_in_limit_counts_per_client_behind_a_proxy(limited_behind_proxy):
    # Every request comes from the proxy's own address (the test client's 127.0.0.1).
    client = limited_behind_proxy.test_client()
    for _ in range(3):
        assert attempt(client, "203.0.113.7") != 429
    assert attempt(client, "203.0.113.7") == 429
    # Another client behind the same proxy still has all its attempts.
    for _ in range(3):
        assert attempt(client, "198.51.100.20") != 429
    assert attempt(client, "198.51.100.20") == 429


def test_a_client_cannot_escape_its_limit_with_its_own_forwarded_for(limited_behind_proxy):
    client = limited_behind_proxy.test_client()
    # The client sends a made-up X-Forwarded-For; the trusted proxy appends the real address,
    # and only that last one counts.
    for made_up in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        assert attempt(client, f"{made_up}, 203.0.113.7") != 429
    assert attempt(client, "10.0.0.4, 203.0.113.7") == 429
    assert attempt(client, "203.0.113.8") != 429


def test_without_a_trusted_proxy_forwarded_for_does_not_pick_a_limit(make_app):
    client = make_limited_app(make_app, proxy_count=0).test_client()
    for made_up in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        assert attempt(client, made_up) != 429
    assert attempt(client, "10.0.0.4") == 429
