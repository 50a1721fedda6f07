"""The guide for new buurtverbinders ("Aan de slag"): what the role is, the first five things
to do, how nakijken works and when to call the social worker.

Where the site stands is read from the audit log, which every one of those actions already
writes: a step is done once its actions are in this municipality's log. Two steps leave no
change of their own (checking the lists and finding them right, looking at the figures), so
they write a row of their own: a button on the guide, and the first visit of a connector to
the figures page.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from buurtplatform.accounts.models import Role
from buurtplatform.accounts.sessions import connector_required, has_role
from buurtplatform.beheer import bp
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.beheer.sections import beheer_section
from buurtplatform.extensions import db
from buurtplatform.fields import Form

LISTS_CHECKED = "guide.lists_checked"
FIGURES_SEEN = "guide.figures_seen"

register_actions(
    {
        LISTS_CHECKED: _l("Checked the villages and kinds of help"),
        FIGURES_SEEN: _l("Looked at the figures for the first time"),
    }
)
beheer_section(
    "beheer.guide",
    _l("Getting started"),
    _l("New as a buurtverbinder? What the role is, your first five steps and who to call."),
    position=1,
)


@dataclass(frozen=True)
class Step:
    title: LazyString
    why: LazyString
    endpoint: str
    actions: tuple[str, ...]  # audit actions that count; one ending in "." counts a whole area
    needed: int = 1


STEPS = (
    Step(
        _l("Write the welcome text"),
        _l("It is the first thing people read. Say in a few sentences who the site is for."),
        "beheer.settings_texts",
        ("settings.texts_changed",),
    ),
    Step(
        _l("Check the villages and the kinds of help"),
        _l("People choose them when they ask for help. Are all your villages there?"),
        "beheer.villages",
        ("lists.", LISTS_CHECKED),
    ),
    Step(
        _l("Invite two organisations personally"),
        _l("An organisation that keeps its own page on the sociale kaart keeps it up to date."),
        "directory.manage",
        ("directory.organisation_invited",),
        needed=2,
    ),
    Step(
        _l("Post a news item"),
        _l("A site with news looks alive. Tell about an activity or a new volunteer."),
        "news.new",
        ("community.news_published",),
    ),
    Step(
        _l("Look at the figures"),
        _l("See how many asks get an answer within three days, and which villages are quiet."),
        "figures.index",
        (FIGURES_SEEN,),
    ),
)


@dataclass(frozen=True)
class Progress:
    step: Step
    count: int

    @property
    def done(self) -> bool:
        return self.count >= self.step.needed


def progress() -> list[Progress]:
    """Where this municipality stands on each step: one query over its audit log."""
    exact = [action for step in STEPS for action in step.actions if not action.endswith(".")]
    areas = [action for step in STEPS for action in step.actions if action.endswith(".")]
    counted = dict(
        db.session.execute(
            sa.select(AuditEntry.action, sa.func.count())
            .where(
                sa.or_(
                    AuditEntry.action.in_(exact),
                    *[AuditEntry.action.startswith(area, autoescape=True) for area in areas],
                )
            )
            .group_by(AuditEntry.action)
        ).all()
    )

    def count(step: Step) -> int:
        return sum(
            number
            for action, number in counted.items()
            for wanted in step.actions
            if action == wanted or (wanted.endswith(".") and action.startswith(wanted))
        )

    return [Progress(step, count(step)) for step in STEPS]


def note_figures_seen() -> None:
    """The figures page calls this: a connector's first look ticks off the guide's step."""
    if not has_role(Role.CONNECTOR):
        return
    seen = db.session.scalar(sa.select(AuditEntry.id).where(AuditEntry.action == FIGURES_SEEN))
    if seen is None:
        record(FIGURES_SEEN)
        db.session.commit()


class ListsCheckedForm(Form):
    """Only the button: the lists are right as they are."""


@bp.get("/aan-de-slag")
@connector_required
def guide() -> str:
    return render_template("beheer/guide.html", steps=progress(), form=ListsCheckedForm())


@bp.post("/aan-de-slag/lijsten-kloppen")
@connector_required
def lists_checked() -> Response:
    if ListsCheckedForm().validate_on_submit():
        record(LISTS_CHECKED)
        db.session.commit()
        flash(_("Thank you. The step is ticked off."), "success")
    return redirect(url_for(".guide"))
