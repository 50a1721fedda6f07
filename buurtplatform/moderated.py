"""Content that connectors moderate: asks and offers, messages, the board's posts and comments.

Each kind of content inherits `Moderated`, shows only what `public()` lets through in lists
and to other people, and says who wrote it and how to name it in the reports queue and in
emails. The Beheer feature hides, shows and approves any of them through one service
(`buurtplatform.beheer.decisions`); the content's own feature hears of it through the signals
below, without importing Beheer.

Reports and decisions point at the content through one nullable foreign key per kind
(`listing_id`, `message_id` …), named in `CONTENT_COLUMNS`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from blinker import Namespace
from flask_babel import LazyString
from sqlalchemy.orm import Mapped, mapped_column

from buurtplatform.columns import UTCDateTime
from buurtplatform.extensions import db
from tenants.scoping import current_tenant

if TYPE_CHECKING:
    from buurtplatform.accounts.models import Membership

_signals = Namespace()
# Sent with the content's class as sender, `content=` and `report=` when a member reported
# content (Beheer tells the connectors, and hides it after enough reports); the caller commits.
reported = _signals.signal("reported")
# Sent with the content's class as sender and `content=` the new content that waits for a
# connector's approval (Beheer tells the connectors).
awaits_approval = _signals.signal("awaits-approval")
# Sent with the content's class as sender and `content=` once approved content is public:
# its feature does what it does for new content (helpers hear of a new ask).
approved = _signals.signal("approved")

# The table of each kind of content -> the column that points at it in reports and decisions.
# Each column's relationship has its name without "_id" (`Report.board_post`).
CONTENT_COLUMNS = {
    "listings": "listing_id",
    "messages": "message_id",
    "board_posts": "board_post_id",
    "board_comments": "board_comment_id",
}


class Moderated:
    """Mixin for content that connectors can hide, and that may wait for their approval."""

    # When a connector (or enough reports) hid it; None while it is shown.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Told to the author; empty when reports hid it and nobody has looked yet.
    hidden_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # A new member's first post, not shown until a connector approves it.
    awaiting_approval: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @classmethod
    def public(cls) -> sa.ColumnElement[bool]:
        """The condition for content that anyone may see: add it to every list and search."""
        return sa.and_(cls.hidden_at.is_(None), cls.awaiting_approval.is_(False))

    @property
    def is_public(self) -> bool:
        return self.hidden_at is None and not self.awaiting_approval

    @property
    def content_author_id(self) -> int:
        """Who wrote it: the person told of a decision, who may answer it once."""
        raise NotImplementedError

    @property
    def content_summary(self) -> str:
        """A few words that name it in the queue and in emails."""
        raise NotImplementedError

    @property
    def content_kind(self) -> LazyString:
        """What it is, in a sentence: "hulpvraag", "bericht in een gesprek" …"""
        raise NotImplementedError


def about(model: type, content: Moderated) -> sa.ColumnElement[bool]:
    """The condition for `model`'s rows (reports, decisions) about `content`."""
    return getattr(model, CONTENT_COLUMNS[content.__tablename__]) == content.id


def pointing_at(content: Moderated) -> dict[str, int]:
    """The keyword arguments that make a report or decision about `content`."""
    return {CONTENT_COLUMNS[content.__tablename__]: content.id}


def content_of(row: object) -> Moderated | None:
    """What a report or decision is about: the one content relationship that is set."""
    for column in CONTENT_COLUMNS.values():
        if getattr(row, column) is not None:
            return getattr(row, column.removesuffix("_id"))
    return None


def first_one_waits(model: type[Moderated], member: Membership | None) -> bool:
    """With the municipality's setting on, a member's `model` content (a listing, a board
    post) waits for a connector until they have one of that kind on the site. Staff never
    wait, nor does what is posted outside a request (`member` None)."""
    from buurtplatform.accounts.models import Role  # not above: accounts imports Beheer

    if not current_tenant().approve_first_posts or member is None:
        return False
    if member.role in (Role.CONNECTOR, Role.COORDINATOR):
        return False
    shown_before = sa.select(model.id).where(model.author_id == member.user_id, model.public())
    return db.session.scalar(shown_before.limit(1)) is None
