"""Platformbeheer on the portal: only platform admins, signed in on the portal itself; the
municipalities with their member counts; adding one from the web (live at once); switching one
off and on again, each in the municipality's audit log."""

from __future__ import annotations

import sqlalchemy as sa

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.extensions import db
from tenants.cli import tenants_cli
from tenants.models import Tenant, Village
from tenants.scoping import ALL_TENANTS, tenant_context
from tests.helpers import PASSWORD, sign_in, tenant_by_slug
from tests.listing_helpers import counting_queries

HOME = "/platformbeheer/"
SIGN_IN = "/platformbeheer/inloggen"
NEW = "/platformbeheer/nieuw"
BOXMEER = {
    "name": "Boxmeer",
    "slug": "boxmeer",
    "villages": "Beugen\r\nOeffelt\r\n\r\nRijkevoort  ",
    "connector_email": "Henk@Example.nl",
}


def portal_admin(client_for, make_user):
    """The portal, with a platform admin signed in on it."""
    admin = make_user(None, admin=True, first_name="Bea")
    portal = client_for(None)
    response = portal.post(SIGN_IN, data={"email": admin.email, "password": PASSWORD})
    assert response.status_code == 302
    return portal, admin


def audit_entries(app, slug: str) -> list[AuditEntry]:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
        db.session.expunge_all()
        return list(entries)


def card(page: str, name: str) -> str:
    """The municipality's card on the Platformbeheer page."""
    return page.split(f">{name}</")[1].split("</ul>")[0]


def tenant_named(app, slug: str) -> Tenant | None:
    with app.app_context():
        tenant = tenant_by_slug(slug)
        if tenant is not None:
            db.session.expunge(tenant)
        return tenant


# Who may, and where


def test_anonymous_is_sent_to_the_portals_own_sign_in(client_for):
    response = client_for(None).get(HOME)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{SIGN_IN}?next=%2Fplatformbeheer%2F"


def test_a_platform_admin_signs_in_on_the_portal_and_finds_platformbeheer(client_for, make_user):
    admin = make_user(None, admin=True)
    portal = client_for(None)
    page = portal.get(f"{SIGN_IN}?next=/platformbeheer/nieuw").get_data(as_text=True)
    assert "Inloggen bij Platformbeheer" in page
    response = portal.post(
        SIGN_IN,
        data={"email": admin.email, "password": PASSWORD, "next": "/platformbeheer/nieuw"},
    )
    assert response.headers["Location"] == NEW
    home = portal.get("/").get_data(as_text=True)
    assert 'href="/platformbeheer/"' in home
    assert "Uitloggen" in home
    assert portal.get(HOME).headers["Cache-Control"] == "private, no-store"

    portal.post("/platformbeheer/uitloggen")
    assert portal.get(HOME).status_code == 302


def test_someone_who_is_no_platform_admin_cannot_sign_in_on_the_portal(client_for, make_user):
    connector = make_user("cuijk", Role.CONNECTOR)
    portal = client_for(None)
    page = portal.post(SIGN_IN, data={"email": connector.email, "password": PASSWORD})
    assert page.status_code == 200
    assert "Kies dan je gemeente en log in op de site daarvan" in page.get_data(as_text=True)
    assert portal.get(HOME).status_code == 302


def test_a_wrong_password_signs_nobody_in(client_for, make_user):
    admin = make_user(None, admin=True)
    portal = client_for(None)
    page = portal.post(SIGN_IN, data={"email": admin.email, "password": "niet goed genoeg"})
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar" in page.get_data(as_text=True)
    assert portal.get(HOME).status_code == 302


def test_an_admin_who_is_no_longer_one_gets_a_403(app, client_for, make_user):
    portal, admin = portal_admin(client_for, make_user)
    with app.app_context():
        db.session.get(User, admin.id).is_platform_admin = False
        db.session.commit()
    assert portal.get(HOME).status_code == 403


def test_a_portal_session_signs_nobody_in_on_a_municipality_nor_the_other_way(
    client_for, make_user
):
    portal, admin = portal_admin(client_for, make_user)
    cookie = portal.get_cookie("session", domain="buurt.test").value
    cuijk = client_for("cuijk")
    cuijk.set_cookie("session", cookie, domain="cuijk.buurt.test")
    assert cuijk.get("/beheer/").status_code == 302  # to signing in

    cuijk = client_for("cuijk")
    assert sign_in(cuijk, admin).status_code == 302
    assert cuijk.get("/beheer/").status_code == 200
    other_portal = client_for(None)
    other_portal.set_cookie(
        "session", cuijk.get_cookie("session", domain="cuijk.buurt.test").value, domain="buurt.test"
    )
    assert other_portal.get(HOME).status_code == 302


def test_platformbeheer_does_not_exist_on_a_municipalitys_site(client_for, make_user):
    admin = make_user(None, admin=True)
    cuijk = client_for("cuijk")
    sign_in(cuijk, admin)
    for path in (HOME, SIGN_IN, NEW, "/platformbeheer/grave/uitzetten"):
        assert cuijk.get(path).status_code == 404, path
    assert cuijk.post(NEW, data=BOXMEER).status_code == 404


# The municipalities


def test_the_list_shows_every_municipality_with_its_member_count_in_one_query(
    app, client_for, make_user
):
    for _ in range(3):
        make_user("grave")
    make_user("mill", Role.CONNECTOR)
    portal, _admin = portal_admin(client_for, make_user)
    with counting_queries(app) as statements:
        page = portal.get(HOME).get_data(as_text=True)
    # The session with its user, the municipalities with their counts, and their domains.
    assert len([s for s in statements if s.startswith("SELECT")]) == 3
    assert "4 gemeenten" in page
    # The counts span municipalities: without ALL_TENANTS the portal would count none.
    assert "Grave</a></h3>" in page
    grave_card = card(page, "Grave")
    assert "3 leden" in grave_card
    mill_card = card(page, "Mill en Sint Hubert")
    assert "1 lid" in mill_card
    cuijk_card = card(page, "Cuijk")
    assert "0 leden" in cuijk_card
    assert "http://cuijk.buurt.test/beheer/" in cuijk_card
    assert "http://cuijk.buurt.test/beheer/logboek" in cuijk_card


# Adding a municipality


def test_a_new_municipality_answers_at_its_subdomain_at_once(app, client_for, make_user, outbox):
    portal, admin = portal_admin(client_for, make_user)
    assert client_for("boxmeer").get("/").status_code == 404

    response = portal.post(NEW, data=BOXMEER)
    assert response.headers["Location"] == HOME
    page = portal.get(HOME).get_data(as_text=True)
    assert "Boxmeer is toegevoegd" in page
    assert "henk@example.nl" in page

    boxmeer = client_for("boxmeer").get("/")
    assert boxmeer.status_code == 200
    assert "Boxmeer" in boxmeer.get_data(as_text=True)
    with app.app_context(), tenant_context(tenant_by_slug("boxmeer")):
        names = db.session.scalars(sa.select(Village.name).order_by(Village.name)).all()
        assert names == ["Beugen", "Oeffelt", "Rijkevoort"]
    created, invited = audit_entries(app, "boxmeer")
    assert (created.action, created.subject, created.actor_id) == (
        "platform.created",
        "Boxmeer",
        admin.id,
    )
    assert (invited.action, invited.subject) == ("members.invited", "henk@example.nl")

    [invitation] = outbox()
    assert invitation.recipient == "henk@example.nl"
    link = next(link for link in invitation.links if "/uitnodiging/" in link)
    assert link.startswith("http://boxmeer.buurt.test/")
    assert client_for("boxmeer").get(link).status_code == 200


def test_the_new_municipality_is_on_the_portal(client_for, make_user):
    portal, _admin = portal_admin(client_for, make_user)
    portal.post(NEW, data=BOXMEER)
    assert "Beugen" in client_for(None).get("/?dorp=beugen").get_data(as_text=True)


def assert_refused(app, portal, data: dict, message: str) -> None:
    response = portal.post(NEW, data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Kijk dit nog even na" in page
    assert message in page, message
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Tenant.id))) == 4
        entries = sa.select(sa.func.count(AuditEntry.id)).execution_options(**ALL_TENANTS)
        assert db.session.scalar(entries) == 0


def test_bad_input_is_refused_with_a_clear_message_and_adds_nothing(app, client_for, make_user):
    portal, _admin = portal_admin(client_for, make_user)
    cases = [
        ({"slug": "Box meer"}, "Gebruik alleen kleine letters, cijfers en streepjes"),
        ({"slug": "-boxmeer"}, "Gebruik alleen kleine letters, cijfers en streepjes"),
        ({"slug": "Cuijk"}, "Dit webadres is al van een andere gemeente"),
        ({"slug": ""}, "Vul het eerste deel van het webadres in"),
        ({"name": ""}, "Vul de naam van de gemeente in"),
        ({"villages": " \r\n "}, "Vul minstens één dorp in"),
        ({"villages": "Beugen\nOeffelt\nBeugen"}, "Een dorp staat twee keer in de lijst"),
        ({"villages": "B" * 121}, "De naam van een dorp mag niet langer zijn dan 120 tekens"),
        ({"connector_email": ""}, "Vul het e-mailadres van de eerste buurtverbinder in"),
        ({"connector_email": "henk"}, "Dit is geen geldig e-mailadres"),
    ]
    for change, message in cases:
        assert_refused(app, portal, BOXMEER | change, message)


def test_adding_needs_a_valid_form_token(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    admin = make_user(None, admin=True)
    portal = app.test_client()
    page = portal.get(SIGN_IN, base_url="http://buurt.test").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    portal.post(
        SIGN_IN,
        data={"email": admin.email, "password": PASSWORD, "csrf_token": token},
        base_url="http://buurt.test",
    )
    response = portal.post(NEW, data=BOXMEER, base_url="http://buurt.test")
    assert response.status_code == 400
    assert tenant_named(app, "boxmeer") is None


# Switching a site off and on


def test_switching_a_site_off_asks_first_then_it_is_a_404_but_stays_listed(
    app, client_for, make_user
):
    portal, admin = portal_admin(client_for, make_user)
    page = portal.get("/platformbeheer/grave/uitzetten").get_data(as_text=True)
    assert "De site van Grave uitzetten?" in page
    assert "Samen Grave" not in page  # the portal's page, not Grave's
    assert tenant_named(app, "grave").is_active

    response = portal.post("/platformbeheer/grave/uitzetten", data={"reason": "Op verzoek"})
    assert response.headers["Location"] == HOME
    assert client_for("grave").get("/").status_code == 404
    assert "Grave" not in client_for(None).get("/").get_data(as_text=True)
    listing = portal.get(HOME).get_data(as_text=True)
    grave_card = card(listing, "Grave")
    assert "Staat uit" in grave_card
    assert "/platformbeheer/grave/aanzetten" in grave_card
    assert "grave.buurt.test" not in grave_card.split("</p>", 1)[1]  # no links into it
    [entry] = audit_entries(app, "grave")
    assert (entry.action, entry.reason, entry.actor_id) == (
        "platform.deactivated",
        "Op verzoek",
        admin.id,
    )

    portal.post("/platformbeheer/grave/aanzetten", data={"reason": ""})
    assert client_for("grave").get("/").status_code == 200
    assert [e.action for e in audit_entries(app, "grave")] == [
        "platform.deactivated",
        "platform.reactivated",
    ]


def test_switching_off_a_site_that_is_off_changes_nothing(app, client_for, make_user):
    portal, _admin = portal_admin(client_for, make_user)
    assert portal.post("/platformbeheer/mill/aanzetten").headers["Location"] == HOME
    assert portal.get("/platformbeheer/onbekend/uitzetten").status_code == 404
    assert audit_entries(app, "mill") == []


def test_a_too_long_reason_is_refused(app, client_for, make_user):
    portal, _admin = portal_admin(client_for, make_user)
    response = portal.post("/platformbeheer/grave/uitzetten", data={"reason": "x" * 1001})
    assert "Dit mag niet langer zijn dan 1000 tekens" in response.get_data(as_text=True)
    assert tenant_named(app, "grave").is_active


def test_members_of_a_switched_off_municipality_stay(app, client_for, make_user):
    annie = make_user("grave")
    portal, _admin = portal_admin(client_for, make_user)
    portal.post("/platformbeheer/grave/uitzetten")
    with app.app_context(), tenant_context(tenant_by_slug("grave")):
        assert db.session.scalar(sa.select(Membership.id).where(Membership.user_id == annie.id))


def test_every_platformbeheer_page_answers_a_platform_admin_on_the_portal(
    app, client_for, make_user
):
    portal, _admin = portal_admin(client_for, make_user)
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("platform.")]
    assert len(rules) >= 6
    for rule in rules:
        if "GET" in rule.methods and rule.endpoint != "platform.sign_in":
            path = rule.rule.replace("<slug>", "grave").replace("<name>", "asks")
            expected = 302 if rule.endpoint == "platform.reactivate" else 200  # Grave is on
            assert portal.get(path).status_code == expected, path


def test_flask_tenants_platform_admin_makes_the_first_one(app, client_for, make_user):
    bea = make_user("cuijk", email="bea@example.nl")
    runner = app.test_cli_runner()
    unknown = runner.invoke(tenants_cli, ["platform-admin", "niemand@example.nl"])
    assert unknown.exit_code != 0 and "no account" in unknown.output
    result = runner.invoke(tenants_cli, ["platform-admin", "Bea@example.nl"])
    assert result.exit_code == 0, result.output
    portal = client_for(None)
    portal.post(SIGN_IN, data={"email": bea.email, "password": PASSWORD})
    assert portal.get(HOME).status_code == 200
