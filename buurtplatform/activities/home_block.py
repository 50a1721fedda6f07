"""The coming activities, as a block on the home page."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask_babel import lazy_gettext as _l

from buurtplatform.activities.occurrences import Occurrence
from buurtplatform.activities.services import upcoming_activities
from buurtplatform.site.blocks import home_block
from buurtplatform.timestamps import utcnow

HOME_ACTIVITIES = 4
HOME_DAYS = 14


def first_of_each(occurrences: list[Occurrence], count: int) -> list[Occurrence]:
    """The first `count` occurrences, each activity once (a weekly one would fill the block)."""
    seen: set[int] = set()
    found = []
    for occurrence in occurrences:
        if occurrence.activity.id not in seen and len(found) < count:
            seen.add(occurrence.activity.id)
            found.append(occurrence)
    return found


@home_block("activities", _l("Coming activities"), position=20)
def activities_block() -> str | None:
    now = utcnow()
    coming = first_of_each(
        upcoming_activities(now, now + timedelta(days=HOME_DAYS)), HOME_ACTIVITIES
    )
    if not coming:
        return None
    return render_template("activities/_home_block.html", occurrences=coming)
