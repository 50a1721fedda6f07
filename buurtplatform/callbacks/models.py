"""A call-back request: what someone left on the form, and what became of it."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.accounts.models import User
from buurtplatform.columns import UTCDateTime, enum_type
from buurtplatform.directory.models import Organisation
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tenants.scoping import TenantScoped

# A request may be closed as "not reached" only after this many tries.
TRIES_BEFORE_GIVING_UP = 3


class Outcome(enum.StrEnum):
    HELPED_BY_PHONE = "helped_by_phone"
    ASK_POSTED = "ask_posted"
    REFERRED = "referred"
    NOT_REACHED = "not_reached"


OUTCOME_LABELS = {
    Outcome.HELPED_BY_PHONE: _l("Helped on the phone"),
    Outcome.ASK_POSTED: _l("Ask for help posted on their behalf"),
    Outcome.REFERRED: _l("Referred to an organisation"),
    Outcome.NOT_REACHED: _l("Not reached after three tries"),
}


class CallbackRequest(TenantScoped, db.Model):
    __tablename__ = "callback_requests"
    __table_args__ = (
        # The form's one-time key: a double submit records one request.
        sa.UniqueConstraint("tenant_id", "form_key", name="uq_callback_requests_form_key"),
        # The werkbank's open tasks and the sweep for unclaimed ones.
        sa.Index("ix_callback_requests_open", "tenant_id", "closed_at", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_key: Mapped[str] = mapped_column(sa.String(40))
    first_name: Mapped[str] = mapped_column(sa.String(60))
    # Deleted (None) when the task is closed: only the count stays, for the figures.
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    village_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("villages.id", ondelete="SET NULL")
    )
    # "In a sentence what it is about": deleted with the phone number.
    about: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    tries: Mapped[int] = mapped_column(default=0)
    # When the coordinators and connectors were reminded that nobody claimed it (once).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[Outcome | None] = mapped_column(enum_type(Outcome, length=20))
    # For the outcome "referred": the organisation on the sociale kaart.
    referred_to_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )

    village: Mapped[Village | None] = relationship()
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    referred_to: Mapped[Organisation | None] = relationship()

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome]) if self.outcome else ""

    def __repr__(self) -> str:
        return f"<CallbackRequest {self.id} {self.first_name!r}>"
