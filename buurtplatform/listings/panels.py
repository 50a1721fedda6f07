"""Sections that other features add to a listing's page (replies, match, suggestions).

Conversations and matches build on listings, not the other way round: they register a panel
here, and the listing page renders whatever is registered, in order of position.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from buurtplatform.listings.models import Listing


@dataclass(frozen=True)
class Panel:
    position: int
    render: Callable[[Listing], str | None]


_panels: list[Panel] = []


def listing_panel(position: int) -> Callable[[Callable], Callable]:
    """Register `render(listing)` to add HTML (or None) to the listing page. It must return
    the output of `render_template`, which escapes what people wrote."""

    def register(render: Callable[[Listing], str | None]) -> Callable:
        _panels.append(Panel(position, render))
        _panels.sort(key=lambda panel: panel.position)
        return render

    return register


def render_panels(listing: Listing) -> list[Markup]:
    # Each panel is a rendered template: already escaped, so safe to insert as it is.
    return [Markup(html) for panel in _panels if (html := panel.render(listing))]  # noqa: S704
