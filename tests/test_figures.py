"""The figures (buurtplatform/figures/definitions.py) against a data set with known answers.

Cuijk has members, asks, offers, agreements, activities and prikbord messages around the week
of Monday 19 to Sunday 25 October 2026 (the clocks go back on that Sunday at 03:00) and the
week of 22 to 28 March 2027 (the clocks go forward on that Sunday at 02:00), many of them half
an hour before or after local midnight. Grave has a little of everything, which Cuijk's figures
must not count; Mill has nothing at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask_babel import force_locale

from buurtplatform.accounts.models import Membership, User
from buurtplatform.activities.models import Activity, ActivityKind, Repeat, Signup, SignupStatus
from buurtplatform.board.models import BoardPost, PostKind
from buurtplatform.extensions import db
from buurtplatform.figures.definitions import FIGURES, By, Unit, values
from buurtplatform.figures.periods import (
    Span,
    month_in_words,
    month_of,
    week_of,
    weeks_up_to,
)
from buurtplatform.listings.models import Category, Kind, Listing, Timing
from buurtplatform.matches.models import Match, Outcome
from buurtplatform.timestamps import utcnow
from jobs.periods import LOCAL, local_day
from tenants.models import Village
from tenants.provisioning import create_seeded_tenant
from tenants.scoping import tenant_context
from tenants.seed import LAND_VAN_CUIJK
from tests.conftest import _empty_database, build_app
from tests.helpers import tenant_by_slug
from tests.listing_helpers import add_listing, counting_queries, in_english, page

ROOT = Path(__file__).resolve().parent.parent

# The figures are worked out as if it were this moment: long after every item in the data.
LATER = "2027-06-01 12:00 +02:00"

AUTUMN = week_of(date(2026, 10, 19))  # Monday 19 to Sunday 25 October 2026: 169 hours
BEFORE = week_of(date(2026, 10, 12))
AFTER = week_of(date(2026, 10, 26))  # Monday 26 October to Sunday 1 November
SPRING = week_of(date(2027, 3, 22))  # Monday 22 to Sunday 28 March 2027: 167 hours
OCTOBER = month_of(date(2026, 10, 1))
NOVEMBER = month_of(date(2026, 11, 1))
WEEKS = [BEFORE, AUTUMN, AFTER]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A local clock time on `day`, as UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL).astimezone(UTC)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


class Data:
    """What the data set made: the ids to group by."""

    def __init__(self) -> None:
        self.tenants: dict[str, int] = {}
        self.villages: dict[str, int] = {}
        self.users: list[int] = []


def person(name: str, village: int, joined: datetime) -> User:
    # Nobody signs in here: no password hash to work out (which takes a while each time).
    user = User(email=f"{name.lower()}.{village}@example.nl", first_name=name, password_hash="!")
    db.session.add(user)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, village_id=village, created_at=joined))
    db.session.flush()
    return user


def ask(author: User, village: int | None, posted: datetime, **fields) -> Listing:
    category = db.session.scalar(sa.select(Category.id).where(Category.key == "shopping"))
    listing = Listing(
        kind=fields.pop("kind", Kind.ASK),
        title="Wie helpt mij?",
        description="Graag wat hulp.",
        timing=Timing.FLEXIBLE,
        author_id=author.id,
        category_id=category,
        village_id=village,
        created_at=posted,
        expires_at=posted + timedelta(days=30),
        **fields,
    )
    db.session.add(listing)
    db.session.flush()
    return listing


def replied(posted: datetime, hours: float) -> datetime:
    return posted + timedelta(hours=hours)


def match(listing: Listing, partner: User, made: datetime, **fields) -> Match:
    row = Match(
        listing_id=listing.id,
        slot=0 if listing.kind == Kind.ASK else partner.id,
        partner_id=partner.id,
        recorded_by_id=listing.author_id,
        created_at=made,
        **fields,
    )
    db.session.add(row)
    return row


def activity(organiser: User, village: int | None, starts: datetime, **fields) -> Activity:
    row = Activity(
        kind=ActivityKind.COFFEE,
        title="Koffieochtend",
        description="Gezellig koffie drinken.",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=25),
        place="De Schakel",
        organiser_id=organiser.id,
        village_id=village,
        repeat=fields.pop("repeat", Repeat.NONE),
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def signup(row: Activity, user: User, day: date, status=SignupStatus.GOING) -> None:
    db.session.add(Signup(activity_id=row.id, occurs_on=day, status=status, user_id=user.id))


def post(author: User, village: int | None, placed: datetime, **fields) -> None:
    db.session.add(
        BoardPost(
            kind=PostKind.TIP,
            title="Tip",
            body="Een tip.",
            author_id=author.id,
            village_id=village,
            created_at=placed,
            **fields,
        )
    )


def build_cuijk(data: Data) -> None:
    cuijk, beers = data.villages["Cuijk"], data.villages["Beers"]
    anna = person("Anna", cuijk, at(d(10, 1), 12))
    bert = person("Bert", beers, at(d(10, 19), 0, 30))  # Monday 00:30: the autumn week
    cor = person("Cor", cuijk, at(d(10, 25), 23, 30))  # Sunday 23:30 (winter time): autumn
    dirk = person("Dirk", beers, at(d(10, 26), 0, 30))  # Monday 00:30: the week after
    person("Eva", cuijk, at(d(3, 22, 2027), 0, 30))  # the spring week

    # Asks: the autumn week has four (Cuijk 3, Beers 1), answered after 2, 71 and 73 hours
    # and not at all; hidden and unapproved ones do not count.
    a1 = ask(anna, cuijk, at(d(10, 19), 0, 30))
    a1.first_reply_at = replied(a1.created_at, 2)
    a2 = ask(bert, beers, at(d(10, 21), 12))
    a2.first_reply_at = replied(a2.created_at, 71)
    a3 = ask(cor, cuijk, at(d(10, 25), 23, 30))
    a3.first_reply_at = replied(a3.created_at, 73)
    ask(anna, cuijk, at(d(10, 22), 10))
    hidden = ask(anna, cuijk, at(d(10, 20), 10), hidden_at=at(d(10, 21), 9))
    hidden.first_reply_at = replied(hidden.created_at, 1)
    ask(anna, cuijk, at(d(10, 20), 11), awaiting_approval=True)
    a7 = ask(dirk, cuijk, at(d(10, 26), 0, 30))  # the week after
    a7.first_reply_at = replied(a7.created_at, 1)
    ask(anna, cuijk, at(d(10, 18), 23, 30))  # Sunday 23:30 (summer time): the week before
    offer = ask(bert, beers, at(d(10, 20), 10), kind=Kind.OFFER)
    ask(bert, beers, at(d(10, 20), 11), kind=Kind.OFFER, hidden_at=at(d(10, 20), 12))

    # Agreements: autumn has three (Cuijk 1, Beers 2); one worked out there, one did not
    # (the two sides disagree); the offer's outcome came in the week after.
    match(
        a1,
        bert,
        at(d(10, 19), 10),
        author_outcome=Outcome.DONE,
        partner_outcome=Outcome.DONE,
        outcome_at=at(d(10, 24), 12),
    )
    match(
        a2,
        anna,
        at(d(10, 24), 12),
        author_outcome=Outcome.DONE,
        partner_outcome=Outcome.NOT_DONE,
        outcome_at=at(d(10, 25), 23, 30),
    )
    match(
        offer,
        cor,
        at(d(10, 25), 23, 30),
        author_outcome=Outcome.DONE,
        outcome_at=at(d(10, 26), 0, 30),
    )
    match(offer, dirk, at(d(10, 26), 0, 30))
    match(hidden, bert, at(d(10, 20), 12), author_outcome=Outcome.DONE, outcome_at=at(d(10, 21), 9))
    match(a3, dirk, at(d(10, 28), 9), partner_outcome=Outcome.NOT_DONE, outcome_at=at(d(10, 30), 9))

    # Activities: a weekly coffee morning on Tuesdays in Cuijk from 6 October; a weekly one
    # on Sundays at 23:30 in Beers, called off on 28 October; a one-off at Monday 00:30.
    coffee = activity(anna, cuijk, at(d(10, 6), 10), repeat=Repeat.WEEKLY)
    late = activity(
        bert, beers, at(d(10, 18), 23, 30), repeat=Repeat.WEEKLY, cancelled_at=at(d(10, 28), 9)
    )
    activity(bert, beers, at(d(10, 26), 0, 30))
    activity(anna, cuijk, at(d(3, 28, 2027), 23, 30))  # Sunday 23:30 (summer time): spring
    activity(anna, cuijk, at(d(3, 29, 2027), 0, 30))  # Monday 00:30: after spring
    signup(coffee, anna, d(10, 20))
    signup(coffee, bert, d(10, 20))
    signup(coffee, cor, d(10, 20), SignupStatus.WAITING)
    signup(late, anna, d(10, 25))
    signup(late, anna, d(11, 1))  # after it was called off
    signup(coffee, dirk, d(10, 27))

    # Prikbord: autumn has two (one for the whole municipality), the week after two.
    post(anna, cuijk, at(d(10, 19), 0, 30))
    post(anna, None, at(d(10, 22), 10))
    post(anna, cuijk, at(d(10, 22), 11), hidden_at=at(d(10, 22), 12))
    post(anna, cuijk, at(d(10, 22), 12), awaiting_approval=True)
    post(bert, beers, at(d(10, 18), 23, 30))
    post(bert, beers, at(d(10, 31), 23, 30))  # Saturday 23:30: October
    post(bert, beers, at(d(11, 1), 0, 30))  # Sunday 00:30: November


def build_grave(data: Data) -> None:
    """A little of everything in the autumn week, in Grave: never in Cuijk's figures."""
    grave = data.villages["Grave"]
    gerrit = person("Gerrit", grave, at(d(10, 20), 9))
    helper = person("Hanna", grave, at(d(10, 1), 9))
    listing = ask(gerrit, grave, at(d(10, 20), 10))
    listing.first_reply_at = replied(listing.created_at, 100)
    match(
        listing,
        helper,
        at(d(10, 21), 10),
        author_outcome=Outcome.DONE,
        outcome_at=at(d(10, 22), 10),
    )
    walk = activity(gerrit, grave, at(d(10, 21), 10))
    signup(walk, helper, d(10, 21))
    post(gerrit, grave, at(d(10, 20), 10))


@pytest.fixture(scope="module")
def figures_app(tmp_path_factory: pytest.TempPathFactory, database_url) -> Iterator[Flask]:
    """One app and data set for the whole module: the tests only read it."""
    app = build_app(tmp_path_factory.mktemp("figures"), database_url)
    with app.app_context():
        _empty_database()
        for seed in LAND_VAN_CUIJK:
            create_seeded_tenant(seed)
        db.session.commit()
        data = Data()
        for slug, build in (("cuijk", build_cuijk), ("grave", build_grave)):
            tenant = tenant_by_slug(slug)
            data.tenants[slug] = tenant.id
            with tenant_context(tenant):
                data.villages.update({v.name: v.id for v in db.session.scalars(sa.select(Village))})
                build(data)
                db.session.commit()
        data.tenants["mill"] = tenant_by_slug("mill").id
        app.config["FIGURES_DATA"] = data
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def data(figures_app: Flask) -> Data:
    return figures_app.config["FIGURES_DATA"]


def figures_in(
    app: Flask, slug: str | None, spans: list[Span], by: By = By.VILLAGE, now: str = LATER
):
    """Every figure for `spans`, as seen in `slug` (None: across municipalities)."""
    with app.app_context(), time_machine.travel(now, tick=False):
        if slug is None:
            return values(FIGURES, spans, by)
        with tenant_context(tenant_by_slug(slug)):
            return values(FIGURES, spans, by)


def per_span(found, name: str, spans: list[Span], group=None) -> list:
    return [found[name][span.key].get(group, 0) for span in spans]


def test_the_spans_hold_their_local_days_across_the_clock_changes():
    assert AUTUMN.end - AUTUMN.start == timedelta(hours=169)
    assert SPRING.end - SPRING.start == timedelta(hours=167)
    assert AUTUMN.start == datetime(2026, 10, 18, 22, tzinfo=UTC)
    assert AUTUMN.end == datetime(2026, 10, 25, 23, tzinfo=UTC)


def test_every_figure_of_issue_10_is_registered_in_order_with_a_definition(figures_app):
    names = list(FIGURES)
    expected = [
        "members",
        "new_members",
        "visits",
        "asks",
        "offers",
        "answered_in_3_days",
        "first_reply_hours",
        "matches",
        "done",
        "not_done",
        "activities",
        "signups",
        "board_posts",
    ]
    # Other features add their own figures after these (e.g. "callbacks").
    assert names[: len(expected)] == expected
    with figures_app.app_context():
        for item in FIGURES.values():
            with force_locale("en"):
                english = (str(item.label), str(item.definition))
            with force_locale("nl"):
                assert str(item.label) != english[0], item.name
                assert str(item.definition) != english[1], item.name
    assert FIGURES["answered_in_3_days"].unit is Unit.PERCENT
    assert FIGURES["first_reply_hours"].unit is Unit.HOURS


WEEKLY = {
    # name: (week before, autumn week, week after), all of Cuijk
    "members": [1, 3, 4],
    "new_members": [0, 2, 1],
    "asks": [1, 4, 1],
    "offers": [0, 1, 0],
    "answered_in_3_days": [0.0, 50.0, 100.0],
    "first_reply_hours": [None, 71, 1],
    "matches": [0, 3, 2],
    "done": [0, 1, 1],
    "not_done": [0, 1, 1],
    "activities": [2, 2, 2],
    "signups": [0, 3, 1],
    "board_posts": [1, 2, 2],
}


def test_each_figure_per_week_across_the_autumn_clock_change(figures_app, data):
    found = figures_in(figures_app, "cuijk", WEEKS)
    for name, expected in WEEKLY.items():
        assert per_span(found, name, WEEKS) == expected, name


def test_each_figure_per_village_in_the_autumn_week(figures_app, data):
    found = figures_in(figures_app, "cuijk", [AUTUMN])
    cuijk, beers = data.villages["Cuijk"], data.villages["Beers"]
    in_village = {name: found[name][AUTUMN.key] for name in found}
    assert in_village["members"] == {None: 3, cuijk: 2, beers: 1}
    assert in_village["asks"] == {None: 4, cuijk: 3, beers: 1}
    assert in_village["answered_in_3_days"][cuijk] == pytest.approx(100 / 3)
    assert in_village["answered_in_3_days"][beers] == 100.0
    assert in_village["first_reply_hours"] == {None: 71, cuijk: 37.5, beers: 71}
    assert in_village["matches"] == {None: 3, cuijk: 1, beers: 2}
    assert in_village["done"] == {None: 1, cuijk: 1}
    assert in_village["not_done"] == {None: 1, beers: 1}
    assert in_village["activities"] == {None: 2, cuijk: 1, beers: 1}
    assert in_village["signups"] == {None: 3, cuijk: 2, beers: 1}
    # The message for the whole municipality counts only in the total.
    assert in_village["board_posts"] == {None: 2, cuijk: 1}
    assert data.villages["Grave"] not in in_village["asks"]


def test_each_figure_per_month(figures_app):
    found = figures_in(figures_app, "cuijk", [OCTOBER, NOVEMBER])
    months = [OCTOBER, NOVEMBER]
    assert per_span(found, "members", months) == [4, 4]
    assert per_span(found, "new_members", months) == [4, 0]
    assert per_span(found, "asks", months) == [6, 0]
    assert per_span(found, "answered_in_3_days", months) == [50.0, None]
    assert per_span(found, "first_reply_hours", months) == [36.5, None]
    assert per_span(found, "matches", months) == [5, 0]
    assert per_span(found, "done", months) == [2, 0]
    assert per_span(found, "not_done", months) == [2, 0]
    # Tuesdays 6, 13, 20 and 27; Sundays 18 and 25 (1 November was called off); Monday 26.
    assert per_span(found, "activities", months) == [7, 4]
    assert per_span(found, "signups", months) == [4, 0]
    assert per_span(found, "board_posts", months) == [4, 1]


def test_the_spring_clock_change_and_local_midnight(figures_app):
    weeks = [SPRING, week_of(date(2027, 3, 29))]
    found = figures_in(figures_app, "cuijk", weeks)
    assert per_span(found, "new_members", weeks) == [1, 0]
    assert per_span(found, "members", weeks) == [5, 5]
    # The Tuesday coffee morning and Sunday 23:30; Monday 00:30 and the next Tuesday after.
    assert per_span(found, "activities", weeks) == [2, 2]


def test_an_ask_counts_for_the_share_only_once_it_is_3_days_old(figures_app):
    # On Tuesday 27 October at 12:00 the ask of Sunday 23:30 is 60.5 hours old: not yet.
    found = figures_in(figures_app, "cuijk", [AUTUMN], now="2026-10-27 12:00 +01:00")
    assert found["answered_in_3_days"][AUTUMN.key][None] == pytest.approx(200 / 3)
    found = figures_in(figures_app, "cuijk", [AUTUMN], now="2026-10-24 11:00 +02:00")
    assert found["answered_in_3_days"][AUTUMN.key][None] == 100.0  # only Monday's ask


def test_a_municipality_without_activity_has_zeros_and_no_share_or_median(figures_app, data):
    found = figures_in(figures_app, "mill", [*WEEKS, OCTOBER])
    for name, item in FIGURES.items():
        for counts in found[name].values():
            empty = None if item.unit in (Unit.PERCENT, Unit.HOURS) else 0
            assert counts == {None: empty}, name


def test_per_municipality_each_counts_its_own_and_the_total_all(figures_app, data):
    found = figures_in(figures_app, None, [AUTUMN], By.MUNICIPALITY)
    cuijk, grave, mill = (data.tenants[slug] for slug in ("cuijk", "grave", "mill"))
    week = {name: found[name][AUTUMN.key] for name in found}
    assert week["members"] == {None: 5, cuijk: 3, grave: 2}
    assert week["asks"] == {None: 5, cuijk: 4, grave: 1}
    assert week["answered_in_3_days"] == {None: 40.0, cuijk: 50.0, grave: 0.0}
    assert week["first_reply_hours"] == {None: 72, cuijk: 71, grave: 100}
    assert week["matches"] == {None: 4, cuijk: 3, grave: 1}
    assert week["done"] == {None: 2, cuijk: 1, grave: 1}
    assert week["activities"] == {None: 3, cuijk: 2, grave: 1}
    assert week["signups"] == {None: 4, cuijk: 3, grave: 1}
    assert week["board_posts"] == {None: 3, cuijk: 2, grave: 1}
    assert all(mill not in counts for counts in week.values())


def test_grave_sees_only_its_own(figures_app, data):
    found = figures_in(figures_app, "grave", [AUTUMN])
    week = {name: found[name][AUTUMN.key][None] for name in WEEKLY}
    assert week == {
        "members": 2,
        "new_members": 1,
        "asks": 1,
        "offers": 0,
        "answered_in_3_days": 0.0,
        "first_reply_hours": 100,
        "matches": 1,
        "done": 1,
        "not_done": 0,
        "activities": 1,
        "signups": 1,
        "board_posts": 1,
    }


def add_batch(app: Flask, copies: int) -> None:
    """`copies` more of each kind of thing, in Cuijk's autumn week."""
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        village = db.session.scalar(sa.select(Village.id).where(Village.name == "Beers"))
        for n in range(copies):
            someone = person(f"Extra{n}x{copies}", village, at(d(10, 20), 9))
            other = person(f"Other{n}x{copies}", village, at(d(10, 20), 9))
            listing = ask(someone, village, at(d(10, 20), 10), first_reply_at=at(d(10, 20), 11))
            match(listing, other, at(d(10, 20), 12), author_outcome=Outcome.DONE)
            coffee = activity(someone, village, at(d(10, 6), 10), repeat=Repeat.WEEKLY)
            signup(coffee, other, d(10, 20))
            post(someone, village, at(d(10, 20), 10))
        db.session.commit()


def test_the_number_of_queries_does_not_grow_with_the_data(app):
    spans = weeks_up_to(d(10, 25), 12)

    def count() -> int:
        with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
            with counting_queries(app) as statements:
                found = values(FIGURES, spans, By.VILLAGE)
            db.session.remove()
        assert found["asks"][AUTUMN.key][None] >= 1
        return len(statements)

    add_batch(app, 1)
    few = count()
    add_batch(app, 20)
    assert count() == few
    assert few <= len(FIGURES) + 1  # visits takes two


def test_docs_hold_every_definition_word_for_word(figures_app):
    written = " ".join((ROOT / "docs" / "figures.md").read_text(encoding="utf-8").split())
    with figures_app.app_context():
        for locale in ("en", "nl"):
            with force_locale(locale):
                for item in FIGURES.values():
                    text = " ".join(str(item.definition).split())
                    assert text in written, f"{item.name} ({locale})"
                    assert str(item.label) in written, f"{item.name} ({locale})"
    assert re.search(r"UTF-8.*BOM", written)


def test_the_home_page_shows_this_months_figures_of_its_own_municipality_only(
    app, client_for, make_user
):
    assert "Zo helpen we elkaar" not in page(client_for("cuijk").get("/"))  # nothing yet
    anna, bert = make_user("cuijk"), make_user("cuijk")
    asks = [add_listing(app, anna) for _ in range(3)]
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        db.session.add(
            Match(listing_id=asks[0], slot=0, partner_id=bert.id, recorded_by_id=anna.id)
        )
        db.session.commit()
        with force_locale("nl"):
            month = month_in_words(month_of(local_day(utcnow())))
    home = page(client_for("cuijk").get("/"))
    block = home.split('id="figures-block-title"')[1].split("</section>")[0]
    assert f"In {month}, in de hele gemeente:" in block
    figures = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block)
    # The asks are not 3 days old yet: no share yet.
    assert [(label, re.sub("<[^>]+>", " ", text).split()) for label, text in figures] == [
        ("Geplaatste hulpvragen", ["3"]),
        ("Afspraken", ["1"]),
        ("Hulpvragen met een reactie binnen 3 dagen", ["\u2013", "nog", "niet", "bekend"]),
    ]
    assert home.index('id="villages-title"') < home.index('id="figures-block-title"')
    assert "figures-block-title" not in page(client_for("grave").get("/"))
    assert "How we help each other" in page(in_english(client_for("cuijk")).get("/"))
