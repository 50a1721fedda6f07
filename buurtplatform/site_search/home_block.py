"""The search box, as a block on the home page: a visitor who comes for one thing finds it."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l

from buurtplatform.site.blocks import home_block
from buurtplatform.site_search.forms import SearchForm


@home_block("search", _l("Search the site"), position=5)
def search_block() -> str:
    return render_template("site_search/_home_block.html", form=SearchForm(formdata=None))
