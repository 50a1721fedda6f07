"""Organisations to know, as a block on the home page: the entries checked most recently
(their details are the most likely to be right)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_babel import lazy_gettext as _l

from buurtplatform.directory.models import Organisation
from buurtplatform.extensions import db
from buurtplatform.site.blocks import home_block

HOME_ORGANISATIONS = 4


@home_block("directory", _l("Organisations to know"), position=50)
def organisations_block() -> str | None:
    organisations = db.session.scalars(
        sa.select(Organisation)
        .order_by(Organisation.reviewed_at.desc(), Organisation.id)
        .limit(HOME_ORGANISATIONS)
    ).all()
    if not organisations:
        return None
    return render_template("directory/_home_block.html", organisations=organisations)
