"""Sessions that end: each sign-in is a row in the database, and the cookie holds only a random
key to it. Deleting the row ends the session, also for anyone holding a copy of the cookie."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
import time_machine
from flask import session

from buurtplatform.accounts import sessions
from buurtplatform.accounts.models import UserSession
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.scoping import set_current_tenant
from tests.helpers import sign_in, tenant_by_slug
from tests.listing_helpers import counting_queries

PROFILE = "/profiel"


def copy_of_cookie(source, client_for, slug: str = "cuijk"):
    """A second browser on the same site with a copy of `source`'s session cookie, as someone
    who took it from a shared computer or an intercepted request would have."""
    host = f"{slug}.buurt.test"
    thief = client_for(slug)
    thief.set_cookie("session", source.get_cookie("session", domain=host).value, domain=host)
    return thief


def signed_in(client) -> bool:
    return client.get(PROFILE).status_code == 200


def session_rows(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count(UserSession.id)).where(UserSession.user_id == user_id)
        )


def reset_path(client, outbox, email: str) -> str:
    client.post("/wachtwoord-vergeten", data={"email": email})
    link = next(link for link in outbox()[0].links if "/wachtwoord-herstellen/" in link)
    return re.sub(r"^https?://[^/]+", "", link)


def test_the_cookie_holds_a_key_and_the_database_only_its_hash(app, client_for, make_user):
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    sign_in(cuijk, annie)
    with cuijk.session_transaction(base_url="http://cuijk.buurt.test") as cookie:
        key = cookie[sessions.SESSION_KEY]
    with app.app_context():
        [row] = db.session.scalars(sa.select(UserSession)).all()
        assert row.user_id == annie.id
        assert row.key_hash == sessions.key_hash(key)
        assert key not in row.key_hash


def test_sign_out_ends_the_session_for_a_copy_of_its_cookie_too(app, client_for, make_user):
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    sign_in(cuijk, annie)
    thief = copy_of_cookie(cuijk, client_for)
    assert signed_in(thief)

    cuijk.post("/uitloggen")
    assert not signed_in(cuijk)
    assert not signed_in(thief)
    assert session_rows(app, annie.id) == 0


def test_sign_out_leaves_the_persons_other_devices_signed_in(client_for, make_user):
    annie = make_user("cuijk")
    phone, laptop = client_for("cuijk"), client_for("cuijk")
    sign_in(phone, annie)
    sign_in(laptop, annie)
    phone.post("/uitloggen")
    assert signed_in(laptop)


def test_a_password_reset_ends_every_session(app, client_for, make_user, outbox):
    annie = make_user("cuijk", email="annie@example.nl")
    cuijk, elsewhere = client_for("cuijk"), client_for("cuijk")
    sign_in(cuijk, annie)
    sign_in(elsewhere, annie)
    thief = copy_of_cookie(cuijk, client_for)

    path = reset_path(client_for("cuijk"), outbox, "annie@example.nl")
    new = "een nieuw wachtwoord"
    cuijk.post(path, data={"password": new, "password_confirm": new})

    assert not signed_in(thief)
    assert not signed_in(elsewhere)
    assert not signed_in(cuijk)  # the new password signs in again
    assert session_rows(app, annie.id) == 0
    assert sign_in(cuijk, annie, new).status_code == 302
    assert signed_in(cuijk)


def test_sign_out_on_all_devices(app, client_for, make_user):
    annie = make_user("cuijk")
    joop = make_user("cuijk", first_name="Joop")
    phone, laptop, joops = client_for("cuijk"), client_for("cuijk"), client_for("cuijk")
    sign_in(phone, annie)
    sign_in(laptop, annie)
    sign_in(joops, joop)
    profile = laptop.get(PROFILE).get_data(True)
    assert "Uitloggen op alle apparaten" in profile
    assert 'action="/uitloggen-overal"' in profile

    response = laptop.post("/uitloggen-overal")
    assert response.status_code == 302
    assert "Je bent uitgelogd op al je apparaten." in laptop.get("/").get_data(True)
    assert not signed_in(laptop)
    assert not signed_in(phone)
    assert signed_in(joops)  # only Annie's sessions end
    assert session_rows(app, annie.id) == 0
    assert session_rows(app, joop.id) == 1


def test_sign_out_on_all_devices_needs_a_signed_in_person(client_for):
    response = client_for("cuijk").post("/uitloggen-overal")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen")


def test_a_session_ends_after_its_maximum_age(app, client_for, make_user):
    assert app.config["SESSION_MAX_AGE_DAYS"] == 30
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    sign_in(cuijk, annie)
    with time_machine.travel(utcnow() + timedelta(days=29)):
        assert signed_in(cuijk)
    # Flask's own cookie signature would expire after 31 days: the row expires first.
    with time_machine.travel(utcnow() + timedelta(days=30, hours=1)):
        assert not signed_in(cuijk)
        # Signing in again clears away the expired row.
        sign_in(client_for("cuijk"), annie)
        assert session_rows(app, annie.id) == 1


def test_the_session_still_counts_only_on_its_own_municipality(client_for, make_user):
    annie = make_user("cuijk")
    make_user("grave", email="annie-grave@example.nl")
    cuijk = client_for("cuijk")
    sign_in(cuijk, annie)
    grave = client_for("grave")
    grave.set_cookie(
        "session",
        cuijk.get_cookie("session", domain="cuijk.buurt.test").value,
        domain="grave.buurt.test",
    )
    assert not signed_in(grave)


def test_loading_the_signed_in_person_is_one_query(app, client_for, make_user):
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    sign_in(cuijk, annie)
    with cuijk.session_transaction(base_url="http://cuijk.buurt.test") as cookie:
        stored = dict(cookie)
    with app.test_request_context(base_url="http://cuijk.buurt.test"):
        set_current_tenant(tenant_by_slug("cuijk"))
        session.update(stored)
        with counting_queries(app) as statements:
            user = sessions.load_user(str(annie.id))
    assert user.id == annie.id
    assert len(statements) == 1, statements


def test_pages_for_a_signed_in_person_are_private_and_not_stored(client_for, make_user):
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    # A visitor's pages are left to their own caching rules.
    assert "no-store" not in cuijk.get("/").headers.get("Cache-Control", "")
    sign_in(cuijk, annie)
    for path in ("/", PROFILE, "/gesprekken"):
        response = cuijk.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "private, no-store", path
    # Files that are the same for everyone keep theirs.
    assert "no-store" not in cuijk.get("/static/css/site.css").headers.get("Cache-Control", "")
