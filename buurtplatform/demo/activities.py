"""Demo activities for `flask demo load`: in each municipality a weekly coffee morning in one
village, a monthly one on the first Tuesday, and a one-off, each different; dates counted from
today, so that the agenda is never empty.

Made once per municipality (a second run finds activities there and adds nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa

from buurtplatform.accounts.models import User
from buurtplatform.activities.models import Activity, ActivityKind, Repeat
from buurtplatform.activities.occurrences import from_local, local
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.models import Village


@dataclass(frozen=True)
class DemoActivity:
    title: str
    kind: ActivityKind
    description: str
    village: str | None  # None: for the whole municipality
    place: str
    starts: time
    ends: time
    repeat: Repeat
    weekday: int  # 0 is Monday; a monthly one is on the first of these in the month
    cost: str = ""
    accessibility: str = ""
    capacity: int | None = None
    by_organisation: bool = False
    days_ahead: int = 0  # a one-off: this many days from today (on its weekday after)


def _coffee(village: str, place: str, weekday: int, text: str, capacity: int | None = None):
    return DemoActivity(
        f"Koffieochtend in {village}",
        ActivityKind.COFFEE,
        text,
        village,
        place,
        time(10),
        time(11, 30),
        Repeat.WEEKLY,
        weekday,
        cost="gratis",
        accessibility="Toegankelijk met een rolstoel of rollator.",
        capacity=capacity,
    )


DEMO_ACTIVITIES: dict[str, tuple[DemoActivity, ...]] = {
    "cuijk": (
        _coffee(
            "Beers",
            "Dorpshuis De Leeuw",
            1,
            "Elke dinsdag staat de **koffie** klaar. Gewoon binnenlopen, een praatje maken.",
            capacity=12,
        ),
        DemoActivity(
            "Digicafé: hulp met je telefoon",
            ActivityKind.COURSE,
            "Vrijwilligers van de bibliotheek helpen je met je telefoon, tablet of DigiD.\n\n"
            "- Neem je eigen apparaat mee\n- Je wachtwoorden ook",
            "Cuijk",
            "Bibliotheek Cuijk, Grotestraat",
            time(14),
            time(16),
            Repeat.MONTHLY,
            1,
            cost="gratis",
            capacity=8,
            by_organisation=True,
        ),
        DemoActivity(
            "Wandeling langs de Maas",
            ActivityKind.WALK,
            "Een rustige wandeling van een uur. We lopen samen terug naar de koffie.",
            None,
            "Parkeerplaats bij de Maasbrug",
            time(10),
            time(11, 30),
            Repeat.NONE,
            5,
            cost="gratis",
            accessibility="Vlak pad, ook met een rollator te doen.",
            days_ahead=9,
        ),
    ),
    "grave": (
        _coffee(
            "Velp",
            "Gemeenschapshuis Velp",
            3,
            "Elke donderdag koffie met iets lekkers. Nieuwe gezichten zijn van harte welkom.",
        ),
        DemoActivity(
            "Eetcafé voor ouderen",
            ActivityKind.OTHER,
            "Samen een warme maaltijd eten. Geef je op tijd op: er is plek voor twintig mensen.",
            "Grave",
            "Wijkcentrum De Ossekop",
            time(17, 30),
            time(19, 30),
            Repeat.MONTHLY,
            1,
            cost="8 euro",
            accessibility="Invalidentoilet aanwezig.",
            capacity=20,
            by_organisation=True,
        ),
        DemoActivity(
            "Informatie: veilig internetbankieren",
            ActivityKind.INFORMATION,
            "De wijkagent vertelt hoe je oplichters herkent. Met tijd voor vragen.",
            None,
            "Stadhuis Grave, raadzaal",
            time(19, 30),
            time(21),
            Repeat.NONE,
            2,
            cost="gratis",
            days_ahead=12,
        ),
    ),
    "mill": (
        _coffee(
            "Langenboom",
            "Dorpshuis Langenboom",
            2,
            "Elke woensdag koffie en een spelletje. Kaarten en sjoelbak zijn er.",
            capacity=15,
        ),
        DemoActivity(
            "Handwerkclub",
            ActivityKind.GAMES,
            "Breien, haken of borduren: neem je eigen werk mee, of leer het van een ander.",
            "Mill",
            "Cultureel centrum De Hoeve",
            time(13, 30),
            time(15, 30),
            Repeat.MONTHLY,
            1,
            cost="2 euro met koffie",
            by_organisation=True,
        ),
        DemoActivity(
            "Fietstocht door de Peel",
            ActivityKind.WALK,
            "Een tocht van 25 km in een rustig tempo, met een stop voor koffie.",
            "Wilbertoord",
            "Kerkplein Wilbertoord",
            time(10),
            time(13),
            Repeat.NONE,
            5,
            cost="gratis",
            capacity=12,
            days_ahead=10,
        ),
    ),
    "sint-anthonis": (
        _coffee(
            "Oploo",
            "Gemeenschapshuis De Pas",
            0,
            "Elke maandag koffie in De Pas. We lezen samen de krant en praten bij.",
        ),
        DemoActivity(
            "Inloop mantelzorgers",
            ActivityKind.INFORMATION,
            "Voor wie zorgt voor iemand thuis: even je verhaal kwijt, en tips van anderen.",
            "Sint Anthonis",
            "Huis van de Wereld, Breestraat",
            time(10),
            time(12),
            Repeat.MONTHLY,
            1,
            cost="gratis",
            accessibility="Rustige ruimte, met een ringleiding.",
            by_organisation=True,
        ),
        DemoActivity(
            "Bloemschikken voor de kerst",
            ActivityKind.COURSE,
            "Maak je eigen kerststuk. Alle spullen liggen klaar.",
            "Wanroij",
            "Dorpshuis Wanroij",
            time(19),
            time(21),
            Repeat.NONE,
            3,
            cost="7,50 euro",
            capacity=10,
            days_ahead=8,
        ),
    ),
}


def _first_day(activity: DemoActivity, today: date) -> date:
    """The first day from tomorrow on that fits: the weekday, and for a monthly one the first
    of its kind in the month."""
    day = today + timedelta(days=max(1, activity.days_ahead))
    while day.weekday() != activity.weekday or (activity.repeat == Repeat.MONTHLY and day.day > 7):
        day += timedelta(days=1)
    return day


def load_demo_activities(slug: str, organisation: User, neighbour: User) -> None:
    """Inside the municipality's tenant context."""
    if db.session.scalar(sa.select(Activity.id).limit(1)) is not None:
        return
    villages = {v.name: v.id for v in db.session.scalars(sa.select(Village))}
    today = local(utcnow()).date()
    for demo in DEMO_ACTIVITIES[slug]:
        day = _first_day(demo, today)
        db.session.add(
            Activity(
                kind=demo.kind,
                title=demo.title,
                description=demo.description,
                starts_at=from_local(day, demo.starts),
                ends_at=from_local(day, demo.ends),
                repeat=demo.repeat,
                week_of_month=1 if demo.repeat == Repeat.MONTHLY else None,
                village_id=villages.get(demo.village) if demo.village else None,
                place=demo.place,
                cost=demo.cost,
                accessibility=demo.accessibility,
                capacity=demo.capacity,
                organiser_id=(organisation if demo.by_organisation else neighbour).id,
                by_organisation=demo.by_organisation,
            )
        )
    db.session.flush()  # inside the municipality, which gives the rows their tenant
