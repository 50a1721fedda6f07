"""Private conversations that a reply opens, their messages, blocks and reports."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.accounts.models import User
from buurtplatform.columns import UTCDateTime, enum_type
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing
from buurtplatform.moderated import Moderated, content_of
from buurtplatform.timestamps import utcnow
from tenants.scoping import TenantScoped

if TYPE_CHECKING:
    from buurtplatform.board.models import BoardComment, BoardPost

# How much of a message names it in the reports queue and in emails.
SUMMARY_LENGTH = 80


class Conversation(TenantScoped, db.Model):
    """Between two people, nobody else reads it: the author of a listing and someone who
    replied to it, or (without a listing) a helper and someone who approached them."""

    __tablename__ = "conversations"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "listing_id", "author_id", "replier_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    replier_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    author_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replier_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    listing: Mapped[Listing | None] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    replier: Mapped[User] = relationship(foreign_keys=[replier_id])
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.created_at, Message.id"
    )

    def involves(self, user_id: int) -> bool:
        return user_id in (self.author_id, self.replier_id)

    def other_person(self, user_id: int) -> User:
        return self.replier if user_id == self.author_id else self.author

    def name_of(self, user: User) -> str:
        """How the conversation names `user`: a coordinator who asked for someone who is not
        online says so. Lazy, so that an email shows it in its reader's language."""
        if user.id == self.author_id and self.listing and self.listing.offline_person_id:
            return _l("%(name)s, social worker, on behalf of a neighbour", name=user.display_name)
        return user.display_name


class Message(Moderated, TenantScoped, db.Model):
    """What one person wrote in a conversation. A connector who hides it sees only this one
    message of the conversation, never the rest."""

    __tablename__ = "messages"
    __table_args__ = (
        sa.Index("ix_messages_conversation_created", "conversation_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE")
    )
    sender_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    sender: Mapped[User] = relationship()

    @property
    def content_author_id(self) -> int:
        return self.sender_id

    @property
    def content_summary(self) -> str:
        return self.body if len(self.body) <= SUMMARY_LENGTH else self.body[:SUMMARY_LENGTH] + "…"

    @property
    def content_kind(self) -> str:
        return _l("message in a conversation")


class Block(TenantScoped, db.Model):
    """`blocker` no longer hears from `blocked` in this municipality."""

    __tablename__ = "blocks"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "blocker_id", "blocked_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    blocked_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReportReason(enum.StrEnum):
    SPAM = "spam"
    RUDE = "rude"
    UNSAFE = "unsafe"
    PERSONAL_DATA = "personal_data"
    OTHER = "other"


# In the order the report form offers them.
REPORT_REASONS = {
    ReportReason.SPAM: _l("Spam or advertising"),
    ReportReason.RUDE: _l("Rude or hurtful"),
    ReportReason.UNSAFE: _l("Unsafe, or a scam"),
    ReportReason.PERSONAL_DATA: _l("Someone's personal details are shared"),
    ReportReason.OTHER: _l("Something else"),
}


class Report(TenantScoped, db.Model):
    """Content someone reported (a listing, a message, a board post or comment); the
    municipality's connectors handle it."""

    __tablename__ = "reports"
    __table_args__ = (sa.Index("ix_reports_tenant_handled", "tenant_id", "handled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    listing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"))
    board_post_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("board_posts.id", ondelete="CASCADE")
    )
    board_comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("board_comments.id", ondelete="CASCADE")
    )
    reason_code: Mapped[ReportReason] = mapped_column(
        enum_type(ReportReason), default=ReportReason.OTHER, server_default=ReportReason.OTHER.value
    )
    # The reporter's own words: needed for "something else", optional for the others.
    reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    reporter: Mapped[User] = relationship()
    listing: Mapped[Listing | None] = relationship()
    message: Mapped[Message | None] = relationship()
    # By name: the board's models import nothing of conversations, and this none of the board.
    board_post: Mapped[BoardPost | None] = relationship("BoardPost")
    board_comment: Mapped[BoardComment | None] = relationship("BoardComment")

    @property
    def content(self) -> Moderated | None:
        return content_of(self)

    @property
    def reason_label(self) -> str:
        return REPORT_REASONS[self.reason_code]
