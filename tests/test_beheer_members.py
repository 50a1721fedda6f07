"""Members and roles in Beheer: the members list and its search, the last visit, roles within
one municipality, the last connector, blocking and unblocking, and the invitations page."""

from __future__ import annotations

import contextlib
import re
import threading

import pytest
import sqlalchemy as sa
import time_machine

from buurtplatform.accounts.invitations import invite
from buurtplatform.accounts.models import Invitation, Membership, Role, User
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.conversations.models import Message
from buurtplatform.conversations.services import start_or_continue
from buurtplatform.extensions import db
from buurtplatform.listings.helping import HelpSettings, save_help_settings
from buurtplatform.listings.models import Category, Listing
from buurtplatform.timestamps import utcnow
from tenants.scoping import tenant_context
from tests.helpers import sign_in, tenant_by_slug
from tests.listing_helpers import add_listing, counting_queries


def membership(app, user: User, slug: str = "cuijk") -> Membership:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        member = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
        db.session.expunge(member)
        return member


def update_membership(app, user: User, slug: str = "cuijk", **values) -> None:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        db.session.execute(
            sa.update(Membership).where(Membership.user_id == user.id).values(**values)
        )
        db.session.commit()


def audit(app, slug: str = "cuijk") -> list[tuple[str, str, str]]:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        return [
            (entry.action, entry.subject, entry.reason)
            for entry in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))
        ]


@pytest.fixture
def connector(client_for, make_user):
    """Henk, connector of Cuijk, signed in there."""
    henk = make_user("cuijk", Role.CONNECTOR, first_name="Henk", email="henk@example.nl")
    client = client_for("cuijk")
    sign_in(client, henk)
    client.user = henk
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


# The members list


def test_the_list_shows_this_municipalitys_members_with_email_role_village_and_last_visit(
    app, connector, make_user
):
    make_user("cuijk", Role.COORDINATOR, first_name="Wendy", email="wendy@example.nl")
    make_user("grave", Role.RESIDENT, first_name="Gerrit", email="gerrit@example.nl")
    page = text(connector.get("/beheer/leden"))
    assert "Wendy" in page and "wendy@example.nl" in page and "coördinator" in page
    assert "Gerrit" not in page
    assert ">Cuijk</td>" in page  # the first village, where make_user puts people
    assert "2 leden" in page
    # Henk's own visit is today.
    assert "Nog niet geweest" in page  # Wendy never came


def test_search_by_first_name_or_email_and_filter_by_role_or_blocked(app, connector, make_user):
    make_user("cuijk", first_name="Truus", email="truus@example.nl")
    bert = make_user("cuijk", first_name="Bert", email="b.jansen@voorbeeld.nl")
    make_user("cuijk", Role.ORGANISATION, first_name="KBO", email="kbo@example.nl")
    update_membership(app, bert, blocked_at=utcnow(), blocked_reason="Spam")

    def names(query: str) -> list[str]:
        page = text(connector.get(f"/beheer/leden?{query}"))
        return re.findall(r'<a href="/beheer/leden/\d+">([^<]+)</a>', page)

    assert names("q=tru") == ["Truus"]
    assert names("q=VOORBEELD") == ["Bert"]
    assert names("who=organisation") == ["KBO"]
    assert names("who=connector") == ["Henk"]
    assert names("who=blocked") == ["Bert"]
    assert names("q=%25") == []  # a LIKE wildcard is a plain character
    nothing = text(connector.get("/beheer/leden?q=niemand"))
    assert "Geen leden gevonden" in nothing
    assert connector.get("/beheer/leden?who=onzin&page=-3").status_code == 200


def test_the_list_pages_with_a_constant_number_of_queries(app, connector, make_user):
    for n in range(5):
        make_user("cuijk", first_name=f"Lid{n}")
    connector.get("/beheer/")  # the first visit of the day writes it (tested below)
    with counting_queries(app) as few:
        assert connector.get("/beheer/leden").status_code == 200
    for n in range(60):
        make_user("cuijk", first_name=f"Persoon{n:02}")
    connector.get("/beheer/")  # after a change the municipality is read again, once
    with counting_queries(app) as many:
        first = text(connector.get("/beheer/leden"))
    assert len(many) == len(few)
    assert "Pagina 1 van 2" in first
    second = text(connector.get("/beheer/leden?page=2"))
    assert "Persoon59" in second and "Persoon00" not in second


# The last visit


def test_the_last_visit_is_written_once_a_day(app, client_for, make_user):
    annie = make_user("cuijk")
    client = client_for("cuijk")
    with time_machine.travel("2026-03-02 08:00 +01:00", tick=False):
        sign_in(client, annie)
        client.get("/")
        first = membership(app, annie).last_seen_at
        assert first is not None
        with counting_queries(app) as statements:
            client.get("/")
        assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    with time_machine.travel("2026-03-02 23:30 +01:00", tick=False):
        client.get("/")
        assert membership(app, annie).last_seen_at == first  # the same day in Amsterdam
    with time_machine.travel("2026-03-03 00:10 +01:00", tick=False):
        client.get("/")
        assert membership(app, annie).last_seen_at > first
    # Just after midnight the new day has begun (in Amsterdam's offset of today, not 1892's).
    with time_machine.travel("2026-03-03 00:20 +01:00", tick=False):
        with counting_queries(app) as statements:
            client.get("/")
        assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    # Another municipality's membership is not touched by a visit to Cuijk.
    assert membership(app, make_user("grave"), "grave").last_seen_at is None


# Roles


def test_a_role_changes_in_this_municipality_only_and_is_logged(app, connector, make_user):
    wendy = make_user("cuijk", first_name="Wendy")
    with app.app_context(), tenant_context(tenant_by_slug("grave")):
        db.session.add(Membership(user_id=wendy.id, role=Role.RESIDENT))
        db.session.commit()
    member_id = membership(app, wendy).id
    response = connector.post(
        f"/beheer/leden/{member_id}/rol", data={"role": "coordinator", "reason": "Nieuw team"}
    )
    assert response.status_code == 302
    assert "Wendy is nu coördinator." in text(connector.get(response.headers["Location"]))
    assert membership(app, wendy).role == Role.COORDINATOR
    assert membership(app, wendy, "grave").role == Role.RESIDENT
    assert audit(app)[-1] == ("members.role_changed", "Wendy: inwoner → coördinator", "Nieuw team")
    assert audit(app, "grave") == []


def test_a_role_that_does_not_exist_is_refused(app, connector, make_user):
    wendy = make_user("cuijk", first_name="Wendy")
    member_id = membership(app, wendy).id
    response = connector.post(f"/beheer/leden/{member_id}/rol", data={"role": "koning"})
    assert response.status_code == 200
    assert "Ongeldige keuze." in text(response)
    assert membership(app, wendy).role == Role.RESIDENT
    assert audit(app) == []


def test_the_last_connector_keeps_the_role(app, client_for, connector, make_user):
    own_id = membership(app, connector.user).id
    page = text(connector.get(f"/beheer/leden/{own_id}"))
    assert "Henk is de enige buurtverbinder hier." in page
    refused = connector.post(f"/beheer/leden/{own_id}/rol", data={"role": "resident"})
    assert "Maak eerst iemand anders buurtverbinder." in text(refused)
    assert membership(app, connector.user).role == Role.CONNECTOR

    # Nor can a platform admin take it.
    admin = client_for("cuijk")
    sign_in(admin, make_user(None, admin=True))
    refused = admin.post(f"/beheer/leden/{own_id}/rol", data={"role": "resident"})
    assert "Maak eerst iemand anders buurtverbinder." in text(refused)
    assert membership(app, connector.user).role == Role.CONNECTOR

    # With a second connector, Henk can step down.
    make_user("cuijk", Role.CONNECTOR, first_name="Ria")
    stepped_down = connector.post(f"/beheer/leden/{own_id}/rol", data={"role": "resident"})
    assert stepped_down.headers["Location"] == "/"
    assert "Henk is nu inwoner." in text(connector.get("/"))
    assert membership(app, connector.user).role == Role.RESIDENT
    assert connector.get("/beheer/leden").status_code == 403


# Blocking


@pytest.fixture
def blocked_world(app, connector, make_user, client_for):
    """Bert (resident of Cuijk and Grave) with his own ask and a conversation with Annie about
    hers, Henk's helper membership; then Henk blocks Bert in Cuijk."""
    annie = make_user("cuijk", first_name="Annie", email="annie@example.nl")
    bert = make_user("cuijk", first_name="Bert", email="bert@example.nl")
    helper = make_user("cuijk", first_name="Piet")
    update_membership(app, helper, offers_help=True)
    with app.app_context(), tenant_context(tenant_by_slug("grave")):
        db.session.add(Membership(user_id=bert.id))
        db.session.commit()
    annies_ask = add_listing(app, annie)
    berts_ask = add_listing(app, bert)
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        listing = db.session.get(Listing, annies_ask)
        conversation = start_or_continue(
            listing, db.session.get(User, annie.id), db.session.get(User, bert.id), "Ik help."
        )
        db.session.commit()
        conversation_id = conversation.id
    bert_member = membership(app, bert)
    response = connector.post(
        f"/beheer/leden/{bert_member.id}/blokkeren",
        data={"reason": "Je stuurde mensen reclame. Dat mag niet volgens de huisregels."},
    )
    assert response.status_code == 302
    client = client_for("cuijk")
    sign_in(client, bert)
    return {
        "client": client,
        "bert": bert,
        "member_id": bert_member.id,
        "annies_ask": annies_ask,
        "berts_ask": berts_ask,
        "conversation_id": conversation_id,
        "helper_id": membership(app, helper).id,
    }


def posting_urls(world) -> list[tuple[str, str]]:
    """Every way to post, reply or message, by method and path."""
    return [
        ("GET", "/vraag-en-aanbod/nieuw"),
        ("POST", "/vraag-en-aanbod/nieuw"),
        ("GET", f"/vraag-en-aanbod/{world['annies_ask']}/reageren"),
        ("POST", f"/vraag-en-aanbod/{world['annies_ask']}/reageren"),
        ("GET", f"/hulp-vragen-aan/{world['helper_id']}"),
        ("POST", f"/hulp-vragen-aan/{world['helper_id']}"),
        ("POST", f"/gesprekken/{world['conversation_id']}"),
        ("GET", f"/vraag-en-aanbod/{world['berts_ask']}/bewerken"),
        ("POST", f"/vraag-en-aanbod/{world['berts_ask']}/bewerken"),
        ("POST", f"/vraag-en-aanbod/{world['berts_ask']}/verlengen"),
    ]


def test_a_blocked_member_cannot_post_reply_or_message_and_is_told_why(app, blocked_world):
    client = blocked_world["client"]
    for method, path in posting_urls(blocked_world):
        response = client.open(path, method=method, data={"body": "Hallo", "title": "Iets"})
        assert response.status_code == 403, (method, path)
        page = text(response)
        assert "Je bent geblokkeerd op Samen Cuijk" in page, (method, path)
        assert "Je stuurde mensen reclame." in page, (method, path)
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 1
    assert audit(app)[-1][0] == "members.blocked"


def test_a_blocked_member_is_told_by_email(blocked_world, outbox):
    [email] = [m for m in outbox() if m.recipient == "bert@example.nl"]
    assert email.subject == "Je bent geblokkeerd op Samen Cuijk"
    assert "Je stuurde mensen reclame." in email.text
    assert "Een buurtverbinder heeft je geblokkeerd." in email.text


def test_a_blocked_member_can_read_change_preferences_and_sign_out(app, blocked_world):
    client = blocked_world["client"]
    home = text(client.get("/"))
    assert "Je bent geblokkeerd op Samen Cuijk." in home  # the notice on every page
    assert "Je stuurde mensen reclame." in home
    assert client.get(f"/vraag-en-aanbod/{blocked_world['annies_ask']}").status_code == 200
    assert client.get(f"/gesprekken/{blocked_world['conversation_id']}").status_code == 200
    assert client.get("/meldingen").status_code == 200
    assert client.get("/profiel").status_code == 200
    assert client.post("/uitloggen").status_code == 302
    assert "Inloggen" in text(client.get("/"))


def test_a_block_in_cuijk_does_not_reach_grave(app, client_for, blocked_world):
    grave = client_for("grave")
    sign_in(grave, blocked_world["bert"])
    assert grave.get("/vraag-en-aanbod/nieuw").status_code == 200
    assert "geblokkeerd" not in text(grave.get("/"))


def test_unblocking_restores_posting(app, connector, blocked_world):
    member_id = blocked_world["member_id"]
    page = text(connector.get(f"/beheer/leden/{member_id}"))
    assert "Bert is geblokkeerd sinds" in page and "Geblokkeerd door Henk." in page
    response = connector.post(f"/beheer/leden/{member_id}/deblokkeren", data={"reason": "Gepraat"})
    assert response.status_code == 302
    client = blocked_world["client"]
    assert client.get("/vraag-en-aanbod/nieuw").status_code == 200
    assert "geblokkeerd" not in text(client.get("/"))
    assert audit(app)[-1] == ("members.unblocked", "Bert", "Gepraat")
    assert membership(app, blocked_world["bert"]).blocked_reason == ""


def test_a_block_needs_a_reason(app, connector, make_user):
    bert = make_user("cuijk", first_name="Bert")
    member_id = membership(app, bert).id
    response = connector.post(f"/beheer/leden/{member_id}/blokkeren", data={"reason": "   "})
    assert response.status_code == 200
    assert "Schrijf de reden op." in text(response)
    assert membership(app, bert).blocked_at is None
    assert audit(app) == []


def test_a_blocked_helper_leaves_who_helps_and_cannot_be_written_to(
    app, connector, make_user, client_for
):
    piet = make_user("cuijk", first_name="Pietje")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        member = db.session.scalar(sa.select(Membership).where(Membership.user_id == piet.id))
        shopping = db.session.scalar(sa.select(Category.id).where(Category.key == "shopping"))
        save_help_settings(member, HelpSettings(True, {shopping}, "", False))
        db.session.commit()
        member_id = member.id
    neighbour = client_for("cuijk")
    sign_in(neighbour, make_user("cuijk", first_name="Annie"))
    assert "Pietje" in text(neighbour.get("/wie-helpt"))
    assert neighbour.get(f"/hulp-vragen-aan/{member_id}").status_code == 200
    connector.post(f"/beheer/leden/{member_id}/blokkeren", data={"reason": "Reclame"})
    assert "Pietje" not in text(neighbour.get("/wie-helpt"))
    assert neighbour.get(f"/hulp-vragen-aan/{member_id}").status_code == 404


@pytest.mark.parametrize("role", [Role.CONNECTOR, Role.COORDINATOR])
def test_staff_are_not_blocked_until_their_role_is_taken(app, connector, make_user, role):
    ria = make_user("cuijk", role, first_name="Ria")
    member_id = membership(app, ria).id
    page = text(connector.get(f"/beheer/leden/{member_id}"))
    assert "Neem eerst deze rol af" in page
    assert "Ria blokkeren" not in page
    response = connector.post(f"/beheer/leden/{member_id}/blokkeren", data={"reason": "Zomaar"})
    assert response.status_code == 200
    assert membership(app, ria).blocked_at is None
    connector.post(f"/beheer/leden/{member_id}/rol", data={"role": "resident"})
    connector.post(f"/beheer/leden/{member_id}/blokkeren", data={"reason": "Nu wel"})
    assert membership(app, ria).blocked_at is not None
    # A blocked member gets no staff role back before the block is lifted.
    refused = connector.post(f"/beheer/leden/{member_id}/rol", data={"role": role.value})
    assert "Hef eerst de blokkering op." in text(refused)
    assert membership(app, ria).role == Role.RESIDENT


def test_a_platform_admin_with_a_membership_cannot_be_blocked(app, connector, make_user):
    admin = make_user("cuijk", admin=True, first_name="Beheerder")
    member_id = membership(app, admin).id
    connector.post(f"/beheer/leden/{member_id}/blokkeren", data={"reason": "Zomaar"})
    assert membership(app, admin).blocked_at is None


# Invitations in Beheer


def test_invite_resend_and_withdraw(app, connector, client_for, outbox):
    page = text(connector.get("/beheer/uitnodigingen"))
    assert "Er zijn geen open uitnodigingen." in page
    bad = connector.post(
        "/beheer/uitnodigingen", data={"email": "geen adres", "role": "coordinator"}
    )
    assert "Dit is geen geldig e-mailadres" in text(bad)
    response = connector.post(
        "/beheer/uitnodigingen",
        data={"email": "Wendy@Example.nl", "role": "coordinator", "personal_note": "Welkom!"},
    )
    assert response.status_code == 302
    page = text(connector.get("/beheer/uitnodigingen"))
    assert "De uitnodiging is verstuurd naar wendy@example.nl." in page
    assert "wendy@example.nl" in page and "coördinator" in page
    first_link = outbox()[0].links[0]
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        invitation_id = db.session.scalar(sa.select(Invitation.id))

    assert connector.post(f"/beheer/uitnodigingen/{invitation_id}/opnieuw").status_code == 302
    second_link = outbox()[0].links[0]
    assert second_link != first_link
    visitor = client_for("cuijk")
    path = lambda link: re.sub(r"^https?://[^/]+", "", link)  # noqa: E731
    assert visitor.get(path(first_link)).status_code == 410
    assert visitor.get(path(second_link)).status_code == 200

    assert connector.post(f"/beheer/uitnodigingen/{invitation_id}/intrekken").status_code == 302
    assert visitor.get(path(second_link)).status_code == 410
    assert "Er zijn geen open uitnodigingen." in text(connector.get("/beheer/uitnodigingen"))
    assert connector.post(f"/beheer/uitnodigingen/{invitation_id}/opnieuw").status_code == 404
    assert [action for action, _, _ in audit(app)] == [
        "members.invited",
        "members.invitation_resent",
        "members.invitation_withdrawn",
    ]


def test_someone_with_the_role_already_is_not_invited(app, connector, make_user, outbox):
    make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl")
    response = connector.post(
        "/beheer/uitnodigingen", data={"email": "wendy@example.nl", "role": "coordinator"}
    )
    assert "Deze persoon is hier al coördinator." in text(response)
    response = connector.post(
        "/beheer/uitnodigingen", data={"email": "henk@example.nl", "role": "organisation"}
    )
    assert "Deze persoon is buurtverbinder hier." in text(response)
    assert outbox() == []


# Permissions and other municipalities


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.ORGANISATION, Role.COORDINATOR])
def test_only_connectors_and_platform_admins_reach_the_members_pages(
    app, client_for, make_user, role
):
    client = client_for("cuijk")
    sign_in(client, make_user("cuijk", role))
    target = membership(app, make_user("cuijk", first_name="Bert")).id
    for path in ("/beheer/leden", f"/beheer/leden/{target}", "/beheer/uitnodigingen"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/beheer/leden/{target}/blokkeren", data={"reason": "x"}).status_code == 403
    assert membership(app, make_user("cuijk")).blocked_at is None
    admin = client_for("cuijk")
    sign_in(admin, make_user(None, admin=True))
    assert admin.get(f"/beheer/leden/{target}").status_code == 200


def test_another_municipalitys_member_or_invitation_is_a_404(app, connector, make_user):
    gerrit = make_user("grave", first_name="Gerrit")
    member_id = membership(app, gerrit, "grave").id
    with app.test_request_context(), tenant_context(tenant_by_slug("grave")):
        invitation_id = invite("x@example.nl", Role.ORGANISATION, None).id
        db.session.commit()
    for path in (f"/beheer/leden/{member_id}",):
        assert connector.get(path).status_code == 404
    for path in (
        f"/beheer/leden/{member_id}/rol",
        f"/beheer/leden/{member_id}/blokkeren",
        f"/beheer/leden/{member_id}/deblokkeren",
        f"/beheer/uitnodigingen/{invitation_id}/opnieuw",
        f"/beheer/uitnodigingen/{invitation_id}/intrekken",
    ):
        assert connector.post(path, data={"role": "connector", "reason": "x"}).status_code == 404
    assert membership(app, gerrit, "grave").role == Role.RESIDENT
    assert membership(app, gerrit, "grave").blocked_at is None


def test_two_connectors_taking_each_others_role_at_once_leave_one(
    app, client_for, make_user, monkeypatch
):
    """Both requests check "not the last connector" before either writes. On PostgreSQL the
    second waits for the first's lock on the connectors' rows, then finds one connector left
    and refuses; SQLite refuses the second write outright. Either way one connector stays."""
    from buurtplatform.beheer import members

    clients, ids = [], []
    for name in ("Henk", "Ria"):
        user = make_user("cuijk", Role.CONNECTOR, first_name=name)
        client = client_for("cuijk")
        sign_in(client, user)
        clients.append(client)
        ids.append(membership(app, user).id)
    both_checked = threading.Barrier(2)
    original = members._is_last_connector

    def checked_then_wait(member, *, lock=False):
        answer = original(member, lock=lock)
        if lock:
            with contextlib.suppress(threading.BrokenBarrierError):
                both_checked.wait(timeout=1)  # the other request, unless a lock holds it
        return answer

    monkeypatch.setattr(members, "_is_last_connector", checked_then_wait)
    outcomes: list[object] = []

    def demote(client, other_id):
        try:
            outcomes.append(client.post(f"/beheer/leden/{other_id}/rol", data={"role": "resident"}))
        except Exception as error:  # SQLite: "database is locked" for the second writer
            outcomes.append(error)

    threads = [
        threading.Thread(target=demote, args=(clients[0], ids[1])),
        threading.Thread(target=demote, args=(clients[1], ids[0])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(outcomes) == 2
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        connectors = db.session.scalars(
            sa.select(Membership.id).where(Membership.role == Role.CONNECTOR)
        ).all()
    assert len(connectors) == 1
