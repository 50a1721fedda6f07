"""A match: an ask or offer and the person it was agreed with. Kept for the figures."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.accounts.models import User
from buurtplatform.columns import UTCDateTime, enum_type
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing
from buurtplatform.timestamps import utcnow
from tenants.scoping import TenantScoped


class Outcome(enum.StrEnum):
    DONE = "done"
    NOT_DONE = "not_done"


class Match(TenantScoped, db.Model):
    __tablename__ = "matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("listings.id", ondelete="CASCADE"), unique=True
    )
    # The other side: a member, or (matched by phone by a coordinator) just a name.
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    partner_name: Mapped[str | None] = mapped_column(sa.String(120))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    author_outcome: Mapped[Outcome | None] = mapped_column(enum_type(Outcome, length=10))
    partner_outcome: Mapped[Outcome | None] = mapped_column(enum_type(Outcome, length=10))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When both sides were asked "did it work out?" (once, a few days after the match).
    follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Deleting a listing deletes its match (as the foreign key does): without the cascade the
    # ORM would first set listing_id to NULL, which the column refuses.
    listing: Mapped[Listing] = relationship(
        backref=sa.orm.backref("match", uselist=False, cascade="all, delete-orphan")
    )
    partner: Mapped[User | None] = relationship(foreign_keys=[partner_id])

    @property
    def partner_display_name(self) -> str:
        return self.partner.first_name if self.partner else (self.partner_name or "")
