"""Full-text search of asks and offers in Dutch, with each database's own full-text search.

`listing_matches(text)` gives the WHERE condition for a search. Every word of the search must
match the start of a stemmed word in the title or description, so that "boodschap" finds
"boodschappen" and "boodschappenhulp", and "boodschappen" finds "boodschap".

PostgreSQL searches `to_tsvector('dutch', title || ' ' || description)`, which the GIN index
`ix_listings_search` on `Listing` covers. Its Dutch stemmer and Snowball's newer one (the
`snowballstemmer` package) disagree on some words: "boodschappen" is 'boodschapp' to
PostgreSQL and 'boodschap' to Snowball. So each search word is looked for as the prefix of
either stem.

SQLite has no Dutch stemmer, so the FTS5 table `listings_fts` (rowid = the listing's id) holds
Snowball's stems of the title and description. ORM events on `Listing` keep it up to date.
The table is created with the listings table (`db.create_all()`) and by migration 0003.
It is a regular FTS5 table that keeps its own copy of the stems. Contentless and
external-content tables can only delete a row if they are given its old text again. SQLite
added `contentless_delete` only in 3.43, which is newer than what Debian ships.

Both leave out PostgreSQL's Dutch stop words ("de", "bij", "voor" …), so a search asks the
same of either database. The user's text never reaches either query language as syntax: it
is split into words made of letters and digits first.
"""

from __future__ import annotations

import re

import snowballstemmer
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapper

from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing

# Enough for any real search; keeps a pasted essay from building a huge query.
MAX_WORDS = 10
# A longer word is searched for by its first letters, which still matches it as a prefix.
MAX_WORD_LENGTH = 40

_WORD = re.compile(r"[^\W_]+")
# PostgreSQL's Dutch stop words (Snowball's list), left out on SQLite too: a search for
# "hulp bij de boodschappen" then asks the same of both databases.
_STOP_WORDS = frozenset(
    """
    de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er
    maar om hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit
    der daar haar naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat
    iets worden toch al waren veel meer doen toen moet ben zonder kan hun dus alles onder
    ja eens hier wie werd altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon
    niets uw iemand geweest andere
    """.split()  # noqa: SIM905 - a hundred words read better as text than as a list
)
_stemmer = snowballstemmer.stemmer("dutch")

# The document PostgreSQL searches, spelled as in the index `ix_listings_search`. Constants are
# literals, not bound parameters, so that the planner can match the query to the index.
_DOCUMENT = sa.func.to_tsvector(
    sa.literal_column("'dutch'"),
    Listing.title + sa.literal_column("' '", sa.Text) + Listing.description,
)

_FTS_TABLE = "listings_fts"
# FTS5 keeps the index in shadow tables named after the table.
_FTS_TABLES = {_FTS_TABLE} | {
    f"{_FTS_TABLE}_{shadow}" for shadow in ("data", "idx", "content", "docsize", "config")
}
_fts = sa.table(_FTS_TABLE, sa.column("rowid"), sa.column("words"), sa.column(_FTS_TABLE))
_CREATE_FTS = (
    f"CREATE VIRTUAL TABLE {_FTS_TABLE} "
    "USING fts5(words, tokenize = 'unicode61 remove_diacritics 2')"
)


def listing_matches(text: str) -> sa.ColumnElement[bool] | None:
    """The condition on `Listing` for a search, or None when the text has no words at all
    (blank, or punctuation only): then there is nothing to filter on. Text of stop words
    only ("de", "het") matches nothing, as PostgreSQL would have it."""
    if not _WORD.search(text):
        return None
    words = _words(text)[:MAX_WORDS]
    if not words:
        return sa.false()
    if db.engine.dialect.name == "postgresql":
        return _DOCUMENT.bool_op("@@")(
            sa.func.to_tsquery(sa.literal_column("'dutch'"), _postgresql_query(words))
        )
    return Listing.id.in_(
        sa.select(_fts.c.rowid).where(_fts.c[_FTS_TABLE].match(_sqlite_query(words)))
    )


def is_search_table(name: str) -> bool:
    """Whether `name` is SQLite's full-text table or one of its shadow tables. They are not in
    the models' metadata, so Alembic's autogenerate leaves them alone (migrations/env.py)."""
    return name in _FTS_TABLES


def _words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.lower()) if word not in _STOP_WORDS]


def _stems(words: list[str]) -> list[str]:
    return _stemmer.stemWords(words)


def _postgresql_query(words: list[str]) -> str:
    """E.g. `(boodschappen:* | boodschap:*) & vervoer:*`. The words hold only letters and
    digits, so none of tsquery's operators can appear."""
    terms = []
    for word, stem in zip(words, _stems(words), strict=True):
        word, stem = word[:MAX_WORD_LENGTH], stem[:MAX_WORD_LENGTH]
        terms.append(f"{word}:*" if word == stem else f"({word}:* | {stem}:*)")
    return " & ".join(terms)


def _sqlite_query(words: list[str]) -> str:
    """E.g. `"boodschap"* AND "vervoer"*`: quoted, so that FTS5 keywords such as NEAR, AND
    and OR are only words."""
    return " AND ".join(f'"{stem[:MAX_WORD_LENGTH]}"*' for stem in _stems(words))


def _indexed_words(title: str, description: str) -> str:
    return " ".join(_stems(_words(f"{title} {description}")))


def reindex_sqlite(connection: sa.Connection) -> None:
    """Fill `listings_fts` from the listings table. Migration 0003 uses it; run it again if
    listings were ever changed by plain SQL, which the ORM events below do not see."""
    listings = sa.table("listings", sa.column("id"), sa.column("title"), sa.column("description"))
    connection.execute(sa.delete(_fts))
    for row in connection.execute(sa.select(listings)):
        _write_sqlite_row(connection, row.id, row.title, row.description)


def _write_sqlite_row(connection: sa.Connection, listing_id: int, title: str, desc: str) -> None:
    # REPLACE also clears a row left behind by a listing that a database cascade deleted,
    # should SQLite hand its id out again.
    connection.execute(
        sa.insert(_fts)
        .prefix_with("OR REPLACE")
        .values(rowid=listing_id, words=_indexed_words(title, desc))
    )


@event.listens_for(Listing, "after_insert")
def _index_new_listing(mapper: Mapper, connection: sa.Connection, listing: Listing) -> None:
    if connection.dialect.name == "sqlite":
        _write_sqlite_row(connection, listing.id, listing.title, listing.description)


@event.listens_for(Listing, "after_update")
def _reindex_listing(mapper: Mapper, connection: sa.Connection, listing: Listing) -> None:
    if connection.dialect.name != "sqlite":
        return
    state = sa.inspect(listing)
    if state.attrs.title.history.has_changes() or state.attrs.description.history.has_changes():
        _write_sqlite_row(connection, listing.id, listing.title, listing.description)


@event.listens_for(Listing, "after_delete")
def _unindex_listing(mapper: Mapper, connection: sa.Connection, listing: Listing) -> None:
    if connection.dialect.name == "sqlite":
        connection.execute(sa.delete(_fts).where(_fts.c.rowid == listing.id))


# `db.create_all()` and `db.drop_all()` create and drop the FTS table with the listings table.
event.listen(Listing.__table__, "after_create", sa.DDL(_CREATE_FTS).execute_if(dialect="sqlite"))
event.listen(
    Listing.__table__,
    "before_drop",
    sa.DDL(f"DROP TABLE IF EXISTS {_FTS_TABLE}").execute_if(dialect="sqlite"),
)
