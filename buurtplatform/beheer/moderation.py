"""The reports queue: what members reported, first messages (asks, offers, board posts) that
wait for approval, and authors' answers to decisions; a page per reported item to decide on
it; the moderation settings; and the page where an author answers a decision once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from buurtplatform.accounts.sessions import connector_required
from buurtplatform.beheer import bp
from buurtplatform.beheer.audit import record
from buurtplatform.beheer.decisions import hide, reply_to, review_path, show
from buurtplatform.beheer.models import Decision
from buurtplatform.beheer.moderation_forms import (
    HIDE,
    DecisionForm,
    DecisionReplyForm,
    ModerationSettingsForm,
)
from buurtplatform.beheer.sections import beheer_section
from buurtplatform.board.models import BoardComment, BoardPost
from buurtplatform.conversations.models import Message, Report
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing
from buurtplatform.moderated import CONTENT_COLUMNS, Moderated, about
from tenants.scoping import current_tenant

beheer_section(
    "beheer.reports",
    _l("Reports"),
    _l("What members reported, first messages that wait for approval, and the settings."),
    position=40,
)


@dataclass
class Reported:
    """One reported item with its open reports, oldest first."""

    content: Moderated
    reports: list[Report] = field(default_factory=list)

    @property
    def reasons(self) -> Counter[str]:
        return Counter(str(report.reason_label) for report in self.reports)


def reported_items() -> list[Reported]:
    """Open reports grouped per item, the item reported longest ago first."""
    reports = db.session.scalars(
        sa.select(Report)
        .where(Report.handled_at.is_(None))
        .options(
            joinedload(Report.listing).joinedload(Listing.author),
            joinedload(Report.message).joinedload(Message.sender),
            joinedload(Report.board_post),
            joinedload(Report.board_comment),
        )
        .order_by(Report.created_at, Report.id)
    )
    grouped: dict[tuple[int | None, ...], Reported] = {}
    for report in reports:
        key = tuple(getattr(report, column) for column in CONTENT_COLUMNS.values())
        grouped.setdefault(key, Reported(report.content)).reports.append(report)
    return list(grouped.values())


# The kinds of content that can wait for approval (a new member's first one); each has an
# `author` and a `created_at`.
APPROVED_FIRST = (Listing, BoardPost)


def waiting_content() -> list[Moderated]:
    """What waits for approval, of every kind, oldest first."""
    waiting = [
        item
        for model in APPROVED_FIRST
        for item in db.session.scalars(
            sa.select(model)
            .where(model.awaiting_approval.is_(True))
            .options(joinedload(model.author))
        )
    ]
    return sorted(waiting, key=lambda item: (item.created_at, item.id))


def open_replies() -> list[Decision]:
    return list(
        db.session.scalars(
            sa.select(Decision)
            .where(Decision.replied_at.is_not(None), Decision.reply_handled_at.is_(None))
            .options(
                joinedload(Decision.author),
                joinedload(Decision.listing),
                joinedload(Decision.message),
                joinedload(Decision.board_post),
                joinedload(Decision.board_comment),
            )
            .order_by(Decision.replied_at, Decision.id)
        )
    )


def _queue(settings_form: ModerationSettingsForm) -> str:
    return render_template(
        "beheer/reports.html",
        reported=reported_items(),
        waiting=waiting_content(),
        replies=open_replies(),
        settings_form=settings_form,
        review_path=review_path,
    )


@bp.get("/meldingen")
@connector_required
def reports() -> str:
    return _queue(ModerationSettingsForm(obj=current_tenant()))


@bp.post("/meldingen/instellingen")
@connector_required
def moderation_settings() -> str | Response:
    tenant = current_tenant()
    form = ModerationSettingsForm()
    if not form.validate_on_submit():
        return _queue(form)
    tenant.report_hide_threshold = form.report_hide_threshold.data
    tenant.approve_first_posts = form.approve_first_posts.data
    record(
        "moderation.settings_changed",
        _(
            "Hidden after reports from %(num)d members; first messages wait for approval.",
            num=tenant.report_hide_threshold,
        )
        if tenant.approve_first_posts
        else _(
            "Hidden after reports from %(num)d members; first messages do not wait.",
            num=tenant.report_hide_threshold,
        ),
        link=url_for("beheer.reports"),
    )
    db.session.commit()
    flash(_("The moderation settings are saved."), "success")
    return redirect(url_for("beheer.reports"))


# These look the row up before they check the role: another municipality's id is a 404 for
# everyone, as on every route.


@bp.route("/meldingen/vraag-en-aanbod/<int:listing_id>", methods=["GET", "POST"])
@login_required
def review_listing(listing_id: int) -> str | Response:
    return _review(db.get_or_404(Listing, listing_id))


@bp.route("/meldingen/bericht/<int:message_id>", methods=["GET", "POST"])
@login_required
def review_message(message_id: int) -> str | Response:
    """Only this one message of a private conversation: never the rest of it."""
    return _review(db.get_or_404(Message, message_id))


@bp.route("/meldingen/prikbord/<int:board_post_id>", methods=["GET", "POST"])
@login_required
def review_board_post(board_post_id: int) -> str | Response:
    return _review(db.get_or_404(BoardPost, board_post_id))


@bp.route("/meldingen/prikbord/reactie/<int:board_comment_id>", methods=["GET", "POST"])
@login_required
def review_board_comment(board_comment_id: int) -> str | Response:
    return _review(db.get_or_404(BoardComment, board_comment_id))


@connector_required
def _review(content: Moderated) -> str | Response:
    form = DecisionForm().about(content)
    if form.validate_on_submit():
        (hide if form.decision.data == HIDE else show)(content, form.reason.data or "")
        db.session.commit()
        flash(_("Your decision is saved."), "success")
        return redirect(url_for("beheer.reports"))
    reports = db.session.scalars(
        sa.select(Report)
        .where(about(Report, content))
        .order_by(Report.handled_at.is_not(None), Report.created_at.desc(), Report.id.desc())
    ).all()
    decisions = db.session.scalars(
        sa.select(Decision)
        .where(about(Decision, content))
        .order_by(Decision.created_at.desc(), Decision.id.desc())
    ).all()
    return render_template(
        "beheer/reports_review.html",
        content=content,
        listing=content if isinstance(content, Listing) else None,
        message=content if isinstance(content, Message) else None,
        board_post=content if isinstance(content, BoardPost) else None,
        board_comment=content if isinstance(content, BoardComment) else None,
        reports=reports,
        decisions=decisions,
        form=form,
    )


@bp.route("/besluit/<int:decision_id>", methods=["GET", "POST"])
@login_required
def decision_reply(decision_id: int) -> str | Response:
    """The author reads why their content was hidden, and may answer once. For anyone else
    the decision does not exist."""
    decision = db.get_or_404(Decision, decision_id)
    if decision.author_id != current_user.id:
        abort(404)
    form = DecisionReplyForm()
    if decision.replied_at is None and form.validate_on_submit():
        if reply_to(decision, form.reply.data):
            db.session.commit()
            flash(_("Thank you. The neighbourhood connectors will read your answer."), "success")
        return redirect(url_for("beheer.decision_reply", decision_id=decision.id))
    return render_template("beheer/reports_decision.html", decision=decision, form=form)
