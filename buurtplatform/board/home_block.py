"""The latest tips and experiences from the board, as a block on the home page."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l

from buurtplatform.board.models import BoardPost, PostKind
from buurtplatform.board.services import board_posts
from buurtplatform.extensions import db
from buurtplatform.site.blocks import home_block

HOME_TIPS = 3


@home_block("tips", _l("Recent tips"), position=40)
def recent_tips_block() -> str:
    """The newest, not the pinned first: the home page shows what is new. Shown also when
    empty: its empty state invites the first tip."""
    tips = db.session.scalars(
        board_posts()
        .where(BoardPost.kind.in_([PostKind.TIP, PostKind.EXPERIENCE]))
        .order_by(None)
        .order_by(BoardPost.created_at.desc(), BoardPost.id.desc())
        .limit(HOME_TIPS)
    ).all()
    return render_template("board/_home_block.html", tips=tips)
