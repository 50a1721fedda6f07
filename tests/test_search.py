"""Full-text search of asks and offers, in Dutch, on whichever database the run uses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from buurtplatform.accounts.models import User
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Kind, Listing, Status
from buurtplatform.search import matches, reindex_sqlite
from buurtplatform.timestamps import utcnow
from tenants.scoping import ALL_TENANTS, tenant_context
from tests.helpers import tenant_by_slug


def titles_found(text: str) -> set[str]:
    """The titles a search finds in the current municipality."""
    statement = sa.select(Listing)
    condition = matches(Listing, text)
    if condition is not None:
        statement = statement.where(condition)
    return {listing.title for listing in db.session.scalars(statement)}


@pytest.fixture
def post(app: Flask, make_user: Callable[..., User]) -> Callable[..., int]:
    """Post an ask in a municipality; returns its id."""
    authors: dict[str, int] = {}

    def make(title: str, description: str = "Graag.", *, slug: str = "cuijk") -> int:
        if slug not in authors:
            authors[slug] = make_user(slug).id
        with app.app_context(), tenant_context(tenant_by_slug(slug)):
            category_id = db.session.scalar(sa.select(Category.id).order_by(Category.id))
            if category_id is None:
                category = Category(key="shopping", name="Boodschappen")
                db.session.add(category)
                db.session.flush()
                category_id = category.id
            listing = Listing(
                kind=Kind.ASK,
                category_id=category_id,
                title=title,
                description=description,
                author_id=authors[slug],
                expires_at=utcnow() + timedelta(days=30),
            )
            db.session.add(listing)
            db.session.commit()
            return listing.id

    return make


@pytest.fixture
def search(app: Flask) -> Callable[..., set[str]]:
    def run(text: str, slug: str = "cuijk") -> set[str]:
        with app.app_context(), tenant_context(tenant_by_slug(slug)):
            return titles_found(text)

    return run


def test_a_word_finds_its_other_forms_and_compounds(post, search):
    post("Hulp bij boodschappen")
    post("Wie kan een boodschap doen?")
    post("Boodschappenhulp gezocht")
    post("Tuin opruimen")
    post("Naar het ziekenhuis", "Ik zoek vervoer naar het ziekenhuis in Boxmeer.")

    everything_shopping = {
        "Hulp bij boodschappen",
        "Wie kan een boodschap doen?",
        "Boodschappenhulp gezocht",
    }
    assert search("boodschap") == everything_shopping
    assert search("Boodschappen") >= {"Hulp bij boodschappen", "Wie kan een boodschap doen?"}
    assert search("boodschappenhulp") == {"Boodschappenhulp gezocht"}
    assert search("tuinen") == {"Tuin opruimen"}
    # The description is searched too.
    assert search("vervoer") == {"Naar het ziekenhuis"}
    assert search("fietsen") == set()


def test_every_word_must_match(post, search):
    post("Boodschappen en vervoer")
    post("Boodschappen")
    post("Vervoer naar de markt")

    assert search("boodschappen vervoer") == {"Boodschappen en vervoer"}
    assert search("vervoer boodschap") == {"Boodschappen en vervoer"}
    assert search("boodschappen tuin") == set()


def test_stop_words_are_left_out(post, search):
    post("Hulp bij boodschappen")

    assert search("hulp voor de boodschappen") == {"Hulp bij boodschappen"}
    # Only stop words: nothing to look for, so nothing is found (not everything).
    assert search("de") == set()


def test_case_does_not_matter(post, search, app):
    post("Koffie drinken in het Café", "Samen naar het DORPSHUIS.")

    for text in ("café", "CAFÉ", "Café", "dorpshuis", "KOFFIE"):
        assert search(text) == {"Koffie drinken in het Café"}, text
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            # SQLite's FTS5 tokenizer also drops accents (PostgreSQL would need `unaccent`).
            assert search("cafe") == {"Koffie drinken in het Café"}


def test_blank_text_is_no_search():
    assert matches(Listing, "") is None
    assert matches(Listing, "   \n") is None
    # No letters or digits: nothing to search for either.
    assert matches(Listing, '"*:&|!()') is None


def test_a_search_never_finds_another_municipalitys_listing(post, search, app):
    post("Hulp bij boodschappen in Cuijk", slug="cuijk")
    post("Hulp bij boodschappen in Grave", slug="grave")

    assert search("boodschap") == {"Hulp bij boodschappen in Cuijk"}
    assert search("boodschap", slug="grave") == {"Hulp bij boodschappen in Grave"}
    assert search("boodschap grave") == set()
    assert search("boodschap", slug="mill") == set()
    with app.app_context():
        # Outside any municipality scoped rows are invisible: fail closed.
        assert titles_found("boodschap") == set()


def test_changing_a_listing_changes_what_finds_it(post, search, app):
    listing_id = post("Hulp bij boodschappen", "Elke week.")
    assert search("boodschap") == {"Hulp bij boodschappen"}

    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        db.session.get(Listing, listing_id).title = "Hulp in de tuin"
        db.session.commit()
    assert search("boodschap") == set()
    assert search("tuin") == {"Hulp in de tuin"}

    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        listing = db.session.get(Listing, listing_id)
        listing.description = "Heggen snoeien."
        listing.status = Status.MATCHED
        db.session.commit()
    assert search("heggen tuin") == {"Hulp in de tuin"}
    assert search("week") == set()

    # A change that leaves the text alone keeps it findable.
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        db.session.get(Listing, listing_id).status = Status.CLOSED
        db.session.commit()
    assert search("heggen") == {"Hulp in de tuin"}

    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        db.session.delete(db.session.get(Listing, listing_id))
        db.session.commit()
    assert search("tuin") == set()


HOSTILE_TEXTS = [
    '"',
    "'",
    "*",
    'boodschap" OR "',
    "boodschap OR tuin",
    "NOT boodschap",
    "boodschap AND",
    "NEAR(",
    "NEAR(boodschap tuin)",
    ")",
    ":*",
    "boodschap:*",
    "&|!",
    "!boodschap & (tuin | vervoer)",
    "boodschap <-> tuin",
    "-boodschap +tuin ^hulp",
    "title:boodschap",
    "{boodschap}",
    "\\",
    "\x00boodschap",
    "de het een",  # only Dutch stop words: PostgreSQL drops them all
    "² ́e _ ß 😀",
    "a" * 5000,
    "boodschap " * 1000,
    "%_' OR 1=1; DROP TABLE listings; --",
]


def test_hostile_text_never_breaks_a_search(post, app):
    post("Hulp bij boodschappen")
    post("Tuin opruimen")

    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        if db.engine.dialect.name == "postgresql":
            # Also through the GIN index, which treats some queries differently from a scan.
            db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        for text in HOSTILE_TEXTS:
            assert titles_found(text) <= {"Hulp bij boodschappen", "Tuin opruimen"}, text
        assert titles_found("boodschap:*") == {"Hulp bij boodschappen"}
        assert titles_found('"boodschap"') == {"Hulp bij boodschappen"}
        assert titles_found("boodschap " * 1000) == {"Hulp bij boodschappen"}
        db.session.rollback()
    with app.app_context():
        every_listing = sa.select(sa.func.count()).select_from(Listing.__table__)
        assert db.session.scalar(every_listing.execution_options(**ALL_TENANTS)) == 2


def test_postgresql_searches_through_the_gin_index(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the GIN index is PostgreSQL's")
        statement = sa.select(Listing.id).where(matches(Listing, "boodschap vervoer"))
        compiled = statement.compile(dialect=db.engine.dialect)
        connection = db.session.connection()
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = connection.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).scalars().all()
        db.session.rollback()
    assert "ix_listings_search" in "\n".join(plan)


def test_sqlite_index_can_be_rebuilt_from_the_listings(post, search, app):
    """Migration 0003 fills the index this way from the listings that exist already."""
    post("Hulp bij boodschappen")
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the FTS5 table is SQLite's")
        with db.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM listings_fts"))
    assert search("boodschap") == set()

    with app.app_context(), db.engine.begin() as connection:
        reindex_sqlite(connection, "listings")
    assert search("boodschap") == {"Hulp bij boodschappen"}
