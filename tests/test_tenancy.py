"""Tenancy: hosts, scoping, and sessions that never cross municipalities."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g

from buurtplatform.accounts.models import Membership, Role
from buurtplatform.extensions import db
from tenants.models import TenantDomain, Village
from tenants.scoping import ALL_TENANTS, tenant_context
from tests.helpers import sign_in, tenant_by_slug


def test_each_host_serves_its_own_municipality(client_for):
    for slug, site_name, village in [
        ("cuijk", "Samen Cuijk", "Sint Agatha"),
        ("grave", "Samen Grave", "Escharen"),
        ("mill", "Samen Mill en Sint Hubert", "Wilbertoord"),
        ("sint-anthonis", "Samen Sint Anthonis", "Rijkevoort-De Walsert"),
    ]:
        page = client_for(slug).get("/").get_data(as_text=True)
        assert f"<h1>{site_name}</h1>" in page
        assert village in page
    # Grave's villages are not on Cuijk's site.
    assert "Escharen" not in client_for("cuijk").get("/").get_data(as_text=True)


def test_portal_lists_the_municipalities_with_links(client_for):
    page = client_for(None).get("/").get_data(as_text=True)
    for slug in ("cuijk", "grave", "mill", "sint-anthonis"):
        assert f'href="http://{slug}.buurt.test/"' in page


def test_unknown_subdomain_is_a_dutch_404_not_another_municipality(client_for):
    for host in ("boxmeer", "www.cuijk"):
        response = client_for(host).get("/")
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert "Pagina niet gevonden" in page
        assert "Samen Cuijk" not in page


def test_foreign_host_is_a_404(app):
    response = app.test_client().get("/", headers={"Host": "evil.example.com"})
    assert response.status_code == 404


def test_custom_domain_serves_and_alias_redirects_301(app):
    with app.app_context():
        grave = tenant_by_slug("grave")
        db.session.add_all(
            [
                TenantDomain(tenant=grave, host="samengrave.nl", is_canonical=True),
                TenantDomain(tenant=grave, host="www.samengrave.nl"),
            ]
        )
        db.session.commit()
    client = app.test_client()
    assert "Samen Grave" in client.get("/", headers={"Host": "samengrave.nl"}).get_data(True)
    alias = client.get("/privacy?x=1", headers={"Host": "www.samengrave.nl"})
    assert alias.status_code == 301
    assert alias.headers["Location"] == "http://samengrave.nl/privacy?x=1"
    # Once a municipality has its own domain, its subdomain redirects there too.
    sub = client.get("/", headers={"Host": "grave.buurt.test"})
    assert sub.status_code == 301
    assert sub.headers["Location"] == "http://samengrave.nl/"


def test_plain_select_sees_only_the_current_municipality(app):
    with app.app_context():
        cuijk, grave = tenant_by_slug("cuijk"), tenant_by_slug("grave")
        with tenant_context(cuijk):
            names = set(db.session.scalars(sa.select(Village.name)))
            assert names == {"Cuijk", "Beers", "Haps", "Katwijk", "Linden", "Sint Agatha", "Vianen"}
            # A guessed id of Grave's village is not found from Cuijk.
            escharen_id = db.session.scalar(
                sa.select(Village.id)
                .where(Village.name == "Escharen")
                .execution_options(**ALL_TENANTS)
            )
            assert escharen_id is not None
            assert db.session.get(Village, escharen_id) is None
        with tenant_context(grave):
            assert db.session.get(Village, escharen_id).name == "Escharen"
        # Outside any municipality, scoped rows are invisible (fail closed).
        assert db.session.scalars(sa.select(Village)).all() == []


def test_new_rows_get_the_current_municipality(app):
    with app.app_context():
        mill = tenant_by_slug("mill")
        with tenant_context(mill):
            village = Village(name="Nieuwe kern")
            db.session.add(village)
            db.session.commit()
            assert village.tenant_id == mill.id


def test_member_of_cuijk_is_a_visitor_on_grave(client_for, make_user):
    annie = make_user("cuijk")
    grave = client_for("grave")
    response = sign_in(grave, annie)
    # Signing in works (one account), but Grave offers to join instead of treating her as member.
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/lid-worden")
    page = grave.get("/").get_data(as_text=True)
    assert "Je bent hier bezoeker" in page


def test_session_cookie_replayed_on_another_municipality_signs_nobody_in(client_for, make_user):
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    sign_in(cuijk, annie)
    assert "Hallo Annie" in cuijk.get("/").get_data(as_text=True)
    cookie = cuijk.get_cookie("session", domain="cuijk.buurt.test")
    grave = client_for("grave")
    grave.set_cookie("session", cookie.value, domain="grave.buurt.test")
    page = grave.get("/").get_data(as_text=True)
    assert "Hallo Annie" not in page
    assert "Inloggen" in page
    assert grave.get("/profiel").status_code == 302


def test_session_cookie_is_host_only(client_for, make_user):
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    response = sign_in(cuijk, annie)
    # (The language cookie is for the whole platform: buurtplatform.i18n.)
    (set_cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "Domain=" not in set_cookie
    assert "HttpOnly" in set_cookie


def test_memberships_are_per_municipality(app, make_user):
    annie = make_user("cuijk", Role.CONNECTOR)
    with app.app_context():
        grave = tenant_by_slug("grave")
        with tenant_context(grave):
            assert (
                db.session.scalars(
                    sa.select(Membership).where(Membership.user_id == annie.id)
                ).all()
                == []
            )
        assert g.get("tenant") is None
