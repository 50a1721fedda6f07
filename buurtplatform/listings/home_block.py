"""The newest open asks and offers, as a block on the home page."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l

from buurtplatform.extensions import db
from buurtplatform.listings.services import open_listings, with_card_details
from buurtplatform.site.blocks import home_block

HOME_LISTINGS = 5


@home_block("listings", _l("Latest asks and offers"), position=10)
def latest_listings_block() -> str:
    """Shown also when empty: its empty state invites the first ask or offer."""
    latest = db.session.scalars(with_card_details(open_listings()).limit(HOME_LISTINGS)).all()
    return render_template("listings/_home_block.html", latest=latest)
