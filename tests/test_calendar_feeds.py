"""Calendar files: one activity's .ics, and the feeds of a municipality and of a village, read
back with `icalendar` as a calendar program would: a VTIMEZONE for Europe/Amsterdam, RRULEs
that keep 10:00 at 10:00 across daylight saving, and nothing personal but a first name."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import icalendar
from dateutil.rrule import rrulestr

from buurtplatform.activities.models import Activity, Repeat
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from jobs.periods import LOCAL
from tenants.scoping import tenant_context
from tests.activity_helpers import add_activity, local_today, next_weekday
from tests.helpers import tenant_by_slug
from tests.listing_helpers import village_ids


def read_calendar(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.data)


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def expand(event: icalendar.Event, count: int) -> list[datetime]:
    """The event's first occurrences, as a calendar program expands its RRULE."""
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=event.DTSTART)
    return list(rule[:count])


def test_a_weekly_activity_keeps_ten_oclock_across_the_change_to_summer_time(
    app, client_for, make_user
):
    # Tuesdays from 16 March 2027; the clocks go forward on Sunday 28 March.
    activity_id = add_activity(
        app, make_user(first_name="Ria"), date(2027, 3, 16), repeat=Repeat.WEEKLY
    )
    calendar = read_calendar(client_for("cuijk").get(f"/agenda/{activity_id}.ics"))
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Amsterdam"
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    starts = expand(event, 3)
    assert [start.astimezone(LOCAL).time() for start in starts] == [time(10)] * 3
    assert [start.utcoffset() for start in starts] == [
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(hours=2),
    ]
    duration = event.DTEND - event.DTSTART
    assert duration == timedelta(hours=1, minutes=30)


def test_every_first_tuesday_until_an_end_date(app, client_for, make_user):
    activity_id = add_activity(
        app,
        make_user(),
        date(2027, 2, 2),
        repeat=Repeat.MONTHLY,
        week_of_month=1,
        repeat_until=date(2027, 6, 30),
        title="Eetcafé",
    )
    [event] = read_calendar(client_for("cuijk").get(f"/agenda/{activity_id}.ics")).walk("VEVENT")
    assert event["RRULE"]["BYDAY"] == ["1TU"]
    days = [start.date() for start in expand(event, 10)]
    assert days == [
        date(2027, 2, 2),
        date(2027, 3, 2),
        date(2027, 4, 6),  # summer time by then, still 10:00
        date(2027, 5, 4),
        date(2027, 6, 1),
    ]
    assert all(start.astimezone(LOCAL).hour == 10 for start in expand(event, 10))


def test_the_municipality_and_village_feeds(app, client_for, make_user):
    ria = make_user(first_name="Ria", email="ria.geheim@example.nl")
    villages = village_ids(app)
    tuesday = next_weekday(1)
    add_activity(app, ria, tuesday, title="Koffie in Beers", village_id=villages["Beers"])
    add_activity(app, ria, tuesday, title="Wandelen in Cuijk", village_id=villages["Cuijk"])
    add_activity(app, ria, tuesday, title="Voor iedereen")
    add_activity(app, ria, local_today() - timedelta(days=200), title="Lang geleden")
    add_activity(app, make_user("grave"), tuesday, slug="grave", title="In Grave")
    visitor = client_for("cuijk")

    everything = visitor.get("/agenda.ics")
    assert set(events(read_calendar(everything))) == {
        "Koffie in Beers",
        "Wandelen in Cuijk",
        "Voor iedereen",
    }
    assert b"ria.geheim" not in everything.data and b"ORGANIZER" not in everything.data
    assert "Ria" in str(events(read_calendar(everything))["Voor iedereen"]["DESCRIPTION"])
    beers = read_calendar(visitor.get(f"/agenda/dorp/{villages['Beers']}.ics"))
    assert set(events(beers)) == {"Koffie in Beers", "Voor iedereen"}
    assert str(beers["X-WR-CALNAME"]) == "Agenda van Beers"
    event = events(beers)["Koffie in Beers"]
    assert str(event["LOCATION"]) == "De Schakel, Beers"
    assert str(event["URL"]).startswith("http://cuijk.")
    assert visitor.get(f"/agenda/dorp/{village_ids(app, 'grave')['Grave']}.ics").status_code == 404


def test_an_activity_called_off_stays_in_the_feed_as_cancelled(app, client_for, make_user):
    activity_id = add_activity(app, make_user(), next_weekday(1))
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        db.session.get(Activity, activity_id).cancelled_at = utcnow()
        db.session.commit()
    [event] = read_calendar(client_for("cuijk").get("/agenda.ics")).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


def test_an_empty_feed_is_still_a_calendar(client_for):
    calendar = read_calendar(client_for("mill").get("/agenda.ics"))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-CALNAME"]).startswith("Agenda van")
