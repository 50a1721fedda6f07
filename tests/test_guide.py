"""The guide for new buurtverbinders: it ticks off what was done in this municipality only."""

from __future__ import annotations

import re

from buurtplatform.accounts.models import Role
from buurtplatform.beheer.audit import ACTIONS, record
from buurtplatform.beheer.guide import STEPS
from buurtplatform.extensions import db
from tenants.scoping import tenant_context
from tests.helpers import sign_in, tenant_by_slug


def _done(page: str) -> int:
    return int(re.search(r"(\d+) van de 5 stappen gedaan", page).group(1))


def test_every_step_counts_actions_that_exist(app):
    """Views register their actions when the app is made."""
    for step in STEPS:
        for action in step.actions:
            assert action in ACTIONS or any(a.startswith(action) for a in ACTIONS), action


def test_the_guide_ticks_off_the_steps_as_the_connector_takes_them(app, client_for, make_user):
    henk = make_user("cuijk", Role.CONNECTOR, first_name="Henk")
    client = client_for("cuijk")
    sign_in(client, henk)
    page = client.get("/beheer/aan-de-slag").get_data(as_text=True)
    assert _done(page) == 0
    assert "Nog te doen" in page and "Bel " in page
    assert "Nieuw als buurtverbinder? Begin hier" in client.get("/beheer/").get_data(as_text=True)

    # The welcome text, through the real form.
    client.post(
        "/beheer/instellingen/teksten",
        data={
            "site_name": "Samen Cuijk",
            "welcome_text": "Welkom in Cuijk. Hier helpen buren elkaar.",
        },
    )
    # The lists: nothing to change, so the connector says they are right.
    client.post("/beheer/aan-de-slag/lijsten-kloppen")
    page = client.get("/beheer/aan-de-slag").get_data(as_text=True)
    assert _done(page) == 2
    assert "Dank je. De stap is afgevinkt." in page

    # One organisation is not yet two; news and the figures follow.
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        record("directory.organisation_invited", "Zonnebloem", actor_id=henk.id)
        db.session.commit()
    page = client.get("/beheer/aan-de-slag").get_data(as_text=True)
    assert _done(page) == 2 and "1 van de 2 gedaan." in page
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        record("directory.organisation_invited", "KBO", actor_id=henk.id)
        record("community.news_published", "Koffieochtend", actor_id=henk.id)
        db.session.commit()
    assert client.get("/cijfers").status_code == 200
    page = client.get("/beheer/aan-de-slag").get_data(as_text=True)
    assert _done(page) == 5
    assert "Je site staat klaar" in page
    assert "Begin hier" not in client.get("/beheer/").get_data(as_text=True)


def test_another_municipalitys_progress_does_not_count(app, client_for, make_user):
    with app.app_context(), tenant_context(tenant_by_slug("grave")):
        for action in ("settings.texts_changed", "guide.lists_checked", "guide.figures_seen"):
            record(action, "", actor_id=None)
        db.session.commit()
    client = client_for("cuijk")
    sign_in(client, make_user("cuijk", Role.CONNECTOR))
    assert _done(client.get("/beheer/aan-de-slag").get_data(as_text=True)) == 0


def test_a_coordinator_looking_at_the_figures_does_not_tick_the_connectors_step(
    client_for, make_user
):
    client = client_for("cuijk")
    sign_in(client, make_user("cuijk", Role.COORDINATOR))
    assert client.get("/cijfers").status_code == 200
    connector = client_for("cuijk")
    sign_in(connector, make_user("cuijk", Role.CONNECTOR))
    assert _done(connector.get("/beheer/aan-de-slag").get_data(as_text=True)) == 0
