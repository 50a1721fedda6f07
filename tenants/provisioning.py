"""Creating a municipality: the one way, used by `flask tenants create`, the seed and tests."""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa
from blinker import Namespace

from buurtplatform.extensions import db
from tenants.branding import color_problem
from tenants.models import Tenant, TenantDomain, Village
from tenants.scoping import tenant_context
from tenants.seed import TenantSeed

# Sent with the new tenant (inside its tenant_context) so that features can give it their
# defaults (e.g. the categories of asks and offers) without tenants importing features.
tenant_created = Namespace().signal("tenant-created")

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class ProvisioningError(ValueError):
    """The new municipality's definition is not valid; the message says why, in English for
    operators, and `problem` names it for a form that says it in the reader's language."""

    def __init__(self, message: str, problem: str) -> None:
        super().__init__(message)
        self.problem = problem


def create_tenant(
    slug: str,
    name: str,
    villages: Iterable[str],
    *,
    site_name: str | None = None,
    primary_color: str = "#1d4f91",
    accent_color: str = "#a8431b",
    welcome_text: str = "",
    help_contact_name: str = "",
    help_phone: str = "",
    help_hours: str = "",
    welcome_text_en: str | None = None,
    help_hours_en: str | None = None,
    domains: Iterable[str] = (),
) -> Tenant:
    """Add a municipality with its villages; the caller commits."""
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise ProvisioningError(
            f"slug {slug!r} must be lowercase letters, digits and hyphens (it becomes a subdomain)",
            "slug_format",
        )
    if db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == slug)) is not None:
        raise ProvisioningError(f"a municipality with slug {slug!r} exists already", "slug_taken")
    village_names = [v.strip() for v in villages if v.strip()]
    if not village_names:
        raise ProvisioningError("give at least one village", "no_villages")
    if len(set(village_names)) != len(village_names):
        raise ProvisioningError("a village is named twice", "village_twice")
    for color in (primary_color, accent_color):
        if problem := color_problem(color):
            raise ProvisioningError(problem, "colour")

    tenant = Tenant(
        slug=slug,
        name=name.strip(),
        site_name=(site_name or name).strip(),
        primary_color=primary_color,
        accent_color=accent_color,
        welcome_text=welcome_text,
        help_contact_name=help_contact_name,
        help_phone=help_phone,
        help_hours=help_hours,
        welcome_text_en=welcome_text_en or None,
        help_hours_en=help_hours_en or None,
        domains=[
            TenantDomain(host=host.lower(), is_canonical=(i == 0)) for i, host in enumerate(domains)
        ],
    )
    db.session.add(tenant)
    db.session.flush()
    with tenant_context(tenant):
        db.session.add_all(Village(name=v) for v in village_names)
        db.session.flush()
        tenant_created.send(tenant)
        db.session.flush()
    return tenant


def create_seeded_tenant(seed: TenantSeed) -> Tenant:
    return create_tenant(
        seed.slug,
        seed.name,
        seed.villages,
        site_name=seed.site_name,
        primary_color=seed.primary_color,
        accent_color=seed.accent_color,
        welcome_text=seed.welcome_text,
        help_contact_name=seed.help_contact_name,
        help_phone=seed.help_phone,
        help_hours=seed.help_hours,
        welcome_text_en=seed.welcome_text_en,
        help_hours_en=seed.help_hours_en,
        domains=seed.domains,
    )
