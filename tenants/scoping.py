"""Scoping of data to the current municipality, in one place.

Every model that belongs to a municipality inherits `TenantScoped`. What is covered:

- Reads: a `do_orm_execute` hook adds `with_loader_criteria(TenantScoped, tenant_id == current)`
  to every ORM select. SQLAlchemy applies it wherever an entity is selected or joined: joins,
  subqueries that select an entity (`sa.select(Village.id).where(...).exists()`), lazy and
  eager loads.
- Bulk writes: ORM `update()` and `delete()` get the same criterion; outside a municipality
  they raise `CrossTenantWriteError`.
- What the criterion cannot reach raises `UnscopedQueryError`: a scoped table in a select
  without an entity for it (a Core `Table`, `sa.exists().where(...)`, the EXISTS that a
  relationship's `any()` and `has()` build from the bare table, a table brought in only by a
  WHERE clause), and `insert()` through the session.
- `Session.get`: a hit in the identity map skips the hook, so `buurtplatform.extensions.Session`
  asks `visible()` before it returns an object.
- Flushes: a `before_flush` hook gives new rows the current `tenant_id`, and refuses a row of
  another municipality, a changed `tenant_id`, and a foreign key that points at another
  municipality's row.

Outside a municipality (the portal, a job that has not entered one) scoped rows are invisible:
fail closed. The few places that must see several municipalities at once pass the execution
option `ALL_TENANTS` and say why. Not seen here: `text()` and Core statements run on a
connection; tests/test_scoping.py keeps them to the files that are allowed to have them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import (
    Mapped,
    Mapper,
    ORMExecuteState,
    RelationshipDirection,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)
from sqlalchemy.sql.util import extract_first_column_annotation

if TYPE_CHECKING:
    from tenants.models import Tenant

# Execution option for the few queries that deliberately span municipalities:
# `db.session.execute(stmt.execution_options(**ALL_TENANTS))`, `db.session.get(Model, id,
# execution_options=ALL_TENANTS)`.
ALL_TENANTS = {"all_tenants": True}
# For a statement that is built once and run for many requests (a module's constant, such as
# the signed-in person's query): its scoped form is kept per municipality.
BUILT_ONCE = {"built_once": True}


class TenantScoped:
    """Mixin for rows that belong to one municipality."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy's declared_attr takes the class
        return mapped_column(
            sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True, nullable=False
        )


class CrossTenantWriteError(RuntimeError):
    """A row of one municipality was about to be written while serving another, or outside
    any municipality."""


class UnscopedQueryError(RuntimeError):
    """A statement touches a municipality's table where the scoping cannot reach it."""


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


def visible(obj: object, execution_options: Mapping[str, Any] | None) -> bool:
    """Whether `Session.get` may return `obj`: not another municipality's row, unless the
    caller asked for `ALL_TENANTS`."""
    if not isinstance(obj, TenantScoped) or (execution_options or {}).get("all_tenants"):
        return True
    return obj.tenant_id == _current_tenant_id()


# Reads and bulk writes


@event.listens_for(Session, "do_orm_execute")
def _scope_to_tenant(execute_state: ORMExecuteState) -> None:
    if execute_state.execution_options.get("all_tenants"):
        return
    is_write = execute_state.is_update or execute_state.is_delete
    if execute_state.is_insert or is_write:
        _check_bulk_write(execute_state)
    if not (execute_state.is_select or is_write):
        return
    # Ids start at 1, so outside a municipality the criterion matches no row.
    tenant_id = _current_tenant_id() or 0
    if execute_state.execution_options.get("built_once"):
        once = (execute_state.statement, tenant_id)
        if once not in _SCOPED_ONCE:
            if len(_SCOPED_ONCE) >= 2000:  # not a constant after all: no more than this kept
                _SCOPED_ONCE.clear()
            _SCOPED_ONCE[once] = _scoped(execute_state, tenant_id)
        execute_state.statement = _SCOPED_ONCE[once]
    else:
        execute_state.statement = _scoped(execute_state, tenant_id)


# A statement built once (`BUILT_ONCE`), scoped once per municipality: SQLAlchemy then finds
# its compiled form without working out the statement's shape again on every execution.
_SCOPED_ONCE: dict[tuple[sa.Executable, int], sa.Executable] = {}


def _scoped(execute_state: ORMExecuteState, tenant_id: int) -> sa.Executable:
    statement = execute_state.statement.options(
        with_loader_criteria(
            TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
        )
    )
    # The statements of lazy loads and refreshes are built by SQLAlchemy, from entities.
    if not (execute_state.is_relationship_load or execute_state.is_column_load):
        _refuse_unscoped(statement, execute_state.is_orm_statement)
    return statement


def _check_bulk_write(execute_state: ORMExecuteState) -> None:
    table = _scoped_name(execute_state.statement.table)
    if table is None:
        return
    if execute_state.is_insert or execute_state.is_executemany:
        # SQLAlchemy adds no criteria to an UPDATE by primary key (a list of parameters).
        raise UnscopedQueryError(
            f"insert(), or update() by primary key, of {table} skips the checks of a flush: "
            "change objects in the session, or pass ALL_TENANTS for a bulk load."
        )
    if _current_tenant_id() is None:
        raise CrossTenantWriteError(
            f"Bulk write to {table} outside a municipality: use tenant_context(), or pass "
            "ALL_TENANTS."
        )


# What `_unscoped_tables` found for each shape of statement (its cache key, which SQLAlchemy
# computes and keeps on the statement for its own cache anyway): working it out again for
# every execution would cost about a millisecond.
_UNSCOPED_BY_SHAPE: dict[tuple, frozenset[str]] = {}


def _refuse_unscoped(statement: sa.Executable, orm: bool) -> None:
    cache_key = statement._generate_cache_key()
    tables = _UNSCOPED_BY_SHAPE.get(cache_key.key) if cache_key else None
    if tables is None:
        tables = frozenset(_unscoped_tables(statement, orm))
        if cache_key:
            if len(_UNSCOPED_BY_SHAPE) >= 2000:
                _UNSCOPED_BY_SHAPE.clear()
            _UNSCOPED_BY_SHAPE[cache_key.key] = tables
    if tables:
        raise UnscopedQueryError(
            f"{', '.join(sorted(tables))}: the municipality's criterion cannot reach it here. "
            "Select an entity in each subquery (sa.select(Village.id).where(...).exists() "
            "instead of sa.exists(), or of a relationship's any() or has()), or pass "
            "ALL_TENANTS."
        )


def _unscoped_tables(
    element: sa.ClauseElement, orm: bool, enclosing: frozenset[sa.FromClause] = frozenset()
) -> set[str]:
    """The scoped tables in a statement that `with_loader_criteria` will not reach. SQLAlchemy
    adds the criterion for each entity that a select names in its columns or in its FROM
    (`select_from`, `join`), never for a bare table, and not at all when the statement
    itself is not an ORM statement (e.g. `sa.select(sa.exists().where(...))`). A subquery's
    table that is also in an enclosing select is correlated to it, not read again."""
    unscoped = set()
    if isinstance(element, sa.Select):
        froms = [f for f in _flatten(element.get_final_froms()) if f not in enclosing]
        named = _entity_tables(element) if orm else set()
        unscoped.update(name for f in froms if (name := _scoped_name(f)) and name not in named)
        enclosing = enclosing.union(froms)
    elif isinstance(element, sa.Update | sa.Delete) and not orm:
        unscoped.add(_scoped_name(element.table))
    for child in element.get_children():
        unscoped |= _unscoped_tables(child, orm, enclosing)
    unscoped.discard(None)
    return unscoped


def _entity_tables(select: sa.Select) -> set[str]:
    """The tables of the entities that `select` names, as SQLAlchemy finds them: the first
    annotated entity in each of its columns, and the entities it selects from or joins."""
    entities = [
        extract_first_column_annotation(column, "parententity") for column in select._raw_columns
    ]
    entities += [f._annotations.get("parententity") for f in _flatten(select.get_final_froms())]
    return {entity.mapper.local_table.name for entity in entities if entity is not None}


def _flatten(from_clauses: Iterable[sa.FromClause]) -> Iterator[sa.FromClause]:
    for from_clause in from_clauses:
        if isinstance(from_clause, sa.Join):
            yield from _flatten((from_clause.left, from_clause.right))
        else:
            yield from_clause


# Names of the tables of TenantScoped models and their mappers, filled as they are mapped.
_SCOPED: dict[str, Mapper] = {}


@event.listens_for(TenantScoped, "after_mapper_constructed", propagate=True)
def _remember_scoped_table(mapper: Mapper, cls: type) -> None:
    _SCOPED[mapper.local_table.name] = mapper


def _scoped_name(from_clause: sa.FromClause) -> str | None:
    """The name of the scoped table that `from_clause` is, or is an alias of."""
    table = from_clause.element if isinstance(from_clause, sa.Alias) else from_clause
    name = table.name if isinstance(table, sa.TableClause) else None
    return name if name in _SCOPED else None


# Flushes


@event.listens_for(Session, "before_flush")
def _check_writes(session: Session, flush_context, instances) -> None:
    tenant_id = _current_tenant_id()
    new = [obj for obj in session.new if isinstance(obj, TenantScoped)]
    for obj in new:
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
    changed = [obj for obj in session.dirty if isinstance(obj, TenantScoped)]
    for obj in changed:
        if sa.inspect(obj).attrs.tenant_id.history.has_changes():
            raise CrossTenantWriteError(
                f"The municipality of a stored {type(obj).__name__} cannot change."
            )
    _check_parents(session, new + changed)


class _ParentLink(NamedTuple):
    """A foreign key of a scoped model to another scoped model, and the many-to-one
    relationship (if any) that sets it during the flush."""

    column: str
    relationship: str | None
    parent: Mapper


@cache
def _parent_links(mapper: Mapper) -> tuple[_ParentLink, ...]:
    links = []
    for prop in mapper.column_attrs:
        for column in prop.columns:
            for foreign_key in column.foreign_keys:
                parent = _SCOPED.get(foreign_key.column.table.name)
                if parent is None:
                    continue
                relationship = next(
                    (
                        rel.key
                        for rel in mapper.relationships
                        if rel.direction is RelationshipDirection.MANYTOONE
                        and column in rel.local_columns
                    ),
                    None,
                )
                links.append(_ParentLink(prop.key, relationship, parent))
    return tuple(links)


def _check_parents(session: Session, rows: list[TenantScoped]) -> None:
    """Refuse a new or changed foreign key to a row of another municipality. A parent that
    is in the session already costs nothing; the others take one query per parent table."""
    by_id: dict[Mapper, dict[Any, list[TenantScoped]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        state = sa.inspect(row)
        for link in _parent_links(state.mapper):
            # A relationship set in Python fills its foreign key only during the flush.
            if link.relationship:
                for parent in state.attrs[link.relationship].history.added:
                    if parent is not None:
                        _check_parent(row, parent, parent.tenant_id)
            for parent_id in state.attrs[link.column].history.added:
                if parent_id is not None:
                    by_id[link.parent][parent_id].append(row)
    for parent, children in by_id.items():
        for parent_id, tenant_id in _tenants_of(session, parent, children.keys()).items():
            for row in children[parent_id]:
                _check_parent(row, f"{parent.class_.__name__} {parent_id}", tenant_id)


def _tenants_of(session: Session, parent: Mapper, ids: Iterable[Any]) -> dict[Any, int]:
    """The municipality of each of these rows of `parent`."""
    found, missing = {}, []
    for parent_id in ids:
        held = session.identity_map.get(parent.identity_key_from_primary_key([parent_id]))
        if held is not None and "tenant_id" in sa.inspect(held).dict:
            found[parent_id] = held.tenant_id
        else:
            missing.append(parent_id)
    if missing:
        key = parent.get_property_by_column(parent.primary_key[0]).class_attribute
        found.update(
            session.execute(
                sa.select(key, parent.class_.tenant_id)
                .where(key.in_(missing))
                .execution_options(**ALL_TENANTS)
            ).all()
        )
    return found


def _check_parent(row: TenantScoped, parent: object, tenant_id: int) -> None:
    if tenant_id != row.tenant_id:
        raise CrossTenantWriteError(
            f"{type(row).__name__} of municipality {row.tenant_id} points at {parent} of "
            f"municipality {tenant_id}."
        )
