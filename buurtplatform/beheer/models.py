"""The audit log: every change to settings, roles or someone's content, with who, when and why."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.accounts.models import User
from buurtplatform.columns import UTCDateTime
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.scoping import TenantScoped


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

    actor: Mapped[User | None] = relationship()

    @property
    def area(self) -> str:
        return self.action.split(".", 1)[0]
