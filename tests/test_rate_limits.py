"""Sign-in, sign-up and reset are rate-limited, on Redis when `REDIS_URL` is set."""

from __future__ import annotations

import pytest
import redis

from buurtplatform.extensions import limiter
from tests.conftest import REDIS_URL

pytestmark = pytest.mark.redis


@pytest.fixture
def limited_app(make_app):
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_AUTH="3 per minute", REDIS_URL=REDIS_URL)
    # The limiter is one object per process: forget that an earlier test's app found its
    # Redis unreachable (in production there is one app, and it rechecks Redis by itself).
    limiter._storage_dead = False
    yield app
    connection.flushdb()


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/inloggen", {"email": "a@example.nl", "password": "verkeerd"}),
        ("/aanmelden", {"email": "a@example.nl"}),
        ("/wachtwoord-vergeten", {"email": "a@example.nl"}),
    ],
)
def test_too_many_attempts_get_a_dutch_429(limited_app, path, data):
    client = limited_app.test_client()
    host = {"base_url": "http://cuijk.buurt.test"}
    for _ in range(3):
        assert client.post(path, data=data, **host).status_code != 429
    blocked = client.post(path, data=data, **host)
    assert blocked.status_code == 429
    assert "Te veel pogingen" in blocked.get_data(True)
    # Reading the page is never limited.
    assert client.get(path, **host).status_code == 200
    # The counters live in Redis, shared by every web process.
    assert redis.Redis.from_url(REDIS_URL).keys("LIMITS*")


def test_signing_in_on_the_portal_is_rate_limited_too(limited_app):
    """Platformbeheer's own sign-in (tests/test_platform_admin.py)."""
    portal = limited_app.test_client()
    wrong = {"email": "a@example.nl", "password": "verkeerd"}
    for _ in range(3):
        response = portal.post("/platformbeheer/inloggen", data=wrong, base_url="http://buurt.test")
        assert response.status_code == 200
    blocked = portal.post("/platformbeheer/inloggen", data=wrong, base_url="http://buurt.test")
    assert blocked.status_code == 429
