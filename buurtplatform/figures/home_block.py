"""A few of this month's figures on the home page: "Zo helpen we elkaar".

The block reads the same functions as the figures page and the coordinators' digest
(`definitions.values`), and shows them as the figures page does (`tables.shown`), so the
three never disagree. It comes last until a municipality's connectors place it.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l

from buurtplatform.figures.definitions import FIGURES, By, values
from buurtplatform.figures.periods import month_in_words, month_of
from buurtplatform.figures.tables import shown
from buurtplatform.site.blocks import home_block
from buurtplatform.timestamps import utcnow
from jobs.periods import local_day

# The figures shown, in this order: one query each.
HOME_FIGURES = ("asks", "matches", "answered_in_3_days")


@home_block("figures", _l("How we help each other"), position=95)
def figures_block() -> str | None:
    """None while nothing was asked or agreed this month: a row of zeros tells nobody much."""
    month = month_of(local_day(utcnow()))
    found = values(HOME_FIGURES, [month], By.VILLAGE)
    totals = {name: found[name][month.key][None] for name in HOME_FIGURES}
    if not (totals["asks"] or totals["matches"]):
        return None
    shown_figures = [
        (FIGURES[name].label, shown(totals[name], FIGURES[name].unit), totals[name] is not None)
        for name in HOME_FIGURES
    ]
    return render_template(
        "figures/_home_block.html", month=month_in_words(month), figures=shown_figures
    )
