"""People: one account per email address, and a membership per municipality with a role."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from buurtplatform.columns import UTCDateTime, enum_type
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tenants.scoping import TenantScoped


class Role(enum.StrEnum):
    RESIDENT = "resident"
    ORGANISATION = "organisation"
    CONNECTOR = "connector"
    COORDINATOR = "coordinator"
    # A trusted volunteer at the library's information point, who helps people make an account.
    INFOPUNT = "infopunt"


class User(UserMixin, db.Model):
    """An account. It belongs to no municipality: memberships link it to them."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    first_name: Mapped[str] = mapped_column(sa.String(60))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    locale: Mapped[str] = mapped_column(sa.String(5), default="nl")
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the person deleted their account: the row stays as a nameless tombstone, so
    # that the other person's conversations and the figures still hold
    # (buurtplatform.own_data.deletion).
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="Membership.user_id"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def display_name(self) -> str | LazyString:
        """How others see this person: their first name, or "Former member" once the account
        is deleted (lazy, so that it is said in the reader's language)."""
        return _l("Former member") if self.is_deleted else self.first_name

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class Membership(TenantScoped, db.Model):
    """A person's place in one municipality: their role and village there."""

    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role), default=Role.RESIDENT)
    village_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("villages.id", ondelete="SET NULL")
    )
    privacy_consent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Listed on "Who helps?" (first name and village only) and suggested for asks.
    offers_help: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    skills: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The day of the last visit, for the members list: written at most once a day
    # (buurtplatform.accounts.sessions.note_visit).
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Blocked by a connector: the member can read here, but not post, reply or message.
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    blocked_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    blocked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(back_populates="memberships", foreign_keys=[user_id])
    village: Mapped[Village | None] = relationship()

    @property
    def is_staff(self) -> bool:
        """Connectors and coordinators run the municipality's site."""
        return self.role in (Role.CONNECTOR, Role.COORDINATOR)

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None

    @hybrid_property
    def helps_here(self) -> bool:
        """Listed on "Who helps?" and suggested for asks: offers help and is not blocked (a
        blocked member could not answer anyone who writes to them)."""
        return self.offers_help and self.blocked_at is None

    @helps_here.inplace.expression
    @classmethod
    def _helps_here_expression(cls) -> sa.ColumnElement[bool]:
        return sa.and_(cls.offers_help.is_(True), cls.blocked_at.is_(None))


class UserSession(db.Model):
    """One signed-in session (a browser on one municipality's site). The session cookie holds
    a random key whose hash is kept here: deleting the row ends that session, also for a copy
    of its cookie."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Invitation(TenantScoped, db.Model):
    """A personal invitation by email to take a role in one municipality (an organisation, a
    coordinator, a connector). The link carries a random token of which only the hash is kept;
    it works once, until `expires_at`, and only on the municipality that sent it (the lookup is
    scoped). See buurtplatform.accounts.invitations."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    personal_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # None when the platform invited (a new municipality's first connector, made by a job).
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set again when the invitation is sent again with a new link.
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    @property
    def is_pending(self) -> bool:
        """Neither accepted nor withdrawn (it may have expired: then it can be sent again)."""
        return self.accepted_at is None and self.withdrawn_at is None

    @property
    def has_expired(self) -> bool:
        return self.expires_at <= utcnow()
