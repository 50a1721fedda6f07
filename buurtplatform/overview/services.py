"""What goes on the weekly overview: a fixed number of each kind, so that it fits on one or
two A4 pages, and costs the same few queries however much there is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import get_timezone

from buurtplatform.activities.occurrences import Occurrence
from buurtplatform.activities.services import upcoming_activities
from buurtplatform.extensions import db
from buurtplatform.listings.models import Kind, Listing
from buurtplatform.listings.services import open_listings, with_card_details
from buurtplatform.news.models import NewsItem
from buurtplatform.news.services import current_news
from tenants.models import Village

DAYS = 7
LISTINGS_SHOWN = 6  # of each kind
ACTIVITIES_SHOWN = 8
NEWS_SHOWN = 2


@dataclass(frozen=True)
class WeeklyOverview:
    village: Village | None
    first_day: date
    last_day: date
    asks: list[Listing]
    offers: list[Listing]
    activities: list[Occurrence]
    news: list[NewsItem]


def weekly_overview(village: Village | None, now: datetime) -> WeeklyOverview:
    """The seven days from `now`'s local day: of `village` and the whole municipality, or
    (None) of all villages."""
    start = now.astimezone(get_timezone())
    first_day = start.date()
    end = datetime.combine(first_day + timedelta(days=DAYS), datetime.min.time(), start.tzinfo)
    return WeeklyOverview(
        village=village,
        first_day=first_day,
        last_day=first_day + timedelta(days=DAYS - 1),
        asks=_open(Kind.ASK, village),
        offers=_open(Kind.OFFER, village),
        activities=upcoming_activities(now, end, village)[:ACTIVITIES_SHOWN],
        news=list(db.session.scalars(current_news(village).limit(NEWS_SHOWN))),
    )


def _open(kind: Kind, village: Village | None) -> list[Listing]:
    statement = with_card_details(open_listings()).where(Listing.kind == kind)
    if village is not None:
        statement = statement.where(
            sa.or_(Listing.village_id == village.id, Listing.village_id.is_(None))
        )
    return list(db.session.scalars(statement.limit(LISTINGS_SHOWN)))
