"""Scoping without holes: every way of reading or writing a municipality's rows through the
session is scoped to the current municipality or raises, shown with two municipalities.

Core `Table` and `text()` queries are not scoped; they stay explicit, in the files listed in
`CORE_ALLOWED`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pytest
import sqlalchemy as sa

from buurtplatform.accounts.models import Membership, User
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Listing
from tenants.models import Tenant, Village
from tenants.scoping import (
    ALL_TENANTS,
    BUILT_ONCE,
    CrossTenantWriteError,
    UnscopedQueryError,
    tenant_context,
)
from tests.helpers import tenant_by_slug
from tests.listing_helpers import counting_queries, new_listing

ROOT = Path(__file__).resolve().parent.parent


class Two(NamedTuple):
    cuijk: Tenant
    grave: Tenant
    ask: dict[str, int]  # each municipality's ask, by slug
    author: dict[str, int]  # its author's user id, by slug


@pytest.fixture
def two(app, make_user):
    """A resident with an ask in Cuijk and one with an ask in Grave, in an app context."""
    authors = {slug: make_user(slug).id for slug in ("cuijk", "grave")}
    with app.app_context():
        asks = {}
        for slug, author_id in authors.items():
            tenant = tenant_by_slug(slug)
            with tenant_context(tenant):
                category = db.session.scalar(
                    sa.select(Category.id).where(Category.key == "shopping")
                )
                listing = new_listing(author_id, category, title=f"Boodschappen in {tenant.name}")
                db.session.add(listing)
                db.session.commit()
                asks[slug] = listing.id
        yield Two(tenant_by_slug("cuijk"), tenant_by_slug("grave"), asks, authors)


def _title(listing_id: int) -> str | None:
    return db.session.scalar(
        sa.select(Listing.title).where(Listing.id == listing_id).execution_options(**ALL_TENANTS)
    )


def _village(name: str) -> Village:
    return db.session.scalar(
        sa.select(Village).where(Village.name == name).execution_options(**ALL_TENANTS)
    )


def test_a_statement_built_once_is_scoped_for_each_municipality_it_runs_in(two):
    """A module's constant statement (BUILT_ONCE, as the signed-in person's query) keeps its
    scoped form per municipality: each run sees its own municipality's rows only."""
    titles = sa.select(Listing.title).where(Listing.id.in_(sa.bindparam("ids", expanding=True)))
    ids = {"ids": list(two.ask.values())}
    for _ in range(2):  # the second time from the kept scoped forms
        for tenant in (two.cuijk, two.grave, two.cuijk):
            with tenant_context(tenant):
                found = db.session.scalars(titles, ids, execution_options=BUILT_ONCE).all()
            assert found == [f"Boodschappen in {tenant.name}"]
    assert db.session.scalars(titles, ids, execution_options=BUILT_ONCE).all() == []
    exists = sa.select(sa.exists().where(Listing.id == sa.bindparam("id")))
    for tenant in (two.cuijk, two.cuijk):  # refused every time, also once built
        with tenant_context(tenant), pytest.raises(UnscopedQueryError):
            db.session.scalar(exists, {"id": 1}, execution_options=BUILT_ONCE)


# Bulk UPDATE and DELETE


def test_bulk_update_changes_only_the_current_municipality(two):
    graves = db.session.get(Listing, two.ask["grave"], execution_options=ALL_TENANTS)
    with tenant_context(two.cuijk):
        changed = db.session.execute(sa.update(Listing).values(title="Gewijzigd")).rowcount
        # Objects in the session are brought up to date by the same criterion.
        assert graves.title == "Boodschappen in Grave"
        db.session.commit()
    assert changed == 1
    assert _title(two.ask["cuijk"]) == "Gewijzigd"
    assert _title(two.ask["grave"]) == "Boodschappen in Grave"


def test_bulk_delete_removes_only_the_current_municipality(two):
    with tenant_context(two.grave):
        db.session.execute(sa.delete(Listing).where(Listing.id.in_(two.ask.values())))
        db.session.commit()
    assert _title(two.ask["grave"]) is None
    assert _title(two.ask["cuijk"]) == "Boodschappen in Cuijk"


@pytest.mark.parametrize("statement", [sa.update(Listing).values(title="Weg"), sa.delete(Listing)])
def test_bulk_write_outside_a_municipality_raises_unless_all_tenants(two, statement):
    with pytest.raises(CrossTenantWriteError):
        db.session.execute(statement)
    db.session.rollback()
    assert _title(two.ask["cuijk"]) == "Boodschappen in Cuijk"
    # Said explicitly, a bulk write spans municipalities (as the claim of an email does).
    assert db.session.execute(statement.execution_options(**ALL_TENANTS)).rowcount == 2


def test_insert_and_update_by_primary_key_raise_unless_all_tenants(two):
    """SQLAlchemy adds no criteria to an UPDATE by primary key (a list of parameters): Cuijk
    could change Grave's ask. An insert skips the flush, which stamps and checks new rows."""
    with tenant_context(two.cuijk):
        with pytest.raises(UnscopedQueryError):
            db.session.execute(sa.update(Listing), [{"id": two.ask["grave"], "title": "Weg"}])
        with pytest.raises(UnscopedQueryError):
            db.session.execute(sa.insert(Village), [{"name": "Nergens", "tenant_id": two.grave.id}])
        db.session.rollback()
    assert _title(two.ask["grave"]) == "Boodschappen in Grave"
    db.session.execute(
        sa.update(Listing).execution_options(**ALL_TENANTS),
        [{"id": two.ask["grave"], "title": "Gewijzigd"}],
    )
    assert _title(two.ask["grave"]) == "Gewijzigd"


# EXISTS, any(), has() and other tables the criterion cannot reach


def test_exists_without_an_entity_raises_and_with_one_is_scoped(two):
    """`sa.select(sa.exists().where(...))` is no ORM statement, so the criterion never
    reached it: it said yes to Grave's village while serving Cuijk."""
    bare = sa.select(sa.exists().where(Village.name == "Escharen"))
    with tenant_context(two.cuijk), pytest.raises(UnscopedQueryError, match="villages"):
        db.session.scalar(bare)
    assert db.session.scalar(bare.execution_options(**ALL_TENANTS)) is True
    # The same question with an entity in the subquery is scoped.
    scoped = sa.select(sa.select(Village.id).where(Village.name == "Escharen").exists())
    with tenant_context(two.grave):
        assert db.session.scalar(scoped) is True
    with tenant_context(two.cuijk):
        assert db.session.scalar(scoped) is False


def test_any_over_a_relationship_raises(two):
    """`User.memberships.any()` builds its EXISTS from the bare table: it found Grave's
    resident while serving Cuijk."""
    with tenant_context(two.cuijk), pytest.raises(UnscopedQueryError, match="memberships"):
        db.session.scalars(sa.select(User.id).where(User.memberships.any())).all()
    members = sa.select(User.id).where(
        sa.select(Membership.id).where(Membership.user_id == User.id).exists()
    )
    with tenant_context(two.cuijk):
        assert db.session.scalars(members).all() == [two.author["cuijk"]]
    assert len(db.session.scalars(members.execution_options(**ALL_TENANTS)).all()) == 2


def test_has_over_a_relationship_raises(two):
    """`Listing.village.has(...)` matched a Cuijk ask that points at Grave's village (a row
    that only plain SQL, or the time before the flush checked it, can have made)."""
    db.session.execute(
        sa.update(Listing)
        .where(Listing.id == two.ask["cuijk"])
        .values(village_id=_village("Escharen").id)
        .execution_options(**ALL_TENANTS)
    )
    db.session.commit()
    in_escharen = sa.select(Listing.id).where(Listing.village.has(Village.name == "Escharen"))
    with tenant_context(two.cuijk), pytest.raises(UnscopedQueryError, match="villages"):
        db.session.scalars(in_escharen).all()
    joined = sa.select(Listing.id).join(Listing.village).where(Village.name == "Escharen")
    with tenant_context(two.cuijk):
        assert db.session.scalars(joined).all() == []


def test_a_table_brought_in_by_a_where_clause_raises(two):
    """A column of a table that the select does not name adds that table to its FROM,
    without the criterion: this listed Grave's resident while serving Cuijk."""
    implicit = sa.select(User.id).where(User.id == Membership.user_id)
    with tenant_context(two.cuijk), pytest.raises(UnscopedQueryError, match="memberships"):
        db.session.scalars(implicit).all()


def test_core_statements_on_a_scoped_table_raise_unless_all_tenants(two):
    count = sa.select(sa.func.count()).select_from(Listing.__table__)
    with tenant_context(two.cuijk):
        with pytest.raises(UnscopedQueryError, match="listings"):
            db.session.execute(count)
        with pytest.raises(UnscopedQueryError, match="listings"):
            db.session.execute(sa.update(Listing.__table__).values(title="Weg"))
    assert db.session.scalar(count.execution_options(**ALL_TENANTS)) == 2


# Session.get and the identity map


def test_get_finds_no_object_of_another_municipality_in_the_identity_map(two):
    with tenant_context(two.grave):
        escharen = db.session.scalar(sa.select(Village).where(Village.name == "Escharen"))
        assert db.session.get(Village, escharen.id) is escharen
    with tenant_context(two.cuijk):
        assert db.session.get(Village, escharen.id) is None
        with pytest.raises(sa.exc.NoResultFound):
            db.session.get_one(Village, escharen.id)
        assert db.session.get(Village, escharen.id, execution_options=ALL_TENANTS) is escharen
        # An expired object is refreshed without the criterion (SQLAlchemy adds none to a
        # refresh), so it is hidden all the same.
        db.session.expire_all()
        assert db.session.get(Village, escharen.id) is None
        assert db.session.get(Village, escharen.id, execution_options=ALL_TENANTS) is escharen
    assert db.session.get(Village, escharen.id) is None


# Flushes that would cross municipalities


def test_tenant_id_of_a_stored_row_cannot_change(two):
    with tenant_context(two.cuijk):
        listing = db.session.get(Listing, two.ask["cuijk"])
        listing.tenant_id = two.grave.id
        with pytest.raises(CrossTenantWriteError):
            db.session.flush()
        db.session.rollback()
    assert db.session.get(Listing, two.ask["cuijk"], execution_options=ALL_TENANTS).tenant_id == (
        two.cuijk.id
    )


def test_new_row_cannot_point_at_another_municipalitys_parent(two):
    with tenant_context(two.grave):
        graves_category = db.session.scalar(sa.select(Category.id))
        escharen = db.session.scalar(sa.select(Village.id).where(Village.name == "Escharen"))
    db.session.expunge_all()  # the parents are looked up in the database, not the session
    with tenant_context(two.cuijk):
        db.session.add(new_listing(two.author["cuijk"], graves_category))
        with pytest.raises(CrossTenantWriteError, match="Category"):
            db.session.flush()
        db.session.rollback()
        db.session.add(Membership(user_id=two.author["grave"], village_id=escharen))
        with pytest.raises(CrossTenantWriteError, match="Village"):
            db.session.flush()
        db.session.rollback()


def test_changed_foreign_key_cannot_point_at_another_municipalitys_parent(two):
    escharen = _village("Escharen")
    with tenant_context(two.cuijk):
        listing = db.session.get(Listing, two.ask["cuijk"])
        listing.village_id = escharen.id
        with pytest.raises(CrossTenantWriteError):
            db.session.flush()
        db.session.rollback()
        # A relationship sets its foreign key only during the flush; it is checked too.
        membership = db.session.scalar(sa.select(Membership))
        membership.village = escharen
        with pytest.raises(CrossTenantWriteError):
            db.session.flush()
        db.session.rollback()
        # A parent of its own municipality is fine.
        listing = db.session.get(Listing, two.ask["cuijk"])
        listing.village = db.session.scalar(sa.select(Village).where(Village.name == "Beers"))
        db.session.commit()


def test_parents_cost_at_most_one_query_per_parent_table(app, two):
    with tenant_context(two.cuijk):
        categories = db.session.scalars(sa.select(Category.id)).all()
        villages = db.session.scalars(sa.select(Village.id)).all()
        db.session.expunge_all()
        for n in range(5):
            db.session.add(new_listing(two.author["cuijk"], categories[n], village_id=villages[n]))
        with counting_queries(app) as statements:
            db.session.flush()
        lookups = [s for s in statements if s.lstrip().startswith("SELECT")]
        assert len(lookups) == 2, lookups
        db.session.rollback()


# Core queries stay explicit

APPLICATION = ("buurtplatform", "tenants", "jobs", "config", "scripts")
CORE_ESCAPES = re.compile(
    r"\bsa\.text\(|(?<![\w.])text\(|\bsa\.table\(|\bsa\.Table\(|\.__table__\b|\.local_table\b"
    r"|exec_driver_sql|metadata\.tables|\bsorted_tables\b|\.connection\(\)"
    r"|\bengine\.(?:connect|begin)\(|literal_column\(|\bsa\.DDL\("
)
# The files that may hold Core `Table` or `text()` queries, and why.
CORE_ALLOWED = {
    "buurtplatform/__init__.py": "emits SQLite's BEGIN itself, for savepoints",
    "buurtplatform/search.py": "full-text search: PostgreSQL's tsvector, SQLite's FTS5 table",
    "tenants/scoping.py": "the one place that scopes: it reads the mapped tables",
    "scripts/benchmark_background.py": "bulk loads for a benchmark, and its query plans",
    "buurtplatform/demo/scale.py": "bulk loads of `flask demo scale`, SQLite's search index",
    "buurtplatform/doctor.py": "`SELECT 1`: whether the database answers at all",
}


def test_core_queries_appear_only_where_allowed():
    found = {
        path.relative_to(ROOT).as_posix()
        for folder in APPLICATION
        for path in (ROOT / folder).rglob("*.py")
        if CORE_ESCAPES.search(path.read_text(encoding="utf-8"))
    }
    assert found - CORE_ALLOWED.keys() == set(), "Core queries are not scoped: keep them explicit"
    assert CORE_ALLOWED.keys() - found == set(), "an allowed file no longer needs it"
