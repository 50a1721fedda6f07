from __future__ import annotations

from contextlib import suppress

import sqlalchemy as sa
from flask import abort, flash, g, has_request_context, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from buurtplatform.accounts.blocking import not_blocked, not_blocked_to_post
from buurtplatform.accounts.models import Membership, User
from buurtplatform.accounts.sessions import current_member, member_required
from buurtplatform.conversations import bp
from buurtplatform.conversations.forms import MessageForm, ReportForm
from buurtplatform.conversations.models import Block, Conversation, Message, Report, ReportReason
from buurtplatform.conversations.services import (
    conversations_of,
    is_blocked_between,
    mark_read,
    send_message,
    start_or_continue,
    unread_counts,
    unread_total,
)
from buurtplatform.extensions import db
from buurtplatform.listings.forms import ConfirmForm
from buurtplatform.listings.models import Listing
from buurtplatform.listings.panels import listing_panel
from buurtplatform.listings.services import is_open, listing_or_404
from buurtplatform.moderated import Moderated, pointing_at, reported


@listing_panel(position=20)
def replies_panel(listing: Listing) -> str:
    """The author sees who replied; anyone else can reply."""
    conversations = []
    if current_user.is_authenticated and listing.author_id == current_user.id:
        conversations = db.session.scalars(
            sa.select(Conversation)
            .where(Conversation.listing_id == listing.id)
            .options(joinedload(Conversation.replier))
            .order_by(Conversation.last_message_at.desc())
        ).all()
    blocked = current_user.is_authenticated and is_blocked_between(
        current_user.id, listing.author_id
    )
    return render_template(
        "conversations/_replies_panel.html",
        listing=listing,
        conversations=conversations,
        unread=unread_counts(current_user.id) if conversations else {},
        can_reply=is_open(listing) and not blocked,
        # A visitor gets no form, so no session for its key (their page is everyone's).
        form=MessageForm() if current_user.is_authenticated else None,
    )


@bp.route("/vraag-en-aanbod/<int:listing_id>/reageren", methods=["GET", "POST"])
@member_required
@not_blocked
def reply(listing_id: int) -> str | Response:
    listing = listing_or_404(listing_id)
    if listing.author_id == current_user.id:
        return redirect(url_for("listings.detail", listing_id=listing.id))
    if not is_open(listing) or is_blocked_between(current_user.id, listing.author_id):
        flash(_("You cannot reply to this message (any more)."), "info")
        return redirect(url_for("listings.detail", listing_id=listing.id))
    form = MessageForm()
    if form.validate_on_submit():
        return _start(
            listing,
            listing.author,
            form,
            _("Your reply is sent. You will get an email when there is an answer."),
        )
    return render_template("conversations/reply.html", listing=listing, form=form)


@bp.route("/hulp-vragen-aan/<int:membership_id>", methods=["GET", "POST"])
@member_required
@not_blocked
def message_helper(membership_id: int) -> str | Response:
    """Approach someone who offers help, without posting an ask."""
    helper = db.get_or_404(Membership, membership_id)
    if not helper.helps_here or helper.user_id == current_user.id:
        abort(404)
    if is_blocked_between(current_user.id, helper.user_id):
        flash(_("You cannot send this person a message."), "info")
        return redirect(url_for("site.index"))
    form = MessageForm()
    if form.validate_on_submit():
        return _start(
            None,
            helper.user,
            form,
            _("Your message is sent. You will get an email when there is an answer."),
        )
    return render_template("conversations/message_helper.html", helper=helper, form=form)


def _start(listing: Listing | None, author: User, form: MessageForm, sent: str) -> Response:
    """Send the first message (or the next one) and show the conversation."""
    conversation = start_or_continue(listing, author, current_user, form.body.data)
    db.session.commit()
    flash(sent, "success")
    return redirect(url_for("conversations.thread", conversation_id=conversation.id))


@bp.get("/gesprekken")
@login_required
def index() -> str:
    return _conversation_list(conversations_of(current_user.id), _("My conversations"))


@bp.get("/mijn/reacties")
@login_required
def my_replies() -> str:
    replies = conversations_of(current_user.id).where(Conversation.replier_id == current_user.id)
    return _conversation_list(replies, _("My replies"))


def _conversation_list(statement: sa.Select, title: str) -> str:
    conversations = db.session.scalars(
        statement.options(
            joinedload(Conversation.listing),
            joinedload(Conversation.author),
            joinedload(Conversation.replier),
        )
    ).all()
    blocks = db.session.execute(
        sa.select(Block.id, User.first_name)
        .join(User, User.id == Block.blocked_id)
        .where(Block.blocker_id == current_user.id)
        .order_by(User.first_name, Block.id)
    ).all()
    return render_template(
        "conversations/index.html",
        conversations=conversations,
        unread=unread_counts(current_user.id),
        title=title,
        blocks=blocks,
        confirm_form=ConfirmForm(),
    )


def conversation_or_404(conversation_id: int) -> Conversation:
    """Only the two people in it can read a conversation: for anyone else it does not exist."""
    conversation = db.get_or_404(Conversation, conversation_id)
    if not conversation.involves(current_user.id):
        abort(404)
    return conversation


@bp.route("/gesprekken/<int:conversation_id>", methods=["GET", "POST"])
@login_required
@not_blocked_to_post
def thread(conversation_id: int) -> str | Response:
    conversation = conversation_or_404(conversation_id)
    other = conversation.other_person(current_user.id)
    # Nobody answers in a conversation with a deleted account: it can be read, not written in.
    blocked = other.is_deleted or is_blocked_between(current_user.id, other.id)
    form = MessageForm()
    if not blocked and form.validate_on_submit():
        send_message(conversation, current_user, form.body.data)
        db.session.commit()
        return redirect(url_for("conversations.thread", conversation_id=conversation.id) + "#nieuw")
    mark_read(conversation, current_user.id)
    db.session.commit()
    return render_template(
        "conversations/thread.html",
        conversation=conversation,
        other=other,
        blocked=blocked,
        blocked_by_me=blocked and _has_blocked(current_user.id, other.id),
        form=form,
    )


def _has_blocked(blocker_id: int, blocked_id: int) -> bool:
    statement = sa.select(Block.id).where(
        Block.blocker_id == blocker_id, Block.blocked_id == blocked_id
    )
    return db.session.scalar(statement) is not None


@bp.route("/gesprekken/<int:conversation_id>/blokkeren", methods=["GET", "POST"])
@login_required
def block(conversation_id: int) -> str | Response:
    """Blocking asks first, on a page that says what it does; it can be undone."""
    conversation = conversation_or_404(conversation_id)
    other = conversation.other_person(current_user.id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template(
            "conversations/block.html", conversation=conversation, other=other, form=form
        )
    if not is_blocked_between(current_user.id, other.id):
        # A double submit finds the block made by the first one: that is fine too.
        with suppress(IntegrityError), db.session.begin_nested():
            db.session.add(Block(blocker_id=current_user.id, blocked_id=other.id))
        db.session.commit()
    flash(
        _(
            "You have blocked %(name)s. You will not get messages from this person any more.",
            name=other.first_name,
        ),
        "success",
    )
    return redirect(url_for("conversations.index"))


@bp.post("/geblokkeerd/<int:block_id>/opheffen")
@login_required
def unblock(block_id: int) -> Response:
    """Only the person who blocked can undo it; for anyone else the block does not exist."""
    block = db.get_or_404(Block, block_id)
    if block.blocker_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        name = db.session.get(User, block.blocked_id).first_name
        db.session.delete(block)
        db.session.commit()
        flash(_("%(name)s is no longer blocked.", name=name), "success")
    return redirect(url_for("conversations.index"))


def report_page(content: Moderated, back: str) -> str | Response:
    """The report form for any moderated content (the board uses it too); `back` is where
    the reporter came from."""
    form = ReportForm()
    if form.validate_on_submit():
        report = Report(
            reporter_id=current_user.id,
            reason_code=ReportReason(form.reason_code.data),
            reason=form.reason.data or "",
            **pointing_at(content),
        )
        db.session.add(report)
        reported.send(type(content), content=content, report=report)
        db.session.commit()
        flash(_("Thank you. A neighbourhood connector will look at it."), "success")
        return redirect(back)
    return render_template("conversations/report.html", form=form, content=content, back=back)


@bp.route("/vraag-en-aanbod/<int:listing_id>/melden", methods=["GET", "POST"])
@login_required
def report_listing(listing_id: int) -> str | Response:
    listing = listing_or_404(listing_id)
    return report_page(listing, url_for("listings.detail", listing_id=listing.id))


@bp.route("/berichten/<int:message_id>/melden", methods=["GET", "POST"])
@login_required
def report_message(message_id: int) -> str | Response:
    message = db.get_or_404(Message, message_id)
    conversation = conversation_or_404(message.conversation_id)
    if message.sender_id == current_user.id:
        abort(404)
    return report_page(message, url_for("conversations.thread", conversation_id=conversation.id))


@bp.app_context_processor
def unread_messages() -> dict:
    """The number of unread messages, for the menu: read with the person (load_user), and
    counted again after they read a conversation (mark_read)."""
    if not has_request_context() or not current_user.is_authenticated or not current_member():
        return {"unread_total": 0}
    if "unread_total" not in g:
        g.unread_total = db.session.scalar(unread_total(current_user.id))
    return {"unread_total": g.unread_total}
