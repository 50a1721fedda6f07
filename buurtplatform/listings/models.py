"""Asks and offers (hulpvragen en hulpaanbod), their categories, and people without an
account on whose behalf a coordinator posts."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.accounts.models import Membership, User
from buurtplatform.columns import UTCDateTime, enum_type
from buurtplatform.extensions import db
from buurtplatform.moderated import Moderated
from buurtplatform.search import searchable
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


@dataclass(frozen=True)
class DefaultTemplate:
    category_key: str
    title: LazyString
    description: LazyString


# The ready-made asks and offers every municipality starts with, by kind and key. Connectors can
# edit, add, reorder and remove them; a default one keeps its key until it is edited, so that it
# is shown in the visitor's language.
DEFAULT_TEMPLATES: dict[Kind, dict[str, DefaultTemplate]] = {
    Kind.ASK: {
        "shopping": DefaultTemplate(
            "shopping",
            _l("Help with the weekly shopping"),
            _l("I would like someone to do my shopping once a week. I will give you a list."),
        ),
        "hospital": DefaultTemplate(
            "transport",
            _l("A lift to the hospital"),
            _l("I have an appointment at the hospital and need a lift there and back."),
        ),
        "company": DefaultTemplate(
            "company",
            _l("Someone to have coffee with"),
            _l(
                "I am often alone. I would like someone to visit me for a cup of coffee and a chat."
            ),
        ),
        "computer": DefaultTemplate(
            "digital_help",
            _l("Help with my phone or computer"),
            _l("I need help with my phone, tablet or computer, for example with video calls."),
        ),
        "garden": DefaultTemplate(
            "garden",
            _l("Help in the garden"),
            _l("My garden needs work: mowing the lawn or trimming the hedge."),
        ),
        "respite": DefaultTemplate(
            "carer_support",
            _l("A break for a carer"),
            _l(
                "I care for someone at home. I would like someone to be there for a few hours, "
                "so that I can take a break."
            ),
        ),
    },
    Kind.OFFER: {
        "shopping": DefaultTemplate(
            "shopping",
            _l("I help with shopping"),
            _l("I can do the shopping for someone, for example once a week. Give me your list."),
        ),
        "odd_jobs": DefaultTemplate(
            "odd_jobs",
            _l("I can do odd jobs"),
            _l("I can help with small jobs in and around the house, such as hanging a lamp."),
        ),
        "company": DefaultTemplate(
            "company",
            _l("I offer a chat or a walk"),
            _l("I like to come by for a cup of coffee and a chat, or to go for a walk together."),
        ),
        "computer": DefaultTemplate(
            "digital_help",
            _l("I help with the computer or phone"),
            _l("I can help with a phone, tablet or computer, for example with video calls."),
        ),
        "garden": DefaultTemplate(
            "garden",
            _l("I help in the garden"),
            _l("I like gardening. I can mow the lawn, trim the hedge or pull weeds."),
        ),
        "transport": DefaultTemplate(
            "transport",
            _l("I can give someone a lift"),
            _l("I have a car and can take someone to the doctor or the hospital."),
        ),
    },
}


class ListingTemplate(TenantScoped, db.Model):
    """A ready-made ask or offer of the municipality for a common need: the form starts
    filled in with it."""

    __tablename__ = "listing_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Kind] = mapped_column(enum_type(Kind, length=10))
    # A default template's key in DEFAULT_TEMPLATES; editing it clears the key.
    key: Mapped[str | None] = mapped_column(sa.String(40))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(100))
    description: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    category: Mapped[Category] = relationship()

    @property
    def default(self) -> DefaultTemplate | None:
        return DEFAULT_TEMPLATES[self.kind].get(self.key or "")

    @property
    def local_title(self) -> str:
        """The title to show: a default template's in the visitor's language."""
        return str(self.default.title) if self.default else self.title

    @property
    def local_description(self) -> str:
        return str(self.default.description) if self.default else self.description

    def __repr__(self) -> str:
        return f"<ListingTemplate {self.kind} {self.title!r}>"


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


class Listing(Moderated, TenantScoped, db.Model):
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
    # Archived by the retention job once it was not active for the municipality's period:
    # off every list, seen only by its poster (and connectors), removed a fixed time later.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    category: Mapped[Category] = relationship()
    village: Mapped[Village | None] = relationship()
    author: Mapped[User] = relationship()
    offline_person: Mapped[OfflinePerson | None] = relationship()

    @property
    def is_ask(self) -> bool:
        return self.kind == Kind.ASK

    @property
    def content_author_id(self) -> int:
        return self.author_id

    @property
    def content_summary(self) -> str:
        return self.title

    @property
    def content_kind(self) -> str:
        return _l("ask for help") if self.is_ask else _l("offer of help")

    def __repr__(self) -> str:
        return f"<Listing {self.id} {self.kind} {self.title!r}>"


# Found by the search of asks and offers and by the site-wide search (buurtplatform/search.py).
searchable(Listing, columns=("title", "description"))


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
