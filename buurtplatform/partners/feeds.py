"""What each feed holds, for the whole municipality or one village: open asks and offers,
the coming activities, and current news, each item as an `atom.Entry`.

The feeds read the same services as the site's own lists (`open_listings`,
`upcoming_activities`, `current_news`), so that they show exactly what a visitor sees there:
no hidden or waiting content, no closed or expired asks, no activity that was called off. Of a
person only the first name is given; someone a social worker posts for stays unnamed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import LazyString, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from buurtplatform.activities.occurrences import Occurrence
from buurtplatform.activities.services import upcoming_activities
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing
from buurtplatform.listings.services import open_listings, with_card_details
from buurtplatform.news.models import NewsItem
from buurtplatform.news.services import current_news
from buurtplatform.partners.atom import Entry
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tenants.scoping import current_tenant

# The most entries in one feed: the newest (or, in the agenda, the first to come).
MOST_ENTRIES = 50
# How far ahead the agenda's feed looks.
AGENDA_AHEAD = timedelta(weeks=4)


@dataclass(frozen=True)
class FeedKind:
    """One kind of feed: its name in the address, what it is called, the site's page with
    the same items, and how its entries are found."""

    name: str
    label: LazyString
    page_endpoint: str
    entries: Callable[[Village | None], list[Entry]]
    # Whether the page takes `village=` to show one village's items.
    page_by_village: bool = True

    def page_link(self, village: Village | None) -> str:
        values = {"village": village.id} if village is not None and self.page_by_village else {}
        return current_tenant().url_for(self.page_endpoint, **values)


def _place(village: Village | None) -> str:
    """Where an item is: its village, or "heel Cuijk" (the municipality Cuijk has a village
    Cuijk too)."""
    if village is not None:
        return village.name
    return _("all of %(municipality)s", municipality=current_tenant().name)


def _for_village(statement: sa.Select, model: type, village: Village | None) -> sa.Select:
    """A village's items and those for the whole municipality; all of them without one."""
    if village is None:
        return statement
    return statement.where(sa.or_(model.village_id == village.id, model.village_id.is_(None)))


def listing_entry(listing: Listing) -> Entry:
    title = (
        _("Ask for help: %(title)s", title=listing.title)
        if listing.is_ask
        else _("Offer of help: %(title)s", title=listing.title)
    )
    author = (
        _("a neighbour, through the social worker")
        if listing.offline_person_id is not None
        else str(listing.author.display_name)
    )
    return Entry(
        key=f"listing/{listing.id}",
        title=title,
        updated=listing.created_at,
        link=current_tenant().url_for("listings.detail", listing_id=listing.id),
        summary=listing.description,
        author=author,
        place=_place(listing.village),
    )


def listing_entries(village: Village | None) -> list[Entry]:
    statement = _for_village(with_card_details(open_listings()), Listing, village)
    return [listing_entry(listing) for listing in db.session.scalars(statement.limit(MOST_ENTRIES))]


def activity_entry(occurrence: Occurrence) -> Entry:
    activity = occurrence.activity
    when = format_datetime(occurrence.starts_at, "EEEE d MMMM, HH:mm")
    return Entry(
        key=f"activity/{activity.id}/{occurrence.day.isoformat()}",
        title=_("%(title)s, %(when)s", title=activity.title, when=when),
        updated=activity.created_at,
        link=current_tenant().url_for(
            "activities.detail", activity_id=activity.id, datum=occurrence.day.isoformat()
        ),
        summary=f"{activity.place}. {activity.description}",
        author=str(activity.organiser.display_name),
        place=_place(activity.village),
    )


def activity_entries(village: Village | None) -> list[Entry]:
    now = utcnow()
    coming = upcoming_activities(now, now + AGENDA_AHEAD, village)
    return [activity_entry(occurrence) for occurrence in coming[:MOST_ENTRIES]]


def news_entry(item: NewsItem) -> Entry:
    tenant = current_tenant()
    return Entry(
        key=f"news/{item.id}",
        title=item.title,
        updated=item.updated_at,
        link=tenant.url_for("news.detail", news_id=item.id),
        summary=item.body,
        author=tenant.site_name,
        place=_place(item.village),
    )


def news_entries(village: Village | None) -> list[Entry]:
    items = db.session.scalars(current_news(village).limit(MOST_ENTRIES))
    return [news_entry(item) for item in items]


FEED_KINDS = {
    kind.name: kind
    for kind in (
        FeedKind("vraag-en-aanbod", _l("Asks and offers"), "listings.browse", listing_entries),
        FeedKind("agenda", _l("Agenda"), "activities.browse", activity_entries),
        FeedKind("nieuws", _l("News"), "news.index", news_entries, page_by_village=False),
    )
}
