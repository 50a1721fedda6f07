"""The search page."""

from __future__ import annotations

from flask import render_template, request

from buurtplatform.page_cache import shared_with_members
from buurtplatform.site_search import bp
from buurtplatform.site_search.forms import SearchForm
from buurtplatform.site_search.sections import registered_sections, search_everything


@bp.get("/zoeken")
@shared_with_members
def results() -> str:
    form = SearchForm(request.args)
    found = search_everything(form.q.data or "") if form.validate() else None
    return render_template(
        "site_search/results.html", form=form, found=found, sections=registered_sections()
    )
