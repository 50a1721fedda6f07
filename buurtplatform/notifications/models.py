"""Preferences per person and municipality, notifications waiting for a round-up, and the
steps of the escalation ladder already taken for an ask."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.accounts.models import Membership
from buurtplatform.columns import UTCDateTime, enum_type
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.scoping import TenantScoped


class Frequency(enum.StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"


class Topic(enum.StrEnum):
    """What a notification is about; each has its own frequency."""

    MESSAGES = "messages"  # replies and messages in my conversations
    NEW_ASKS = "new_asks"  # new asks in my categories and village


# Without a choice of their own: messages at once (someone is waiting for an answer), new
# asks only for those who opt in.
DEFAULT_FREQUENCY = {Topic.MESSAGES: Frequency.IMMEDIATELY, Topic.NEW_ASKS: Frequency.NEVER}


class NotificationPreference(TenantScoped, db.Model):
    __tablename__ = "notification_preferences"
    __table_args__ = (sa.UniqueConstraint("membership_id", "topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    topic: Mapped[Topic] = mapped_column(enum_type(Topic, length=20))
    frequency: Mapped[Frequency] = mapped_column(enum_type(Frequency, length=20))
    # For messages: whether the email carries the message itself, so that someone who reads
    # email but rarely signs in can follow the conversation.
    with_text: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    membership: Mapped[Membership] = relationship()


class PendingNotification(TenantScoped, db.Model):
    """Something to tell a person in their next daily or weekly round-up."""

    __tablename__ = "pending_notifications"
    __table_args__ = (sa.Index("ix_pending_notifications_unsent", "email_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(sa.ForeignKey("memberships.id", ondelete="CASCADE"))
    topic: Mapped[Topic] = mapped_column(enum_type(Topic, length=20))
    title: Mapped[str] = mapped_column(sa.String(200))
    link: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The round-up email that carries this item; None while it waits for one.
    email_id: Mapped[int | None] = mapped_column(sa.ForeignKey("emails.id", ondelete="SET NULL"))

    membership: Mapped[Membership] = relationship()


class LadderStep(enum.StrEnum):
    """The escalation ladder for an ask nobody answered."""

    CONNECTORS = "connectors"
    COORDINATORS = "coordinators"
    ASKER = "asker"


class EscalationStep(TenantScoped, db.Model):
    """A step of the ladder taken for an ask: committed before its emails, so each step
    happens once."""

    __tablename__ = "escalation_steps"
    __table_args__ = (sa.UniqueConstraint("listing_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"))
    step: Mapped[LadderStep] = mapped_column(enum_type(LadderStep, length=20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
