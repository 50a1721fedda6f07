"""Bel mij terug: a request without an account, its whole life (new, claimed, closed, phone
number gone), the reminder when nobody claims it, and the protection against abuse."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import redis
import sqlalchemy as sa

from buurtplatform.accounts.models import Role
from buurtplatform.callbacks.models import CallbackRequest, Outcome
from buurtplatform.callbacks.services import one_working_day_after, remind_unclaimed
from buurtplatform.extensions import db, limiter
from buurtplatform.figures.definitions import FIGURES, By
from buurtplatform.figures.periods import week_of
from buurtplatform.mail.models import Email
from jobs import enqueue
from jobs.periods import local_day
from jobs.schedule import municipality_sweep
from tenants.scoping import ALL_TENANTS, tenant_context
from tests import test_mail_delivery
from tests.conftest import REDIS_URL
from tests.helpers import all_emails, run_worker, sign_in, tenant_by_slug
from tests.test_activities import db_is_postgres
from tests.test_mail_delivery import start_worker

FORM = "/bel-mij-terug"
TASKS = "/werkbank/terugbellen"


def _started(client) -> str:
    page = client.get(FORM).get_data(as_text=True)
    return re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)


def _ask_for_a_call(client, **fields) -> object:
    data = {
        "first_name": "Truus",
        "phone": "0485 12 34 56",
        "village": "0",
        "about": "Hulp bij boodschappen",
        "consent": "y",
        "started": _started(client),
    }
    data.update(fields)
    return client.post(FORM, data=data)


def _requests(app) -> list[CallbackRequest]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(CallbackRequest).execution_options(**ALL_TENANTS).order_by("id")
            )
        )


def test_a_request_without_an_account_reaches_every_coordinator_at_once(
    app, client_for, make_user, outbox
):
    ria = make_user("cuijk", Role.COORDINATOR, first_name="Ria")
    make_user("grave", Role.COORDINATOR, first_name="Gerda")
    visitor = client_for("cuijk")
    assert "Liever teruggebeld worden?" in visitor.get("/").get_data(as_text=True)
    sent = _ask_for_a_call(visitor)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/bel-mij-terug/verstuurd")
    thanks = visitor.get(sent.headers["Location"]).get_data(as_text=True)
    assert "We bellen je terug" in thanks and "uiterlijk op" in thanks
    [request] = _requests(app)
    assert (request.first_name, request.phone) == ("Truus", "0485123456")
    [mail] = [m for m in outbox() if "Graag terugbellen" in m.subject]
    assert mail.recipient == ria.email
    assert "12 34 56" not in mail.text and "123456" not in mail.text  # the number stays on the site
    assert "Truus" in mail.text


def test_the_form_refuses_a_number_that_cannot_be_called_and_keeps_what_was_typed(app, client_for):
    visitor = client_for("cuijk")
    for wrong in ("12345", "0485 12 34", "+31 6 123", "bel me maar"):
        page = _ask_for_a_call(visitor, phone=wrong, first_name="Kees").get_data(as_text=True)
        assert "Schrijf een Nederlands telefoonnummer van 10 cijfers" in page, wrong
        assert 'value="Kees"' in page and "Hulp bij boodschappen" in page
    for right in ("06-12345678", "+31 6 1234 5678", "0031 485 123 456", "+32 470 12 34 56"):
        assert _ask_for_a_call(visitor, phone=right).status_code == 302, right
    assert [r.phone for r in _requests(app)] == [
        "0612345678",
        "0612345678",
        "0485123456",
        "+32470123456",
    ]


def test_without_consent_nothing_is_recorded(app, client_for):
    page = _ask_for_a_call(client_for("cuijk"), consent="").get_data(as_text=True)
    assert "Zet een vinkje" in page
    assert _requests(app) == []


def test_a_double_submit_records_one_request_and_one_email(app, client_for, make_user, outbox):
    make_user("cuijk", Role.COORDINATOR)
    visitor = client_for("cuijk")
    started = _started(visitor)
    for _ in range(2):
        assert _ask_for_a_call(visitor, started=started).status_code == 302
    assert len(_requests(app)) == 1
    assert len([m for m in outbox() if "Graag terugbellen" in m.subject]) == 1


def test_robots_fill_in_the_hidden_field_and_are_told_nothing(app, client_for):
    response = _ask_for_a_call(client_for("cuijk"), website="http://spam.example")
    assert response.status_code == 302
    assert _requests(app) == []


def test_a_form_sent_faster_than_a_person_can_is_shown_again(make_app, client_for):
    app = make_app(CALLBACK_MIN_SECONDS=60)
    client = app.test_client()
    host = {"base_url": "http://cuijk.buurt.test"}
    page = client.get(FORM, **host).get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)
    data = {"first_name": "Truus", "phone": "0485123456", "village": "0", "consent": "y"}
    again = client.post(FORM, data={**data, "started": started}, **host).get_data(as_text=True)
    assert "Dat ging heel snel" in again and 'value="Truus"' in again
    assert _requests(app) == []


def test_the_task_is_claimed_by_one_coordinator_and_closed_without_a_phone_number(
    app, client_for, make_user
):
    ria = make_user("cuijk", Role.COORDINATOR, first_name="Ria")
    piet = make_user("cuijk", Role.COORDINATOR, first_name="Piet")
    henk = make_user("cuijk", Role.CONNECTOR, first_name="Henk")
    _ask_for_a_call(client_for("cuijk"))
    [request] = _requests(app)
    first, second, connector = client_for("cuijk"), client_for("cuijk"), client_for("cuijk")
    sign_in(first, ria), sign_in(second, piet), sign_in(connector, henk)

    page = first.get(TASKS).get_data(as_text=True)
    assert "Truus" in page and "0485123456" not in page  # the number shows after claiming
    first.post(f"{TASKS}/{request.id}/oppakken")
    assert "0485123456" in first.get(TASKS).get_data(as_text=True)
    second.post(f"{TASKS}/{request.id}/oppakken")
    page = second.get(TASKS).get_data(as_text=True)
    assert "Iemand anders belt Truus al terug" in page and "Ria belt terug" in page
    assert "0485123456" not in page
    connector_page = connector.get(TASKS).get_data(as_text=True)
    assert "Truus" in connector_page and "0485123456" not in connector_page
    assert connector.post(f"{TASKS}/{request.id}/oppakken").status_code == 403
    assert (
        second.post(
            f"{TASKS}/{request.id}/afronden",
            data={"outcome": "helped_by_phone", "organisation": "0"},
        ).status_code
        == 403
    )

    # "Not reached" only after three tries.
    first.post(
        f"{TASKS}/{request.id}/afronden", data={"outcome": "not_reached", "organisation": "0"}
    )
    assert _requests(app)[0].closed_at is None
    for _ in range(3):
        first.post(f"{TASKS}/{request.id}/niet-bereikt")
    first.post(
        f"{TASKS}/{request.id}/afronden", data={"outcome": "not_reached", "organisation": "0"}
    )
    [closed] = _requests(app)
    assert closed.outcome == Outcome.NOT_REACHED and closed.tries == 3
    assert closed.phone is None and closed.about is None
    page = first.get(TASKS).get_data(as_text=True)
    assert "Na drie keer proberen niet bereikt" in page and "0485123456" not in page
    with app.app_context():
        dump = " ".join(
            str(value)
            for row in db.session.execute(sa.text("SELECT * FROM callback_requests"))
            for value in row
        )
    assert "0485123456" not in dump


def test_another_municipality_never_sees_the_request(app, client_for, make_user):
    _ask_for_a_call(client_for("cuijk"))
    [request] = _requests(app)
    gerda = client_for("grave")
    sign_in(gerda, make_user("grave", Role.COORDINATOR, first_name="Gerda"))
    assert "Truus" not in gerda.get(TASKS).get_data(as_text=True)
    assert gerda.post(f"{TASKS}/{request.id}/oppakken").status_code == 404


@pytest.mark.parametrize(
    ("left_at", "due"),
    [
        # Tuesday 10:00 in winter -> Wednesday 10:00.
        (datetime(2026, 11, 24, 9, tzinfo=UTC), datetime(2026, 11, 25, 9, tzinfo=UTC)),
        # Friday 15:00 -> Monday 15:00.
        (datetime(2026, 11, 27, 14, tzinfo=UTC), datetime(2026, 11, 30, 14, tzinfo=UTC)),
        # Saturday -> the working day starts on Monday at midnight: Tuesday 00:00.
        (datetime(2026, 11, 28, 11, tzinfo=UTC), datetime(2026, 11, 30, 23, tzinfo=UTC)),
        # Friday 27 March 2027 14:00 (winter time) -> Monday 30 March 14:00 (summer time).
        (datetime(2027, 3, 26, 13, tzinfo=UTC), datetime(2027, 3, 29, 12, tzinfo=UTC)),
    ],
)
def test_one_working_day_in_local_time(left_at, due):
    assert one_working_day_after(left_at) == due


def test_a_request_nobody_claimed_reminds_coordinators_and_connectors_once(
    app, client_for, make_user, outbox
):
    make_user("cuijk", Role.COORDINATOR, first_name="Ria")
    make_user("cuijk", Role.CONNECTOR, first_name="Henk")
    _ask_for_a_call(client_for("cuijk"))
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        request = db.session.scalar(sa.select(CallbackRequest))
        request.created_at = datetime(2026, 11, 27, 14, tzinfo=UTC)  # a Friday afternoon
        db.session.commit()
        assert remind_unclaimed(datetime(2026, 11, 30, 13, tzinfo=UTC)) == 0  # Monday, too soon
        assert remind_unclaimed(datetime(2026, 11, 30, 15, tzinfo=UTC)) == 1
        assert remind_unclaimed(datetime(2026, 11, 30, 16, tzinfo=UTC)) == 0
        keys = db.session.scalars(
            sa.select(Email.ledger_key).where(Email.ledger_key.like("callback_waiting:%"))
        ).all()
    assert len(keys) == 2  # the coordinator and the connector, once each
    assert len([m for m in outbox() if "Wacht nog op een telefoontje" in m.subject]) == 2


def test_a_claimed_request_sends_no_reminder(app, client_for, make_user):
    ria = make_user("cuijk", Role.COORDINATOR, first_name="Ria")
    _ask_for_a_call(client_for("cuijk"))
    coordinator = client_for("cuijk")
    sign_in(coordinator, ria)
    coordinator.post(f"{TASKS}/{_requests(app)[0].id}/oppakken")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert remind_unclaimed(datetime.now(UTC) + timedelta(days=5)) == 0


@pytest.mark.redis
def test_a_burst_from_one_address_is_refused_while_another_address_gets_through(make_app):
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    app = make_app(RATELIMIT_ENABLED=True, REDIS_URL=REDIS_URL)
    limiter._storage_dead = False
    client = app.test_client()
    host = {"base_url": "http://cuijk.buurt.test"}
    data = {"first_name": "Truus", "phone": "0485123456", "village": "0", "consent": "y"}
    statuses = []
    for _ in range(100):
        page = client.get(FORM, environ_base={"REMOTE_ADDR": "192.0.2.1"}, **host)
        started = re.search(
            r'name="started" type="hidden" value="([^"]+)"', page.get_data(as_text=True)
        ).group(1)
        statuses.append(
            client.post(
                FORM,
                data={**data, "started": started},
                environ_base={"REMOTE_ADDR": "192.0.2.1"},
                **host,
            ).status_code
        )
    assert statuses[:5] == [302] * 5
    assert set(statuses[5:]) == {429}
    other = client.get(FORM, environ_base={"REMOTE_ADDR": "198.51.100.7"}, **host)
    started = re.search(
        r'name="started" type="hidden" value="([^"]+)"', other.get_data(as_text=True)
    ).group(1)
    assert (
        client.post(
            FORM,
            data={**data, "started": started},
            environ_base={"REMOTE_ADDR": "198.51.100.7"},
            **host,
        ).status_code
        == 302
    )
    assert len(_requests(app)) == 6
    connection.flushdb()


def test_a_closed_request_still_counts_in_the_figures(app, client_for, make_user):
    ria = make_user("cuijk", Role.COORDINATOR, first_name="Ria")
    _ask_for_a_call(client_for("cuijk"))
    _ask_for_a_call(client_for("grave"))
    coordinator = client_for("cuijk")
    sign_in(coordinator, ria)
    request_id = _requests(app)[0].id
    coordinator.post(f"{TASKS}/{request_id}/oppakken")
    coordinator.post(
        f"{TASKS}/{request_id}/afronden", data={"outcome": "helped_by_phone", "organisation": "0"}
    )
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        this_week = week_of(local_day(datetime.now(UTC)))
        counts = FIGURES["callbacks"].count([this_week], By.VILLAGE)
    assert counts[this_week.key][None] == 1


# An app on the real Redis whose mail goes to a real SMTP server.
redis_app = test_mail_delivery.redis_app


@pytest.mark.redis
def test_two_workers_running_the_sweep_at_once_remind_once(redis_app, make_user):
    app, recorder = redis_app()
    ria = make_user("cuijk", Role.COORDINATOR, first_name="Ria")
    with app.app_context():
        cuijk = tenant_by_slug("cuijk")
        with tenant_context(cuijk):
            db.session.add(
                CallbackRequest(
                    form_key="twee-workers",
                    first_name="Truus",
                    phone="0485123456",
                    created_at=datetime.now(UTC) - timedelta(days=7),
                )
            )
            db.session.commit()
        now = datetime.now(UTC).timestamp()
        for tick in ("first", "second"):
            enqueue(municipality_sweep, cuijk.id, now, job_id=f"sweep-{tick}")
    workers = [start_worker(app), start_worker(app)]
    for worker in workers:
        assert worker.wait(timeout=60) == 0
    run_worker(app)  # whatever a worker left in the queue (the email's delivery)
    recorded = [e for e in all_emails(app) if e.kind == "callback_waiting"]
    assert [e.recipient for e in recorded] == [ria.email]
    reminders = [m for m in recorder.accepted if "Wacht nog op een telefoontje" in m["Subject"]]
    # SQLite may refuse one worker's write ("database is locked"): that delivery then waits
    # for its retry. PostgreSQL lets both run: one records and sends, the other finds it done.
    assert len(reminders) == 1 if db_is_postgres(app) else len(reminders) <= 1
