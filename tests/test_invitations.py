"""Personal invitations: the email, making an account or signing in through the link, and the
link's limits (once, for seven days, on its own municipality only, not after withdrawal)."""

from __future__ import annotations

import contextlib
import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from buurtplatform.accounts import invitations
from buurtplatform.accounts.invitations import invite
from buurtplatform.accounts.models import Invitation, Membership, Role, User
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.scoping import ALL_TENANTS, tenant_context
from tests.helpers import PASSWORD, sign_in, tenant_by_slug

NEW_ACCOUNT = {
    "first_name": "Wendy",
    "password": "een nieuw wachtwoord",
    "password_confirm": "een nieuw wachtwoord",
    "consent": "y",
}


def invite_in(app, slug: str, email: str, role: Role, by_id: int | None = None, note: str = ""):
    with app.test_request_context(), tenant_context(tenant_by_slug(slug)):
        inviter = db.session.get(User, by_id) if by_id else None
        invitation = invite(email, role, inviter, personal_note=note)
        db.session.commit()
        return invitation.id


def link_path(outbox, email: str) -> str:
    message = next(m for m in outbox() if m.recipient == email)
    link = next(link for link in message.links if "/uitnodiging/" in link)
    return re.sub(r"^https?://[^/]+", "", link)


def role_in(app, slug: str, email: str) -> Role | None:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        return db.session.scalar(
            sa.select(Membership.role)
            .join(User, User.id == Membership.user_id)
            .where(User.email == email)
        )


def test_the_email_names_the_inviter_role_note_and_link(app, make_user, outbox):
    henk = make_user("cuijk", Role.CONNECTOR, first_name="Henk")
    invite_in(app, "cuijk", " Wendy@Example.NL ", Role.COORDINATOR, henk.id, "Welkom in het team!")
    [message] = outbox()
    assert message.recipient == "wendy@example.nl"
    assert message.subject == "Je bent uitgenodigd voor Samen Cuijk"
    assert "Henk nodigt je uit om mee te doen met Samen Cuijk als sociaal werker." in message.text
    assert "Welkom in het team!" in message.text
    assert link_path(outbox, "wendy@example.nl").startswith("/uitnodiging/")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        invitation = db.session.scalar(sa.select(Invitation))
        # Only a hash of the token is kept.
        assert invitation.token_hash not in message.text
        entry = db.session.scalar(sa.select(AuditEntry))
        assert (entry.action, entry.subject, entry.actor_id) == (
            "members.invited",
            "wendy@example.nl",
            henk.id,
        )


def test_a_new_person_makes_an_account_and_gets_the_role(app, client_for, outbox):
    invite_in(app, "cuijk", "wendy@example.nl", Role.COORDINATOR)
    cuijk = client_for("cuijk")
    path = link_path(outbox, "wendy@example.nl")
    page = cuijk.get(path).get_data(True)
    assert "Je bent uitgenodigd als sociaal werker" in page
    assert "Voornaam" in page

    refused = cuijk.post(path, data={**NEW_ACCOUNT, "password_confirm": "iets anders"})
    assert refused.status_code == 200
    assert "De twee wachtwoorden zijn niet hetzelfde." in refused.get_data(True)
    assert role_in(app, "cuijk", "wendy@example.nl") is None

    accepted = cuijk.post(path, data=NEW_ACCOUNT)
    assert accepted.status_code == 302
    home = cuijk.get("/").get_data(True)
    assert "Welkom! Je doet nu mee met Samen Cuijk als sociaal werker." in home
    assert role_in(app, "cuijk", "wendy@example.nl") == Role.COORDINATOR
    with app.app_context():
        wendy = db.session.scalar(sa.select(User).where(User.email == "wendy@example.nl"))
        assert wendy.is_verified and wendy.first_name == "Wendy"
        actions = db.session.scalars(
            sa.select(AuditEntry.action).execution_options(**ALL_TENANTS)
        ).all()
        assert "members.joined_by_invitation" in actions

    # Single use: the same link again, in another browser, says it was accepted.
    again = client_for("cuijk").get(path)
    assert again.status_code == 410
    assert "Deze uitnodiging is al aangenomen" in again.get_data(True)


def test_someone_with_an_account_confirms_with_the_password_and_keeps_other_roles(
    app, client_for, make_user, outbox
):
    annie = make_user("grave", Role.RESIDENT, email="annie@example.nl")
    make_user("cuijk", Role.RESIDENT, email="annie.elders@example.nl")
    invite_in(app, "cuijk", "annie@example.nl", Role.ORGANISATION)
    path = link_path(outbox, "annie@example.nl")
    cuijk = client_for("cuijk")
    page = cuijk.get(path).get_data(True)
    assert "Je hebt al een account met dit e-mailadres" in page
    assert "Voornaam" not in page

    wrong = cuijk.post(path, data={"current_password": "fout", "consent": "y"})
    assert "Dit wachtwoord klopt niet" in wrong.get_data(True)
    assert role_in(app, "cuijk", "annie@example.nl") is None

    assert cuijk.post(path, data={"current_password": PASSWORD, "consent": "y"}).status_code == 302
    assert role_in(app, "cuijk", "annie@example.nl") == Role.ORGANISATION
    assert role_in(app, "grave", "annie@example.nl") == Role.RESIDENT  # untouched
    assert "Mijn profiel" in cuijk.get("/").get_data(True)  # signed in
    del annie


def test_a_signed_in_member_accepts_with_one_click_and_gets_the_new_role(
    app, client_for, make_user, outbox
):
    bert = make_user("cuijk", Role.RESIDENT, email="bert@example.nl")
    invite_in(app, "cuijk", "bert@example.nl", Role.CONNECTOR)
    cuijk = client_for("cuijk")
    sign_in(cuijk, bert)
    path = link_path(outbox, "bert@example.nl")
    page = cuijk.get(path).get_data(True)
    assert "Wachtwoord" not in page and "privacyverklaring" not in page
    assert cuijk.post(path, data={}).status_code == 302
    assert role_in(app, "cuijk", "bert@example.nl") == Role.CONNECTOR


def test_signed_in_as_someone_else_the_link_asks_to_sign_out_first(
    app, client_for, make_user, outbox
):
    invite_in(app, "cuijk", "wendy@example.nl", Role.COORDINATOR)
    cuijk = client_for("cuijk")
    sign_in(cuijk, make_user("cuijk", email="iemand@example.nl"))
    path = link_path(outbox, "wendy@example.nl")
    page = cuijk.get(path).get_data(True)
    assert "Deze uitnodiging is voor iemand anders" in page
    assert cuijk.post(path, data=NEW_ACCOUNT).status_code == 200
    assert role_in(app, "cuijk", "wendy@example.nl") is None


def test_the_link_expires_after_seven_days(app, client_for, outbox):
    invite_in(app, "cuijk", "wendy@example.nl", Role.COORDINATOR)
    path = link_path(outbox, "wendy@example.nl")
    with time_machine.travel(utcnow() + timedelta(days=7, minutes=1)):
        page = client_for("cuijk").get(path)
        assert page.status_code == 410
        assert "Deze uitnodiging is te oud" in page.get_data(True)
        assert client_for("cuijk").post(path, data=NEW_ACCOUNT).status_code == 410
    assert role_in(app, "cuijk", "wendy@example.nl") is None


def test_the_link_works_on_its_own_municipality_only(app, client_for, outbox):
    invite_in(app, "cuijk", "wendy@example.nl", Role.COORDINATOR)
    path = link_path(outbox, "wendy@example.nl")
    grave = client_for("grave")
    assert grave.get(path).status_code == 410
    assert grave.post(path, data=NEW_ACCOUNT).status_code == 410
    assert role_in(app, "grave", "wendy@example.nl") is None
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == "wendy@example.nl")) is None


@pytest.mark.parametrize("token", ["onbekend", "x" * 43])
def test_an_unknown_link_says_so(client_for, token):
    page = client_for("cuijk").get(f"/uitnodiging/{token}")
    assert page.status_code == 410
    assert "We kennen deze link niet" in page.get_data(True)


def test_inviting_again_replaces_the_earlier_link(app, client_for, outbox):
    invite_in(app, "cuijk", "wendy@example.nl", Role.ORGANISATION)
    first = link_path(outbox, "wendy@example.nl")
    invite_in(app, "cuijk", "wendy@example.nl", Role.COORDINATOR)
    second = link_path(outbox, "wendy@example.nl")  # the outbox is newest first
    assert first != second
    cuijk = client_for("cuijk")
    assert "Deze uitnodiging is ingetrokken" in cuijk.get(first).get_data(True)
    assert cuijk.post(second, data=NEW_ACCOUNT).status_code == 302
    assert role_in(app, "cuijk", "wendy@example.nl") == Role.COORDINATOR


def test_platform_admins_are_not_invited(app):
    """Platform admins are no role in a municipality: nobody invites to it."""
    with pytest.raises(ValueError):
        invite_in(app, "cuijk", "iemand@example.nl", "platform_admin")


def test_two_clicks_at_once_use_the_link_once(app, client_for, make_user, outbox, monkeypatch):
    """Both requests find the link unused before either takes it (a barrier holds them there);
    the conditional UPDATE lets one take it. On PostgreSQL the other waits for that commit and
    finds nothing to take; SQLite refuses the second writer outright. One join is logged."""
    bert = make_user("cuijk", Role.RESIDENT, email="bert@example.nl")
    invite_in(app, "cuijk", "bert@example.nl", Role.ORGANISATION)
    path = link_path(outbox, "bert@example.nl")
    clients = [client_for("cuijk"), client_for("cuijk")]
    for client in clients:
        sign_in(client, bert)
    both_checked = threading.Barrier(2)
    original = invitations._usable

    def checked_then_wait(invitation):
        answer = original(invitation)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_checked.wait(timeout=2)
        return answer

    monkeypatch.setattr(invitations, "_usable", checked_then_wait)
    outcomes: list[object] = []

    def click(client):
        try:
            outcomes.append(client.post(path, data={}).status_code)
        except Exception as error:  # SQLite: "database is locked" for the second writer
            outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=click, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)
    assert len(outcomes) == 2 and 302 in outcomes
    with app.app_context():
        joined = db.session.scalars(
            sa.select(AuditEntry.id)
            .where(AuditEntry.action == "members.joined_by_invitation")
            .execution_options(**ALL_TENANTS)
        ).all()
    assert len(joined) == 1
