"""The week on screen (/werkbank/week/<Monday>) and the coordinators' digest: one calendar
week (Monday 00:00 to Sunday 24:00 in Amsterdam), named in words, with the same figures and
the same asks on the page as in the email."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask_babel import force_locale

from buurtplatform.accounts.models import Role, User
from buurtplatform.extensions import db
from buurtplatform.figures.definitions import FIGURES
from buurtplatform.listings.models import Kind, Status
from jobs.digests import FigureLine, record_coordinator_digest
from jobs.periods import current_week
from tests.listing_helpers import (
    add_listing,
    counting_queries,
    in_english,
    page,
    set_listing,
    signed_in,
    village_ids,
)

# Monday 23 November 2026, 08:00 in Amsterdam: the digest about 16 to 22 November goes out.
SENT = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
WEEK = "/werkbank/week/2026-11-16"


def local(day: int, hour: int, month: int = 11) -> datetime:
    """A moment in November 2026 (winter time, UTC+1) given in Amsterdam's time."""
    return datetime(2026, month, day, hour, 0, tzinfo=UTC) - timedelta(hours=1)


@pytest.fixture
def wendy(make_user):
    return make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl", first_name="Wendy")


@pytest.fixture
def week_of_asks(app, make_user):
    """In Cuijk, around the week of 16 to 22 November: asks with and without a reply, one
    from the week before, an offer; in Grave an ask that Cuijk's week must never show."""
    annie = make_user("cuijk", first_name="Annie")
    expires = {"expires_at": local(30, 12, month=12)}
    add_listing(app, annie, title="Boodschappen in Beers", created_at=local(18, 10), **expires)
    add_listing(app, annie, title="Een lift naar Boxmeer", created_at=local(10, 9), **expires)
    answered = add_listing(app, annie, title="Hulp met de tuin", created_at=local(17, 9), **expires)
    set_listing(app, answered, first_reply_at=local(17, 12))
    add_listing(
        app, annie, kind=Kind.OFFER, title="Ik kook graag", created_at=local(19, 15), **expires
    )
    grave = make_user("grave")
    add_listing(app, grave, "grave", title="Vraag uit Grave", created_at=local(18, 11), **expires)


def digest_for(app, user: User, moment: datetime = SENT):
    """Record and send `user`'s digest at `moment`; the message as it was sent."""
    with time_machine.travel(moment, tick=False), app.app_context():
        email = record_coordinator_digest(user.id, current_week(moment), moment)
        assert email is not None
        return email.subject, email.body_text


def week_page(client_for, user: User, url: str = WEEK, moment: datetime = SENT, **kw) -> str:
    """The page as `user` sees it at `moment` (signed in then: a session ages with the clock)."""
    with time_machine.travel(moment, tick=False):
        client = signed_in(client_for, user)
        if kw.get("english"):
            in_english(client)
        response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(page(response).split('<main id="inhoud"')[1].split("</main>")[0])


def figures_in_text(text: str) -> dict[str, tuple[str, str]]:
    block = text.split("Cijfers (deze week, de week ervoor)")[1].split("Hulpvragen nog zonder")[0]
    return {
        label: (this, before)
        for label, this, before in re.findall(r"^- (.+): (\S+) \((\S+)\)$", block, re.M)
    }


def figures_on_page(shown: str) -> dict[str, tuple[str, str]]:
    rows = re.findall(
        r'<th scope="row">(.*?)<span class="hint">.*?</span></th>\s*'
        r"<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>",
        shown,
        re.S,
    )
    return {label.strip(): (_cell(this), _cell(before)) for label, this, before in rows}


def _cell(cell: str) -> str:
    """A table cell's value as it looks: without the words for screen readers."""
    return re.sub(r"<[^>]+>", "", re.sub(r'<span class="visually-hidden">.*?</span>', "", cell))


def section_of(text: str, start: str, end: str) -> str:
    return text.split(start)[1].split(end)[0]


def test_the_digest_and_the_page_show_the_same_figures_and_asks(
    app, client_for, wendy, week_of_asks
):
    subject, text = digest_for(app, wendy)
    shown = week_page(client_for, wendy)

    figures = figures_in_text(text)
    assert figures["Geplaatste hulpvragen"] == ("2", "1")
    assert figures["Geplaatst hulpaanbod"] == ("1", "0")
    assert figures_on_page(shown) == figures

    unanswered_text = section_of(text, "Hulpvragen nog zonder reactie", "Nieuwe hulpvragen")
    unanswered_page = section_of(shown, "Hulpvragen zonder reactie", "Nieuwe hulpvragen")
    new_text = section_of(text, "Nieuwe hulpvragen en nieuw hulpaanbod", "Gemaakte afspraken")
    new_page = section_of(shown, "Nieuwe hulpvragen en nieuw hulpaanbod", "Gemaakte afspraken")
    for title, unanswered, new in (
        ("Boodschappen in Beers", True, True),
        ("Een lift naar Boxmeer", True, False),  # posted the week before
        ("Hulp met de tuin", False, True),  # it has a reply
        ("Ik kook graag", False, True),
        ("Vraag uit Grave", False, False),  # another municipality
    ):
        assert (title in unanswered_text) is unanswered, title
        assert (title in unanswered_page) is unanswered, title
        assert (title in new_text) is new, title
        assert (title in new_page) is new, title
    assert "Vraag uit Grave" not in text and "Vraag uit Grave" not in shown
    assert "(4 dagen)" in unanswered_text and "(4 dagen)" in unanswered_page  # since the 18th

    # The email names the week in words, and links to this page for its week.
    assert subject == (
        "Je weekoverzicht van de buurtplatforms (week van maandag 16 tot en met zondag 22 november)"
    )
    assert "Dit is er gebeurd in de week van maandag 16 tot en met zondag 22 november." in text
    assert f"http://cuijk.buurt.test{WEEK}" in text
    assert (
        "Alle cijfers, per week en per maand, en hoe we ze tellen: http://cuijk.buurt.test/cijfers"
        in text
    )
    assert 'href="/cijfers">Alle cijfers' in shown


def test_a_past_week_shows_the_asks_nobody_had_answered_at_its_end(
    app, client_for, wendy, make_user
):
    """Looked at later, the week of 16 to 22 November still shows what was open then."""
    annie = make_user("cuijk")
    expires = {"expires_at": local(30, 12, month=12)}
    later = add_listing(app, annie, title="Later beantwoord", created_at=local(16, 9), **expires)
    set_listing(app, later, first_reply_at=local(24, 9), status=Status.MATCHED)
    set_listing(app, later, matched_at=local(25, 9))
    closed = add_listing(app, annie, title="Eerder gesloten", created_at=local(16, 9), **expires)
    set_listing(app, closed, status=Status.CLOSED, closed_at=local(20, 9))
    add_listing(app, annie, title="Na de week", created_at=local(23, 9), **expires)

    shown = week_page(client_for, wendy, moment=local(2, 12, month=12))
    unanswered = section_of(shown, "Hulpvragen zonder reactie", "Nieuwe hulpvragen")
    assert "Later beantwoord" in unanswered
    assert "(6 dagen)" in unanswered  # Monday 16 09:00 to Sunday 24:00
    assert "Eerder gesloten" not in unanswered
    assert "Na de week" not in shown


def test_a_week_across_the_change_of_clock_holds_its_seven_local_days(
    app, client_for, wendy, make_user
):
    """19 to 25 October 2026: summer time ends on Sunday 25 October at 03:00."""
    annie = make_user("cuijk")
    expires = {"expires_at": datetime(2026, 12, 1, tzinfo=UTC)}
    for title, created in (
        ("Zondag ervoor", datetime(2026, 10, 18, 21, 30, tzinfo=UTC)),  # Sun 18 23:30 CEST
        ("Maandag vroeg", datetime(2026, 10, 18, 22, 30, tzinfo=UTC)),  # Mon 19 00:30 CEST
        ("Zondag laat", datetime(2026, 10, 25, 22, 30, tzinfo=UTC)),  # Sun 25 23:30 CET
        ("Maandag erna", datetime(2026, 10, 25, 23, 30, tzinfo=UTC)),  # Mon 26 00:30 CET
    ):
        add_listing(app, annie, title=title, created_at=created, **expires)
    shown = week_page(
        client_for,
        wendy,
        "/werkbank/week/2026-10-19",
        datetime(2026, 10, 27, 9, tzinfo=UTC),
    )
    new = section_of(shown, "Nieuwe hulpvragen en nieuw hulpaanbod", "Gemaakte afspraken")
    assert "Maandag vroeg" in new and "Zondag laat" in new
    assert "Zondag ervoor" not in new and "Maandag erna" not in new
    assert figures_on_page(shown)["Geplaatste hulpvragen"] == ("2", "1")


def test_the_week_in_words_in_dutch_and_english(app, client_for, wendy):
    assert "<h1>Week van maandag 16 tot en met zondag 22 november</h1>" in week_page(
        client_for, wendy
    )
    across = week_page(
        client_for, wendy, "/werkbank/week/2026-11-30", datetime(2026, 12, 7, 9, tzinfo=UTC)
    )
    assert "<h1>Week van maandag 30 november tot en met zondag 6 december</h1>" in across
    english = week_page(client_for, wendy, english=True)
    assert "<h1>Week of Monday 16 to Sunday 22 November</h1>" in english

    with app.app_context():
        db.session.get(User, wendy.id).locale = "en"
        db.session.commit()
    subject, text = digest_for(app, wendy)
    assert subject == (
        "Your week on the neighbourhood platforms (week of Monday 16 to Sunday 22 November)"
    )
    assert "2026-W4" not in subject + text


def test_the_pages_of_other_weeks_and_days(app, client_for, wendy):
    moment = datetime(2026, 11, 25, 12, tzinfo=UTC)  # a Wednesday
    with time_machine.travel(moment, tick=False):
        client = signed_in(client_for, wendy)
        last = client.get("/werkbank/week")
        wednesday = client.get("/werkbank/week/2026-11-18")
        this_week = client.get("/werkbank/week/2026-11-23")
        nonsense = client.get("/werkbank/week/2026-13-45")
    assert last.headers["Location"] == WEEK
    assert wednesday.headers["Location"] == WEEK
    assert (this_week.status_code, nonsense.status_code) == (404, 404)

    shown = week_page(client_for, wendy, moment=moment)
    assert 'href="/werkbank/week/2026-11-09">De week ervoor' in shown
    assert "De week erna" not in shown  # 23 to 29 November is not over yet
    assert 'href="/buurtnieuws">' in shown
    earlier = week_page(client_for, wendy, "/werkbank/week/2026-11-09", moment)
    assert f'href="{WEEK}">De week erna' in earlier
    # No asks at all: no share to measure, a dash that screen readers read as words.
    assert figures_on_page(earlier)["Hulpvragen met een reactie binnen 3 dagen"] == (
        "\u2013",
        "\u2013",
    )
    assert '<span class="visually-hidden">nog niet bekend</span>' in earlier


def test_residents_and_other_municipalities_staff_do_not_see_the_week(app, client_for, make_user):
    annie = make_user("cuijk")
    marjo = make_user("grave", Role.COORDINATOR)
    with time_machine.travel(SENT, tick=False):
        assert signed_in(client_for, annie).get(WEEK).status_code == 403
        assert signed_in(client_for, marjo, "cuijk").get(WEEK).status_code == 403


def test_the_page_costs_the_same_queries_with_more_asks(app, client_for, wendy, make_user):
    annie = make_user("cuijk")
    villages = list(village_ids(app).values())

    def add_asks(count: int) -> None:
        for n in range(count):
            add_listing(
                app,
                annie,
                title=f"Vraag {n}",
                created_at=local(17, 9),
                expires_at=local(30, 12, month=12),
                village_id=villages[n % len(villages)],
            )

    def queries() -> int:
        with time_machine.travel(SENT, tick=False):
            client = signed_in(client_for, wendy)
            assert client.get(WEEK).status_code == 200  # caches warm, as on a live server
            with counting_queries(app) as statements:
                assert client.get(WEEK).status_code == 200
        return len(statements)

    add_asks(2)
    few = queries()
    add_asks(12)
    assert queries() == few


def test_shares_and_hours_read_as_words_and_nothing_to_measure_as_a_dash(app):
    share, hours = FIGURES["answered_in_3_days"], FIGURES["first_reply_hours"]
    with app.test_request_context():
        with force_locale("nl"):
            assert FigureLine(share, 200 / 3, None).shown(200 / 3) == "67%"
            assert FigureLine(hours, 5.25, None).shown(5.25) == "5,2 uur"
            assert FigureLine(hours, None, None).shown(None) == "\u2013"
        with force_locale("en"):
            assert FigureLine(hours, 30, None).shown(30) == "30 hours"
