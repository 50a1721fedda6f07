"""The audit log: every change to settings, roles or someone's content, with who, when and
why; and the moderation decisions that authors are told of."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.columns import UTCDateTime, enum_type
from buurtplatform.extensions import db
from buurtplatform.moderated import Moderated, content_of
from buurtplatform.timestamps import utcnow
from tenants.scoping import TenantScoped

if TYPE_CHECKING:
    # Named, not imported: accounts (its invitations) writes to this log.
    from buurtplatform.accounts.models import User

if TYPE_CHECKING:  # the log is written by every feature: it imports none of them
    from buurtplatform.board.models import BoardComment, BoardPost
    from buurtplatform.conversations.models import Message
    from buurtplatform.listings.models import Listing


class AuditEntry(TenantScoped, db.Model):
    """One action in a municipality. `subject` names what it was done to as it was then (a
    listing's title, a member's first name), so that the log still reads after a deletion."""

    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_tenant_created", "tenant_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Who did it; None for the platform itself (content hidden after enough reports).
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # "<area>.<verb>", one of the actions registered in buurtplatform.beheer.audit.
    action: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    # A path on the municipality's site where the subject can be seen, if it still exists.
    link: Mapped[str | None] = mapped_column(sa.String(200))
    reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship("User")

    @property
    def area(self) -> str:
        return self.action.split(".", 1)[0]


class DecisionAction(enum.StrEnum):
    HIDDEN = "hidden"
    REJECTED = "rejected"


class Decision(TenantScoped, db.Model):
    """A connector hid someone's content or did not approve it, and told its author why. The
    author may answer it once; the answer waits in the reports queue until a connector has
    dealt with it."""

    __tablename__ = "moderation_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What it is about: one of these, as in `buurtplatform.moderated.CONTENT_COLUMNS`.
    listing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"))
    board_post_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("board_posts.id", ondelete="CASCADE")
    )
    board_comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("board_comments.id", ondelete="CASCADE")
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    action: Mapped[DecisionAction] = mapped_column(enum_type(DecisionAction))
    reason: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reply: Mapped[str | None] = mapped_column(sa.Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reply_handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    author: Mapped[User] = relationship()
    listing: Mapped[Listing | None] = relationship("Listing")
    message: Mapped[Message | None] = relationship("Message")
    board_post: Mapped[BoardPost | None] = relationship("BoardPost")
    board_comment: Mapped[BoardComment | None] = relationship("BoardComment")

    @property
    def content(self) -> Moderated | None:
        return content_of(self)
