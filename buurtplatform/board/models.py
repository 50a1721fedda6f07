"""Posts on the prikbord and their comments."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.accounts.models import User
from buurtplatform.columns import UTCDateTime, enum_type
from buurtplatform.extensions import db
from buurtplatform.moderated import Moderated
from buurtplatform.search import searchable
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tenants.scoping import TenantScoped

# How much of a comment names it in the reports queue and in emails.
SUMMARY_LENGTH = 80


class PostKind(enum.StrEnum):
    TIP = "tip"
    EXPERIENCE = "experience"
    # A question to the whole neighbourhood, answered in comments: not an ask for help.
    QUESTION = "question"
    WANTED = "wanted"
    OFFERED = "offered"


# In the order the form and the filter offer them.
POST_KINDS: dict[PostKind, LazyString] = {
    PostKind.TIP: _l("Tip"),
    PostKind.EXPERIENCE: _l("Experience"),
    PostKind.QUESTION: _l("Question to the neighbourhood"),
    PostKind.WANTED: _l("Wanted"),
    PostKind.OFFERED: _l("On offer"),
}


class BoardPost(Moderated, TenantScoped, db.Model):
    """Something a member shares with the whole municipality. Comments are public too;
    private talk stays in conversations."""

    __tablename__ = "board_posts"
    __table_args__ = (
        # The board, pinned posts first and then newest first.
        sa.Index("ix_board_posts_tenant_pinned_created", "tenant_id", "pinned_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PostKind] = mapped_column(enum_type(PostKind))
    title: Mapped[str] = mapped_column(sa.String(100))
    # Small Markdown, shown through the `markdown` filter.
    body: Mapped[str] = mapped_column(sa.Text)
    village_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("villages.id", ondelete="SET NULL")
    )
    author_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # A key in buurtplatform.storage; the photo was checked and re-encoded on upload.
    photo_key: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set by a connector: pinned posts come first, the latest pinned on top.
    pinned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set by a connector: nobody comments any more.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    village: Mapped[Village | None] = relationship()
    author: Mapped[User] = relationship()
    comments: Mapped[list[BoardComment]] = relationship(
        back_populates="post",
        order_by="BoardComment.created_at, BoardComment.id",
        passive_deletes=True,
    )

    @property
    def kind_label(self) -> LazyString:
        return POST_KINDS[self.kind]

    @property
    def content_author_id(self) -> int:
        return self.author_id

    @property
    def content_summary(self) -> str:
        return self.title

    @property
    def content_kind(self) -> LazyString:
        return _l("post on the board")

    def __repr__(self) -> str:
        return f"<BoardPost {self.id} {self.kind} {self.title!r}>"


# Found by the board's own search and by the site-wide search (buurtplatform/search.py).
searchable(BoardPost, columns=("title", "body"))


class BoardComment(Moderated, TenantScoped, db.Model):
    """A member's public answer under a post."""

    __tablename__ = "board_comments"
    __table_args__ = (sa.Index("ix_board_comments_post_created", "post_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("board_posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    post: Mapped[BoardPost] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()

    @property
    def content_author_id(self) -> int:
        return self.author_id

    @property
    def content_summary(self) -> str:
        return self.body if len(self.body) <= SUMMARY_LENGTH else self.body[:SUMMARY_LENGTH] + "…"

    @property
    def content_kind(self) -> LazyString:
        return _l("comment on the board")
