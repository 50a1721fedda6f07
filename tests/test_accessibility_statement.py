"""The toegankelijkheidsverklaring of each municipality: the standard, the date of the last check
(or that there was none yet), what does not work, and how to report a problem; kept by its
connectors in Beheer."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from buurtplatform.accounts.models import Role
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.extensions import db
from tenants.scoping import tenant_context
from tests.helpers import sign_in, tenant_by_slug

PAGE = "/toegankelijkheid"
SETTINGS = "/beheer/instellingen/toegankelijkheid"
DUTCH = {"Accept-Language": "nl"}


def text_of(client, path: str = PAGE) -> str:
    response = client.get(path, headers=DUTCH)
    assert response.status_code == 200
    return response.get_data(True)


def test_a_municipality_that_never_checked_says_so_and_names_no_date(client_for):
    page = text_of(client_for("cuijk"))
    assert "<h1>Toegankelijkheidsverklaring</h1>" in page
    assert "WCAG 2.1, niveau AA" in page
    assert "De site is nog niet getest." in page
    assert "voor het laatst getest op" not in page
    assert "axe-core" in page and "alleen een toetsenbord" in page and "grotere letters" in page


def test_the_page_tells_how_to_report_a_problem(app, client_for):
    with app.app_context():
        cuijk = tenant_by_slug("cuijk")
        cuijk.help_contact_name, cuijk.help_phone = "Wendy", "0485 123 456"
        db.session.commit()
    page = text_of(client_for("cuijk"))
    assert "Bel Wendy:" in page
    assert 'href="tel:0485123456"' in page
    assert '<a href="/bel-mij-terug">Of laat je nummer achter: we bellen je terug</a>' in page


def test_a_connector_sets_the_date_and_the_known_problems(app, client_for, make_user):
    henk = client_for("cuijk")
    sign_in(henk, make_user("cuijk", Role.CONNECTOR, first_name="Henk"))
    assert "Datum van de laatste test" in text_of(henk, SETTINGS)
    response = henk.post(
        SETTINGS,
        data={
            "accessibility_checked_on": "2026-11-20",
            "accessibility_known_problems": "De kaart met dorpen werkt niet met een toetsenbord.",
        },
    )
    assert response.status_code == 302
    page = text_of(client_for("cuijk"))
    assert "We hebben de site voor het laatst getest op 20 november 2026." in page
    assert "De site voldoet voor een deel aan de regels." in page
    assert "De kaart met dorpen werkt niet met een toetsenbord." in page
    # Grave keeps its own statement.
    assert "De site is nog niet getest." in text_of(client_for("grave"))
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert tenant_by_slug("cuijk").accessibility_checked_on == date(2026, 11, 20)
        (entry,) = db.session.scalars(sa.select(AuditEntry)).all()
    assert entry.action == "settings.accessibility_changed"


def test_a_check_without_known_problems_says_the_site_meets_the_rules(app, client_for):
    with app.app_context():
        tenant_by_slug("grave").accessibility_checked_on = date(2026, 10, 1)
        db.session.commit()
    page = text_of(client_for("grave"))
    assert "getest op 1 oktober 2026" in page
    assert "Voor zover we weten, voldoet de site aan de regels." in page


def test_a_date_that_is_not_a_date_is_refused(app, client_for, make_user):
    henk = client_for("cuijk")
    sign_in(henk, make_user("cuijk", Role.CONNECTOR))
    response = henk.post(SETTINGS, data={"accessibility_checked_on": "gisteren"})
    assert response.status_code == 200
    with app.app_context():
        assert tenant_by_slug("cuijk").accessibility_checked_on is None


def test_every_municipality_page_links_to_the_statement_in_the_footer(client_for):
    for path in ("/", "/privacy", "/vraag-en-aanbod"):
        page = text_of(client_for("grave"), path)
        footer = page.split('<footer class="site-footer">')[1]
        assert f'<a href="{PAGE}">Toegankelijkheid</a>' in footer
