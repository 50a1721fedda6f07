"""Coming activities, as a kind of content the search of the whole site finds."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from buurtplatform.activities.models import Activity
from buurtplatform.activities.services import coming_activities
from buurtplatform.site_search.sections import search_section
from buurtplatform.timestamps import utcnow


@search_section(
    "activities",
    _l("Agenda"),
    model=Activity,
    template="activities/_search_hits.html",
    list_endpoint="activities.browse",
    position=30,
)
def searchable_activities() -> sa.Select:
    return coming_activities(utcnow())
