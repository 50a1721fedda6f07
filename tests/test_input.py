"""Input and requests: control characters never reach the database (run this on PostgreSQL
too, where a NUL in a string is an error), and a double submit gives the normal page.

Control characters are removed rather than refused, as people paste from word processors; a
long text keeps its line breaks and tabs, with Windows line ends made plain.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.conversations import services as conversation_services
from buurtplatform.conversations.models import Block, Conversation, Message
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing, Status
from buurtplatform.matches import views as match_views
from buurtplatform.matches.models import Match
from buurtplatform.timestamps import utcnow
from tenants.scoping import tenant_context
from tests.helpers import PASSWORD, sign_in, tenant_by_slug
from tests.listing_helpers import add_listing, category_id, page, signed_in, village_ids

# What someone typed around a control character, and what is kept of it.
BAD_INPUT = [("\x00", ""), ("\x07", ""), ("\x1b[31m", "[31m")]


def stored(app, model, slug: str = "cuijk") -> list:
    """Every row of `model` in a municipality (detached), oldest first."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        found = db.session.scalars(sa.select(model).order_by(model.id)).all()
        db.session.expunge_all()
        return list(found)


def user_row(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        db.session.expunge_all()
        return user


# Control characters


@pytest.mark.parametrize(("typed", "kept"), BAD_INPUT)
def test_sign_up_and_sign_in_remove_control_characters(app, client_for, typed, kept):
    password = f"mijn {typed}lange wachtwoord"
    response = client_for("cuijk").post(
        "/aanmelden",
        data={
            "first_name": f"An{typed}nie",
            "email": "annie\x00@example.nl",
            "password": password,
            "password_confirm": password,
            "village": village_ids(app)["Beers"],
            "consent": "y",
        },
    )
    assert response.status_code == 302
    user = user_row(app, "annie@example.nl")
    assert user is not None and user.first_name == f"An{kept}nie"
    with app.app_context():
        db.session.get(User, user.id).email_verified_at = utcnow()
        db.session.commit()
    # The password is cleaned the same way at sign-in: as typed, or as kept.
    for typed_password in (password, f"mijn {kept}lange wachtwoord"):
        client = client_for("cuijk")
        assert sign_in(client, "annie\x00@example.nl", typed_password).status_code == 302


@pytest.mark.parametrize(("typed", "kept"), BAD_INPUT)
def test_an_ask_keeps_line_breaks_and_tabs_but_no_other_control_characters(
    app, client_for, make_user, typed, kept
):
    client = signed_in(client_for, make_user())
    response = client.post(
        "/vraag-en-aanbod/nieuw",
        data={
            "kind": "ask",
            "category": category_id(app),
            "title": f"Wie helpt{typed}\tmij?",
            "description": f"Boodschappen{typed}\r\n\r\n- melk\r\n-\tbrood\u2028kaas",
            "on_behalf_of": f"mijn{typed} moeder",
            "village": 0,
            "timing": "flexible",
        },
    )
    assert response.status_code == 302
    [listing] = stored(app, Listing)
    assert listing.title == f"Wie helpt{kept} mij?"
    assert listing.description == f"Boodschappen{kept}\n\n- melk\n-\tbrood\nkaas"
    assert listing.on_behalf_of == f"mijn{kept} moeder"
    assert client.get(f"/vraag-en-aanbod/{listing.id}").status_code == 200


@pytest.mark.parametrize(("typed", "kept"), BAD_INPUT)
def test_messages_and_reports_remove_control_characters(app, client_for, make_user, typed, kept):
    ask = add_listing(app, make_user())
    client = signed_in(client_for, make_user())
    reply = client.post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": f"Ik{typed}\r\nhelp"})
    assert reply.status_code == 302
    client.post(reply.location, data={"body": f"Tot{typed} dinsdag"})
    client.post(
        f"/vraag-en-aanbod/{ask}/melden", data={"reason_code": "other", "reason": f"Raar{typed}"}
    )
    assert [m.body for m in stored(app, Message)] == [f"Ik{kept}\nhelp", f"Tot{kept} dinsdag"]
    assert client.get(reply.location).status_code == 200


@pytest.mark.parametrize(("typed", "kept"), BAD_INPUT)
def test_profile_removes_control_characters(app, client_for, make_user, typed, kept):
    user = make_user()
    client = signed_in(client_for, user)
    response = client.post(
        "/profiel",
        data={"first_name": f"Ans{typed}je", "village": village_ids(app)["Haps"], "locale": "nl"},
    )
    assert response.status_code == 302
    assert user_row(app, user.email).first_name == f"Ans{kept}je"
    assert f'value="Ans{kept}je"' in page(client.get("/profiel"))


@pytest.mark.parametrize("search", ["%00", "boodschap%00pen", "%1B%5B31m"])
def test_a_search_with_control_characters_answers_without_them(app, client_for, make_user, search):
    add_listing(app, make_user(), title="Boodschappen")
    response = client_for("cuijk").get(f"/vraag-en-aanbod?q={search}")
    assert response.status_code == 200
    assert "\x00" not in page(response) and "\x1b" not in page(response)


@pytest.mark.parametrize(
    "query", ["kind=%00&category=%00&village=%00&remote=%00&page=%00", "page=1%00&category=1%00"]
)
def test_filters_with_control_characters_answer(app, client_for, make_user, query):
    add_listing(app, make_user(), title="Boodschappen")
    assert client_for("cuijk").get(f"/vraag-en-aanbod?{query}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/%00",
        "/vraag-en-aanbod/%00",
        "/vraag-en-aanbod/1%00",
        "/afmelden/%00",
        "/e-mail-bevestigen/%00",
        "/wachtwoord-herstellen/%00",
        "/static/%00",
        "/static/css/%00.css",
        "/inloggen?next=/%00",
        "/vraag-en-aanbod/nieuw?soort=%00&sjabloon=%00",
        "/wie-helpt?category=%00",
    ],
)
def test_a_nul_in_the_address_is_never_a_server_error(client_for, make_user, path):
    for client in (client_for("cuijk"), signed_in(client_for, make_user())):
        assert client.get(path).status_code < 500, path


def test_a_nul_in_a_hidden_return_address_is_removed(client_for, make_user):
    client = client_for("cuijk")
    response = client.post(
        "/inloggen", data={"email": make_user().email, "password": PASSWORD, "next": "/wie\x00"}
    )
    assert response.status_code == 302
    assert response.location == "/wie"
    switched = client.post("/taal", data={"language-locale": "en", "language-next": "/\x00"})
    assert switched.status_code == 302
    assert switched.location == "/"


def all_forms() -> list[type[FlaskForm]]:
    """Every form class of the platform (the test-only ones aside)."""
    found, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        if form.__module__.startswith("buurtplatform."):
            found.append(form)
    return found


def test_every_text_field_of_every_form_removes_control_characters(app):
    forms = all_forms()
    assert len(forms) > 10
    with app.test_request_context():
        for form_class in forms:
            names = [
                name
                for name, field in form_class()._fields.items()
                if isinstance(field, StringField)
            ]
            typed = MultiDict({name: " a\x00\x07\x1b[1m\tb\r\nc\u2029d " for name in names})
            form = form_class(formdata=typed)
            for name in names:
                field = form[name]
                multiline = isinstance(field, TextAreaField)
                kept = "a[1m\tb\nc\nd" if multiline else "a[1m b c d"
                assert field.data.strip() == kept, (form_class.__name__, name, field.data)


# Double submits


def flashed(client) -> str:
    """The page a redirect leads to, with its flashed message."""
    return page(client.get("/"))


def test_joining_twice_gives_the_normal_page(app, client_for, make_user, monkeypatch):
    client = signed_in(client_for, make_user("grave"))
    data = {"village": village_ids(app)["Beers"], "consent": "y"}
    assert client.post("/lid-worden", data=data).location == "/"
    assert "Welkom! Je bent nu lid van" in flashed(client)
    assert client.post("/lid-worden", data=data).location == "/"
    # The race: the request checked before another one made the membership.
    monkeypatch.setattr("buurtplatform.accounts.views.current_member", lambda: None)
    response = client.post("/lid-worden", data=data)
    assert response.status_code == 302
    assert response.location == "/"
    assert "Welkom! Je bent nu lid van" in flashed(client)
    assert len(stored(app, Membership)) == 1


@pytest.fixture
def replied(app, client_for, make_user):
    """Annie's ask, which Bob replied to: (ask id, Annie's client, Bob's client, Bob)."""
    annie, bob = make_user(first_name="Annie"), make_user(first_name="Bob")
    ask = add_listing(app, annie)
    bob_client = signed_in(client_for, bob)
    reply = bob_client.post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": "Ik help"})
    assert reply.status_code == 302
    return ask, signed_in(client_for, annie), bob_client, bob


def read_as_open(monkeypatch) -> None:
    """The race: the request reads the listing as open, though another one matched it since."""
    original = match_views.listing_or_404

    def stale(listing_id: int) -> Listing:
        listing = original(listing_id)
        set_committed_value(listing, "status", Status.OPEN)
        return listing

    monkeypatch.setattr(match_views, "listing_or_404", stale)


@pytest.mark.parametrize("race", [False, True])
@pytest.mark.parametrize("by_phone", [False, True])
def test_recording_a_match_twice_gives_the_normal_page(
    app, client_for, make_user, replied, monkeypatch, by_phone, race
):
    ask, annie, _, bob = replied
    if by_phone:
        client = signed_in(client_for, make_user(role=Role.COORDINATOR))
        url, data = f"/vraag-en-aanbod/{ask}/match-telefonisch", {"partner_name": "Jo"}
    else:
        client, url, data = annie, f"/vraag-en-aanbod/{ask}/match", {"partner": bob.id}
    assert client.post(url, data=data).location == f"/vraag-en-aanbod/{ask}"
    assert len(stored(app, Match)) == 1
    flashed(client)
    if race:
        read_as_open(monkeypatch)

    again = client.post(url, data=data)

    assert again.status_code == 302
    assert again.location == f"/vraag-en-aanbod/{ask}"
    assert "Voor dit bericht is al een afspraak gemaakt" in flashed(client)
    assert len(stored(app, Match)) == 1


def not_found_at_first(monkeypatch) -> None:
    """The race: the request looks for the conversation before another one made it."""
    original, calls = conversation_services.find_conversation, []

    def not_yet_there(*args):
        calls.append(args)
        return None if len(calls) == 1 else original(*args)

    monkeypatch.setattr(conversation_services, "find_conversation", not_yet_there)


@pytest.mark.parametrize("race", [False, True])
def test_starting_the_same_conversation_twice_gives_the_normal_page(
    app, replied, monkeypatch, race
):
    ask, _, bob_client, _ = replied
    [conversation] = stored(app, Conversation)
    if race:
        not_found_at_first(monkeypatch)

    again = bob_client.post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": "Ik help"})

    assert again.status_code == 302
    assert again.location == f"/gesprekken/{conversation.id}"
    assert [c.id for c in stored(app, Conversation)] == [conversation.id]
    assert bob_client.get(again.location).status_code == 200


@pytest.mark.parametrize("race", [False, True])
def test_blocking_twice_gives_the_normal_page(app, replied, monkeypatch, race):
    _, annie, _, _ = replied
    [conversation] = stored(app, Conversation)
    url = f"/gesprekken/{conversation.id}/blokkeren"
    assert annie.post(url).location == "/gesprekken"
    if race:  # the request checked before another one made the block
        monkeypatch.setattr(
            "buurtplatform.conversations.views.is_blocked_between", lambda *people: False
        )

    again = annie.post(url)

    assert again.status_code == 302
    assert again.location == "/gesprekken"
    assert len(stored(app, Block)) == 1
