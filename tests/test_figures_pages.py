"""The figures pages: a municipality's page for its staff (per week or month, per village), the
platform admins' page across municipalities on the portal, their SVG charts and CSV files.

The data set is small and known: last week two asks in Beers and one in Haps (Cuijk), and
four asks in Grave that must never show on Cuijk's page.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from buurtplatform.accounts.models import Role
from buurtplatform.figures.definitions import FIGURES, Unit
from buurtplatform.figures.export import cell
from buurtplatform.figures.periods import (
    month_in_words,
    month_of,
    week_of,
)
from buurtplatform.figures.tables import duration, shown
from buurtplatform.timestamps import utcnow
from jobs.periods import local_day, local_midnight
from tests.helpers import PASSWORD
from tests.listing_helpers import (
    add_listing,
    add_many_listings,
    counting_queries,
    in_english,
    page,
    signed_in,
    village_ids,
)

# Wednesday noon of last week: in last week whatever the time and the clock change.
LAST_WEEK = local_midnight(week_of(local_day(utcnow())).first - timedelta(days=5)) + timedelta(
    hours=12
)


@pytest.fixture
def asks(app, make_user):
    """Last week: two asks in Beers, one in Haps (Cuijk); four in Grave."""
    author = make_user(first_name="Gerrit")
    cuijk = village_ids(app)
    for village in ("Beers", "Beers", "Haps"):
        add_listing(app, author, village_id=cuijk[village], created_at=LAST_WEEK)
    grave_author = make_user("grave")
    grave_village = next(iter(village_ids(app, "grave").values()))
    for _ in range(4):
        add_listing(app, grave_author, "grave", village_id=grave_village, created_at=LAST_WEEK)
    return cuijk


def main(response) -> str:
    assert response.status_code == 200
    return page(response).split('<main id="inhoud"')[1].split("</main>")[0]


def table_rows(html: str, table_start: str) -> dict[str, list[str]]:
    """The rows of the table that follows `table_start`: the row's heading, then its cells
    as text (a cell that is not known reads its words for screen readers)."""
    table = html.split(table_start, 1)[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        heading = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if heading:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            rows[_text(heading.group(1))] = [_text(c) for c in cells]
    return rows


def _text(html: str) -> str:
    return re.sub(r'<span aria-hidden="true">.*?</span>|<[^>]+>', "", html).strip()


def column(rows: dict[str, list[str]], html: str, table_start: str, label: str) -> dict:
    """One column of the table of all groups, by its heading, per row."""
    table = html.split(table_start, 1)[1].split("</thead>")[0]
    headings = [_text(h) for h in re.findall(r'<th scope="col">(.*?)</th>', table, re.S)]
    index = headings.index(label) - 1
    return {name: cells[index] for name, cells in rows.items()}


def staff(client_for, make_user, role: Role = Role.COORDINATOR):
    return signed_in(client_for, make_user(role=role))


def test_staff_see_each_figure_per_village_with_its_definition_chart_and_table(
    client_for, make_user, asks
):
    shown_page = main(staff(client_for, make_user).get("/cijfers"))
    assert "Cijfers van Cuijk" in shown_page
    last_week = week_of(local_day(LAST_WEEK))
    per_village = table_rows(shown_page, 'aria-labelledby="table-title"')
    asks_column = column(
        per_village, shown_page, 'aria-labelledby="table-title"', "Geplaatste hulpvragen"
    )
    assert asks_column["Beers"] == "2"
    assert asks_column["Haps"] == "1"
    assert asks_column["Totaal"] == "3"  # Grave's four asks never count here
    with_words = shown_page.split('id="table-title">')[1].split("</h2>")[0]
    assert with_words.startswith(f"Per dorp of wijk, week van maandag {last_week.first.day} ")
    for figure in FIGURES.values():
        assert f'id="figure-{figure.name}"' in shown_page, figure.name
    section = shown_page.split('id="figure-asks"')[1].split("</section>")[0]
    assert "Zo tellen we:" in section and "Hulpvragen die in deze periode" in section
    periods = table_rows(section, '<table class="figure-table">')
    assert len(periods) == 12
    assert list(periods)[-2].startswith("week van maandag")
    assert periods[list(periods)[-2]] == ["3"]
    assert 'href="/cijfers/asks.csv?periode=week"' in section
    assert "Gerrit" not in shown_page


def test_the_same_page_in_english(client_for, make_user, asks):
    client = in_english(staff(client_for, make_user, Role.CONNECTOR))
    shown_page = main(client.get("/cijfers"))
    assert "Figures of Cuijk" in shown_page
    assert "How we count:" in shown_page and "Asks for help posted" in shown_page
    per_village = table_rows(shown_page, 'aria-labelledby="table-title"')
    asks_column = column(
        per_village, shown_page, 'aria-labelledby="table-title"', "Asks for help posted"
    )
    assert (asks_column["Beers"], asks_column["Total"]) == ("2", "3")


def test_one_village_per_month(app, client_for, make_user, asks):
    client = staff(client_for, make_user)
    shown_page = main(client.get(f"/cijfers?periode=maand&dorp={asks['Haps']}"))
    section = shown_page.split('id="figure-asks"')[1].split("</section>")[0]
    periods = table_rows(section, '<table class="figure-table">')
    with app.test_request_context():
        month = month_in_words(month_of(local_day(LAST_WEEK)))
    assert "Geplaatste hulpvragen, Haps" in section
    assert periods[month] == ["1"]
    assert f'href="/cijfers/asks.csv?periode=maand&amp;dorp={asks["Haps"]}"' in section
    assert re.search(r"<input checked[^>]*value=\"maand\"", shown_page)


def test_another_municipalitys_village_shows_the_total_of_this_one(
    app, client_for, make_user, asks
):
    grave_village = next(iter(village_ids(app, "grave").values()))
    shown_page = main(staff(client_for, make_user).get(f"/cijfers?dorp={grave_village}"))
    section = shown_page.split('id="figure-asks"')[1].split("</section>")[0]
    assert "Geplaatste hulpvragen, de hele gemeente" in section
    periods = table_rows(section, '<table class="figure-table">')
    assert periods[list(periods)[-2]] == ["3"]


def test_the_chart_is_an_image_with_a_title_and_a_description(client_for, make_user, asks):
    shown_page = main(staff(client_for, make_user).get("/cijfers"))
    svg = shown_page.split('id="figure-asks"')[1].split("</svg>")[0].split("<svg")[1]
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-asks-title chart-asks-desc"' in svg
    assert '<title id="chart-asks-title">Geplaatste hulpvragen</title>' in svg
    description = svg.split('<desc id="chart-asks-desc">')[1].split("</desc>")[0]
    assert description.startswith(
        "Geplaatste hulpvragen voor de hele gemeente, per week, van de week van "
    )
    assert svg.count('class="chart-bar"') == 12
    assert "<script" not in shown_page.split('id="figure-asks"')[1]


def test_the_csv_opens_in_dutch_excel_with_the_numbers_of_the_table(client_for, make_user, asks):
    client = staff(client_for, make_user)
    response = client.get("/cijfers/per-dorp.csv?periode=week")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=cijfers-cuijk-per-dorp-week-")
    assert response.headers["Cache-Control"] == "private, no-store"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Dorp of wijk" and "Geplaatste hulpvragen" in rows[0]
    asks_at = rows[0].index("Geplaatste hulpvragen")
    by_village = {row[0]: row[asks_at] for row in rows[1:]}
    assert (by_village["Beers"], by_village["Haps"], by_village["Totaal"]) == ("2", "1", "3")

    one = client.get(f"/cijfers/asks.csv?dorp={asks['Beers']}")
    assert "cijfers-cuijk-asks-beers-week-" in one.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(one.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Periode", "Eerste dag", "Laatste dag", "Geplaatste hulpvragen"]
    assert len(rows) == 13
    last_week = week_of(local_day(LAST_WEEK))
    assert [row[1:] for row in rows if row[1] == last_week.key] == [
        [last_week.key, last_week.last.isoformat(), "2"]
    ]
    assert client.get("/cijfers/bestaat-niet.csv").status_code == 404


def test_values_read_the_dutch_way_and_not_known_is_said_in_words(app, client_for, make_user):
    with app.test_request_context():
        assert (duration(5), duration(60), duration(1.25)) == ("5 uur", "2,5 dagen", "1,2 uur")
        assert shown(1234, Unit.NUMBER) == "1.234"
        assert shown(66.666, Unit.PERCENT) == "67%"
        assert shown(None, Unit.HOURS) == "\u2013"
        assert cell(2.5) == "2,5" and cell(None) == "" and cell(1234) == "1234"
    shown_page = main(staff(client_for, make_user).get("/cijfers"))
    if any(f.unit is not Unit.NUMBER for f in FIGURES.values()):
        assert '<span class="visually-hidden">nog niet bekend</span>' in shown_page


def test_the_page_costs_the_same_queries_for_a_few_or_many_asks(app, client_for, make_user):
    client = staff(client_for, make_user)
    author = make_user()
    assert client.get("/cijfers").status_code == 200  # the municipality is looked up once
    counts = []
    for added in (3, 300):
        add_many_listings(app, author, added)
        with counting_queries(app) as statements:
            assert client.get("/cijfers").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_connectors_find_the_figures_in_beheer(client_for, make_user):
    connector = staff(client_for, make_user, Role.CONNECTOR)
    assert 'href="/cijfers"' in page(connector.get("/beheer/"))


# Platform admins, on the portal


def portal_admin(client_for, make_user):
    admin = make_user(None, admin=True)
    portal = client_for(None)
    response = portal.post(
        "/platformbeheer/inloggen", data={"email": admin.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return portal


def test_platform_admins_see_every_municipality_and_the_total(client_for, make_user, asks):
    portal = portal_admin(client_for, make_user)
    assert 'href="/platformbeheer/cijfers"' in page(portal.get("/platformbeheer/"))
    shown_page = main(portal.get("/platformbeheer/cijfers"))
    assert "Cijfers van alle gemeenten" in shown_page
    per_municipality = table_rows(shown_page, 'aria-labelledby="table-title"')
    asks_column = column(
        per_municipality, shown_page, 'aria-labelledby="table-title"', "Geplaatste hulpvragen"
    )
    assert asks_column["Cuijk"] == "3" and asks_column["Grave"] == "4"
    assert asks_column["Sint Anthonis"] == "0"  # a municipality with nothing this week
    assert asks_column["Totaal"] == "7"

    response = portal.get("/platformbeheer/cijfers/per-gemeente.csv")
    assert "cijfers-alle-gemeenten-per-gemeente-week-" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    asks_at = rows[0].index("Geplaatste hulpvragen")
    assert {row[0]: row[asks_at] for row in rows[1:]}["Totaal"] == "7"


def test_the_platform_page_costs_the_same_queries_for_a_few_or_many_asks(
    app, client_for, make_user
):
    portal = portal_admin(client_for, make_user)
    assert portal.get("/platformbeheer/cijfers").status_code == 200
    counts = []
    for added in (3, 300):
        for slug in ("cuijk", "mill"):
            add_many_listings(app, make_user(slug), added, slug)
        with counting_queries(app) as statements:
            assert portal.get("/platformbeheer/cijfers").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_platform_figures_are_for_platform_admins_on_the_portal_only(client_for, make_user):
    portal = client_for(None)
    assert portal.get("/platformbeheer/cijfers").status_code == 302  # to signing in
    coordinator = make_user(role=Role.COORDINATOR)
    assert client_for("cuijk").get("/platformbeheer/cijfers").status_code == 404
    signed = signed_in(client_for, coordinator)
    assert signed.get("/platformbeheer/cijfers/asks.csv").status_code == 404
