"""The blocks of a municipality's home page, and which of them its connectors show, in what order.

The home page itself keeps only what every municipality has in the same place: the welcome,
"Vraag om hulp" and "Bied hulp aan", and the phone number for who would rather call. Everything
below it is a block that a feature registers (open asks and offers, activities, news, tips,
organisations), so that the home page lists what exists without importing those features:

    @home_block("news", _l("News"), position=30)
    def news_block() -> str | None:
        items = latest_news()
        return render_template("news/_home_block.html", items=items) if items else None

`render` returns the output of `render_template` (which escapes what people wrote), or None
when it has nothing to show. It must cost a constant number of queries, whatever it shows.

A municipality's choice is `Tenant.home_blocks`: [{"key": …, "shown": bool}, …] in its order.
A key no feature registers (any more) is ignored; a block the choice does not name (a feature
added later) comes after the chosen ones, shown, in the order of its default position.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import LazyString
from markupsafe import Markup

from tenants.models import Tenant

Render = Callable[[], str | None]


@dataclass(frozen=True)
class HomeBlock:
    key: str
    title: LazyString
    render: Render
    position: int


@dataclass(frozen=True)
class PlacedBlock:
    """A block where one municipality put it: shown or hidden."""

    block: HomeBlock
    shown: bool

    @property
    def key(self) -> str:
        return self.block.key

    @property
    def title(self) -> LazyString:
        return self.block.title


_blocks: dict[str, HomeBlock] = {}


def home_block(key: str, title: LazyString, *, position: int) -> Callable[[Render], Render]:
    """Register `render()` as the home-page block `key`, named `title` in Beheer, placed at
    `position` (lower first) until a municipality chooses its own order."""

    def register(render: Render) -> Render:
        assert key not in _blocks, f"home block {key!r} is registered twice"
        _blocks[key] = HomeBlock(key, title, render, position)
        return render

    return register


def registered_blocks() -> list[HomeBlock]:
    """Every block, in the default order."""
    return sorted(_blocks.values(), key=lambda block: block.position)


def layout(tenant: Tenant) -> list[PlacedBlock]:
    """Every block in `tenant`'s order, each shown or hidden as it chose."""
    placed, named = [], set()
    for choice in tenant.home_blocks or []:
        block = _blocks.get(choice.get("key"))
        if block is not None and block.key not in named:
            placed.append(PlacedBlock(block, bool(choice.get("shown", True))))
            named.add(block.key)
    placed += [PlacedBlock(block, True) for block in registered_blocks() if block.key not in named]
    return placed


def as_choice(placed: list[PlacedBlock]) -> list[dict]:
    """The value of `Tenant.home_blocks` that keeps `placed`."""
    return [{"key": item.key, "shown": item.shown} for item in placed]


def render_home_blocks(tenant: Tenant) -> list[Markup]:
    """The HTML of `tenant`'s shown blocks, in its order, leaving out those with nothing to show."""
    rendered = (item.block.render() for item in layout(tenant) if item.shown)
    # Each block is a rendered template: already escaped, so safe to insert as it is.
    return [Markup(html) for html in rendered if html]  # noqa: S704
