"""Notes that connectors and coordinators leave on an ask for each other."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.accounts.models import User
from buurtplatform.columns import UTCDateTime
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.scoping import TenantScoped

NOTE_MAX = 1000


class StaffNote(TenantScoped, db.Model):
    """A note for colleagues on an ask ("I called her, she still needs help"). Only staff
    ever see it: never the asker, nor anyone else on the site.

    Notes are not in the audit log: they decide nothing about someone's content or role, they
    are colleagues talking."""

    __tablename__ = "staff_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    # A note goes with its author's account: it is their words.
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<StaffNote {self.id} on {self.listing_id}>"
