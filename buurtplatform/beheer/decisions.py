"""Moderation: what happens to reported content and to content that waits for approval.

One service for every kind of moderated content (`buurtplatform.moderated`): a connector
hides it or shows it, with a reason; enough reports from different members hide it until a
connector has looked; a hidden author is told why by email and may answer once. Every step is
written to the audit log, and the connectors hear by email of what needs them, each person
once (a ledger key per email).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.beheer.models import AuditEntry, Decision, DecisionAction
from buurtplatform.conversations.models import Report
from buurtplatform.extensions import db
from buurtplatform.mail.services import queue_email
from buurtplatform.moderated import (
    Moderated,
    about,
    approved,
    awaits_approval,
    pointing_at,
    reported,
)
from buurtplatform.timestamps import utcnow
from tenants.scoping import current_tenant

register_actions(
    {
        "moderation.hidden": _l("Hid content"),
        "moderation.hidden_automatically": _l("Hid content after reports"),
        "moderation.kept_hidden": _l("Kept content hidden"),
        "moderation.restored": _l("Showed hidden content again"),
        "moderation.dismissed": _l("Kept reported content: nothing wrong"),
        "moderation.approved": _l("Approved a first message"),
        "moderation.rejected": _l("Did not approve a first message"),
        "moderation.settings_changed": _l("Changed the moderation settings"),
    }
)

# The Beheer page of each kind of content, by its table (as in CONTENT_COLUMNS).
REVIEW_ENDPOINTS = {
    "listings": "beheer.review_listing",
    "messages": "beheer.review_message",
    "board_posts": "beheer.review_board_post",
    "board_comments": "beheer.review_board_comment",
}
# Where its author finds each kind of content: (endpoint, URL values).
PUBLIC_PAGES: dict[str, Callable[[Any], tuple[str, dict[str, int]]]] = {
    "listings": lambda listing: ("listings.detail", {"listing_id": listing.id}),
    "messages": lambda message: (
        "conversations.thread",
        {"conversation_id": message.conversation_id},
    ),
    "board_posts": lambda post: ("board.detail", {"post_id": post.id}),
    "board_comments": lambda comment: ("board.detail", {"post_id": comment.post_id}),
}


def review_endpoint(content: Moderated) -> tuple[str, dict[str, int]]:
    return REVIEW_ENDPOINTS[content.__tablename__], pointing_at(content)


def review_path(content: Moderated) -> str:
    """Where connectors look at `content`: the link in the audit log."""
    endpoint, values = review_endpoint(content)
    return url_for(endpoint, **values)


def review_link(content: Moderated) -> str:
    """The same page, on the municipality's own host: the link in emails."""
    endpoint, values = review_endpoint(content)
    return current_tenant().url_for(endpoint, **values)


def connectors() -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.role == Role.CONNECTOR)
            .options(joinedload(Membership.user))
            .order_by(Membership.id)
        )
    )


def tell_connectors(kind: str, key: str, **context: object) -> None:
    """Email every connector of the municipality (`mail/<kind>`), in their own language;
    `key` makes it one email per connector, however often this is called."""
    for member in connectors():
        user = member.user
        queue_email(
            user.email, user.locale, kind, ledger_key=f"{key}:{user.id}", person=user, **context
        )


@awaits_approval.connect
def tell_of_waiting_content(sender: type[Moderated], content: Moderated) -> None:
    tell_connectors(
        "awaiting_approval",
        f"approval:{content.__tablename__}:{content.id}",
        content=content,
        link=review_link(content),
    )


def open_reports(content: Moderated) -> sa.Select:
    return sa.select(Report).where(about(Report, content), Report.handled_at.is_(None))


def reporter_count(content: Moderated) -> int:
    """Different members who reported `content` since a connector last looked: one person
    who reports twice counts once."""
    reporters = (
        sa.select(sa.func.count(sa.distinct(Report.reporter_id)))
        .select_from(Report)
        .where(about(Report, content), Report.handled_at.is_(None))
    )
    return db.session.scalar(reporters)


@reported.connect
def report_received(sender: type[Moderated], content: Moderated, report: Report) -> None:
    """A member reported `content` (the caller commits): the connectors hear of it at once,
    and with reports from enough different members it is hidden until they have looked."""
    db.session.flush()
    reporters = reporter_count(content)
    hidden_now = content.hidden_at is None and reporters >= current_tenant().report_hide_threshold
    if hidden_now:
        content.hidden_at = utcnow()
        content.hidden_reason = ""
        record(
            "moderation.hidden_automatically",
            content.content_summary,
            link=review_path(content),
            reason=str(_l("Reported by %(num)d different members.", num=reporters)),
            by_platform=True,  # not the member whose report tipped it
        )
    tell_connectors(
        "report_received",
        f"report:{report.id}",
        report=report,
        content=content,
        reporters=reporters,
        hidden_now=hidden_now,
        link=review_link(content),
    )


def hide(content: Moderated, reason: str) -> None:
    """Hide `content` (or not approve it) and tell its author why; the caller commits. Content
    that a connector hid before stays hidden: that only closes what was open about it."""
    if content.hidden_at is not None and content.hidden_reason:
        _close(content, "moderation.kept_hidden", reason)
        return
    action = "moderation.rejected" if content.awaiting_approval else "moderation.hidden"
    content.hidden_at = utcnow()
    content.hidden_reason = reason
    content.awaiting_approval = False
    decision = Decision(
        author_id=content.content_author_id,
        action=DecisionAction.REJECTED
        if action == "moderation.rejected"
        else DecisionAction.HIDDEN,
        reason=reason,
        **pointing_at(content),
    )
    db.session.add(decision)
    db.session.flush()
    _close(content, action, reason)
    tell_author(
        content,
        "content_hidden",
        f"decision:{decision.id}",
        decision=decision,
        link=current_tenant().url_for("beheer.decision_reply", decision_id=decision.id),
    )


def show(content: Moderated, reason: str) -> None:
    """Show `content` to everyone: approve it, show it again, or keep it after reports."""
    if content.awaiting_approval:
        action = "moderation.approved"
    elif content.hidden_at is not None:
        action = "moderation.restored"
    else:
        action = "moderation.dismissed"
    # The author knows it was hidden only when a connector told them why.
    told = action == "moderation.approved" or bool(content.hidden_reason)
    content.hidden_at = None
    content.hidden_reason = ""
    content.awaiting_approval = False
    entry = _close(content, action, reason)
    if action == "moderation.approved":
        approved.send(type(content), content=content)
    if told:
        db.session.flush()
        endpoint, values = PUBLIC_PAGES[content.__tablename__](content)
        tell_author(
            content,
            "content_shown",
            f"shown:{entry.id}",
            approved=action == "moderation.approved",
            reason=reason,
            link=current_tenant().url_for(endpoint, **values),
        )


def tell_author(content: Moderated, kind: str, key: str, **context: object) -> None:
    """Email the person who wrote `content` (`mail/<kind>`), once for `key`."""
    author = db.session.get(User, content.content_author_id)
    queue_email(
        author.email,
        author.locale,
        kind,
        ledger_key=key,
        person=author,
        content=content,
        **context,
    )


def _close(content: Moderated, action: str, reason: str) -> AuditEntry:
    """A connector decided: the open reports and answers about `content` are dealt with."""
    now = utcnow()
    for report in db.session.scalars(open_reports(content)):
        report.handled_at = now
    replies = sa.select(Decision).where(
        about(Decision, content),
        Decision.replied_at.is_not(None),
        Decision.reply_handled_at.is_(None),
    )
    for decision in db.session.scalars(replies):
        decision.reply_handled_at = now
    return record(action, content.content_summary, link=review_path(content), reason=reason)


def reply_to(decision: Decision, text: str) -> bool:
    """The author answers the decision, once (a conditional UPDATE: of two submits at once,
    one wins); the connectors hear of it. False if it was answered before. The caller commits."""
    answered = db.session.execute(
        sa.update(Decision)
        .where(Decision.id == decision.id, Decision.replied_at.is_(None))
        .values(reply=text, replied_at=utcnow())
    ).rowcount
    if not answered:
        return False
    content = decision.content
    tell_connectors(
        "decision_reply",
        f"decision-reply:{decision.id}",
        decision=decision,
        content=content,
        link=review_link(content),
    )
    return True
