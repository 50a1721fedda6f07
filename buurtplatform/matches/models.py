"""A match: an ask or offer and the person it was agreed with. Kept for the figures.

An ask has one match; an offer can help several people, one match each."""

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


# The `slot` of an ask's one match; an offer's matches use the helped person's id.
ASK_SLOT = 0


class Match(TenantScoped, db.Model):
    __tablename__ = "matches"
    # An ask has one match; an offer one per person it helped. The database holds this, so
    # that a double submit records nothing twice.
    __table_args__ = (sa.UniqueConstraint("listing_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"))
    # ASK_SLOT for an ask; for an offer the partner's user id, or for a partner known only by
    # name (a coordinator's match by phone) a negative number made from the name. NULL only in
    # rows from before names had a slot.
    slot: Mapped[int | None] = mapped_column()
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

    # Deleting a listing deletes its matches (as the foreign key does): without the cascade
    # the ORM would first set listing_id to NULL, which the column refuses.
    listing: Mapped[Listing] = relationship(
        backref=sa.orm.backref("matches", cascade="all, delete-orphan", order_by="Match.id")
    )
    partner: Mapped[User | None] = relationship(foreign_keys=[partner_id])

    @property
    def partner_display_name(self) -> str:
        return self.partner.display_name if self.partner else (self.partner_name or "")
