"""The search of the whole site (/zoeken), and the search mechanism that any kind of content
uses (buurtplatform/search.py), on whichever database the run uses.

Besides the asks and offers, a model of this module only (`Note`, three columns of which two may
be empty) is made searchable, in metadata of its own: the app's tables and migrations never
see it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from buurtplatform.accounts.models import User
from buurtplatform.board.models import BoardPost, PostKind
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing
from buurtplatform.news.models import NewsItem
from buurtplatform.search import (
    create_search_index,
    drop_search_index,
    is_search_table,
    matches,
    searchable,
)
from buurtplatform.site_search.sections import HITS_PER_SECTION, registered_sections
from buurtplatform.timestamps import utcnow
from tenants.scoping import ALL_TENANTS, TenantScoped, tenant_context
from tests.activity_helpers import new_activity, next_weekday
from tests.helpers import tenant_by_slug
from tests.listing_helpers import (
    add_listing,
    add_many_listings,
    counting_queries,
    in_english,
    page,
)


class NotesBase(DeclarativeBase):
    pass


class Note(TenantScoped, NotesBase):
    """Something like a board post: a title, and a text and a place that may be empty."""

    __tablename__ = "search_test_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the municipalities' table is in the app's metadata, not in this one.
    tenant_id: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(sa.String(80))
    body: Mapped[str | None] = mapped_column(sa.Text)
    place: Mapped[str | None] = mapped_column(sa.String(40))


searchable(Note, columns=("title", "body", "place"))


@pytest.fixture
def notes(app: Flask) -> Iterator[Callable[..., int]]:
    """The notes' table (and its search index) for this test; `notes(title, …)` adds one."""
    with app.app_context():
        NotesBase.metadata.create_all(db.engine)

    def add(title: str, body: str | None = None, place: str | None = None, slug="cuijk") -> int:
        with app.app_context(), tenant_context(tenant_by_slug(slug)):
            note = Note(title=title, body=body, place=place)
            db.session.add(note)
            db.session.commit()
            return note.id

    yield add
    with app.app_context():
        NotesBase.metadata.drop_all(db.engine)
        db.engine.dispose()


def notes_found(app: Flask, text: str, slug: str = "cuijk") -> set[str]:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        return set(db.session.scalars(sa.select(Note.title).where(matches(Note, text))))


@pytest.fixture
def author(make_user: Callable[..., User]) -> User:
    return make_user("cuijk")


def search_page(client: FlaskClient, text: str) -> str:
    response = client.get("/zoeken", query_string={"q": text})
    assert response.status_code == 200
    return page(response)


def titles_on(text: str) -> list[str]:
    """The titles of the hits on a search page, in order."""
    return [
        html.unescape(t) for t in re.findall(r'class="listing-card__title"><a [^>]*>([^<]*)<', text)
    ]


# Dutch word forms, on both databases


def test_a_word_finds_its_other_forms(app, client_for, author):
    add_listing(app, author, title="Hulp bij boodschappen", description="Eens per week.")
    add_listing(app, author, title="Wandeling langs de Maas", description="Rustig tempo.")
    add_listing(app, author, title="Tuin opruimen", description="Heggen snoeien.")
    client = client_for("cuijk")

    assert titles_on(search_page(client, "boodschap")) == ["Hulp bij boodschappen"]
    assert titles_on(search_page(client, "Boodschappen")) == ["Hulp bij boodschappen"]
    assert titles_on(search_page(client, "wandelen")) == ["Wandeling langs de Maas"]
    assert titles_on(search_page(client, "snoei")) == ["Tuin opruimen"]


def test_every_column_of_a_model_is_searched_and_empty_ones_are_no_trouble(app, notes):
    notes("Koffieochtend", body="Elke dinsdag koffie drinken in het dorpshuis.", place="Beers")
    notes("Wandelen", body=None, place=None)
    notes("Breien", body=None, place="Haps")

    assert notes_found(app, "dinsdag") == {"Koffieochtend"}
    assert notes_found(app, "haps") == {"Breien"}
    assert notes_found(app, "wandeling") == {"Wandelen"}
    # Every word must match, in any of the columns.
    assert notes_found(app, "koffie beers") == {"Koffieochtend"}
    assert notes_found(app, "koffie haps") == set()


# What is never found


def test_another_municipalitys_content_is_never_found(app, client_for, author, make_user, notes):
    add_listing(app, author, title="Boodschappen in Cuijk")
    add_listing(app, make_user("grave"), slug="grave", title="Boodschappen in Grave")
    notes("Boodschappenlijst Cuijk")
    notes("Boodschappenlijst Grave", slug="grave")

    assert titles_on(search_page(client_for("cuijk"), "boodschap")) == ["Boodschappen in Cuijk"]
    assert titles_on(search_page(client_for("grave"), "boodschap")) == ["Boodschappen in Grave"]
    assert titles_on(search_page(client_for("mill"), "boodschap")) == []
    assert notes_found(app, "boodschap") == {"Boodschappenlijst Cuijk"}
    assert notes_found(app, "boodschap grave") == set()
    with app.app_context():
        # Outside any municipality nothing is found: fail closed.
        assert (
            set(db.session.scalars(sa.select(Note.id).where(matches(Note, "boodschap")))) == set()
        )


def test_hidden_content_and_content_awaiting_approval_are_never_found(app, client_for, author):
    add_listing(app, author, title="Boodschappen gezocht")
    add_listing(app, author, title="Boodschappen verborgen", hidden_at=utcnow())
    add_listing(app, author, title="Boodschappen nog niet goedgekeurd", awaiting_approval=True)
    add_listing(app, author, title="Boodschappen verlopen", expires_at=utcnow() - timedelta(days=1))

    assert titles_on(search_page(client_for("cuijk"), "boodschap")) == ["Boodschappen gezocht"]


def test_a_deleted_or_changed_row_leaves_the_index(app, notes):
    kept = notes("Fietsen repareren", body="Lekke band")
    gone = notes("Fietsen lenen", body="Een fiets voor een dag")

    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        db.session.delete(db.session.get(Note, gone))
        db.session.get(Note, kept).body = "Remmen afstellen"
        db.session.commit()
    assert notes_found(app, "fiets") == {"Fietsen repareren"}
    assert notes_found(app, "band") == set()
    assert notes_found(app, "remmen") == {"Fietsen repareren"}
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as connection:
                rowids = connection.exec_driver_sql("SELECT rowid FROM search_test_notes_fts")
                assert rowids.scalars().all() == [kept]


HOSTILE_TEXTS = [
    '"',
    "'",
    "*",
    'boodschap" OR "',
    "NOT boodschap",
    "NEAR(boodschap tuin)",
    "boodschap:*",
    "!boodschap & (tuin | vervoer)",
    "boodschap <-> tuin",
    "title:boodschap",
    "\\",
    "\x00boodschap",
    "<script>alert(1)</script>",
    "² ́e _ ß 😀",
    "boodschap " * 200,
    "%_' OR 1=1; DROP TABLE listings; --",
]


def test_text_that_looks_like_a_query_language_is_only_words(app, client_for, author, notes):
    add_listing(app, author, title="Hulp bij boodschappen")
    notes("Boodschappenlijst")
    client = client_for("cuijk")

    for text in HOSTILE_TEXTS:
        shown = search_page(client, text[:100])
        assert set(titles_on(shown)) <= {"Hulp bij boodschappen"}, text
        assert "<script>alert(1)</script>" not in shown
        assert notes_found(app, text) <= {"Boodschappenlijst"}, text
    # The words in it are still searched for.
    assert titles_on(search_page(client, '"boodschap*"')) == ["Hulp bij boodschappen"]
    assert titles_on(search_page(client, "boodschap:* & !")) == ["Hulp bij boodschappen"]
    with app.app_context():
        every_listing = sa.select(sa.func.count()).select_from(Listing)
        assert db.session.scalar(every_listing.execution_options(**ALL_TENANTS)) == 1


# The page


def add_content(app: Flask, author: User, row: object, slug: str = "cuijk") -> None:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        if isinstance(row, BoardPost):
            row.author_id = author.id
        db.session.add(row)
        db.session.commit()


def test_posts_and_news_are_found_beside_asks_and_offers(app, client_for, author):
    add_listing(app, author, title="Koffie drinken", description="Wie drinkt er koffie mee?")
    add_content(
        app, author, BoardPost(kind=PostKind.TIP, title="Lekkere koffie", body="Bij de bakker.")
    )
    add_content(
        app,
        author,
        BoardPost(kind=PostKind.TIP, title="Koffie verborgen", body="Weg.", hidden_at=utcnow()),
    )
    add_content(app, author, NewsItem(title="Koffieochtend in Beers", body="Elke dinsdag koffie."))
    add_content(
        app,
        author,
        NewsItem(title="Koffie voorbij", body="Was.", last_day=utcnow().date() - timedelta(days=2)),
    )
    shown = search_page(client_for("cuijk"), "koffie")

    assert titles_on(shown) == ["Koffie drinken", "Lekkere koffie", "Koffieochtend in Beers"]
    assert 'Prikbord <span class="count">(1)</span>' in shown
    assert 'Nieuws <span class="count">(1)</span>' in shown
    assert '<a href="/prikbord?q=koffie">Bekijk het in Prikbord</a>' in shown
    assert '<a href="/nieuws?q=koffie">Bekijk het in Nieuws</a>' in shown
    # The news list finds the same, and says so when it finds nothing.
    news = page(client_for("cuijk").get("/nieuws?q=koffie"))
    assert titles_on(news) == ["Koffieochtend in Beers"]
    assert "Geen nieuws gevonden met deze woorden." in page(
        client_for("cuijk").get("/nieuws?q=zwembad")
    )


def test_coming_activities_are_found_by_their_place_too(app, client_for, author):
    day = next_weekday(1)
    add_content(app, author, new_activity(author.id, day, title="Koffieochtend", place="Dorpshuis"))
    add_content(
        app,
        author,
        new_activity(author.id, day, title="Breiclub", place="Dorpshuis", cancelled_at=utcnow()),
    )
    add_content(
        app,
        author,
        new_activity(author.id, day - timedelta(days=30), title="Voorbij", place="Dorpshuis"),
    )
    shown = search_page(client_for("cuijk"), "dorpshuis")

    assert titles_on(shown) == ["Koffieochtend"]
    assert '<a href="/agenda?q=dorpshuis">Bekijk het in Agenda</a>' in shown
    assert titles_on(page(client_for("cuijk").get("/agenda?q=dorpshuis"))) == ["Koffieochtend"]
    assert titles_on(page(client_for("cuijk").get("/agenda/voorbij?q=dorpshuis"))) == ["Voorbij"]


def test_each_kind_shows_its_count_its_first_hits_and_a_link_to_its_own_list(
    app, client_for, author
):
    add_many_listings(app, author, 7)  # "Bericht 0" … "Bericht 6"
    shown = search_page(client_for("cuijk"), "bericht")

    assert len(titles_on(shown)) == HITS_PER_SECTION
    assert 'Vraag en aanbod <span class="count">(7)</span>' in shown
    assert '<a href="/vraag-en-aanbod?q=bericht">Bekijk alle 7 in Vraag en aanbod</a>' in shown
    # The list it links to finds the same seven.
    listed = page(client_for("cuijk").get("/vraag-en-aanbod?q=bericht"))
    assert len(re.findall(r'class="listing-card__title"', listed)) == 7


def test_nothing_found_says_what_to_do_instead(app, client_for, author):
    add_listing(app, author, title="Hulp bij boodschappen")
    with app.app_context():
        phone = tenant_by_slug("cuijk").help_phone
    shown = search_page(client_for("cuijk"), "zwembad")

    assert titles_on(shown) == []
    assert 'Niets gevonden voor "zwembad"' in html.unescape(shown)
    assert "Probeer minder woorden, of een ander woord." in shown
    assert 'href="/vraag-en-aanbod/nieuw?soort=vraag"' in shown
    assert phone in shown


def test_a_blank_search_asks_what_you_look_for_and_a_long_one_is_refused(client_for):
    client = client_for("cuijk")
    blank = search_page(client, "")
    assert "Je zoekt in één keer op de hele site" in blank
    assert "Niets gevonden" not in blank

    too_long = search_page(client, "boodschap " * 20)
    assert "Dit mag niet langer zijn dan 100 tekens." in too_long
    assert 'aria-invalid="true"' in too_long


def test_the_page_speaks_english_too(client_for):
    shown = search_page(in_english(client_for("cuijk")), "zwembad")
    assert 'Nothing found for "zwembad"' in html.unescape(shown)
    assert "Try fewer words, or another word." in shown


def test_the_search_costs_one_query_per_kind_for_10_or_1000_listings(app, client_for, author):
    app.config["PAGE_CACHE"] = False  # the page made, not kept (tests/test_page_cache.py)
    client = client_for("cuijk")

    def queries(url: str = "/zoeken?q=bericht") -> int:
        assert client.get(url).status_code == 200  # a first request warms up any caches
        with counting_queries(app) as statements:
            assert client.get(url).status_code == 200
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    add_many_listings(app, author, 10)
    # The other kinds show what they find too, with nothing loaded per hit.
    add_content(
        app, author, BoardPost(kind=PostKind.TIP, title="Bericht op het prikbord", body=".")
    )
    add_content(app, author, NewsItem(title="Bericht van de gemeente", body="Over de markt."))
    few = queries()
    shown = page(client.get("/zoeken?q=bericht"))
    assert "Bericht op het prikbord" in shown
    assert "Bericht van de gemeente" in shown
    # Beyond what any page costs, one query per kind.
    assert few == queries("/zoeken") + len(registered_sections())
    add_many_listings(app, author, 990)
    assert queries() == few
    assert "(1000)" in page(client.get("/zoeken?q=bericht"))


def test_the_header_leads_to_the_search(client_for):
    shown = page(client_for("cuijk").get("/"))
    assert 'href="/zoeken"' in shown
    assert 'action="/zoeken"' in shown


# The index, for migrations and Alembic


def test_a_migration_gives_existing_rows_their_index(app, notes):
    """What migration 0009 does for each table that became searchable (0003 did it for the
    asks and offers): the rows there are already are found afterwards."""
    notes("Koffieochtend", body="In het dorpshuis")
    with app.app_context(), db.engine.begin() as connection:
        operations = Operations(MigrationContext.configure(connection))
        drop_search_index(operations, "search_test_notes")
        names = sa.inspect(connection)
        assert "search_test_notes_fts" not in names.get_table_names()
        assert "ix_search_test_notes_search" not in {
            index["name"] for index in names.get_indexes("search_test_notes")
        }
        create_search_index(operations, "search_test_notes")
    assert notes_found(app, "dorpshuis") == {"Koffieochtend"}
    with app.app_context(), db.engine.connect() as connection:
        names = sa.inspect(connection)
        if connection.dialect.name == "postgresql":
            indexes = {index["name"] for index in names.get_indexes("search_test_notes")}
            assert "ix_search_test_notes_search" in indexes
        else:
            assert "search_test_notes_fts" in names.get_table_names()


def test_the_full_text_tables_are_not_the_models_business(app):
    """Alembic's autogenerate leaves SQLite's FTS5 tables alone (migrations/env.py)."""
    for name in ("listings_fts", "listings_fts_data", "search_test_notes_fts_idx"):
        assert is_search_table(name), name
    assert not is_search_table("listings")
    assert not is_search_table("other_fts")


# SQLite cannot show an index on an expression; it has none here (the index is PostgreSQL's).
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_alembic_sees_the_index_as_the_model_declares_it(app, notes):
    """PostgreSQL shows the index's expression with brackets of its own; the declared one has
    the same, or autogenerate would want to drop and make it again."""

    def only_notes(name: str | None, type_: str, parent_names: dict) -> bool:
        return type_ != "table" or name in NotesBase.metadata.tables

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": only_notes})
        assert compare_metadata(context, NotesBase.metadata) == []


def test_a_search_uses_the_index(app, notes):
    with app.app_context():
        statement = sa.select(Note.id).where(matches(Note, "koffie dorpshuis"))
        compiled = statement.compile(
            dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}
        )
        connection = db.session.connection()
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            explain = "EXPLAIN"
        else:
            explain = "EXPLAIN QUERY PLAN"
        plan = "\n".join(str(step) for step in connection.exec_driver_sql(f"{explain} {compiled}"))
        index = {"postgresql": "ix_search_test_notes_search", "sqlite": "search_test_notes_fts"}
        assert index[connection.dialect.name] in plan
        db.session.rollback()
