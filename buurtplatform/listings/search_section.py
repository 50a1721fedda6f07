"""Open asks and offers, as the first kind of content the search of the whole site finds."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from buurtplatform.listings.models import Listing
from buurtplatform.listings.services import open_listings, with_card_details
from buurtplatform.site_search.sections import search_section


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
