"""The tools on the Beheer start page. Each feature that gives connectors a tool (the listings
feature its categories, the board its moderation, …) registers it here, so that the start page
lists what exists without importing those features."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString


@dataclass(frozen=True)
class Section:
    endpoint: str
    title: LazyString
    description: LazyString
    position: int


_sections: list[Section] = []


def beheer_section(
    endpoint: str, title: LazyString, description: LazyString, *, position: int
) -> None:
    """List `endpoint` (a page behind `connector_required`) on the Beheer start page."""
    _sections.append(Section(endpoint, title, description, position))
    _sections.sort(key=lambda section: section.position)


def sections() -> list[Section]:
    return list(_sections)
