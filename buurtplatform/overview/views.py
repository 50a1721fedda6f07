"""The weekly overview's pages: the whole municipality, or one village (chosen with a plain
GET form, so no JavaScript is needed)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from buurtplatform.beheer.sections import beheer_section
from buurtplatform.extensions import db
from buurtplatform.listings.services import villages
from buurtplatform.overview import bp
from buurtplatform.overview.services import weekly_overview
from buurtplatform.timestamps import utcnow
from tenants.models import Village

beheer_section(
    "overview.index",
    _l("Weekly overview to print"),
    _l(
        "Neighbourhood news of this week on paper, for the library, the community centre "
        "or the supermarket."
    ),
    position=20,
)


@bp.get("/buurtnieuws")
def index() -> str | Response:
    village_id = request.args.get("dorp", type=int)
    if village_id:
        return redirect(url_for(".village", village_id=village_id))
    return _page(None)


@bp.get("/buurtnieuws/<int:village_id>")
def village(village_id: int) -> str:
    return _page(db.get_or_404(Village, village_id))


def _page(village: Village | None) -> str:
    return render_template(
        "overview/week.html", overview=weekly_overview(village, utcnow()), villages=villages()
    )
