"""An email, recorded in the same transaction as the event that causes it."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from buurtplatform.columns import UTCDateTime, enum_type
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.scoping import TenantScoped


class EmailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class Email(TenantScoped, db.Model):
    __tablename__ = "emails"
    __table_args__ = (sa.Index("ix_emails_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[EmailStatus] = mapped_column(
        enum_type(EmailStatus, length=10), default=EmailStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A worker that is sending this email holds it until then (see `jobs.mail.claim`); a
    # worker that crashed mid-send lets go when the time has passed.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The ledger key of a periodic email, e.g. "digest:12:2026-W48": unique, so that a
    # doubled or retried job records (and so sends) it once.
    ledger_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    # RFC 8058 one-click unsubscribe address, sent as List-Unsubscribe.
    unsubscribe_url: Mapped[str | None] = mapped_column(sa.String(500))
