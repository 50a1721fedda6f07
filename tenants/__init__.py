"""Tenancy: which municipality a request is for, how data is scoped to it, its branding,
and the seed definitions of the four municipalities of the Land van Cuijk."""

from tenants.models import Tenant, TenantDomain, Village
from tenants.scoping import (
    ALL_TENANTS,
    TenantScoped,
    current_tenant,
    tenant_context,
)

__all__ = [
    "ALL_TENANTS",
    "Tenant",
    "TenantDomain",
    "TenantScoped",
    "Village",
    "current_tenant",
    "tenant_context",
]
