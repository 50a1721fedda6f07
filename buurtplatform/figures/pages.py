"""A figures page and its CSV files, for any kind of group: a municipality's page (per village)
and the platform admins' page on the portal (per municipality) differ only in their groups,
their form and their addresses, so both are made here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers import Response

from buurtplatform.figures import export
from buurtplatform.figures.charts import Bar, bar_chart
from buurtplatform.figures.definitions import FIGURES, Figure, Unit, Value
from buurtplatform.figures.forms import ChoiceForm
from buurtplatform.figures.periods import Span, month_in_words
from buurtplatform.figures.tables import (
    FiguresPage,
    Group,
    Period,
    Series,
    figures_page,
    in_words,
    short_label,
    shown,
)
from buurtplatform.timestamps import utcnow
from jobs.periods import local_day


@dataclass(frozen=True)
class Cell:
    text: str
    known: bool


@dataclass(frozen=True)
class FigureView:
    """One figure as the page shows it: its chart, and its table of periods in words."""

    figure: Figure
    per_group: bool
    place: str  # the chosen group's name, or all of them
    chart: Markup
    value_heading: str
    rows: list[tuple[str, Cell]]


@dataclass(frozen=True)
class Where:
    """What differs between the municipality's page and the platform admins' page."""

    place: str  # for file names: the municipality's slug, or "alle-gemeenten"
    everything: str  # all groups, in a sentence: "de hele gemeente", "alle gemeenten"
    group_heading: str  # the first column of the table of all groups
    page_endpoint: str
    export_endpoint: str


def read_choice(form: ChoiceForm, groups: list[Group], everything: str) -> FiguresPage:
    """The page for the choice in the query string; a wrong choice shows the default."""
    form.offer(groups, everything)
    return figures_page(
        form.by,
        form.chosen_period(),
        groups,
        form.chosen_group(groups),
        local_day(utcnow()),
    )


def render(page: FiguresPage, form: ChoiceForm, where: Where, title: str) -> str:
    place = page.chosen.name if page.chosen else where.everything
    return render_template(
        "figures/index.html",
        title=title,
        page=page,
        form=form,
        where=where,
        place=place,
        figures=[
            figure_view(series, page.period, place if series.per_group else where.everything)
            for series in page.series
        ],
        latest=in_words(page.latest, page.period),
        table=group_table(page),
        export_args=export_args(form, page),
        table_name=export.table_name(page),
    )


def figure_view(series: Series, period: Period, place: str) -> FigureView:
    unit = series.figure.unit
    spans = [span for span, _value in series.values]
    description = chart_description(series.figure, period, place, spans[0], spans[-1])
    chart = bar_chart(
        f"chart-{series.figure.name}",
        str(series.figure.label),
        description,
        [
            Bar(short_label(span, period), value, shown(value, unit))
            for span, value in series.values
        ],
    )
    rows = [(in_words(span, period), cell(value, series.figure)) for span, value in series.values]
    return FigureView(series.figure, series.per_group, place, chart, value_heading(unit), rows)


def chart_description(figure: Figure, period: Period, place: str, first: Span, last: Span) -> str:
    """What the chart shows, for those who cannot see it; its table has the numbers."""
    if period is Period.WEEK:
        return _(
            "%(figure)s for %(place)s, per week, from the week of %(first)s to the week of "
            "%(last)s. The table next to it has every number.",
            figure=figure.label,
            place=place,
            first=format_date(first.first, "d MMMM"),
            last=format_date(last.first, "d MMMM y"),
        )
    return _(
        "%(figure)s for %(place)s, per month, from %(first)s to %(last)s. The table next to it "
        "has every number.",
        figure=figure.label,
        place=place,
        first=month_in_words(first),
        last=month_in_words(last),
    )


def value_heading(unit: Unit) -> str:
    return {Unit.PERCENT: _("Share"), Unit.HOURS: _("Time")}.get(unit) or _("How many")


def cell(value: Value, figure: Figure) -> Cell:
    return Cell(shown(value, figure.unit), value is not None)


def group_table(page: FiguresPage) -> list[tuple[str, list[Cell]]]:
    """Every group in the latest complete period, then the total."""
    return [
        (
            group.name if group else _("Total"),
            [cell(page.value(f, page.latest, group), f) for f in page.table_figures],
        )
        for group in [*page.groups, None]
    ]


def export_args(form: ChoiceForm, page: FiguresPage) -> dict[str, str | int]:
    """The choice, carried into the CSV links so that a file holds what the page shows."""
    args: dict[str, str | int] = {form.period.name: page.period.value}
    if page.chosen:
        args[form.group.name] = page.chosen.id
    return args


def csv_file(page: FiguresPage, name: str, where: Where) -> Response:
    """One figure's table, or (named `per-dorp` or `per-gemeente`) the table of all groups."""
    if name == export.table_name(page):
        rows = export.group_rows(page, where.group_heading)
        return export.csv_response(rows, export.filename(where.place, name, page, group=None))
    figure = FIGURES.get(name)
    if figure is None:
        abort(404)
    rows = export.figure_rows(page, figure)
    return export.csv_response(rows, export.filename(where.place, name, page, page.chosen))
