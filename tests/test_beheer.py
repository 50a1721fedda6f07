"""The Beheer start page and the audit log: who reaches them, and what the log shows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from buurtplatform.accounts.models import Role
from buurtplatform.beheer.audit import ACTIONS, record
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.extensions import db
from tenants.scoping import ALL_TENANTS, tenant_context
from tests.helpers import sign_in, tenant_by_slug


@pytest.fixture
def logged(monkeypatch):
    """Two registered test actions, and a way to log one in a municipality at a moment."""
    monkeypatch.setitem(ACTIONS, "settings.tested", "Tested the settings")
    monkeypatch.setitem(ACTIONS, "members.tested", "Tested a member")

    def log(slug: str, action: str, subject: str, actor_id: int | None = None, **when):
        with tenant_context(tenant_by_slug(slug)):
            entry = record(action, subject, reason="omdat het moest", actor_id=actor_id)
            if when:
                entry.created_at = datetime(**when).astimezone()
            db.session.commit()

    return log


def test_connectors_find_beheer_in_their_menu_and_residents_do_not(client_for, make_user):
    for role, shown in ((Role.CONNECTOR, True), (Role.RESIDENT, False), (Role.COORDINATOR, False)):
        client = client_for("cuijk")
        sign_in(client, make_user("cuijk", role))
        assert ('href="/beheer/"' in client.get("/").get_data(as_text=True)) is shown, role


def test_a_platform_admin_runs_any_municipality_without_being_a_member(client_for, make_user):
    admin = make_user(None, admin=True)
    client = client_for("grave")
    sign_in(client, admin)
    page = client.get("/beheer/")
    assert page.status_code == 200
    assert "Beheer van Samen Grave" in page.get_data(as_text=True)
    assert client.get("/beheer/logboek").status_code == 200


def test_the_start_page_lists_the_tools(client_for, make_user):
    client = client_for("cuijk")
    sign_in(client, make_user("cuijk", Role.CONNECTOR))
    page = client.get("/beheer/").get_data(as_text=True)
    assert 'href="/beheer/logboek"' in page
    assert "Logboek" in page


def test_the_log_shows_this_municipality_only_newest_first(app, client_for, make_user, logged):
    henk = make_user("cuijk", Role.CONNECTOR, first_name="Henk")
    with app.app_context():
        logged("cuijk", "settings.tested", "Eerste", henk.id, year=2026, month=11, day=2)
        logged("cuijk", "members.tested", "Tweede", henk.id, year=2026, month=11, day=3)
        logged("grave", "settings.tested", "Van Grave", None)
    client = client_for("cuijk")
    sign_in(client, henk)
    page = client.get("/beheer/logboek").get_data(as_text=True)
    assert "Van Grave" not in page
    assert page.index("Tweede") < page.index("Eerste")
    assert "Henk" in page and "omdat het moest" in page
    assert "2 acties" in page


def test_the_log_filters_by_area_person_and_dates(app, client_for, make_user, logged):
    henk = make_user("cuijk", Role.CONNECTOR, first_name="Henk")
    ria = make_user("cuijk", Role.CONNECTOR, first_name="Ria")
    with app.app_context():
        logged("cuijk", "settings.tested", "Kleur", henk.id, year=2026, month=11, day=2, hour=12)
        logged("cuijk", "members.tested", "Rol", ria.id, year=2026, month=11, day=9, hour=12)
        logged("cuijk", "settings.tested", "Automatisch", None, year=2026, month=11, day=9)
    client = client_for("cuijk")
    sign_in(client, henk)

    def shown(**query) -> set[str]:
        page = client.get("/beheer/logboek", query_string=query).get_data(as_text=True)
        return {subject for subject in ("Kleur", "Rol", "Automatisch") if subject in page}

    assert shown() == {"Kleur", "Rol", "Automatisch"}
    assert shown(area="settings") == {"Kleur", "Automatisch"}
    assert shown(actor=ria.id) == {"Rol"}
    assert shown(since="2026-11-09") == {"Rol", "Automatisch"}
    assert shown(until="2026-11-02") == {"Kleur"}
    assert shown(area="nonsense") == {"Kleur", "Rol", "Automatisch"}  # an unknown filter is ignored
    page = client.get("/beheer/logboek", query_string={"area": "members", "since": "2027-01-01"})
    assert "Niets in het logboek met deze filters." in page.get_data(as_text=True)


def test_the_days_are_local_days(app, client_for, make_user, logged):
    """23:30 in Cuijk on 9 November is 22:30 UTC: it belongs to the 9th, not to the 10th; and
    midnight is Amsterdam's of today (+01:00), not of 1892 (+00:18)."""
    henk = make_user("cuijk", Role.CONNECTOR)
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        entry = record("settings.tested", "Laat op de avond", actor_id=henk.id)
        entry.created_at = datetime.fromisoformat("2026-11-09T22:30:00+00:00")
        db.session.commit()
    client = client_for("cuijk")
    sign_in(client, henk)
    on_the_ninth = client.get("/beheer/logboek?since=2026-11-09&until=2026-11-09")
    assert "Laat op de avond" in on_the_ninth.get_data(as_text=True)
    on_the_tenth = client.get("/beheer/logboek?since=2026-11-10")
    assert "Laat op de avond" not in on_the_tenth.get_data(as_text=True)
    # 00:10 in Cuijk on the 10th (23:10 UTC on the 9th) belongs to the 10th.
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        entry = record("settings.tested", "Net na middernacht", actor_id=henk.id)
        entry.created_at = datetime.fromisoformat("2026-11-09T23:10:00+00:00")
        db.session.commit()
    on_the_tenth = client.get("/beheer/logboek?since=2026-11-10").get_data(as_text=True)
    assert "Net na middernacht" in on_the_tenth


def test_only_registered_actions_are_logged(app, ctx):
    with tenant_context(tenant_by_slug("cuijk")), pytest.raises(ValueError):
        record("settings.made_up", "x")


def test_an_entry_belongs_to_the_municipality_it_was_made_in(app, ctx, logged):
    logged("grave", "settings.tested", "In Grave")
    entries = db.session.scalars(sa.select(AuditEntry).execution_options(**ALL_TENANTS)).all()
    assert [e.tenant_id for e in entries] == [tenant_by_slug("grave").id]
    assert entries[0].created_at > datetime.now().astimezone() - timedelta(minutes=1)
