"""Full-text search in Dutch, with each database's own full-text search, for any kind of content.

A feature makes a model searchable once, at import time, under the model's class:

    searchable(BoardPost, columns=("title", "body"))

and searches it with `matches(BoardPost, text)`: the WHERE condition for a search, or None when
the text has no words at all (then there is nothing to filter on). Put it in a select of the
model itself, `sa.select(BoardPost).where(condition)`, so that the tenant scoping and the
model's own conditions (`BoardPost.public()`) apply as to any list. The model needs an integer
primary key `id`; its columns may be NULL (they count as empty text).

Every word of the search must match the start of a stemmed word in one of the columns, so that
"boodschap" finds "boodschappen" and "boodschappenhulp", and "boodschappen" finds "boodschap".

PostgreSQL searches `to_tsvector('dutch', <the columns, joined by spaces>)`, which the GIN index
`ix_<table>_search` covers: `searchable` declares it on the model's table, so `db.create_all()`
makes it and Alembic's autogenerate sees it. Its Dutch stemmer and Snowball's newer one (the
`snowballstemmer` package) disagree on some words: "boodschappen" is 'boodschapp' to
PostgreSQL and 'boodschap' to Snowball. So each search word is looked for as the prefix of
either stem.

SQLite has no Dutch stemmer, so the FTS5 table `<table>_fts` (rowid = the row's id) holds
Snowball's stems of the columns. ORM events on the model keep it up to date (insert, a change
of one of the columns, delete). It is created and dropped with the model's table
(`db.create_all()`, `db.drop_all()`). It is a regular FTS5 table that keeps its own copy of the
stems. Contentless and external-content tables can only delete a row if they are given its old
text again. SQLite added `contentless_delete` only in 3.43, which is newer than what Debian
ships. A row deleted without the ORM (a database cascade, a bulk `delete()`) leaves its stems
behind until `reindex_sqlite`; they find nothing, because a search selects the model's own rows,
and a new row that gets the same id replaces them.

Existing databases get the index from a migration, for each table that became searchable:

    from buurtplatform.search import create_search_index, drop_search_index

    def upgrade():
        create_search_index(op, "board_posts")   # PostgreSQL: the GIN index;
                                                 # SQLite: the FTS5 table, filled from the rows
    def downgrade():
        drop_search_index(op, "board_posts")

Both databases leave out PostgreSQL's Dutch stop words ("de", "bij", "voor" …), so a search
asks the same of either database. The user's text never reaches either query language as
syntax: it is split into words made of letters and digits first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import snowballstemmer
import sqlalchemy as sa

# Registers PostgreSQL's own `to_tsvector` and `to_tsquery` constructs, which `sa.func` builds.
import sqlalchemy.dialects.postgresql
from sqlalchemy import event
from sqlalchemy.orm import Mapper

from buurtplatform.extensions import db

if TYPE_CHECKING:
    from alembic.operations import Operations

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
# FTS5 keeps its index in shadow tables named after the table.
_FTS_SHADOWS = ("data", "idx", "content", "docsize", "config")


@dataclass(frozen=True)
class SearchIndex:
    """One searchable model: its text columns, PostgreSQL's index and SQLite's FTS5 table."""

    model: type
    columns: tuple[str, ...]

    @property
    def table(self) -> sa.Table:
        return self.model.__table__

    @property
    def index_name(self) -> str:
        return f"ix_{self.table.name}_search"

    @property
    def fts_name(self) -> str:
        return f"{self.table.name}_fts"

    @cached_property
    def fts(self) -> sa.TableClause:
        # FTS5 names the table itself as the column to MATCH against.
        return sa.table(
            self.fts_name, sa.column("rowid"), sa.column("words"), sa.column(self.fts_name)
        )

    @property
    def gin_index(self) -> sa.Index:
        return next(index for index in self.table.indexes if index.name == self.index_name)

    def document(self) -> sa.ColumnElement:
        """What PostgreSQL searches: the same expression as `document_sql`, so that the
        planner uses the index. Constants are literals, not bound parameters, for the same
        reason."""
        space = sa.literal_column("' '", sa.Text)
        text = None
        for name in self.columns:
            column = self.table.c[name]
            part = sa.func.coalesce(column, sa.literal_column("''")) if column.nullable else column
            text = part if text is None else text + space + part
        return sa.func.to_tsvector(sa.literal_column("'dutch'"), text)

    def document_sql(self) -> sa.TextClause:
        """`document` as the index declares it, with the brackets that PostgreSQL shows when
        Alembic reads the index back: otherwise its autogenerate sees a difference."""
        text = ""
        for name in self.columns:
            part = f"coalesce({name}, '')" if self.table.c[name].nullable else name
            text = f"(({text} || ' ') || {part})" if text else part
        if text.startswith("(("):
            text = text[1:-1]
        return sa.text(f"to_tsvector('dutch', {text})")

    def create_fts_ddl(self) -> sa.DDL:
        return sa.DDL(
            f"CREATE VIRTUAL TABLE {self.fts_name} "
            "USING fts5(words, tokenize = 'unicode61 remove_diacritics 2')"
        )

    def drop_fts_ddl(self) -> sa.DDL:
        return sa.DDL(f"DROP TABLE IF EXISTS {self.fts_name}")


# Table name -> its searchable model.
_INDEXES: dict[str, SearchIndex] = {}


def searchable(model: type, columns: Sequence[str]) -> None:
    """Make `model` searchable on its text `columns` (in this order); call once, at import
    time, right after the model's class."""
    index = SearchIndex(model, tuple(columns))
    if index.table.name in _INDEXES:
        raise ValueError(f"{index.table.name} is searchable already")
    _INDEXES[index.table.name] = index
    index.table.append_constraint(
        sa.Index(index.index_name, index.document_sql(), postgresql_using="gin").ddl_if(
            dialect="postgresql"
        )
    )
    event.listen(index.table, "after_create", index.create_fts_ddl().execute_if(dialect="sqlite"))
    event.listen(index.table, "before_drop", index.drop_fts_ddl().execute_if(dialect="sqlite"))
    _keep_sqlite_index_current(index)


def matches(model: type, text: str) -> sa.ColumnElement[bool] | None:
    """The condition on `model` for a search, or None when the text has no words at all
    (blank, or punctuation only): then there is nothing to filter on. Text of stop words
    only ("de", "het") matches nothing, as PostgreSQL would have it."""
    index = _INDEXES[model.__table__.name]
    if not has_words(text):
        return None
    words = _words(text)[:MAX_WORDS]
    if not words:
        return sa.false()
    if db.engine.dialect.name == "postgresql":
        return index.document().bool_op("@@")(
            sa.func.to_tsquery(sa.literal_column("'dutch'"), _postgresql_query(words))
        )
    fts = index.fts
    return model.id.in_(
        sa.select(fts.c.rowid).where(fts.c[index.fts_name].match(_sqlite_query(words)))
    )


def has_words(text: str) -> bool:
    """Whether `text` has anything to search for: letters or digits."""
    return _WORD.search(text) is not None


def is_search_table(name: str) -> bool:
    """Whether `name` is one of SQLite's full-text tables or their shadow tables. They are
    not in the models' metadata, so Alembic's autogenerate leaves them alone
    (migrations/env.py)."""
    return any(
        name == index.fts_name or name in {f"{index.fts_name}_{s}" for s in _FTS_SHADOWS}
        for index in _INDEXES.values()
    )


def create_search_index(op: Operations, table: str) -> None:
    """For a migration: give an existing database the index of a table that became
    searchable. PostgreSQL: the GIN index as the model declares it. SQLite: the FTS5 table,
    filled from the rows there are."""
    index = _INDEXES[table]
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        index.gin_index.create(connection)
    elif connection.dialect.name == "sqlite":
        connection.execute(index.create_fts_ddl())
        reindex_sqlite(connection, table)


def drop_search_index(op: Operations, table: str) -> None:
    """For a migration's downgrade: undo `create_search_index`."""
    index = _INDEXES[table]
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.drop_index(index.index_name, table_name=table)
    elif connection.dialect.name == "sqlite":
        connection.execute(index.drop_fts_ddl())


def reindex_sqlite(connection: sa.Connection, table: str) -> None:
    """Fill `table`'s FTS5 table from its rows. `create_search_index` uses it; run it again
    if rows were ever changed by plain SQL, which the ORM events do not see."""
    index = _INDEXES[table]
    rows = sa.table(table, *(sa.column(name) for name in ("id", *index.columns)))
    connection.execute(sa.delete(index.fts))
    for row in connection.execute(sa.select(rows)):
        _write_sqlite_row(connection, index, row.id, row[1:])


def forget_removed_rows(model: type, ids: Sequence[int]) -> None:
    """Drop the stems of `model`'s rows `ids`, deleted without the ORM (a bulk `delete()`),
    from SQLite's FTS5 table, so that no copy of their text stays behind (the retention jobs).
    PostgreSQL keeps no copy."""
    if ids and db.session.get_bind().dialect.name == "sqlite":
        fts = _INDEXES[model.__table__.name].fts
        db.session.execute(sa.delete(fts).where(fts.c.rowid.in_(ids)))


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


def _indexed_words(texts: Sequence[str | None]) -> str:
    return " ".join(_stems(_words(" ".join(text or "" for text in texts))))


def _write_sqlite_row(
    connection: sa.Connection, index: SearchIndex, row_id: int, texts: Sequence[str | None]
) -> None:
    # REPLACE also clears a row left behind by a row that a database cascade deleted,
    # should SQLite hand its id out again.
    connection.execute(
        sa.insert(index.fts)
        .prefix_with("OR REPLACE")
        .values(rowid=row_id, words=_indexed_words(texts))
    )


def _keep_sqlite_index_current(index: SearchIndex) -> None:
    """ORM events that write a row's stems to SQLite's FTS5 table as the row changes."""

    def texts(row: object) -> list[str | None]:
        return [getattr(row, name) for name in index.columns]

    @event.listens_for(index.model, "after_insert")
    def index_new_row(mapper: Mapper, connection: sa.Connection, row: object) -> None:
        if connection.dialect.name == "sqlite":
            _write_sqlite_row(connection, index, row.id, texts(row))

    @event.listens_for(index.model, "after_update")
    def reindex_row(mapper: Mapper, connection: sa.Connection, row: object) -> None:
        if connection.dialect.name != "sqlite":
            return
        state = sa.inspect(row)
        if any(state.attrs[name].history.has_changes() for name in index.columns):
            _write_sqlite_row(connection, index, row.id, texts(row))

    @event.listens_for(index.model, "after_delete")
    def unindex_row(mapper: Mapper, connection: sa.Connection, row: object) -> None:
        if connection.dialect.name == "sqlite":
            connection.execute(sa.delete(index.fts).where(index.fts.c.rowid == row.id))
