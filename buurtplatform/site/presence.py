"""How people and search engines find a site: the portal's municipalities with their villages
(searched by village name), each page's description, and each municipality's icon."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from buurtplatform.extensions import db
from tenants.branding import DEFAULT_TOKENS, HEX_COLOR
from tenants.models import Tenant, Village
from tenants.scoping import ALL_TENANTS

# Search engines show about this many characters of a description.
DESCRIPTION_LENGTH = 155


def searchable(text: str) -> str:
    """`text` as the village search compares it: without accents, case, punctuation or the
    abbreviation "St." ("Sint-Agatha", "st agatha" and "Sint Agatha" are the same)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = re.findall(r"[a-z0-9]+", plain)
    return " ".join("sint" if word == "st" else word for word in words)


@dataclass
class MunicipalityCard:
    tenant: Tenant
    villages: list[str] = field(default_factory=list)

    def villages_matching(self, query: str) -> list[str]:
        wanted = searchable(query)
        return [name for name in self.villages if wanted and wanted in searchable(name)]

    def matches(self, query: str) -> bool:
        wanted = searchable(query)
        names = (self.tenant.name, self.tenant.site_name, *self.villages)
        return bool(wanted) and any(wanted in searchable(name) for name in names)


def municipality_cards() -> list[MunicipalityCard]:
    """Every active municipality with its villages, in two queries. The portal belongs to no
    municipality, so reading all their villages is explicit (`ALL_TENANTS`)."""
    tenants = db.session.scalars(
        sa.select(Tenant).where(Tenant.is_active.is_(True)).order_by(Tenant.name)
    ).all()
    cards = {tenant.id: MunicipalityCard(tenant) for tenant in tenants}
    villages = db.session.execute(
        sa.select(Village.tenant_id, Village.name)
        .where(Village.tenant_id.in_(cards))
        .order_by(Village.name)
        .execution_options(**ALL_TENANTS)
    )
    for tenant_id, name in villages:
        cards[tenant_id].villages.append(name)
    return list(cards.values())


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """`text` on one line, cut at a word before `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def page_description(tenant: Tenant | None) -> str:
    """The meta description: the municipality's own welcome text, shortened."""
    if tenant is not None and tenant.local_welcome_text.strip():
        return shorten(tenant.local_welcome_text)
    if tenant is not None:
        return shorten(
            _("%(site)s: ask for help and offer help in your village.", site=tenant.site_name)
        )
    return shorten(
        _(
            "Every municipality has its own neighbourhood platform. Ask for help, offer help "
            "and meet your neighbours."
        )
    )


def favicon_svg(tenant: Tenant | None) -> str:
    """A house in white on the municipality's primary colour (checked for contrast with
    white when it was saved; checked for form here too, since it goes into markup)."""
    color = tenant.primary_color if tenant is not None else DEFAULT_TOKENS["--color-primary"]
    if not HEX_COLOR.match(color or ""):
        color = DEFAULT_TOKENS["--color-primary"]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" rx="6" fill="{color}"/>'
        '<path d="M16 5 4 15h3.5v11h6.5v-7h4v7h6.5V15H28z" fill="#ffffff"/>'
        "</svg>"
    )
