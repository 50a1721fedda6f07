"""The figures as CSV files, for a municipality's own reports.

The format is what Dutch Excel opens with a double click: UTF-8 with a byte order mark (without
it Excel reads "é" as "Ã©"), `;` between the columns (Dutch Excel takes `,` for the decimal
comma), numbers with a decimal comma in Dutch and a point in English, and no thousands
separator, so that every cell is a number to a spreadsheet. A value that is not known is an
empty cell. Shares are percentages (0 to 100); durations are in hours.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response
from flask_babel import format_decimal
from flask_babel import gettext as _

from buurtplatform.figures.definitions import By, Figure, Unit, Value
from buurtplatform.figures.tables import FiguresPage, Group, in_words

BOM = "\ufeff"


def table_name(page: FiguresPage) -> str:
    """The address name of the table of all groups: `per-dorp.csv` or `per-gemeente.csv`."""
    return "per-gemeente" if page.by is By.MUNICIPALITY else "per-dorp"


def figure_rows(page: FiguresPage, figure: Figure) -> Iterable[list[str]]:
    """One figure over the periods, as the page's table shows it."""
    series = next(s for s in page.series if s.figure is figure)
    yield [_("Period"), _("First day"), _("Last day"), heading(figure)]
    for span, value in series.values:
        yield [
            in_words(span, page.period),
            span.first.isoformat(),
            span.last.isoformat(),
            cell(value),
        ]


def group_rows(page: FiguresPage, group_heading: str) -> Iterable[list[str]]:
    """Every group in the latest complete period, and the total."""
    figures = page.table_figures
    yield [group_heading, *(heading(f) for f in figures)]
    for group in [*page.groups, None]:
        yield [
            group.name if group else _("Total"),
            *(cell(page.value(f, page.latest, group)) for f in figures),
        ]


def heading(figure: Figure) -> str:
    """The figure's label, with its unit when it is not a plain number."""
    if figure.unit is Unit.PERCENT:
        return f"{figure.label} (%)"
    if figure.unit is Unit.HOURS:
        return _("%(figure)s (hours)", figure=figure.label)
    return str(figure.label)


def cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return format_decimal(value, format="0.##")


def csv_response(rows: Iterable[list[str]], filename: str) -> Response:
    buffer = io.StringIO()
    buffer.write(BOM)
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response


def filename(place: str, name: str, page: FiguresPage, group: Group | None) -> str:
    """E.g. `cijfers-cuijk-asks-beers-week-2026-09-07-tot-2026-11-29.csv`: whose, what, for
    which group, which periods."""
    first, last = page.spans[0].first, page.spans[-1].last
    which = f"-{'-'.join(group.name.lower().split())}" if group else ""
    return f"cijfers-{place}-{name}{which}-{page.period.value}-{first}-tot-{last}.csv"
