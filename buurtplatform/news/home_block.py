"""The latest news, as a block on the home page."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l

from buurtplatform.news.services import latest_news
from buurtplatform.site.blocks import home_block

HOME_NEWS = 3


@home_block("news", _l("News"), position=30)
def news_block() -> str | None:
    items = latest_news(HOME_NEWS)
    return render_template("news/_home_block.html", items=items) if items else None
