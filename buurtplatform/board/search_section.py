"""The board's posts, as a kind of content the search of the whole site finds."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from buurtplatform.board.models import BoardPost
from buurtplatform.board.services import board_posts
from buurtplatform.site_search.sections import search_section


@search_section(
    "board",
    _l("Board"),
    model=BoardPost,
    template="board/_search_hits.html",
    list_endpoint="board.index",
    position=20,
)
def searchable_posts() -> sa.Select:
    return board_posts()
