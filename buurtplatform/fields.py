"""Small pieces that the features' forms share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import Length


def strip_text(value: str | None) -> str | None:
    """Leading and trailing spaces are never part of what someone meant to type."""
    return value.strip() if value else value


def at_most(characters: int) -> Length:
    """A maximum length, with a message that says it in plain words."""
    return Length(
        max=characters,
        message=_l("This can be at most %(max)d characters long.", max=characters),
    )
