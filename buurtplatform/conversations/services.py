"""Replies open a private conversation; messages, unread counts, blocks, notifications."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g
from sqlalchemy.exc import IntegrityError

from buurtplatform.accounts.models import User
from buurtplatform.conversations.models import Block, Conversation, Message
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing
from buurtplatform.notifications.models import Topic
from buurtplatform.notifications.services import membership_of, notify
from buurtplatform.timestamps import utcnow
from tenants.scoping import current_tenant


def is_blocked_between(first_id: int, second_id: int) -> bool:
    """Either person blocked the other in this municipality."""
    return (
        db.session.scalar(
            sa.select(Block.id).where(
                sa.or_(
                    sa.and_(Block.blocker_id == first_id, Block.blocked_id == second_id),
                    sa.and_(Block.blocker_id == second_id, Block.blocked_id == first_id),
                )
            )
        )
        is not None
    )


def people_blocked_with(user_id: int) -> set[int]:
    """Everyone whom `user_id` blocked or who blocked `user_id` in this municipality: one
    query, for lists that leave them all out at once."""
    rows = db.session.execute(
        sa.select(Block.blocker_id, Block.blocked_id).where(
            sa.or_(Block.blocker_id == user_id, Block.blocked_id == user_id)
        )
    )
    return {blocked if blocker == user_id else blocker for blocker, blocked in rows}


def find_conversation(
    listing: Listing | None, author_id: int, replier_id: int
) -> Conversation | None:
    listing_condition = (
        Conversation.listing_id.is_(None)
        if listing is None
        else Conversation.listing_id == listing.id
    )
    return db.session.scalar(
        sa.select(Conversation).where(
            listing_condition,
            Conversation.author_id == author_id,
            Conversation.replier_id == replier_id,
        )
    )


def start_or_continue(
    listing: Listing | None, author: User, sender: User, body: str
) -> Conversation:
    """`sender` writes to `author` about `listing` (None: a direct message to a helper).
    The caller checks blocks and commits."""
    conversation = find_conversation(listing, author.id, sender.id) or _new_conversation(
        listing, author, sender
    )
    if listing is not None and listing.first_reply_at is None:
        listing.first_reply_at = utcnow()
    send_message(conversation, sender, body)
    return conversation


def _new_conversation(listing: Listing | None, author: User, sender: User) -> Conversation:
    """A new conversation; or, when a double submit made it since the caller looked, that one:
    the unique constraint on (listing, author, replier) says so."""
    conversation = Conversation(listing=listing, author_id=author.id, replier_id=sender.id)
    try:
        with db.session.begin_nested():
            db.session.add(conversation)
    except IntegrityError:
        return find_conversation(listing, author.id, sender.id)
    return conversation


def send_message(conversation: Conversation, sender: User, body: str) -> Message:
    now = utcnow()
    message = Message(
        conversation_id=conversation.id, sender_id=sender.id, body=body, created_at=now
    )
    db.session.add(message)
    conversation.last_message_at = now
    mark_read(conversation, sender.id)
    recipient = conversation.other_person(sender.id)
    link = current_tenant().url_for("conversations.thread", conversation_id=conversation.id)
    about = conversation.listing.title if conversation.listing else ""
    notify(
        membership_of(recipient.id),
        Topic.MESSAGES,
        "new_message",
        title=f"{sender.first_name}: {about}" if about else sender.first_name,
        link=link,
        person=recipient,
        sender_name=conversation.name_of(sender),
        listing=conversation.listing,
        message_text=body,
    )
    return message


def mark_read(conversation: Conversation, user_id: int) -> None:
    if user_id == conversation.author_id:
        conversation.author_read_at = utcnow()
    elif user_id == conversation.replier_id:
        conversation.replier_read_at = utcnow()
    g.pop("unread_total", None)  # the menu's count, read with the person, is counted again


def conversations_of(user_id: int) -> sa.Select:
    return (
        sa.select(Conversation)
        .where(sa.or_(Conversation.author_id == user_id, Conversation.replier_id == user_id))
        .order_by(Conversation.last_message_at.desc())
    )


def unread_total(user_id: int | sa.BindParameter) -> sa.Select:
    """The number of messages from the other person in `user_id`'s conversations since they
    last read them: the menu's count (a column of the query that loads the person,
    accounts.sessions.load_user)."""
    read_at = sa.case(
        (Conversation.author_id == user_id, Conversation.author_read_at),
        else_=Conversation.replier_read_at,
    )
    return (
        sa.select(sa.func.count(Message.id))
        .select_from(Conversation)
        .join(Message, Message.conversation_id == Conversation.id)
        .where(
            sa.or_(Conversation.author_id == user_id, Conversation.replier_id == user_id),
            Message.sender_id != user_id,
            sa.or_(read_at.is_(None), Message.created_at > read_at),
        )
    )


def unread_counts(user_id: int) -> dict[int, int]:
    """Per conversation of `user_id`: the number of unread messages."""
    per_conversation = unread_total(user_id).add_columns(Conversation.id).group_by(Conversation.id)
    rows = db.session.execute(per_conversation)
    return {conversation_id: count for count, conversation_id in rows}
