"""Which municipality a request is for, found from its host in one place.

The bare `PLATFORM_DOMAIN` serves the portal (no municipality); `<slug>.<PLATFORM_DOMAIN>`
serves that municipality; a custom host listed in `tenant_domains` serves its municipality,
and a host that is not the municipality's canonical one redirects there with a 301.
Anything else is a 404: never a fallback to another municipality.

Each app process remembers the municipalities of the hosts it served for a minute, as detached
copies merged into each request's session without a query. A copy is used only while the
municipality's generation number in the page cache (buurtplatform/page_cache.py) is the one
it was read under: any committed change to the municipality (its settings, its branding, and
also its content) makes every app server read it again on its next request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, g, redirect, request
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.wrappers import Response

from buurtplatform.extensions import db
from buurtplatform.page_cache import generations
from tenants.models import Tenant, TenantDomain
from tenants.scoping import set_current_tenant


@dataclass(frozen=True)
class HostMatch:
    tenant: Tenant | None
    is_portal: bool = False
    canonical_host: str = ""

    def serves(self, host: str) -> bool:
        """Whether `host` is answered itself rather than redirected to the canonical host."""
        return self.is_portal or _hostname(host) == _hostname(self.canonical_host)


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
    if tenant is None:
        return None
    return HostMatch(tenant=tenant, canonical_host=tenant.canonical_host)


HOST_MEMORY_SECONDS = 60


@dataclass(frozen=True)
class _Known:
    match: HostMatch  # its tenant detached, never used in a session itself
    generations: tuple[int, int]
    until: float


def _detached_copy(instance: Any) -> Any:
    """A copy of `instance`'s columns outside any session, to be merged without a query."""
    mapper = sa.inspect(type(instance))
    copy = mapper.class_manager.new_instance()
    for attribute in mapper.column_attrs:
        set_committed_value(copy, attribute.key, getattr(instance, attribute.key))
    make_transient_to_detached(copy)
    return copy


def _detached_tenant(tenant: Tenant) -> Tenant:
    """The municipality with its domains, which every page's links read."""
    copy = _detached_copy(tenant)
    set_committed_value(copy, "domains", [_detached_copy(domain) for domain in tenant.domains])
    return copy


def _match_remembered(host: str) -> HostMatch | None:
    """`match_host`, from this process's memory while it is current."""
    remembered = current_app.extensions.setdefault("known_hosts", {})
    known = remembered.get(host)
    if known is not None and known.until > time.monotonic():
        tenant = known.match.tenant
        if generations(tenant.id if tenant else None) == known.generations:
            if tenant is None:
                return known.match
            merged = db.session.merge(tenant, load=False)
            return HostMatch(tenant=merged, canonical_host=known.match.canonical_host)
    found = match_host(host)
    if found is not None:
        tenant = found.tenant
        remembered[host] = _Known(
            match=HostMatch(
                tenant and _detached_tenant(tenant), found.is_portal, found.canonical_host
            ),
            generations=generations(tenant.id if tenant else None),
            until=time.monotonic() + HOST_MEMORY_SECONDS,
        )
    return found


def resolve_tenant() -> Response | None:
    """`before_request` hook: set `g.tenant`, redirect aliases, 404 unknown hosts."""
    set_current_tenant(None)
    found = _match_remembered(request.host)
    if found is None:
        abort(404)
    tenant = found.tenant
    if tenant is None:
        return None
    if not found.serves(request.host):
        scheme = current_app.config["PREFERRED_URL_SCHEME"]
        path = request.full_path.rstrip("?")
        return redirect(f"{scheme}://{found.canonical_host}{path}", code=301)
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
