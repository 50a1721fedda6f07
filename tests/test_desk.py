"""The infopunt's desk: a volunteer helps someone make an account by email and prints a
sheet without a password; only the desk's roles reach it."""

from __future__ import annotations

import sqlalchemy as sa

from buurtplatform.accounts.models import Invitation, Role
from buurtplatform.extensions import db
from tenants.scoping import ALL_TENANTS
from tests.helpers import PASSWORD, sign_in
from tests.test_invitations import NEW_ACCOUNT, invite_in, link_path, role_in


def _invitations(app) -> list[Invitation]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Invitation).execution_options(**ALL_TENANTS)))


def test_a_volunteer_at_the_desk_helps_someone_to_an_account_and_a_sheet(
    app, client_for, make_user, outbox
):
    desk = client_for("cuijk")
    sign_in(desk, make_user("cuijk", Role.INFOPUNT, first_name="Ingrid"))
    assert 'href="/infopunt"' in desk.get("/").get_data(as_text=True)  # in the menu
    sent = desk.post("/infopunt", data={"email": " Gerrit@Example.NL "})
    assert sent.status_code == 302 and "/infopunt/blad/" in sent.headers["Location"]
    sheet = desk.get(sent.headers["Location"]).get_data(as_text=True)
    assert "gerrit@example.nl" in sheet and "http://cuijk.buurt.test/" in sheet
    assert "Het staat niet op dit blad" in sheet and "Je bent uitgenodigd voor Samen Cuijk" in sheet
    assert 'type="password"' not in sheet

    # At home (or at the desk), Gerrit opens the email and chooses his own password.
    path = link_path(outbox, "gerrit@example.nl")
    gerrit = client_for("cuijk")
    assert gerrit.post(path, data=NEW_ACCOUNT).status_code == 302
    assert role_in(app, "cuijk", "gerrit@example.nl") == Role.RESIDENT


def test_an_address_that_already_has_an_account_here_gets_the_general_sheet(
    app, client_for, make_user
):
    make_user("cuijk", Role.RESIDENT, email="bestaat@example.nl")
    desk = client_for("cuijk")
    sign_in(desk, make_user("cuijk", Role.COORDINATOR))
    page = desk.post("/infopunt", data={"email": "bestaat@example.nl"}).get_data(as_text=True)
    assert "Met dit adres is hier al een account" in page
    assert _invitations(app) == []
    general = desk.get("/infopunt/blad").get_data(as_text=True)
    assert "Wachtwoord vergeten?" in general and "De eerste keer" not in general


def test_joining_as_a_member_never_takes_away_a_role(app, client_for, make_user, outbox):
    henk = make_user("grave", Role.RESIDENT, email="henk@example.nl")
    make_user("cuijk", Role.CONNECTOR, email="henk.cuijk@example.nl")
    invite_in(app, "grave", "henk@example.nl", Role.RESIDENT)
    with app.app_context():
        # Henk became a connector in Grave meanwhile.
        from buurtplatform.accounts.models import Membership
        from tenants.scoping import tenant_context
        from tests.helpers import tenant_by_slug

        with tenant_context(tenant_by_slug("grave")):
            member = db.session.scalar(sa.select(Membership).where(Membership.user_id == henk.id))
            member.role = Role.CONNECTOR
            db.session.commit()
    path = link_path(outbox, "henk@example.nl")
    grave = client_for("grave")
    assert grave.post(path, data={"current_password": PASSWORD, "consent": "y"}).status_code == 302
    assert role_in(app, "grave", "henk@example.nl") == Role.CONNECTOR


def test_only_the_desk_roles_reach_the_desk_and_a_sheet_stays_in_its_municipality(
    app, client_for, make_user
):
    for role in (Role.RESIDENT, Role.CONNECTOR, Role.ORGANISATION):
        client = client_for("cuijk")
        sign_in(client, make_user("cuijk", role))
        assert client.get("/infopunt").status_code == 403, role
        assert client.post("/infopunt", data={"email": "x@example.nl"}).status_code == 403
    assert _invitations(app) == []
    grave_desk = client_for("grave")
    sign_in(grave_desk, make_user("grave", Role.INFOPUNT))
    grave_desk.post("/infopunt", data={"email": "els@example.nl"})
    [invitation] = _invitations(app)
    cuijk_desk = client_for("cuijk")
    sign_in(cuijk_desk, make_user("cuijk", Role.INFOPUNT))
    assert cuijk_desk.get(f"/infopunt/blad/{invitation.id}").status_code == 404


def test_a_connector_can_make_someone_an_infopunt_volunteer(client_for, make_user):
    client = client_for("cuijk")
    sign_in(client, make_user("cuijk", Role.CONNECTOR))
    page = client.get("/beheer/uitnodigingen").get_data(as_text=True)
    assert "vrijwilliger infopunt" in page


def test_at_the_desk_someone_without_email_goes_on_the_social_workers_list(
    app, client_for, make_user
):
    desk = client_for("cuijk")
    sign_in(desk, make_user("cuijk", Role.INFOPUNT))
    added = desk.post(
        "/werkbank/mensen/nieuw",
        data={
            "name": "Mevrouw Jansen",
            "phone": "0485 123 456",
            "village": "0",
            "consent_note": "Aan de balie, mondeling",
        },
    )
    assert added.status_code == 302 and added.headers["Location"].endswith("/infopunt")
    assert "Mevrouw Jansen staat op de lijst van de sociaal werkers" in desk.get(
        "/infopunt"
    ).get_data(as_text=True)
    assert desk.get("/werkbank/mensen").status_code == 403  # the list is the coordinators'
    wendy = client_for("cuijk")
    sign_in(wendy, make_user("cuijk", Role.COORDINATOR))
    assert "Mevrouw Jansen" in wendy.get("/werkbank/mensen").get_data(as_text=True)
