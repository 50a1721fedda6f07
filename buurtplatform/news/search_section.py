"""Current news, as a kind of content the search of the whole site finds."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from buurtplatform.news.models import NewsItem
from buurtplatform.news.services import current_news
from buurtplatform.site_search.sections import search_section


@search_section(
    "news",
    _l("News"),
    model=NewsItem,
    template="news/_search_hits.html",
    list_endpoint="news.index",
    position=40,
)
def searchable_news() -> sa.Select:
    return current_news()
