"""The sociale kaart: organisations, what each offers, and who keeps an entry up to date.

An organisation's entry is kept by its owners (members with the organisation role, linked to it
when they accept the connector's invitation) and by the municipality's connectors. Each
offering says what it is, for whom, what it costs, how to get it, and which themes and villages
it serves; an offering that names no village serves the whole municipality.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.accounts.models import Invitation, Membership
from buurtplatform.columns import UTCDateTime, enum_type
from buurtplatform.extensions import db
from buurtplatform.search import searchable
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tenants.scoping import TenantScoped


class OrganisationType(enum.StrEnum):
    CARE = "care"
    WELFARE = "welfare"
    CARER_SUPPORT = "carer_support"
    SENIORS = "seniors"
    VILLAGE_COUNCIL = "village_council"
    LIBRARY = "library"
    CITIZENS_INITIATIVE = "citizens_initiative"
    OTHER = "other"


ORGANISATION_TYPES = {
    OrganisationType.CARE: _l("Care provider"),
    OrganisationType.WELFARE: _l("Welfare and social work"),
    OrganisationType.CARER_SUPPORT: _l("Support for carers"),
    OrganisationType.SENIORS: _l("Association for older people"),
    OrganisationType.VILLAGE_COUNCIL: _l("Village or neighbourhood council"),
    OrganisationType.LIBRARY: _l("Library and information point"),
    OrganisationType.CITIZENS_INITIATIVE: _l("Citizens' initiative"),
    OrganisationType.OTHER: _l("Other organisation"),
}


class Theme(enum.StrEnum):
    CARE = "care"
    CARERS = "carers"
    LONELINESS = "loneliness"
    TRANSPORT = "transport"
    MONEY = "money"
    DIGITAL_HELP = "digital_help"
    HOUSING = "housing"
    MEETING = "meeting"


THEMES = {
    Theme.CARE: _l("Care"),
    Theme.CARERS: _l("Carers"),
    Theme.LONELINESS: _l("Loneliness"),
    Theme.TRANSPORT: _l("Transport"),
    Theme.MONEY: _l("Money matters"),
    Theme.DIGITAL_HELP: _l("Digital help"),
    Theme.HOUSING: _l("Housing"),
    Theme.MEETING: _l("Meeting people"),
}


class Access(enum.StrEnum):
    """How someone gets an offering."""

    DIRECT = "direct"
    GP = "gp"
    WMO = "wmo"


ACCESS = {
    Access.DIRECT: _l("Directly: get in touch yourself"),
    Access.GP: _l("Through your GP (huisarts)"),
    Access.WMO: _l("Through the municipality's Wmo desk"),
}


class Organisation(TenantScoped, db.Model):
    """An entry of the sociale kaart."""

    __tablename__ = "organisations"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    type: Mapped[OrganisationType] = mapped_column(
        enum_type(OrganisationType), default=OrganisationType.OTHER
    )
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    # An organisation's office may be shown; a person's home address never is.
    address: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    logo_key: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # "Laatst nagekeken op …": set when the entry is made, and when an owner or a connector
    # says it is still right. Reminders are due six months on (buurtplatform.directory.review).
    reviewed_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, server_default=sa.func.current_timestamp()
    )
    # What its offerings say, so that a search for "respijtzorg" finds the organisation that
    # offers it (kept by buurtplatform.directory.services.save_offering).
    offerings_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # The invitation that makes its accepter an owner of this entry.
    invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="SET NULL")
    )

    offerings: Mapped[list[Offering]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="Offering.position, Offering.id",
    )
    owners: Mapped[list[Owner]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    invitation: Mapped[Invitation | None] = relationship()

    @property
    def type_label(self) -> str:
        return str(ORGANISATION_TYPES[self.type])

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


# Found by the sociale kaart's own search and by the site-wide search (buurtplatform/search.py).
searchable(Organisation, columns=("name", "description", "offerings_text"))


class Owner(TenantScoped, db.Model):
    """A member who keeps an organisation's entry (while they have the organisation role)."""

    __tablename__ = "organisation_owners"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    membership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )

    organisation: Mapped[Organisation] = relationship(back_populates="owners")
    membership: Mapped[Membership] = relationship()


class Offering(TenantScoped, db.Model):
    """Something an organisation offers: what, for whom, cost, how to get it, when, contact."""

    __tablename__ = "offerings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    for_whom: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    cost: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    access: Mapped[Access] = mapped_column(
        enum_type(Access, length=10), default=Access.DIRECT, server_default=Access.DIRECT.value
    )
    opening_hours: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    contact: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    organisation: Mapped[Organisation] = relationship(back_populates="offerings")
    theme_rows: Mapped[list[OfferingTheme]] = relationship(
        cascade="all, delete-orphan", order_by="OfferingTheme.theme"
    )
    village_rows: Mapped[list[OfferingVillage]] = relationship(cascade="all, delete-orphan")

    @property
    def themes(self) -> list[Theme]:
        return [row.theme for row in self.theme_rows]

    @property
    def villages(self) -> list[Village]:
        """The villages it serves, by name; none means the whole municipality."""
        return sorted((row.village for row in self.village_rows), key=lambda v: v.name)

    @property
    def access_label(self) -> str:
        return str(ACCESS[self.access])

    def __repr__(self) -> str:
        return f"<Offering {self.id} {self.title!r}>"


class OfferingTheme(TenantScoped, db.Model):
    __tablename__ = "offering_themes"
    __table_args__ = (sa.UniqueConstraint("offering_id", "theme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offerings.id", ondelete="CASCADE"), index=True
    )
    theme: Mapped[Theme] = mapped_column(enum_type(Theme), index=True)

    @property
    def label(self) -> str:
        return str(THEMES[self.theme])


class OfferingVillage(TenantScoped, db.Model):
    __tablename__ = "offering_villages"
    __table_args__ = (sa.UniqueConstraint("offering_id", "village_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offerings.id", ondelete="CASCADE"), index=True
    )
    village_id: Mapped[int] = mapped_column(
        sa.ForeignKey("villages.id", ondelete="CASCADE"), index=True
    )

    village: Mapped[Village] = relationship()
