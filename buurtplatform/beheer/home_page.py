"""The home page's blocks in Beheer ("Startpagina"): which show, and in what order.

Each button is its own small form (move up, move down, show, hide), so that the page works
without JavaScript and every click is one audited change."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from buurtplatform.accounts.sessions import connector_required
from buurtplatform.beheer import bp
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.beheer.forms import HomeBlockForm
from buurtplatform.beheer.sections import beheer_section
from buurtplatform.extensions import db
from buurtplatform.site.blocks import PlacedBlock, as_choice, layout

beheer_section(
    "beheer.home_blocks",
    _l("Home page"),
    _l("What the home page shows below the welcome, and in what order."),
    position=13,
)
register_actions({"settings.home_blocks_changed": _l("Changed the blocks on the home page")})


@bp.route("/startpagina", methods=["GET", "POST"])
@connector_required
def home_blocks() -> str | Response:
    form = HomeBlockForm()
    if form.validate_on_submit():
        placed = layout(g.tenant)
        keys = [item.key for item in placed]
        if form.block.data not in keys:
            abort(404)  # a block that no longer exists
        index = keys.index(form.block.data)
        title = str(placed[index].title)
        change, said = _change(placed, index, form.change.data)
        if change is not None:
            g.tenant.home_blocks = as_choice(change)
            record("settings.home_blocks_changed", f"{title}: {said}", link=url_for("site.index"))
            db.session.commit()
            flash(_("Saved: %(block)s %(change)s.", block=title, change=said), "success")
        return redirect(url_for("beheer.home_blocks", _anchor=f"block-{form.block.data}"))
    return render_template("beheer/home_blocks.html", placed=layout(g.tenant), form=form)


def _change(
    placed: list[PlacedBlock], index: int, change: str
) -> tuple[list[PlacedBlock] | None, str]:
    """`placed` after `change` to the block at `index` and the change in words; None when
    nothing changes (the first block moved up, a shown block shown)."""
    placed = list(placed)
    item = placed[index]
    if change in ("up", "down"):
        other = index - 1 if change == "up" else index + 1
        if not 0 <= other < len(placed):
            return None, ""
        placed[index], placed[other] = placed[other], item
        return placed, _("moved up") if change == "up" else _("moved down")
    shown = change == "show"
    if item.shown == shown:
        return None, ""
    placed[index] = PlacedBlock(item.block, shown)
    return placed, _("shown") if shown else _("hidden")
