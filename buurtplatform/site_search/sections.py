"""The kinds of content that the search of the whole site finds. Each feature registers its own,
so that the search page lists what exists without importing those features:

    @search_section(
        "listings",
        _l("Asks and offers"),
        model=Listing,
        template="listings/_search_hits.html",
        list_endpoint="listings.browse",
        position=10,
    )
    def searchable_listings() -> sa.Select:
        return with_card_details(open_listings())

The model is searchable (`buurtplatform.search.searchable`). The function returns the select of
what the feature's own list shows to anyone: `Model.public()` and whatever else that list leaves
out (closed asks, past activities), in its order, loading what the template shows in the same
query (`joinedload` of what each row points at). The search adds the words, a count and a
limit: one query per kind, whatever is found. The template shows `hits` as the feature's own
list does, with `heading` the tag for each hit's title. `list_endpoint` is that list; it filters
by the same words given as `?q=`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import LazyString

from buurtplatform.extensions import db
from buurtplatform.search import has_words, matches

# The first hits of each kind; the kind's own list has the rest.
HITS_PER_SECTION = 5

Rows = Callable[[], sa.Select]


@dataclass(frozen=True)
class SearchSection:
    key: str
    title: LazyString
    model: type
    rows: Rows
    template: str
    list_endpoint: str
    position: int


@dataclass(frozen=True)
class Found:
    """What the search found of one kind: its first hits, and how many there are in all."""

    section: SearchSection
    hits: list[object]
    total: int


_sections: dict[str, SearchSection] = {}


def search_section(
    key: str,
    title: LazyString,
    *,
    model: type,
    template: str,
    list_endpoint: str,
    position: int,
) -> Callable[[Rows], Rows]:
    """Register `rows()` as the kind of content `key`, shown under `title` at `position`
    (lower first) on the search page."""

    def register(rows: Rows) -> Rows:
        assert key not in _sections, f"search section {key!r} is registered twice"
        _sections[key] = SearchSection(key, title, model, rows, template, list_endpoint, position)
        return rows

    return register


def registered_sections() -> list[SearchSection]:
    """Every kind the search finds, in the order of the page."""
    return sorted(_sections.values(), key=lambda section: section.position)


def search_everything(text: str) -> list[Found] | None:
    """What `text` finds of each kind, in the order of the page; None when it has no words
    to search for (blank, or punctuation only)."""
    if not has_words(text):
        return None
    return [_search(section, text) for section in registered_sections()]


def _search(section: SearchSection, text: str) -> Found:
    total = sa.func.count().over().label("total")
    statement = section.rows().where(matches(section.model, text)).add_columns(total)
    rows = db.session.execute(statement.limit(HITS_PER_SECTION)).all()
    return Found(section, [row[0] for row in rows], rows[0].total if rows else 0)
