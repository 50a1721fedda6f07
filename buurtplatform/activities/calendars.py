"""Calendar files (.ics): one activity, and subscribable feeds of a municipality and of one
village, built with `icalendar`.

A repeating activity is one event with an RRULE, its times given in Europe/Amsterdam (with the
VTIMEZONE), so that calendar programs keep 10:00 at 10:00 across daylight saving. Feeds say
nothing personal: of the organiser only the first name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta

import icalendar
import sqlalchemy as sa
from flask import Response
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from buurtplatform.activities import bp
from buurtplatform.activities.models import Activity, Repeat
from buurtplatform.activities.occurrences import local
from buurtplatform.activities.services import activity_or_404
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from jobs.periods import LOCAL
from tenants.models import Village
from tenants.scoping import current_tenant

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# A feed holds what is coming and what happened in the last weeks (or repeats till now).
FEED_PAST = timedelta(days=60)


def recurrence_rule(activity: Activity) -> icalendar.vRecur | None:
    if activity.repeat == Repeat.NONE:
        return None
    rule: dict[str, object] = {"FREQ": "WEEKLY" if activity.repeat == Repeat.WEEKLY else "MONTHLY"}
    if activity.repeat == Repeat.MONTHLY:
        weekday = WEEKDAYS[local(activity.starts_at).weekday()]
        rule["BYDAY"] = f"{activity.week_of_month}{weekday}"
    if activity.repeat_until is not None:
        # With a local DTSTART, RFC 5545 wants UNTIL in UTC: the end of the last day.
        rule["UNTIL"] = (
            datetime.combine(activity.repeat_until, time.max, tzinfo=LOCAL)
            .astimezone(UTC)
            .replace(microsecond=0)
        )
    return icalendar.vRecur(rule)


def _text(activity: Activity) -> str:
    lines = [activity.description]
    if activity.cost:
        lines.append(_("Cost: %(cost)s", cost=activity.cost))
    if activity.accessibility:
        lines.append(_("Accessible: %(notes)s", notes=activity.accessibility))
    lines.append(_("Organised by %(name)s", name=activity.organiser.display_name))
    return "\n\n".join(lines)


def event(activity: Activity) -> icalendar.Event:
    tenant = current_tenant()
    found = icalendar.Event()
    found.add("uid", f"activity-{activity.id}@{tenant.canonical_host}")
    found.add("dtstamp", utcnow().replace(microsecond=0))
    found.add("summary", activity.title)
    found.add("dtstart", local(activity.starts_at).replace(microsecond=0))
    found.add("dtend", local(activity.ends_at).replace(microsecond=0))
    if (rule := recurrence_rule(activity)) is not None:
        found.add("rrule", rule)
    place = ", ".join(filter(None, (activity.place, activity.village and activity.village.name)))
    found.add("location", place)
    found.add("description", _text(activity))
    found.add("url", tenant.url_for("activities.detail", activity_id=activity.id))
    found.add("status", "CANCELLED" if activity.is_cancelled else "CONFIRMED")
    return found


def calendar(name: str, activities: Iterable[Activity]) -> bytes:
    feed = icalendar.Calendar()
    feed.add("prodid", "-//Buurtplatform//Agenda//NL")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", name)
    feed.add("x-wr-timezone", "Europe/Amsterdam")
    events = [event(activity) for activity in activities]
    for found in events:
        feed.add_component(found)
    first = min((e.DTSTART.date() for e in events), default=utcnow().date())
    feed.add_missing_timezones(first_date=first - timedelta(days=366))
    if not events:
        feed.add_component(icalendar.Timezone.from_tzid("Europe/Amsterdam", first_date=first))
    return feed.to_ical()


def ics_response(content: bytes, filename: str) -> Response:
    response = Response(content, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def feed_activities(village: Village | None = None) -> list[Activity]:
    """What a feed holds: every activity that is coming or happened lately (also those called
    off, so that subscribed calendars see that)."""
    since = utcnow() - FEED_PAST
    statement = (
        sa.select(Activity)
        .where(
            sa.or_(
                sa.and_(Activity.repeat == Repeat.NONE, Activity.ends_at > since),
                sa.and_(
                    Activity.repeat != Repeat.NONE,
                    sa.or_(Activity.repeat_until.is_(None), Activity.repeat_until >= since.date()),
                ),
            )
        )
        .options(joinedload(Activity.village), joinedload(Activity.organiser))
        .order_by(Activity.starts_at, Activity.id)
    )
    if village is not None:
        # A village's feed also holds what is for the whole municipality.
        statement = statement.where(
            sa.or_(Activity.village_id == village.id, Activity.village_id.is_(None))
        )
    return list(db.session.scalars(statement))


@bp.get("/agenda/<int:activity_id>.ics")
def activity_ics(activity_id: int) -> Response:
    activity = activity_or_404(activity_id)
    return ics_response(calendar(activity.title, [activity]), f"activiteit-{activity.id}.ics")


@bp.get("/agenda.ics")
def feed() -> Response:
    tenant = current_tenant()
    name = _("Agenda of %(site)s", site=tenant.site_name)
    return ics_response(calendar(name, feed_activities()), f"agenda-{tenant.slug}.ics")


@bp.get("/agenda/dorp/<int:village_id>.ics")
def village_feed(village_id: int) -> Response:
    village = db.get_or_404(Village, village_id)
    name = _("Agenda of %(village)s", village=village.name)
    return ics_response(calendar(name, feed_activities(village)), f"agenda-{village.id}.ics")
