"""The agenda: adding activities (bad input in Dutch), the coming and past lists with filters,
signing up and cancelling with a waiting list that moves up by itself, a coordinator on
someone's behalf, the organiser's list and message, calling off, the reminder the day before,
permissions, other municipalities, and the number of queries."""

from __future__ import annotations

import contextlib
import threading
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from buurtplatform.accounts.models import Membership, Role
from buurtplatform.activities import services
from buurtplatform.activities.models import Activity, Repeat, Signup, SignupStatus
from buurtplatform.activities.occurrences import (
    fits_rule,
    from_local,
    next_occurrences,
    occurrence_on,
)
from buurtplatform.activities.reminders import send_activity_reminders
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.demo import load_demo
from buurtplatform.extensions import db
from buurtplatform.listings.models import OfflinePerson
from buurtplatform.timestamps import utcnow
from jobs import enqueue
from jobs.periods import LOCAL
from jobs.schedule import municipality_sweep
from tenants.scoping import tenant_context
from tests import test_mail_delivery
from tests.activity_helpers import (
    add_activity,
    add_many_activities,
    local_today,
    next_weekday,
    signups,
)
from tests.helpers import all_emails, run_worker, tenant_by_slug
from tests.listing_helpers import counting_queries, page, signed_in, village_ids
from tests.test_mail_delivery import start_worker


def activity_form(app, **overrides) -> dict[str, object]:
    day = next_weekday(1)
    return {
        "title": "Koffieochtend in De Schakel",
        "kind": "coffee",
        "description": "Gezellig **koffie** drinken met de buurt.",
        "day": day.isoformat(),
        "starts": "10:00",
        "ends": "11:30",
        "repeat": "none",
        "repeat_until": "",
        "village": village_ids(app)["Beers"],
        "place": "De Schakel, Kerkstraat 1",
        "cost": "gratis",
        "accessibility": "Rolstoeltoegankelijk",
        "capacity": "",
        **overrides,
    }


def activity_row(app, activity_id: int, slug: str = "cuijk") -> Activity:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        activity = db.session.get(Activity, activity_id)
        db.session.expunge(activity)
        return activity


def detail_id(response) -> int:
    assert response.status_code == 302, response.get_data(True)[:2000]
    return int(response.headers["Location"].split("/agenda/")[1].split("?")[0])


def join(client, activity_id: int, day: date):
    return client.post(f"/agenda/{activity_id}/ik-kom", data={"datum": day.isoformat()})


def leave(client, activity_id: int, day: date):
    return client.post(f"/agenda/{activity_id}/ik-kom-niet", data={"datum": day.isoformat()})


# Adding an activity


def test_a_member_puts_a_weekly_coffee_morning_in_the_agenda(app, client_for, make_user):
    annie = make_user(first_name="Annie")
    client = signed_in(client_for, annie)
    response = client.post("/agenda/nieuw", data=activity_form(app, repeat="weekly"))
    activity_id = detail_id(response)
    activity = activity_row(app, activity_id)
    assert activity.repeat == Repeat.WEEKLY
    assert activity.starts_at.astimezone(LOCAL).time() == time(10)
    assert activity.organiser_id == annie.id

    shown = page(client.get(f"/agenda/{activity_id}"))
    assert "<strong>koffie</strong>" in shown  # the description's Markdown
    assert "Annie" in shown and "De Schakel, Kerkstraat 1" in shown
    assert "Elke week op dinsdag" in shown
    agenda = page(client_for("cuijk").get("/agenda"))
    assert "Koffieochtend in De Schakel" in agenda
    assert "1 activiteit" in agenda


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends": "09:00"}, "De eindtijd moet na de begintijd zijn."),
        ({"capacity": "0"}, "Vul een aantal in van minstens 1."),
        ({"day": (date.today() - timedelta(days=3)).isoformat()}, "Deze datum is al voorbij."),
        ({"title": ""}, "Geef de activiteit een naam."),
        ({"place": ""}, "Vul in waar het is."),
        ({"starts": ""}, "Vul de begintijd in, bijvoorbeeld 10:00."),
        ({"repeat": "monthly:1", "day": next_weekday(1, date(2027, 3, 7)).isoformat()}, None),
        (
            {"repeat": "weekly", "repeat_until": next_weekday(1, date(2020, 1, 1)).isoformat()},
            "Deze datum moet na de eerste datum zijn.",
        ),
    ],
)
def test_bad_input_is_refused_in_dutch_and_the_input_is_kept(
    app, client_for, make_user, overrides, message
):
    client = signed_in(client_for, make_user())
    if message is None:  # a second Tuesday is not a first Tuesday of the month
        message = "is niet een van de dagen die je koos bij"
    response = client.post("/agenda/nieuw", data=activity_form(app, **overrides))
    shown = page(response)
    assert response.status_code == 200
    assert message in shown
    assert 'value="Koffieochtend in De Schakel"' in shown or overrides.get("title") == ""
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 0


def test_a_monthly_activity_on_the_first_tuesday(app, client_for, make_user):
    client = signed_in(client_for, make_user())
    first_tuesday = next(
        day
        for day in (local_today() + timedelta(days=n) for n in range(8, 50))
        if day.weekday() == 1 and day.day <= 7
    )
    response = client.post(
        "/agenda/nieuw", data=activity_form(app, repeat="monthly:1", day=first_tuesday.isoformat())
    )
    activity = activity_row(app, detail_id(response))
    days = [o.day for o in next_occurrences(activity, utcnow(), 4)]
    assert all(day.weekday() == 1 and day.day <= 7 for day in days)
    assert len({day.month for day in days}) == 4
    assert "Elke eerste dinsdag van de maand" in page(client.get(f"/agenda/{activity.id}"))


def test_a_weekly_activity_stays_at_ten_across_the_change_to_summer_time(app, make_user):
    annie = make_user()
    activity_id = add_activity(app, annie, date(2027, 3, 16), repeat=Repeat.WEEKLY)
    activity = activity_row(app, activity_id)
    found = next_occurrences(activity, from_local(date(2027, 3, 15), time(0)), 3)
    assert [o.starts_at.astimezone(LOCAL).time() for o in found] == [time(10)] * 3
    assert [o.starts_at.hour for o in found] == [9, 9, 8]  # UTC: the clocks went forward
    assert occurrence_on(activity, date(2027, 3, 17)) is None


# The lists


def test_the_agenda_filters_by_village_week_and_kind(app, client_for, make_user):
    annie = make_user()
    villages = village_ids(app)
    tuesday = next_weekday(1)
    add_activity(app, annie, tuesday, title="Koffie in Beers", village_id=villages["Beers"])
    add_activity(app, annie, tuesday + timedelta(weeks=1), title="Wandelen in Cuijk", kind="walk")
    visitor = client_for("cuijk")
    beers = page(visitor.get(f"/agenda?village={villages['Beers']}"))
    assert "Koffie in Beers" in beers and "Wandelen in Cuijk" not in beers
    walks = page(visitor.get("/agenda?kind=walk"))
    assert "Wandelen in Cuijk" in walks and "Koffie in Beers" not in walks
    year, week, _ = tuesday.isocalendar()
    in_week = page(visitor.get(f"/agenda?week={year}-W{week:02d}"))
    assert "Koffie in Beers" in in_week and "Wandelen in Cuijk" not in in_week
    nothing = page(visitor.get("/agenda?kind=course"))
    assert "Niets gevonden met deze filters." in nothing
    assert visitor.get("/agenda?week=nonsense&page=x&village=abc").status_code == 200


def test_the_home_page_shows_the_coming_activities_each_once(app, client_for, make_user):
    annie = make_user()
    add_activity(app, annie, next_weekday(1), title="Wekelijkse koffie", repeat=Repeat.WEEKLY)
    add_activity(app, annie, local_today() + timedelta(days=30), title="Over een maand")
    home = page(client_for("cuijk").get("/"))
    assert "Activiteiten die eraan komen" in home
    assert home.count("Wekelijkse koffie") == 1
    assert "Over een maand" not in home
    assert "Activiteiten die eraan komen" not in page(client_for("grave").get("/"))


def test_past_activities_are_on_their_own_page(app, client_for, make_user):
    annie = make_user()
    add_activity(app, annie, local_today() - timedelta(days=10), title="Kerstmarkt")
    add_activity(app, annie, next_weekday(2), title="Voorjaarswandeling")
    visitor = client_for("cuijk")
    assert "Kerstmarkt" not in page(visitor.get("/agenda"))
    past = page(visitor.get("/agenda/voorbij"))
    assert "Kerstmarkt" in past and "Voorjaarswandeling" not in past


def queries_for(app, client, url: str) -> int:
    assert client.get(url).status_code == 200  # a first request warms up any caches
    with counting_queries(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("url", ["/agenda", "/agenda?kind=coffee&page=2", "/agenda/voorbij", "/"])
def test_the_agenda_costs_the_same_queries_for_10_or_1000_activities(
    app, client_for, make_user, url
):
    organiser = make_user(role=Role.ORGANISATION)
    reader = signed_in(client_for, make_user())
    anonymous = client_for("cuijk")
    counts = []
    for added in (10, 990):
        add_many_activities(app, organiser, added)
        counts.append((queries_for(app, reader, url), queries_for(app, anonymous, url)))
    assert counts[0] == counts[1]
    assert "1000 activiteiten" in page(anonymous.get("/agenda"))


# Signing up, cancelling, the waiting list


def test_signing_up_cancelling_and_the_waiting_list_moving_up(app, client_for, make_user, outbox):
    organiser = make_user(first_name="Ria")
    tuesday = next_weekday(1)
    activity_id = add_activity(app, organiser, tuesday, capacity=1, repeat=Repeat.WEEKLY)
    annie = signed_in(client_for, make_user(first_name="Annie"))
    bob = signed_in(client_for, make_user(first_name="Bob", email="bob@example.nl"))

    assert join(annie, activity_id, tuesday).status_code == 302
    assert "Je staat op de lijst voor deze dag." in page(annie.get(f"/agenda/{activity_id}"))
    shown = page(bob.get(f"/agenda/{activity_id}"))
    assert "Vol: je kunt op de wachtlijst" in shown
    assert "Zet me op de wachtlijst" in shown
    join(bob, activity_id, tuesday)
    assert signups(app, activity_id) == [("Annie", "going"), ("Bob", "waiting")]
    coming = page(bob.get("/agenda"))
    assert "Je komt naar" in coming and "(wachtlijst)" in coming
    # The next week has room of its own.
    join(bob, activity_id, tuesday + timedelta(weeks=1))
    assert signups(app, activity_id)[-1] == ("Bob", "going")
    # Signing up twice changes nothing.
    join(annie, activity_id, tuesday)
    assert len(signups(app, activity_id)) == 3

    response = leave(annie, activity_id, tuesday)
    assert response.status_code == 302
    assert signups(app, activity_id) == [("Bob", "going"), ("Bob", "going")]
    email = outbox()[0]
    assert email.recipient == "bob@example.nl"
    assert "Er is een plek vrijgekomen" in email.subject
    assert f"/agenda/{activity_id}?datum={tuesday.isoformat()}" in email.text


def test_a_day_the_activity_does_not_happen_is_a_404(app, client_for, make_user):
    tuesday = next_weekday(1)
    activity_id = add_activity(app, make_user(), tuesday)
    annie = signed_in(client_for, make_user())
    assert join(annie, activity_id, tuesday + timedelta(days=1)).status_code == 404
    assert annie.post(f"/agenda/{activity_id}/ik-kom", data={"datum": "x"}).status_code == 404
    assert signups(app, activity_id) == []


def db_is_postgres(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


def at_once(*calls) -> list[object]:
    """Run the calls in threads at the same time; their answers, or the errors they raised
    (SQLite: "database is locked" for a second writer)."""
    outcomes: list[object] = []

    def run(call):
        try:
            outcomes.append(call())
        except Exception as error:
            outcomes.append(error)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(outcomes) == len(calls)
    return outcomes


def waiting_after_counting(monkeypatch, parties: int = 2) -> None:
    """Each request counts the places, then waits until the others counted too (unless a
    lock holds them): without the lock, all would see the same free place."""
    everyone_counted = threading.Barrier(parties)
    original = services.going_count

    def counted_then_wait(activity, day):
        answer = original(activity, day)
        with contextlib.suppress(threading.BrokenBarrierError):
            everyone_counted.wait(timeout=1)
        return answer

    monkeypatch.setattr(services, "going_count", counted_then_wait)


def test_two_people_taking_the_last_place_at_once_do_not_overfill_it(
    app, client_for, make_user, monkeypatch
):
    """On PostgreSQL the second waits for the first's lock on the activity, then counts again
    and joins the waiting list; SQLite refuses the second writer. Either way: one place, one
    person."""
    tuesday = next_weekday(1)
    activity_id = add_activity(app, make_user(), tuesday, capacity=1)
    annie, bob = (signed_in(client_for, make_user(first_name=n)) for n in ("Annie", "Bob"))
    waiting_after_counting(monkeypatch)
    at_once(lambda: join(annie, activity_id, tuesday), lambda: join(bob, activity_id, tuesday))
    statuses = sorted(status for _, status in signups(app, activity_id))
    assert statuses.count("going") == 1
    if db_is_postgres(app):
        assert statuses == ["going", "waiting"]


def test_two_cancellations_at_once_move_up_two_people_not_more(
    app, client_for, make_user, monkeypatch
):
    tuesday = next_weekday(1)
    activity_id = add_activity(app, make_user(), tuesday, capacity=2)
    people = [signed_in(client_for, make_user(first_name=f"P{n}")) for n in range(5)]
    for client in people:
        join(client, activity_id, tuesday)
    assert [status for _, status in signups(app, activity_id)].count("waiting") == 3
    waiting_after_counting(monkeypatch)
    at_once(*(lambda c=client: leave(c, activity_id, tuesday) for client in people[:2]))
    statuses = [status for _, status in signups(app, activity_id)]
    assert statuses.count("going") == 2
    if db_is_postgres(app):
        assert statuses == ["going", "going", "waiting"]


# The organiser, coordinators and connectors


def test_the_organiser_sees_who_comes_and_sends_them_a_message(app, client_for, make_user, outbox):
    organiser = make_user(first_name="Ria")
    tuesday = next_weekday(1)
    activity_id = add_activity(app, organiser, tuesday)
    annie = make_user(first_name="Annie", email="annie@example.nl")
    join(signed_in(client_for, annie), activity_id, tuesday)
    ria = signed_in(client_for, organiser)
    shown = page(ria.get(f"/agenda/{activity_id}/wie-komen"))
    assert "1 persoon komt" in shown and "Annie" in shown

    bad = ria.post(f"/agenda/{activity_id}/wie-komen", data={"text": "  "})
    assert "Schrijf je bericht." in page(bad)
    response = ria.post(
        f"/agenda/{activity_id}/wie-komen?datum={tuesday.isoformat()}",
        data={"text": "Neem je eigen mok mee!"},
    )
    assert response.status_code == 302
    email = outbox()[0]
    assert email.recipient == "annie@example.nl"
    assert "Neem je eigen mok mee!" in email.text
    # Someone else who comes does not see the list.
    annie_client = signed_in(client_for, annie)
    assert annie_client.get(f"/agenda/{activity_id}/wie-komen").status_code == 403


def test_a_coordinator_signs_up_someone_who_is_not_online(app, client_for, make_user):
    tuesday = next_weekday(1)
    organiser = make_user(first_name="Ria")
    activity_id = add_activity(app, organiser, tuesday, capacity=5)
    coordinator = signed_in(client_for, make_user(role=Role.COORDINATOR))
    url = f"/agenda/{activity_id}/namens-iemand?datum={tuesday.isoformat()}"
    refused = coordinator.post(url, data={"person": 0, "person_name": "Mevrouw Jansen"})
    assert "Vraag de persoon eerst om toestemming." in page(refused)
    assert 'value="Mevrouw Jansen"' in page(refused)
    assert signups(app, activity_id) == []
    response = coordinator.post(
        url,
        data={
            "person": 0,
            "person_name": "Mevrouw Jansen",
            "person_phone": "0485 123456",
            "consent": "y",
            "consent_note": "Telefonisch op 3 december",
        },
    )
    assert response.status_code == 302
    assert signups(app, activity_id) == [("Mevrouw Jansen", "going")]
    assert "0485 123456" in page(coordinator.get(response.headers["Location"]))
    # The organiser sees that someone comes, not who.
    shown = page(signed_in(client_for, organiser).get(f"/agenda/{activity_id}/wie-komen"))
    assert "Mevrouw Jansen" not in shown and "een buur, via de sociaal werker" in shown
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        person_id = db.session.scalar(sa.select(OfflinePerson.id))
    # Entered before: chosen from the list; a second time changes nothing.
    again = coordinator.post(url, data={"person": person_id, "consent": "y"})
    assert again.status_code == 302
    assert signups(app, activity_id) == [("Mevrouw Jansen", "going")]
    resident = signed_in(client_for, make_user())
    assert resident.get(url).status_code == 403


def test_a_connector_edits_and_calls_off_someone_elses_activity_and_it_is_logged(
    app, client_for, make_user, outbox
):
    tuesday = next_weekday(1)
    organiser = make_user(first_name="Ria")
    activity_id = add_activity(app, organiser, tuesday)
    annie = make_user(first_name="Annie", email="annie@example.nl")
    join(signed_in(client_for, annie), activity_id, tuesday)
    bob = make_user(first_name="Bob")
    join(signed_in(client_for, bob), activity_id, tuesday)
    henk = signed_in(client_for, make_user(role=Role.CONNECTOR, first_name="Henk"))
    form = page(henk.get(f"/agenda/{activity_id}/bewerken"))
    assert 'value="Koffieochtend"' in form and 'value="10:00"' in form
    changed = activity_form(app, title="Koffie (later)", day=tuesday.isoformat(), starts="10:30")
    assert henk.post(f"/agenda/{activity_id}/bewerken", data=changed).status_code == 302
    assert "is veranderd" in outbox()[0].subject
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        bob_signup = db.session.scalar(sa.select(Signup.id).where(Signup.user_id == bob.id))
    assert (
        henk.post(f"/agenda/{activity_id}/wie-komen/{bob_signup}/van-de-lijst").status_code == 302
    )
    assert henk.post(f"/agenda/{activity_id}/gaat-niet-door").status_code == 302
    assert activity_row(app, activity_id).is_cancelled
    assert "gaat niet door" in outbox()[0].subject
    assert outbox()[0].recipient == "annie@example.nl"
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [
        "community.activity_changed",
        "community.signup_removed",
        "community.activity_cancelled",
    ]
    assert signups(app, activity_id) == [("Annie", "going")]
    visitor = client_for("cuijk")
    assert "Deze activiteit gaat niet door." in page(visitor.get(f"/agenda/{activity_id}"))
    assert "Koffie (later)" not in page(visitor.get("/agenda"))


def test_only_the_organiser_and_connectors_edit(app, client_for, make_user):
    activity_id = add_activity(app, make_user(), next_weekday(1))
    for role in (Role.RESIDENT, Role.ORGANISATION, Role.COORDINATOR):
        client = signed_in(client_for, make_user(role=role))
        assert client.get(f"/agenda/{activity_id}/bewerken").status_code == 403
        assert client.post(f"/agenda/{activity_id}/gaat-niet-door").status_code == 403
    assert not activity_row(app, activity_id).is_cancelled


def test_an_organisation_member_organises_as_the_organisation(app, client_for, make_user):
    client = signed_in(client_for, make_user(role=Role.ORGANISATION, first_name="KBO"))
    activity_id = detail_id(client.post("/agenda/nieuw", data=activity_form(app)))
    assert activity_row(app, activity_id).by_organisation
    assert "Organisatie" in page(client.get(f"/agenda/{activity_id}"))


def test_a_blocked_member_cannot_add_or_sign_up(app, client_for, make_user):
    tuesday = next_weekday(1)
    activity_id = add_activity(app, make_user(), tuesday)
    blocked = make_user()
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        membership = db.session.scalar(
            sa.select(Membership).where(Membership.user_id == blocked.id)
        )
        membership.blocked_at = utcnow()
        db.session.commit()
    client = signed_in(client_for, blocked)
    assert client.get("/agenda/nieuw").status_code == 403
    assert client.post("/agenda/nieuw", data=activity_form(app)).status_code == 403
    assert join(client, activity_id, tuesday).status_code == 403
    assert signups(app, activity_id) == []


def test_another_municipalitys_activity_is_a_404(app, client_for, make_user):
    grave_id = add_activity(app, make_user("grave"), next_weekday(1), slug="grave")
    annie = signed_in(client_for, make_user())
    for url in (
        f"/agenda/{grave_id}",
        f"/agenda/{grave_id}.ics",
        f"/agenda/{grave_id}/bewerken",
        f"/agenda/{grave_id}/wie-komen",
    ):
        assert annie.get(url).status_code == 404, url
    assert join(annie, grave_id, next_weekday(1)).status_code == 404


# The reminder the day before


def test_the_reminder_goes_out_once_the_day_before(app, client_for, make_user, outbox):
    tuesday = next_weekday(1)
    activity_id = add_activity(app, make_user(), tuesday, starts=time(10))
    join(signed_in(client_for, make_user(email="annie@example.nl")), activity_id, tuesday)
    with app.app_context():
        tenant_id = tenant_by_slug("cuijk").id
    two_days_before = from_local(tuesday - timedelta(days=2), time(12))
    day_before = from_local(tuesday - timedelta(days=1), time(9))
    for when, expected in (
        (two_days_before, 0),
        (day_before, 1),
        (day_before + timedelta(hours=3), 1),  # the second tick sends nothing again
    ):
        with time_machine.travel(when, tick=False), app.app_context():
            municipality_sweep(tenant_id, when.timestamp())
        reminders = [m for m in outbox() if m.subject.startswith("Morgen")]
        assert len(reminders) == expected, when
    assert reminders[0].recipient == "annie@example.nl"
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert send_activity_reminders(day_before) == 0


# The demo


def test_each_demo_municipality_has_its_own_weekly_monthly_and_one_off_activities(app, client_for):
    with app.app_context():
        load_demo()
        load_demo()  # a second run adds nothing
    titles = {}
    for slug in ("cuijk", "grave", "mill", "sint-anthonis"):
        with app.app_context(), tenant_context(tenant_by_slug(slug)):
            activities = db.session.scalars(sa.select(Activity)).all()
            assert sorted(a.repeat.value for a in activities) == ["monthly", "none", "weekly"]
            assert all(fits_rule(a) for a in activities)
            titles[slug] = {a.title for a in activities}
        agenda = page(client_for(slug).get("/agenda"))
        assert "3 activiteiten" in agenda
        assert "Elke eerste dinsdag van de maand" in agenda
    assert len(set().union(*titles.values())) == 12


# An app on the real Redis whose mail goes to a real SMTP server.
redis_app = test_mail_delivery.redis_app


@pytest.mark.redis
def test_two_workers_running_the_sweep_at_once_send_the_reminder_once(redis_app, make_user):
    app, recorder = redis_app()
    tuesday = next_weekday(1)
    organiser, annie = make_user(), make_user(email="annie@example.nl")
    activity_id = add_activity(app, organiser, tuesday)
    day_before = from_local(tuesday - timedelta(days=1), time(9)).timestamp()
    with app.app_context():
        cuijk = tenant_by_slug("cuijk")
        with tenant_context(cuijk):
            db.session.add(
                Signup(
                    activity_id=activity_id,
                    occurs_on=tuesday,
                    status=SignupStatus.GOING,
                    user_id=annie.id,
                )
            )
            db.session.commit()
        # Two ticks a moment apart each hand the sweep to the queue.
        for tick in ("first", "second"):
            enqueue(municipality_sweep, cuijk.id, day_before, job_id=f"sweep-{tick}")
    workers = [start_worker(app), start_worker(app)]
    for worker in workers:
        assert worker.wait(timeout=60) == 0
    run_worker(app)  # whatever a worker left in the queue (the email's delivery)
    recorded = [e for e in all_emails(app) if e.kind == "activity_reminder"]
    assert [e.recipient for e in recorded] == ["annie@example.nl"]
    reminders = [m for m in recorder.accepted if m["Subject"].startswith("Morgen")]
    # SQLite may refuse one worker's write ("database is locked"): that delivery then waits
    # for its retry. PostgreSQL lets both run: one records and sends, the other finds it done.
    assert len(reminders) == 1 if db_is_postgres(app) else len(reminders) <= 1


def test_moving_a_one_off_to_another_day_takes_its_list_off_and_tells_them(
    app, client_for, make_user, outbox
):
    tuesday = next_weekday(1)
    organiser = make_user(first_name="Ria")
    activity_id = add_activity(app, organiser, tuesday, capacity=1)
    join(signed_in(client_for, make_user(email="annie@example.nl")), activity_id, tuesday)
    join(signed_in(client_for, make_user(email="bob@example.nl")), activity_id, tuesday)
    ria = signed_in(client_for, organiser)
    wednesday = tuesday + timedelta(days=1)
    changed = activity_form(app, title="Koffieochtend", day=wednesday.isoformat(), capacity="1")
    assert ria.post(f"/agenda/{activity_id}/bewerken", data=changed).status_code == 302
    assert signups(app, activity_id) == []
    told = sorted(m.recipient for m in outbox() if "is veranderd" in m.subject)
    assert told == ["annie@example.nl", "bob@example.nl"]
    assert f"datum={wednesday.isoformat()}" in outbox()[0].text
