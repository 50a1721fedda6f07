"""Accounts end to end: sign up, verify by email, sign in and out, reset, profile, join."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import template_rendered

from buurtplatform import create_app
from buurtplatform.accounts.models import Membership, User
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from config import ProductionConfig
from tenants.models import Village
from tenants.scoping import ALL_TENANTS, tenant_context
from tests.conftest import REDIS_URL
from tests.helpers import PASSWORD, all_emails, sign_in, tenant_by_slug
from tests.listing_helpers import counting_queries


def village_id(app, slug: str, name: str) -> int:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        return db.session.scalar(sa.select(Village.id).where(Village.name == name))


def sign_up_data(app, slug="cuijk", village="Beers", **changes) -> dict:
    data = {
        "first_name": "Truus",
        "email": "truus@example.nl",
        "password": "mijn lange wachtwoord",
        "password_confirm": "mijn lange wachtwoord",
        "village": village_id(app, slug, village),
        "consent": "y",
    }
    data.update(changes)
    return data


def link_in(message, path_part: str) -> str:
    return next(link for link in message.links if path_part in link)


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_sign_up_verify_and_sign_in(app, client_for, outbox):
    cuijk = client_for("cuijk")
    response = cuijk.post("/aanmelden", data=sign_up_data(app, email=" Truus@Example.NL "))
    assert response.status_code == 302
    assert response.headers["Location"] == "/aanmelden/controleer-je-mail"
    assert "Kijk in je e-mail" in cuijk.get("/aanmelden/controleer-je-mail").get_data(True)

    [message] = outbox()
    assert message.recipient == "truus@example.nl"
    assert message.subject == "Bevestig je e-mailadres voor Samen Cuijk"
    assert "Hallo Truus" in message.text
    link = link_in(message, "/e-mail-bevestigen/")
    assert link.startswith("http://cuijk.buurt.test/e-mail-bevestigen/")

    # Not verified yet: signing in is refused with an explanation.
    refused = sign_in(cuijk, "truus@example.nl", "mijn lange wachtwoord")
    assert refused.status_code == 200
    assert "Je hebt je e-mailadres nog niet bevestigd" in refused.get_data(True)

    # The link confirms the address and signs Truus in on Cuijk (no goal: the home page).
    verified = cuijk.get(path_of(link))
    assert verified.status_code == 302
    assert verified.headers["Location"] == "/"
    home = cuijk.get("/").get_data(True)
    assert "Je e-mailadres is bevestigd. Welkom, Truus!" in home
    assert "Hallo Truus" in home

    # Used once, it signs nobody in again: in another browser it leads to signing in.
    elsewhere = client_for("cuijk")
    again = elsewhere.get(path_of(link))
    assert again.headers["Location"] == "/inloggen"
    assert "Hallo Truus" not in elsewhere.get("/").get_data(True)
    signed_in = sign_in(elsewhere, "truus@example.nl", "mijn lange wachtwoord")
    assert signed_in.status_code == 302
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        member = db.session.scalar(sa.select(Membership))
        assert member.village.name == "Beers"
        assert member.role == "resident"


def test_verification_link_of_cuijk_does_not_work_on_grave(app, client_for, outbox):
    client_for("cuijk").post("/aanmelden", data=sign_up_data(app))
    link = link_in(outbox()[0], "/e-mail-bevestigen/")
    response = client_for("grave").get(path_of(link))
    assert response.status_code == 400
    assert "Deze link werkt niet" in response.get_data(True)


def test_sign_up_with_bad_input_explains_and_keeps_what_was_typed(app, client_for, outbox):
    cuijk = client_for("cuijk")
    response = cuijk.post(
        "/aanmelden",
        data=sign_up_data(
            app,
            email="truus-at-example",
            password="kort",
            password_confirm="anders",
            consent="",
        ),
    )
    page = response.get_data(True)
    assert response.status_code == 200
    assert "Dit is geen geldig e-mailadres" in page
    assert "Je wachtwoord moet tussen 8 en 128 tekens lang zijn." in page
    assert "De twee wachtwoorden zijn niet hetzelfde." in page
    assert "Je kunt alleen meedoen als je akkoord gaat met de privacyverklaring." in page
    assert 'value="Truus"' in page
    assert 'value="truus-at-example"' in page
    assert "kort" not in page  # passwords are never sent back
    assert 'aria-invalid="true"' in page
    assert outbox() == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_sign_up_refuses_a_village_of_another_municipality(app, client_for):
    grave_village = village_id(app, "grave", "Escharen")
    response = client_for("cuijk").post(
        "/aanmelden", data=sign_up_data(app, village=None) | {"village": grave_village}
    )
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_known_address_on_another_municipality_offers_to_join(app, client_for, make_user, outbox):
    annie = make_user("cuijk", email="annie@example.nl")
    grave = client_for("grave")
    response = grave.post(
        "/aanmelden", data=sign_up_data(app, "grave", "Velp", email="annie@example.nl")
    )
    # The same answer as for a new address: nobody learns who has an account.
    assert response.headers["Location"] == "/aanmelden/controleer-je-mail"
    [message] = outbox()
    assert message.recipient == "annie@example.nl"
    assert message.subject == "Je hebt al een account voor Samen Grave"
    assert "http://grave.buurt.test/inloggen" in message.links
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1

    assert sign_in(grave, annie).headers["Location"] == "/lid-worden"
    joined = grave.post(
        "/lid-worden", data={"village": village_id(app, "grave", "Velp"), "consent": "y"}
    )
    assert joined.status_code == 302
    assert "Hallo Annie" in grave.get("/").get_data(True)
    with app.app_context():
        villages = db.session.scalars(
            sa.select(Village.name)
            .join(Membership, Membership.village_id == Village.id)
            .execution_options(**ALL_TENANTS)
        ).all()
        assert sorted(villages) == ["Cuijk", "Velp"]


def test_wrong_password_and_unknown_address_get_the_same_message(client_for, make_user):
    make_user("cuijk", email="annie@example.nl")
    cuijk = client_for("cuijk")
    wrong = sign_in(cuijk, "annie@example.nl", "niet mijn wachtwoord").get_data(True)
    unknown = sign_in(cuijk, "niemand@example.nl", "niet mijn wachtwoord").get_data(True)
    message = "Dit e-mailadres en wachtwoord horen niet bij elkaar."
    assert message in wrong
    assert message in unknown
    assert 'value="annie@example.nl"' in wrong


def test_sign_in_returns_to_the_page_asked_for(client_for, make_user):
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    asked = cuijk.get("/profiel")
    assert asked.status_code == 302
    assert asked.headers["Location"].startswith("/inloggen?next=")
    response = cuijk.post(
        "/inloggen", data={"email": annie.email, "password": PASSWORD, "next": "/profiel"}
    )
    assert response.headers["Location"] == "/profiel"
    # Never off-site.
    cuijk.post("/uitloggen")
    response = cuijk.post(
        "/inloggen",
        data={"email": annie.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == "/"


def test_sign_out(client_for, make_user):
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    sign_in(cuijk, annie)
    assert cuijk.post("/uitloggen").headers["Location"] == "/"
    assert "Je bent uitgelogd" in cuijk.get("/").get_data(True)
    assert cuijk.get("/profiel").status_code == 302


def test_password_reset_is_single_use(app, client_for, make_user, outbox):
    annie = make_user("cuijk", email="annie@example.nl")
    cuijk = client_for("cuijk")
    answer = cuijk.post("/wachtwoord-vergeten", data={"email": "annie@example.nl"})
    assert "Als we dit e-mailadres kennen" in answer.get_data(True)
    [message] = outbox()
    assert message.subject == "Kies een nieuw wachtwoord voor Samen Cuijk"
    path = path_of(link_in(message, "/wachtwoord-herstellen/"))

    assert cuijk.get(path).status_code == 200
    mismatch = cuijk.post(path, data={"password": "nieuw wachtwoord", "password_confirm": "x"})
    assert "De twee wachtwoorden zijn niet hetzelfde." in mismatch.get_data(True)
    done = cuijk.post(
        path, data={"password": "nieuw wachtwoord", "password_confirm": "nieuw wachtwoord"}
    )
    assert done.headers["Location"] == "/inloggen"

    assert "horen niet bij elkaar" in sign_in(cuijk, annie).get_data(True)
    assert sign_in(cuijk, annie, "nieuw wachtwoord").status_code == 302
    used_again = cuijk.get(path)
    assert used_again.status_code == 400
    assert "Deze link werkt niet" in used_again.get_data(True)


def test_password_reset_link_expires_after_an_hour(client_for, make_user, outbox):
    make_user("cuijk", email="annie@example.nl")
    cuijk = client_for("cuijk")
    cuijk.post("/wachtwoord-vergeten", data={"email": "annie@example.nl"})
    path = path_of(link_in(outbox()[0], "/wachtwoord-herstellen/"))
    with time_machine.travel(utcnow() + timedelta(minutes=61)):
        assert cuijk.get(path).status_code == 400


def test_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client_for, outbox):
    answer = client_for("cuijk").post("/wachtwoord-vergeten", data={"email": "niemand@example.nl"})
    assert "Als we dit e-mailadres kennen" in answer.get_data(True)
    assert outbox() == []


def test_resend_verification(app, client_for, make_user, outbox):
    make_user("cuijk", email="nieuw@example.nl", verified=False)
    cuijk = client_for("cuijk")
    cuijk.post("/bevestigingsmail-opnieuw", data={"email": "nieuw@example.nl"})
    [message] = outbox()
    cuijk.get(path_of(link_in(message, "/e-mail-bevestigen/")))
    assert sign_in(cuijk, "nieuw@example.nl").status_code == 302


def test_profile_changes_name_village_and_language(app, client_for, make_user):
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    sign_in(cuijk, annie)
    page = cuijk.get("/profiel").get_data(True)
    assert annie.email in page
    response = cuijk.post(
        "/profiel",
        data={"first_name": "Anneke", "village": village_id(app, "cuijk", "Haps"), "locale": "en"},
    )
    assert response.headers["Location"] == "/profiel"
    page = cuijk.get("/profiel").get_data(True)
    assert "Your changes are saved." in page
    assert 'lang="en"' in page
    with app.app_context():
        user = db.session.get(User, annie.id)
        assert (user.first_name, user.locale) == ("Anneke", "en")


def test_profile_rejects_empty_name_and_keeps_the_rest(app, client_for, make_user):
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    sign_in(cuijk, annie)
    response = cuijk.post(
        "/profiel",
        data={"first_name": "  ", "village": village_id(app, "cuijk", "Haps"), "locale": "nl"},
    )
    assert "Vul je voornaam in." in response.get_data(True)
    with app.app_context():
        assert db.session.get(User, annie.id).first_name == "Annie"


def test_signing_up_again_before_verifying_sends_a_new_link(app, client_for, make_user, outbox):
    make_user("cuijk", email="nieuw@example.nl", verified=False)
    client_for("cuijk").post("/aanmelden", data=sign_up_data(app, email="nieuw@example.nl"))
    [message] = outbox()
    assert message.subject == "Bevestig je e-mailadres voor Samen Cuijk"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


# The same work for a known and an unknown address, so that timing reveals no account.


@pytest.fixture
def password_hashes(monkeypatch) -> list[str]:
    """Counts every password hash made (Werkzeug's scrypt, the costly part of signing up)."""
    made: list[str] = []
    scrypt = hashlib.scrypt

    def counting(*args, **kwargs):
        made.append("scrypt")
        return scrypt(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    return made


@pytest.mark.parametrize("known", ["new", "verified", "unverified"])
def test_sign_up_hashes_the_password_once_whoever_the_address_belongs_to(
    app, client_for, make_user, password_hashes, known
):
    if known != "new":
        make_user("cuijk", email="truus@example.nl", verified=known == "verified")
    password_hashes.clear()
    response = client_for("cuijk").post("/aanmelden", data=sign_up_data(app))
    assert response.headers["Location"] == "/aanmelden/controleer-je-mail"
    assert len(password_hashes) == 1


def work_for_reset_request(app, client, email: str) -> tuple[list[str], list[str]]:
    """The templates rendered and the SQL statements sent to answer a reset request."""
    rendered: list[str] = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(record, app), counting_queries(app) as statements:
        answer = client.post(
            "/wachtwoord-vergeten", data={"email": email}, base_url="http://cuijk.buurt.test"
        )
    assert "Als we dit e-mailadres kennen" in answer.get_data(True)
    return rendered, [re.sub(r"\s+", " ", statement) for statement in statements]


@pytest.mark.redis
def test_reset_request_does_the_same_work_for_an_unknown_address(make_app, make_user, clean_redis):
    make_user("cuijk", email="annie@example.nl")
    # With Redis, as in production: the email is handed to the queue, not sent in-process.
    app = make_app(REDIS_URL=REDIS_URL)
    cuijk = app.test_client()
    # The municipality of the host is read on the first request only (tenants/hosts.py).
    cuijk.get("/wachtwoord-vergeten", base_url="http://cuijk.buurt.test")
    known = work_for_reset_request(app, cuijk, "annie@example.nl")
    unknown = work_for_reset_request(app, cuijk, "niemand@example.nl")
    assert "mail/reset_password.html" in known[0]
    assert unknown == known
    # Only the known address gets an email.
    assert [email.recipient for email in all_emails(app)] == ["annie@example.nl"]


# CSRF with the settings production runs with: no test may switch it on by itself.


class ProductionSettingsForTests(ProductionConfig):
    """Production's settings; only what production reads from its environment is given."""

    SECRET_KEY = "production-test-secret"
    SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://replaced-below/buurtplatform"


def test_csrf_is_on_with_the_production_settings(app, make_user, tmp_path):
    annie = make_user("cuijk")
    production = create_app(
        ProductionSettingsForTests(),
        {
            # The test's database and no outside services; nothing about forms or cookies.
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": None,
            "PLATFORM_DOMAIN": "buurt.test",
            "MAIL_BACKEND": "outbox",
            "MAIL_OUTBOX": tmp_path / "outbox",
        },
    )
    assert not production.testing
    client = production.test_client()
    host = {"base_url": "https://cuijk.buurt.test"}
    form = {"email": annie.email, "password": PASSWORD}
    try:
        without_token = client.post("/inloggen", data=form, **host)
        assert without_token.status_code == 400
        assert "Dit formulier is verlopen" in without_token.get_data(True)

        page = client.get("/inloggen", **host).get_data(True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        # Over HTTPS Flask-WTF also checks that the form came from this site, as a browser
        # says in its Referer (the Referrer-Policy is same-origin).
        with_token = client.post(
            "/inloggen",
            data=form | {"csrf_token": token},
            headers={"Referer": "https://cuijk.buurt.test/inloggen"},
            **host,
        )
        assert with_token.status_code == 302
        assert client.get_cookie("__Host-session", domain="cuijk.buurt.test").secure
    finally:
        with production.app_context():
            db.engine.dispose()


# -- The goal: the page someone set out for survives every step ------------------------------

ASK_FORM = "/vraag-en-aanbod/nieuw?soort=vraag"


def test_account_needed_explains_and_offers_both_ways_with_the_goal(client_for):
    page = client_for("cuijk").get("/account-nodig", query_string={"next": ASK_FORM})
    text = page.get_data(True)
    assert "Je hebt een gratis account nodig" in text
    assert 'href="/aanmelden?next=/vraag-en-aanbod/nieuw?soort%3Dvraag"' in text
    assert 'href="/inloggen?next=/vraag-en-aanbod/nieuw?soort%3Dvraag"' in text
    assert "Account maken" in text and "Inloggen" in text
    assert "0485 - 700 100" in text


def test_sign_up_carries_the_goal_through_the_email_to_the_ask_form(app, client_for, outbox):
    cuijk = client_for("cuijk")
    form = cuijk.get("/aanmelden", query_string={"next": ASK_FORM}).get_data(True)
    assert f'name="next" type="hidden" value="{ASK_FORM}"' in form

    # A mistake first: the goal stays, the password fields say they must be typed again.
    wrong = cuijk.post(
        "/aanmelden", data=sign_up_data(app, password_confirm="iets anders", next=ASK_FORM)
    )
    page = wrong.get_data(True)
    assert f'name="next" type="hidden" value="{ASK_FORM}"' in page
    assert page.count("Typ je wachtwoord hier opnieuw") == 2

    done = cuijk.post("/aanmelden", data=sign_up_data(app, next=ASK_FORM))
    assert done.headers["Location"] == "/aanmelden/controleer-je-mail"
    check = cuijk.get("/aanmelden/controleer-je-mail").get_data(True)
    assert "We hebben een e-mail gestuurd naar truus@example.nl" in check

    # Opened in another browser (the tablet with the mail on it): signed in, on the ask form.
    link = link_in(outbox()[0], "/e-mail-bevestigen/")
    tablet = client_for("cuijk")
    landed = tablet.get(path_of(link))
    assert landed.headers["Location"] == ASK_FORM
    assert tablet.get(ASK_FORM).status_code == 200


def test_a_used_verification_link_leads_to_sign_in_with_the_goal(app, client_for, outbox):
    cuijk = client_for("cuijk")
    cuijk.post("/aanmelden", data=sign_up_data(app, next=ASK_FORM))
    link = path_of(link_in(outbox()[0], "/e-mail-bevestigen/"))
    assert client_for("cuijk").get(link).headers["Location"] == ASK_FORM
    again = client_for("cuijk").get(link)
    assert again.headers["Location"] == "/inloggen?next=/vraag-en-aanbod/nieuw?soort%3Dvraag"


def test_sign_in_with_a_wrong_password_keeps_the_goal(client_for, make_user):
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    wrong = cuijk.post(
        "/inloggen", data={"email": annie.email, "password": "fout", "next": ASK_FORM}
    )
    page = wrong.get_data(True)
    assert f'name="next" type="hidden" value="{ASK_FORM}"' in page
    assert "Typ je wachtwoord hier opnieuw" in page
    right = cuijk.post(
        "/inloggen", data={"email": annie.email, "password": PASSWORD, "next": ASK_FORM}
    )
    assert right.headers["Location"] == ASK_FORM


def test_joining_another_municipality_keeps_the_goal(app, client_for, make_user):
    annie = make_user("cuijk")
    grave = client_for("grave")
    signed_in = grave.post(
        "/inloggen", data={"email": annie.email, "password": PASSWORD, "next": ASK_FORM}
    )
    assert signed_in.headers["Location"] == "/lid-worden?next=/vraag-en-aanbod/nieuw?soort%3Dvraag"
    joined = grave.post(
        "/lid-worden",
        data={"village": village_id(app, "grave", "Gassel"), "consent": "y", "next": ASK_FORM},
    )
    assert joined.headers["Location"] == ASK_FORM


@pytest.mark.parametrize(
    "goal",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "/" + "a" * 600,
    ],
)
def test_a_goal_off_this_site_is_never_followed(app, client_for, make_user, outbox, goal):
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    signed_in = cuijk.post(
        "/inloggen", data={"email": annie.email, "password": PASSWORD, "next": goal}
    )
    assert signed_in.headers["Location"] == "/"
    fresh = client_for("cuijk")
    assert fresh.get("/account-nodig", query_string={"next": goal}).status_code == 200
    fresh.post("/aanmelden", data=sign_up_data(app, next=goal))
    link = path_of(link_in(outbox()[0], "/e-mail-bevestigen/"))
    assert client_for("cuijk").get(link).headers["Location"] == "/"


def test_check_email_names_the_address_also_for_an_unknown_one(client_for):
    cuijk = client_for("cuijk")
    cuijk.post("/bevestigingsmail-opnieuw", data={"email": "niemand@example.nl"})
    assert "niemand@example.nl" in cuijk.get("/aanmelden/controleer-je-mail").get_data(True)
