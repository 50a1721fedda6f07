"""Visits counted without cookies: one person once per day per site, no IP address or user
agent kept, only daily numbers once a day is over."""

from __future__ import annotations

import contextlib
import threading
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from buurtplatform.extensions import db
from buurtplatform.figures import visits as visits_module
from buurtplatform.figures.definitions import FIGURES, By
from buurtplatform.figures.periods import Span, month_of, week_of
from buurtplatform.figures.visits import DailyVisits, VisitSalt, VisitTrace
from buurtplatform.timestamps import utcnow
from jobs.periods import local_midnight
from jobs.schedule import municipality_sweep
from tenants.scoping import ALL_TENANTS, tenant_context
from tests.conftest import HostClient
from tests.helpers import DOMAIN, tenant_by_slug
from tests.listing_helpers import counting_queries

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Version/18.1 Mobile Safari/604.1"
ANNIE = "203.0.113.17"
BOB = "198.51.100.42"
PAGES = ("/", "/privacy", "/over-ons", "/huisregels", "/nieuws")
# A Wednesday, at ten in the morning in Europe/Amsterdam.
WEDNESDAY = date(2026, 11, 18)
MORNING = local_midnight(WEDNESDAY) + timedelta(hours=10)


def visit(client, path: str = "/", address: str = ANNIE, agent: str = FIREFOX, **kwargs):
    return client.get(
        path, headers={"User-Agent": agent}, environ_base={"REMOTE_ADDR": address}, **kwargs
    )


def counted(app, slug: str = "cuijk", day: date = WEDNESDAY) -> int:
    """The figure for the week of `day`, as the figures pages read it."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        span = week_of(day)
        return FIGURES["visits"].count([span], By.VILLAGE)[span.key][None]


def rows(app, model: type, *names: str) -> list[tuple]:
    """The rows of `model` in every municipality: the named columns (default: all)."""
    with app.app_context():
        columns = [getattr(model, name) for name in names] or sa.inspect(model).columns
        statement = sa.select(*columns).execution_options(**ALL_TENANTS)
        return [tuple(row) for row in db.session.execute(statement)]


def sweep(app, moment: datetime) -> None:
    with time_machine.travel(moment, tick=False), app.app_context():
        for slug in ("cuijk", "grave"):
            municipality_sweep(tenant_by_slug(slug).id, moment.timestamp())


@pytest.fixture
def at_morning():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


def test_one_person_on_five_pages_counts_once_and_gets_no_cookie(app, client_for, at_morning):
    client = client_for("cuijk")
    for path in PAGES:
        response = visit(client, path)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, path
    assert counted(app) == 1
    assert len(rows(app, VisitTrace)) == 1
    privacy = visit(client, "/privacy").get_data(as_text=True)
    assert "Je internetadres zelf bewaren we niet." in privacy


def test_a_repeated_page_costs_no_write(app, client_for, at_morning):
    client = client_for("cuijk")
    visit(client, "/")
    with counting_queries(app) as statements:
        visit(client, "/privacy")
    assert not [s for s in statements if "visit_" in s]


def test_two_app_servers_count_one_person_once(make_app, at_morning):
    """Each server makes the day's salt if it finds none; both use the one that was kept."""
    servers = [make_app(), make_app()]
    clients = []
    for server in servers:
        server.test_client_class = HostClient
        clients.append(server.test_client())
        clients[-1].host = f"cuijk.{DOMAIN}"
    for client in clients + clients:
        assert visit(client, "/").status_code == 200
    assert counted(servers[0]) == 1
    assert len(rows(servers[1], VisitSalt)) == 1


def test_other_browsers_and_addresses_count_apart(app, client_for, at_morning):
    client = client_for("cuijk")
    visit(client, "/", ANNIE, FIREFOX)
    visit(client, "/", ANNIE, SAFARI)
    visit(client, "/", BOB, FIREFOX)
    visit(client, "/nieuws", BOB, FIREFOX)
    assert counted(app) == 3


def test_the_next_local_day_counts_again(app, client_for, at_morning):
    client = client_for("cuijk")
    visit(client, "/")
    # 23:30 on Wednesday is still Wednesday in Amsterdam (22:30 UTC).
    at_morning.move_to(local_midnight(WEDNESDAY) + timedelta(hours=23, minutes=30))
    visit(client, "/privacy")
    assert counted(app) == 1
    at_morning.move_to(local_midnight(WEDNESDAY + timedelta(days=1)) + timedelta(minutes=5))
    visit(client, "/privacy")
    assert counted(app) == 2
    days = sorted(day for (day,) in rows(app, VisitTrace, "day"))
    assert days == [WEDNESDAY, WEDNESDAY + timedelta(days=1)]


def test_each_municipality_counts_its_own_visits(app, client_for, at_morning):
    visit(client_for("cuijk"), "/")
    visit(client_for("cuijk"), "/", BOB)
    visit(client_for("grave"), "/")
    assert counted(app, "cuijk") == 2
    assert counted(app, "grave") == 1
    assert counted(app, "mill") == 0
    with app.app_context():
        cuijk, grave = tenant_by_slug("cuijk").id, tenant_by_slug("grave").id
        span = week_of(WEDNESDAY)
        # Another municipality's figures show nothing of Cuijk's (the scoping, not a filter).
        with tenant_context(tenant_by_slug("grave")):
            assert FIGURES["visits"].count([span], By.VILLAGE)[span.key] == {None: 1}
        across = FIGURES["visits"].count([span], By.MUNICIPALITY)[span.key]
    assert across == {cuijk: 2, grave: 1, None: 3}


def test_no_table_keeps_an_address_or_a_user_agent(app, client_for, at_morning):
    for address in (ANNIE, BOB):
        for agent in (FIREFOX, SAFARI):
            visit(client_for("cuijk"), "/", address, agent)
            visit(client_for("grave"), "/privacy", address, agent)
    assert counted(app) == 4
    secrets = [ANNIE, BOB, FIREFOX, SAFARI, "Firefox", "Safari", "203.0.113"]
    found = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            statement = sa.select(table).execution_options(**ALL_TENANTS)
            for row in db.session.execute(statement):
                for value in row:
                    text = (
                        value.decode("latin-1")
                        if isinstance(value, bytes)
                        else value
                        if isinstance(value, str)
                        else ""
                    )
                    found += [(table.name, s) for s in secrets if s in text]
    assert found == []


def test_the_sweep_keeps_only_daily_numbers_and_can_run_twice(app, client_for, at_morning):
    for address in (ANNIE, BOB):
        visit(client_for("cuijk"), "/", address)
    visit(client_for("grave"), "/")
    thursday = WEDNESDAY + timedelta(days=1)
    at_morning.move_to(local_midnight(thursday) + timedelta(minutes=10))
    visit(client_for("cuijk"), "/")  # Thursday's visit stays a trace until Thursday is over
    sweep(app, local_midnight(thursday) + timedelta(minutes=15))
    with app.app_context():
        cuijk, grave = tenant_by_slug("cuijk").id, tenant_by_slug("grave").id
    daily = sorted(rows(app, DailyVisits, "tenant_id", "day", "visits"))
    assert daily == [(cuijk, WEDNESDAY, 2), (grave, WEDNESDAY, 1)]
    assert rows(app, VisitTrace, "tenant_id", "day") == [(cuijk, thursday)]
    assert rows(app, VisitSalt, "day") == [(thursday,)]
    assert counted(app, "cuijk") == 3  # Wednesday's 2 and Thursday's 1: the same week
    sweep(app, local_midnight(thursday) + timedelta(minutes=20))
    assert sorted(rows(app, DailyVisits, "tenant_id", "day", "visits")) == daily
    assert counted(app, "cuijk") == 3


def test_two_sweeps_at_once_fold_each_trace_once(app, client_for, at_morning, monkeypatch):
    """The first sweep deletes the traces and then waits; the second one's DELETE waits for
    the first's locks (PostgreSQL) or its write (SQLite) and then finds nothing to add."""
    visit(client_for("cuijk"), "/")
    visit(client_for("cuijk"), "/", BOB)
    at_morning.move_to(local_midnight(WEDNESDAY + timedelta(days=1)) + timedelta(minutes=5))
    both_deleted = threading.Barrier(2)
    insert = visits_module._insert

    def deleted_then_wait(model: type) -> sa.Insert:
        if model is DailyVisits:
            with contextlib.suppress(threading.BrokenBarrierError):
                both_deleted.wait(timeout=1)
        return insert(model)

    monkeypatch.setattr(visits_module, "_insert", deleted_then_wait)

    def fold() -> None:
        with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
            db.session.commit()  # the sweep's earlier work is committed before it folds
            visits_module.fold_visits(utcnow())

    outcomes = []
    threads = [threading.Thread(target=lambda: outcomes.append(catching(fold))) for _ in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert None in outcomes, outcomes
    assert rows(app, DailyVisits, "day", "visits") == [(WEDNESDAY, 2)]
    assert rows(app, VisitTrace) == []


def catching(call) -> Exception | None:
    try:
        call()
    except Exception as error:  # SQLite may refuse the second writer: nothing is lost
        return error
    return None


def test_a_trace_written_late_for_a_finished_day_is_added(app, client_for, at_morning):
    visit(client_for("cuijk"), "/")
    thursday = WEDNESDAY + timedelta(days=1)
    sweep(app, local_midnight(thursday) + timedelta(minutes=5))
    # A request that began at 23:59:59 on Wednesday, written after the sweep.
    with app.app_context(), app.test_request_context():
        visits_module.note_visit(app, tenant_by_slug("cuijk").id, BOB, FIREFOX, WEDNESDAY)
    sweep(app, local_midnight(thursday) + timedelta(minutes=10))
    assert rows(app, DailyVisits, "day", "visits") == [(WEDNESDAY, 2)]
    assert rows(app, VisitTrace) == []


def test_robots_files_errors_and_forms_are_not_visits(app, client_for, at_morning):
    cuijk = client_for("cuijk")
    for agent in ("Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0", ""):
        assert visit(cuijk, "/", agent=agent).status_code == 200
    assert visit(cuijk, "/static/css/site.css").status_code == 200
    assert visit(cuijk, "/thema.css").status_code == 200
    assert visit(cuijk, "/agenda.ics").status_code == 200
    assert visit(cuijk, "/bestaat-niet").status_code == 404
    assert cuijk.head("/", environ_base={"REMOTE_ADDR": ANNIE}).status_code == 200
    cuijk.post("/inloggen", data={"email": "a@example.org", "password": "x"})
    assert visit(client_for(None), "/").status_code == 200  # the portal
    assert rows(app, VisitTrace) == []
    visit(cuijk, "/")
    assert counted(app) == 1


def test_a_database_that_refuses_does_not_break_the_page(app, client_for, at_morning, monkeypatch):
    def refuse(day):
        raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(visits_module, "_salt_of", refuse)
    response = visit(client_for("cuijk"), "/")
    assert response.status_code == 200
    assert b"</html>" in response.data
    assert rows(app, VisitTrace) == []


def test_the_figure_sums_finished_days_and_today(app, client_for, at_morning):
    with app.app_context():
        cuijk, grave = tenant_by_slug("cuijk").id, tenant_by_slug("grave").id
        monday = week_of(WEDNESDAY).first
        for slug, day, number in (
            ("cuijk", monday - timedelta(days=1), 100),  # Sunday: the week before
            ("cuijk", monday, 5),
            ("cuijk", monday + timedelta(days=1), 7),
            ("grave", monday, 11),
        ):
            with tenant_context(tenant_by_slug(slug)):
                db.session.add(DailyVisits(day=day, visits=number))
                db.session.commit()
    visit(client_for("cuijk"), "/")
    visit(client_for("cuijk"), "/", BOB)
    week, before = week_of(WEDNESDAY), week_of(monday - timedelta(days=1))
    month = month_of(WEDNESDAY)
    today = Span(WEDNESDAY, WEDNESDAY)
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        counts = FIGURES["visits"].count([before, week, today], By.VILLAGE)
        assert counts == {before.key: {None: 100}, week.key: {None: 14}, today.key: {None: 2}}
        assert FIGURES["visits"].count([month], By.VILLAGE)[month.key] == {None: 114}
    with app.app_context():
        across = FIGURES["visits"].count([week], By.MUNICIPALITY)[week.key]
    assert across == {cuijk: 14, grave: 11, None: 25}
    assert FIGURES["visits"].per_village is False
