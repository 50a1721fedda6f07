"""Suggestions: who could help with an ask, and which asks an offer could answer.

Each suggestion carries its reasons in plain words, so that the person reading it can judge
it. Suggestions only show: nobody is contacted. The listing page shows them to the author and
to connectors and coordinators while the listing is open.

Ranking: the category must be the same. Then the same village counts most, unless the listing
can be done by phone or online, where the village does not count for anyone; a candidate that
can be done by phone or online counts halfway. Words of a helper's skills that the ask uses
too add a little, and so does an offer or ask being new this week (a member who helps is not
news). Ties go to the newest, then by id, so the order never changes between two visits.

`create_app` imports this module (registering the panel), not the listings views: it builds
on conversations (blocks, messages to helpers), and conversations build on listings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from buurtplatform.accounts.models import Membership
from buurtplatform.conversations.services import people_blocked_with
from buurtplatform.extensions import db
from buurtplatform.listings.helping import members_helping_with
from buurtplatform.listings.models import Kind, Listing
from buurtplatform.listings.panels import listing_panel
from buurtplatform.listings.services import can_manage, is_open, open_listings
from buurtplatform.timestamps import utcnow

SHOWN = 5
# Points: where someone is weighs most; skills and being new only tip the balance.
SAME_VILLAGE = 10
BY_PHONE_OR_ONLINE = 5
SKILLS = 3
NEW = 1
NEW_FOR = timedelta(days=7)
SKILL_WORDS_SHOWN = 3

# A word of four letters or more; shorter ones ("ik", "met", "pc") say too little to match on.
WORD = re.compile(r"[^\W\d_]{4,}")
# Longer words that say nothing about a skill, in Dutch and English (a block of words reads
# better than a column of them).
STOP_WORDS = frozenset(
    """
    aan alle allemaal altijd andere beetje beter binnen daar door echt eens even goed graag
    hebben heeft heel help helpen helpt hier hulp iemand jouw jullie keer kunnen kunt maar
    mijn moet moeten naar niet onze over prima samen soms vaak veel voor waar wanneer want
    week welke wordt worden zich zijn zoals
    about also always every from good have help helping like need someone some that their
    them there they this very well what when will with would your
    """.split()  # noqa: SIM905
)


@dataclass
class Suggestion:
    """An offer or an ask (a Listing), or a member who helps (a Membership), and why."""

    what: Listing | Membership
    score: int
    reasons: list[str]

    @property
    def listing(self) -> Listing | None:
        return self.what if isinstance(self.what, Listing) else None

    @property
    def helper(self) -> Membership | None:
        return self.what if isinstance(self.what, Membership) else None

    def rank(self) -> tuple[int, float, bool, int]:
        """Best first; then the newest; a posted offer before a member who helps in general;
        then by id."""
        what = self.what
        return (-self.score, -what.created_at.timestamp(), self.helper is not None, what.id)


# One part of a suggestion's score, with the reason to show for it (None: nothing to say).
Part = tuple[int, str | None]


def suggestions_for(listing: Listing) -> list[Suggestion]:
    """The best few for an ask (open offers and members who help) or for an offer (open
    asks). The same number of queries however many there are to choose from."""
    excluded = {listing.author_id} | people_blocked_with(listing.author_id)
    if listing.is_ask:
        offers = _open_in_category(listing, Kind.OFFER, excluded)
        offered_by = {offer.author_id for offer in offers}
        # Someone who posted an offer is suggested once: by that offer.
        helpers = [h for h in _helpers_for(listing, excluded) if h.user_id not in offered_by]
        ask_words = words_of(f"{listing.title} {listing.description}")
        found = [_for_listing(listing, offer) for offer in offers]
        found += [_for_helper(listing, helper, ask_words) for helper in helpers]
    else:
        asks = _open_in_category(listing, Kind.ASK, excluded)
        found = [_for_listing(listing, ask) for ask in asks]
    return sorted(found, key=Suggestion.rank)[:SHOWN]


def _open_in_category(listing: Listing, kind: Kind, excluded: set[int]) -> Sequence[Listing]:
    return db.session.scalars(
        open_listings()
        .where(
            Listing.kind == kind,
            Listing.category_id == listing.category_id,
            Listing.author_id.not_in(excluded),
        )
        .options(joinedload(Listing.village))
    ).all()


def _helpers_for(ask: Listing, excluded: set[int]) -> Sequence[Membership]:
    return db.session.scalars(
        members_helping_with(ask.category_id)
        .where(Membership.helps_here, Membership.user_id.not_in(excluded))
        .options(joinedload(Membership.village))
    ).all()


def _for_listing(listing: Listing, other: Listing) -> Suggestion:
    place = _place(listing, other.village_id, other.remote_ok)
    village = other.village.name if place == SAME_VILLAGE else None
    return _suggestion(
        other,
        [
            (place, _what_it_is(other, listing.category.label, village)),
            _remote(other),
            _recency(other.created_at),
        ],
    )


def _for_helper(ask: Listing, helper: Membership, ask_words: list[str]) -> Suggestion:
    place = _place(ask, helper.village_id, remote_ok=False)
    lives_near = (
        _("Also lives in %(village)s", village=helper.village.name)
        if place == SAME_VILLAGE
        else None
    )
    parts = [
        (0, _("Helps with: %(category)s", category=ask.category.label)),
        (place, lives_near),
        _skills(helper.skills, ask_words),
    ]
    return _suggestion(helper, parts)


def _suggestion(what: Listing | Membership, parts: list[Part]) -> Suggestion:
    return Suggestion(
        what=what,
        score=sum(points for points, _reason in parts),
        reasons=[reason for _points, reason in parts if reason],
    )


def _place(listing: Listing, village_id: int | None, remote_ok: bool) -> int:
    """How much where the other side is counts. When the listing itself can be done by phone
    or online, everyone gets the same: the village does not matter."""
    if listing.remote_ok:
        return BY_PHONE_OR_ONLINE
    if listing.village_id is not None and village_id == listing.village_id:
        return SAME_VILLAGE
    return BY_PHONE_OR_ONLINE if remote_ok else 0


def _what_it_is(other: Listing, category: str, village: str | None) -> str:
    """`category` is the listing's own: the same as the other's, and loaded once."""
    if other.kind == Kind.OFFER:
        if village:
            return _("Offers help in %(village)s: %(category)s", category=category, village=village)
        return _("Offers help: %(category)s", category=category)
    if village:
        return _("Asks for help in %(village)s: %(category)s", category=category, village=village)
    return _("Asks for help: %(category)s", category=category)


def _remote(other: Listing) -> Part:
    if not other.remote_ok:
        return 0, None
    if other.kind == Kind.OFFER:
        return 0, _("Can also help by phone or online")
    return 0, _("Can also be done by phone or online")


def _recency(created_at: datetime) -> Part:
    if created_at >= utcnow() - NEW_FOR:
        return NEW, _("New this week")
    return 0, None


def _skills(skills: str, ask_words: list[str]) -> Part:
    found = skill_words_in(skills, ask_words)
    if not found:
        return 0, None
    shown = ", ".join(found[:SKILL_WORDS_SHOWN])
    return SKILLS, _("Good at: %(words)s", words=shown)


def words_of(text: str) -> list[str]:
    """The telling words of a text, in lower case, each once, in order."""
    return list(dict.fromkeys(w for w in WORD.findall(text.lower()) if w not in STOP_WORDS))


def skill_words_in(skills: str, ask_words: list[str]) -> list[str]:
    """The words of `skills` that the ask uses too. A word also matches a longer form of
    itself, so "computer" finds "computers" and "tuin" finds "tuinieren"."""
    return [
        word
        for word in words_of(skills)
        if any(word.startswith(other) or other.startswith(word) for other in ask_words)
    ]


@listing_panel(position=10)
def suggestions_panel(listing: Listing) -> str | None:
    """For whoever can act on it, the author or a connector or coordinator, while it is
    open."""
    if not is_open(listing) or not can_manage(listing):
        return None
    return render_template(
        "listings/_suggestions_panel.html", listing=listing, suggestions=suggestions_for(listing)
    )
