"""The sociale kaart's organisations, as a kind of content the search of the whole site finds
(by name, description, and what their offerings say)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from buurtplatform.directory.models import Organisation
from buurtplatform.directory.services import organisations_for
from buurtplatform.site_search.sections import search_section


@search_section(
    "directory",
    _l("Sociale kaart"),
    model=Organisation,
    template="directory/_search_hits.html",
    list_endpoint="directory.index",
    position=60,
)
def searchable_organisations() -> sa.Select:
    return organisations_for(None, None)
