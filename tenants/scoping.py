"""Scoping of data to the current municipality, in one place.

Every model that belongs to a municipality inherits `TenantScoped`. A `do_orm_execute` hook adds
`with_loader_criteria(TenantScoped, tenant_id == current)` to every ORM select (including lazy
loads and relationship loads), and a `before_flush` hook gives new rows the current
`tenant_id`. Outside a municipality (the portal, a job that has not entered one) scoped rows are
invisible: fail closed. The few places that must see several municipalities at once pass the
execution option `ALL_TENANTS` and say why.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, with_loader_criteria

if TYPE_CHECKING:
    from tenants.models import Tenant

# Execution option for the few queries that deliberately span municipalities:
# `db.session.execute(stmt.execution_options(**ALL_TENANTS))`.
ALL_TENANTS = {"all_tenants": True}


class TenantScoped:
    """Mixin for rows that belong to one municipality."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy's declared_attr takes the class
        return mapped_column(
            sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True, nullable=False
        )


class CrossTenantWriteError(RuntimeError):
    """A row of one municipality was about to be written while serving another."""


def current_tenant() -> Tenant | None:
    """The municipality being served, or None on the portal and outside any municipality."""
    if not has_app_context():
        return None
    return g.get("tenant")


def set_current_tenant(tenant: Tenant | None) -> None:
    """Serve `tenant` from now on in this app context. Its id is kept apart, so that the
    scoping hook never has to load an expired tenant (which would run the hook again)."""
    g.tenant = tenant
    g.tenant_id = tenant.id if tenant is not None else None


@contextmanager
def tenant_context(tenant: Tenant) -> Iterator[Tenant]:
    """Enter a municipality outside a request (jobs, commands, tests)."""
    previous = g.get("tenant")
    set_current_tenant(tenant)
    try:
        yield tenant
    finally:
        set_current_tenant(previous)


def _current_tenant_id() -> int | None:
    return g.get("tenant_id") if has_app_context() else None


@event.listens_for(Session, "do_orm_execute")
def _scope_to_tenant(execute_state) -> None:
    if not execute_state.is_select or execute_state.execution_options.get("all_tenants"):
        return
    # Ids start at 1, so outside a municipality the criterion matches no row.
    tenant_id = _current_tenant_id() or 0
    execute_state.statement = execute_state.statement.options(
        with_loader_criteria(
            TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
        )
    )


@event.listens_for(Session, "before_flush")
def _stamp_tenant(session: Session, flush_context, instances) -> None:
    tenant_id = _current_tenant_id()
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None:
            if tenant_id is None:
                raise CrossTenantWriteError(
                    f"{type(obj).__name__} created outside a municipality: use tenant_context()."
                )
            obj.tenant_id = tenant_id
        elif tenant_id is not None and obj.tenant_id != tenant_id:
            raise CrossTenantWriteError(
                f"{type(obj).__name__} of municipality {obj.tenant_id} written while serving "
                f"{tenant_id}."
            )
