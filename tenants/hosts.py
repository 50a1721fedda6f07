"""Which municipality a request is for, found from its host in one place.

The bare `PLATFORM_DOMAIN` serves the portal (no municipality); `<slug>.<PLATFORM_DOMAIN>`
serves that municipality; a custom host listed in `tenant_domains` serves its municipality,
and a host that is not the municipality's canonical one redirects there with a 301.
Anything else is a 404: never a fallback to another municipality.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, current_app, g, redirect, request
from werkzeug.wrappers import Response

from buurtplatform.extensions import db
from tenants.models import Tenant, TenantDomain
from tenants.scoping import set_current_tenant


@dataclass(frozen=True)
class HostMatch:
    tenant: Tenant | None
    is_portal: bool = False


def _hostname(host: str) -> str:
    """The host without its port, lowercase."""
    host = host.strip().lower()
    if host.startswith("["):  # IPv6 literal
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


def match_host(host: str) -> HostMatch | None:
    """The municipality for a Host header, the portal, or None for an unknown host."""
    hostname = _hostname(host)
    platform = _hostname(current_app.config["PLATFORM_DOMAIN"])
    if hostname == platform:
        return HostMatch(tenant=None, is_portal=True)
    if hostname.endswith("." + platform):
        slug = hostname[: -len(platform) - 1]
        if "." in slug:
            return None
        tenant = db.session.scalar(
            sa.select(Tenant).where(Tenant.slug == slug, Tenant.is_active.is_(True))
        )
    else:
        tenant = db.session.scalar(
            sa.select(Tenant)
            .join(TenantDomain)
            .where(TenantDomain.host == hostname, Tenant.is_active.is_(True))
        )
    return HostMatch(tenant=tenant) if tenant is not None else None


def resolve_tenant() -> Response | None:
    """`before_request` hook: set `g.tenant`, redirect aliases, 404 unknown hosts."""
    set_current_tenant(None)
    found = match_host(request.host)
    if found is None:
        abort(404)
    tenant = found.tenant
    if tenant is None:
        return None
    canonical = tenant.canonical_host
    if _hostname(request.host) != _hostname(canonical):
        scheme = current_app.config["PREFERRED_URL_SCHEME"]
        return redirect(f"{scheme}://{canonical}{request.full_path.rstrip('?')}", code=301)
    set_current_tenant(tenant)
    return None


def require_tenant() -> None:
    """`before_request` for blueprints that only exist on a municipality's site."""
    if g.get("tenant") is None:
        abort(404)


def require_portal() -> None:
    """`before_request` for blueprints that only exist on the portal (the bare domain)."""
    if g.get("tenant") is not None:
        abort(404)
