"""The municipality (tenant), its villages and the extra host names it answers on."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_locale
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.columns import UTCDateTime
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.scoping import TenantScoped


class Tenant(db.Model):
    """A municipality. Its branding is data, edited by its connectors, never code."""

    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(63), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    site_name: Mapped[str] = mapped_column(sa.String(120))
    welcome_text: Mapped[str] = mapped_column(sa.Text, default="")
    # English versions of the municipality's own texts; without one, English pages show Dutch.
    welcome_text_en: Mapped[str | None] = mapped_column(sa.Text)
    primary_color: Mapped[str] = mapped_column(sa.String(7), default="#1d4f91")
    accent_color: Mapped[str] = mapped_column(sa.String(7), default="#a8431b")
    help_contact_name: Mapped[str] = mapped_column(sa.String(120), default="")
    help_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    help_hours: Mapped[str] = mapped_column(sa.String(200), default="")
    help_hours_en: Mapped[str | None] = mapped_column(sa.String(200))
    # The uploaded logo and the favicon made from it: keys in buurtplatform.storage (None:
    # the site name in text, and the favicon drawn in the primary colour).
    logo_key: Mapped[str | None] = mapped_column(sa.String(40))
    favicon_key: Mapped[str | None] = mapped_column(sa.String(40))
    # The "over ons" page and the house rules, in a small Markdown subset.
    about_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    about_text_en: Mapped[str | None] = mapped_column(sa.Text)
    house_rules: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    house_rules_en: Mapped[str | None] = mapped_column(sa.Text)
    # Who answers questions about personal data (name, email address or phone), on the
    # privacy statement.
    privacy_contact: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    # Extra links in the footer: [{"label": …, "label_en": … or None, "url": "https://…"}].
    footer_links: Mapped[list[dict]] = mapped_column(sa.JSON, default=list, server_default="[]")
    # The home page's blocks in the connectors' order, each shown or not:
    # [{"key": "news", "shown": true}, …]; empty: every block in its default place
    # (buurtplatform/site/blocks.py).
    home_blocks: Mapped[list[dict]] = mapped_column(sa.JSON, default=list, server_default="[]")
    is_active: Mapped[bool] = mapped_column(default=True)
    # An ask or offer leaves the open list after this many days, unless renewed.
    listing_lifetime_days: Mapped[int] = mapped_column(default=30, server_default="30")
    # An ask or offer that has not been active for this many months is archived, and removed
    # a fixed time later (buurtplatform/retention.py; one of LISTING_RETENTION_CHOICES).
    listing_retention_months: Mapped[int] = mapped_column(default=12, server_default="12")
    # The escalation ladder for asks without a reply, in days after posting; and the
    # "did it work out?" question, in days after a match.
    remind_connectors_after_days: Mapped[int] = mapped_column(default=2, server_default="2")
    remind_coordinators_after_days: Mapped[int] = mapped_column(default=4, server_default="4")
    remind_asker_after_days: Mapped[int] = mapped_column(default=7, server_default="7")
    follow_up_after_days: Mapped[int] = mapped_column(default=3, server_default="3")
    # Moderation: reported content is hidden, until a connector looks, once this many
    # different members reported it; and a new member's first post can wait for approval.
    report_hide_threshold: Mapped[int] = mapped_column(default=3, server_default="3")
    approve_first_posts: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The toegankelijkheidsverklaring: the day of the last accessibility check (None: not
    # checked yet, and the page says so), and what is known not to work yet.
    accessibility_checked_on: Mapped[date | None] = mapped_column(sa.Date)
    accessibility_known_problems: Mapped[str] = mapped_column(
        sa.Text, default="", server_default=""
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    domains: Mapped[list[TenantDomain]] = relationship(
        back_populates="tenant", cascade="all, delete-orphan"
    )

    @property
    def canonical_host(self) -> str:
        """The host the municipality is served on: its own domain, or its subdomain."""
        for domain in self.domains:
            if domain.is_canonical:
                return domain.host
        return f"{self.slug}.{current_app.config['PLATFORM_DOMAIN']}"

    def url(self, path: str = "/") -> str:
        """An absolute link on the municipality's own host (for emails and the portal)."""
        scheme = current_app.config["PREFERRED_URL_SCHEME"]
        return f"{scheme}://{self.canonical_host}{path}"

    def url_for(self, endpoint: str, **values: object) -> str:
        """An absolute link to a page on the municipality's own host, built without a request
        (emails, jobs): never from the incoming Host header."""
        adapter = current_app.url_map.bind(
            self.canonical_host, url_scheme=current_app.config["PREFERRED_URL_SCHEME"]
        )
        return adapter.build(endpoint, values, force_external=True)

    @property
    def local_welcome_text(self) -> str:
        """The welcome text in the reader's language, falling back to Dutch."""
        return self._in_locale(self.welcome_text, self.welcome_text_en)

    @property
    def local_help_hours(self) -> str:
        return self._in_locale(self.help_hours, self.help_hours_en)

    @property
    def local_about_text(self) -> str:
        return self._in_locale(self.about_text, self.about_text_en)

    @property
    def local_house_rules(self) -> str:
        return self._in_locale(self.house_rules, self.house_rules_en)

    @property
    def local_footer_links(self) -> list[tuple[str, str]]:
        """(label, url) of each footer link, labelled in the reader's language."""
        return [
            (self._in_locale(link["label"], link.get("label_en")), link["url"])
            for link in self.footer_links or []
        ]

    @staticmethod
    def _in_locale(dutch: str, english: str | None) -> str:
        return english if english and str(get_locale()) == "en" else dutch

    @property
    def theme_version(self) -> str:
        """Changes whenever the branding changes, so browsers fetch the new theme."""
        # In microseconds: two changes within one second must not share a version.
        return str(int(self.updated_at.timestamp() * 1_000_000)) if self.updated_at else "0"

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class TenantDomain(db.Model):
    """A custom host name of a municipality: the canonical one, or an alias that redirects."""

    __tablename__ = "tenant_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"))
    host: Mapped[str] = mapped_column(sa.String(253), unique=True)
    is_canonical: Mapped[bool] = mapped_column(default=False)

    tenant: Mapped[Tenant] = relationship(back_populates="domains")


class Village(TenantScoped, db.Model):
    """A kern, dorp or wijk within a municipality."""

    __tablename__ = "villages"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))

    def __repr__(self) -> str:
        return f"<Village {self.name}>"
