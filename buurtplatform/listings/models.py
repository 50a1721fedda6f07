"""Asks and offers (hulpvragen en hulpaanbod), their categories, and people without an
account on whose behalf a coordinator posts."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.accounts.models import Membership, User
from buurtplatform.columns import UTCDateTime, enum_type
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tenants.scoping import TenantScoped


class Kind(enum.StrEnum):
    ASK = "ask"
    OFFER = "offer"


class Status(enum.StrEnum):
    OPEN = "open"
    MATCHED = "matched"
    CLOSED = "closed"


class Timing(enum.StrEnum):
    ON_DATE = "on_date"
    FLEXIBLE = "flexible"
    WEEKLY = "weekly"


# The default categories every municipality starts with. Connectors can rename, add and remove
# them; a default one keeps its key, so that it can be shown in the visitor's language.
DEFAULT_CATEGORIES = {
    "shopping": _l("Shopping"),
    "transport": _l("Transport"),
    "odd_jobs": _l("Odd jobs"),
    "garden": _l("Garden"),
    "company": _l("Company"),
    "digital_help": _l("Digital help"),
    "paperwork": _l("Paperwork"),
    "carer_support": _l("Support for carers"),
    "other": _l("Other"),
}


class Category(TenantScoped, db.Model):
    __tablename__ = "categories"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(60))
    position: Mapped[int] = mapped_column(default=0)

    @property
    def label(self) -> str:
        """The name to show. A default category (one with a key; renaming it clears the key)
        is shown in the visitor's language."""
        default = DEFAULT_CATEGORIES.get(self.key or "")
        return str(default) if default is not None else self.name

    def __repr__(self) -> str:
        return f"<Category {self.name}>"


class OfflinePerson(TenantScoped, db.Model):
    """Someone without an account for whom a coordinator posts. Only the municipality's
    coordinators ever see these details."""

    __tablename__ = "offline_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    phone: Mapped[str] = mapped_column(sa.String(40))
    village_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("villages.id", ondelete="SET NULL")
    )
    consent_note: Mapped[str] = mapped_column(sa.String(300))
    consent_recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    village: Mapped[Village | None] = relationship()


class Listing(TenantScoped, db.Model):
    """An ask or an offer."""

    __tablename__ = "listings"
    __table_args__ = (
        # The open list, newest first: the page everyone sees.
        sa.Index("ix_listings_tenant_status_created", "tenant_id", "status", "created_at"),
        # The sweep for asks nobody answered.
        sa.Index(
            "ix_listings_unanswered",
            "tenant_id",
            "status",
            "first_reply_at",
            "created_at",
        ),
        # Full-text search on PostgreSQL (buurtplatform/search.py searches this very expression;
        # SQLite searches its FTS5 table instead). The brackets are written as PostgreSQL
        # reflects the expression, so that Alembic's autogenerate sees no difference.
        sa.Index(
            "ix_listings_search",
            sa.text("to_tsvector('dutch', (title || ' ') || description)"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Kind] = mapped_column(enum_type(Kind, length=10))
    status: Mapped[Status] = mapped_column(enum_type(Status, length=10), default=Status.OPEN)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(100))
    description: Mapped[str] = mapped_column(sa.Text)
    village_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("villages.id", ondelete="SET NULL")
    )
    remote_ok: Mapped[bool] = mapped_column(default=False)
    timing: Mapped[Timing] = mapped_column(enum_type(Timing, length=10), default=Timing.FLEXIBLE)
    needed_on: Mapped[date | None] = mapped_column(sa.Date)
    # Shown publicly, e.g. "mijn moeder": who the help is for when not the poster.
    on_behalf_of: Mapped[str | None] = mapped_column(sa.String(80))
    # The person who answers replies: the poster, or the coordinator for an offline person.
    author_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    offline_person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("offline_people.id", ondelete="SET NULL")
    )
    by_organisation: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    matched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the helpers who want to hear of new asks were told (by a job, after posting).
    helpers_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    category: Mapped[Category] = relationship()
    village: Mapped[Village | None] = relationship()
    author: Mapped[User] = relationship()
    offline_person: Mapped[OfflinePerson | None] = relationship()

    @property
    def is_ask(self) -> bool:
        return self.kind == Kind.ASK

    def __repr__(self) -> str:
        return f"<Listing {self.id} {self.kind} {self.title!r}>"


class HelperCategory(TenantScoped, db.Model):
    """A member is willing to help with this category (listed on their profile)."""

    __tablename__ = "helper_categories"
    __table_args__ = (sa.UniqueConstraint("membership_id", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id", ondelete="CASCADE"))

    membership: Mapped[Membership] = relationship()
    category: Mapped[Category] = relationship()
