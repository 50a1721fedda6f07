"""The words on a listing card, worked out once per page instead of once per card.

A list of twenty cards asked Babel for the same dozen translations, the same category labels
and the same dates twenty times over (issue 11: about 160 `gettext` calls per page, and most
of a page's time). `card_words()` is the page's one `CardWords`: the fixed words translated
once, each category's label and each date formatted once. The card's HTML stays in
templates/listings/_macros.html; this module only supplies its words.

The words are escaped once here (so they are `Markup` for the template), and user text put
into them (a village's name, "for whom") is escaped on the way in.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date
from flask import g
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from markupsafe import Markup, escape

from buurtplatform.listings import bp
from buurtplatform.listings.models import Category, Listing, Timing


class CardWords:
    """The translated words of the cards of one page, in one language."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.timezone = get_timezone()
        self.ask = escape(_("Request for help"))
        self.offer = escape(_("Offer of help"))
        self.organisation = escape(_("Organisation"))
        self.kind_of_help = escape(_("Kind of help"))
        self.where = escape(_("Where"))
        self.when = escape(_("When"))
        self.from_ = escape(_("From"))
        self.posted = escape(_("Posted"))
        self.every_week = escape(_("Every week"))
        self.flexible = escape(_("Flexible"))
        self.whole_municipality = escape(_("The whole municipality"))
        self.remote = escape(_("also by phone or online"))
        self.through_social_worker = escape(_("a neighbour, through the social worker"))
        self._on_date = escape(_("On %(date)s"))
        self._for_whom = escape(_("for %(whom)s"))
        self._categories: dict[int, str] = {}

    def kind(self, listing: Listing) -> Markup:
        return self.ask if listing.is_ask else self.offer

    def category(self, category: Category) -> str:
        if category.id not in self._categories:
            self._categories[category.id] = category.label
        return self._categories[category.id]

    def date(self, value: date | datetime, length: str) -> str:
        """A date (or a time's date where the reader lives) in Babel's `length` format, as
        the `dateformat` filter gives it."""
        day = value.astimezone(self.timezone).date() if isinstance(value, datetime) else value
        return formatted_date(day, length, self.locale)

    def place(self, listing: Listing) -> Markup:
        where = escape(listing.village.name) if listing.village else self.whole_municipality
        return where + " · " + self.remote if listing.remote_ok else where

    def timing(self, listing: Listing) -> Markup:
        if listing.timing == Timing.ON_DATE and listing.needed_on:
            return self._on_date % {"date": self.date(listing.needed_on, "full")}
        return self.every_week if listing.timing == Timing.WEEKLY else self.flexible

    def for_whom(self, whom: str) -> Markup:
        return self._for_whom % {"whom": whom}


@lru_cache(maxsize=4096)
def formatted_date(day: date, length: str, locale: str) -> str:
    """Babel builds a date's words anew on every call; a date's words in a language never
    change, and a page or the next one shows the same few dates again."""
    return format_date(day, length, locale=locale)


@bp.app_template_global()
def card_words() -> CardWords:
    """This page's card words, made on the first card (and again if the language changes)."""
    locale = str(get_locale())
    made = g.get("listing_card_words")
    if made is None or made[0] != locale:
        made = g.listing_card_words = (locale, CardWords(locale))
    return made[1]
