"""The Beheer start page and the audit log."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from buurtplatform.accounts.models import User
from buurtplatform.accounts.sessions import connector_required
from buurtplatform.beheer import bp, guide
from buurtplatform.beheer.audit import ACTIONS, AREAS
from buurtplatform.beheer.forms import AuditFilterForm
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.beheer.sections import beheer_section, sections
from buurtplatform.extensions import db
from jobs.periods import local_midnight

PER_PAGE = 50

beheer_section(
    "beheer.audit_log",
    _l("Audit log"),
    _l("Who changed what, when and why: settings, roles and moderation."),
    position=90,
)


@bp.get("/")
@connector_required
def index() -> str:
    return render_template("beheer/index.html", sections=sections(), steps=guide.progress())


@bp.get("/logboek")
@connector_required
def audit_log() -> str:
    form = AuditFilterForm(request.args)
    form.area.choices = [SelectChoice("", _("Everything"))] + [
        SelectChoice(key, label) for key, label in AREAS.items()
    ]
    form.actor.choices = [SelectChoice(0, _("Everyone"))] + [
        SelectChoice(user.id, user.display_name) for user in _actors()
    ]
    form.validate()
    statement = sa.select(AuditEntry).options(joinedload(AuditEntry.actor))
    if form.area.data and not form.area.errors:
        statement = statement.where(
            AuditEntry.action.startswith(f"{form.area.data}.", autoescape=True)
        )
    if form.actor.data and not form.actor.errors:
        statement = statement.where(AuditEntry.actor_id == form.actor.data)
    if form.since.data and not form.since.errors:
        statement = statement.where(AuditEntry.created_at >= local_midnight(form.since.data))
    if form.until.data and not form.until.errors:
        next_day = form.until.data + timedelta(days=1)
        statement = statement.where(AuditEntry.created_at < local_midnight(next_day))
    page = db.paginate(
        statement.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()),
        page=(form.page.data if not form.page.errors else None) or 1,
        per_page=PER_PAGE,
        error_out=False,
    )
    filtered = any(request.args.get(name) for name in ("area", "actor", "since", "until"))
    return render_template(
        "beheer/audit_log.html", form=form, page=page, filtered=filtered, actions=ACTIONS
    )


def _actors() -> list[User]:
    """The people who appear in this municipality's log, for the "who" filter."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.id.in_(sa.select(AuditEntry.actor_id).distinct()))
            .order_by(User.first_name, User.id)
        )
    )
