"""A person deletes their account in this municipality (AVG: the right to be forgotten).

What goes in both choices: the membership here (with its email settings and the
organisations it kept), sign-ups for activities (cancelled through the agenda, so that the
waiting list moves up), blocks, the emails kept for them here, invitations to their address,
and the staff notes on their own asks; call-back requests they took but did not close go back
to their colleagues. Their messages in conversations stay, so that the other
person can still read the conversation, shown as from "Former member"; so do the reports they
made, without their name.

- `Choice.REMOVE`: their asks and offers, prikbord posts and comments, and the activities they
  organise (those signed up are told it is called off) go, with their photos. Asks a
  coordinator posted for a neighbour without internet stay, closed, like in the other choice.
- `Choice.ANONYMISE`: that content stays without their name; their open asks and offers close.

A person who is a member of other municipalities keeps their account there: what stays here
moves to a new nameless account (a tombstone), so that nobody here sees their name any more.
When the last membership goes, the account itself becomes that tombstone: the `users` row
stays (the foreign keys of what stays, and the figures, hold), with an address that cannot
receive mail, no first name, a password that matches nothing, and `deleted_at` set; every
session ends.
"""

from __future__ import annotations

import enum
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from buurtplatform import storage
from buurtplatform.accounts import sessions
from buurtplatform.accounts.models import Invitation, Membership, Role, User
from buurtplatform.activities.models import Activity, Signup
from buurtplatform.activities.services import cancel_activity, cancel_signup
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.board.models import BoardComment, BoardPost
from buurtplatform.callbacks.models import CallbackRequest
from buurtplatform.conversations.models import Block, Conversation
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing, Status
from buurtplatform.mail.models import Email
from buurtplatform.timestamps import utcnow
from buurtplatform.werkbank.models import StaffNote
from tenants.models import Tenant
from tenants.scoping import ALL_TENANTS, TenantScoped, current_tenant

register_actions({"members.account_deleted": _l("A member deleted their account")})

# A password hash that no password matches (werkzeug's check refuses it).
UNUSABLE_PASSWORD_HASH = "!"  # noqa: S105 - not a password: the opposite of one


class Choice(enum.StrEnum):
    REMOVE = "remove"
    ANONYMISE = "anonymise"


def other_municipalities(user: User) -> list[Tenant]:
    """The other municipalities `user` is a member of, where the account stays."""
    return list(
        db.session.scalars(
            sa.select(Tenant)
            .join(Membership, Membership.tenant_id == Tenant.id)
            .where(Membership.user_id == user.id, Tenant.id != current_tenant().id)
            .order_by(Tenant.name)
            .execution_options(**ALL_TENANTS)
        )
    )


def is_last_connector(member: Membership | None) -> bool:
    """Whether `member` is the only connector here: someone must run the site."""
    if member is None or member.role != Role.CONNECTOR:
        return False
    connectors = db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(Membership.role == Role.CONNECTOR)
    )
    return connectors == 1


def delete_account(user: User, choice: Choice) -> bool:
    """Delete what `user` has in the current municipality, as `choice` says; returns whether
    the whole account went (no other membership is left). The caller commits and ends the
    session."""
    _cancel_signups(user)
    if choice == Choice.REMOVE:
        _remove_content(user)
    _close_listings(user)
    _remove_staff_notes_about(user)
    for statement in (
        # Someone waiting for their call is called by a colleague instead.
        sa.update(CallbackRequest)
        .where(CallbackRequest.claimed_by_id == user.id, CallbackRequest.closed_at.is_(None))
        .values(claimed_by_id=None, claimed_at=None),
        sa.delete(Block).where(sa.or_(Block.blocker_id == user.id, Block.blocked_id == user.id)),
        sa.delete(Email).where(Email.recipient == user.email),
        sa.delete(Invitation).where(Invitation.email == user.email),
        sa.delete(Membership).where(Membership.user_id == user.id),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.flush()
    whole_account = not other_municipalities(user)
    tombstone = user if whole_account else _new_tombstone(user)
    if not whole_account:
        _move_to(user, tombstone)
    # Nameless: the log says that a member left, not who.
    record("members.account_deleted", actor_id=tombstone.id)
    if whole_account:
        _make_tombstone(user)
        sessions.end_sessions(user)
    db.session.expire_all()
    return whole_account


def _cancel_signups(user: User) -> None:
    """Coming sign-ups are cancelled as the agenda cancels them (the waiting list moves up and
    is told); past ones are simply removed."""
    yesterday = utcnow().date() - timedelta(days=1)
    for signup in db.session.scalars(sa.select(Signup).where(Signup.user_id == user.id)).all():
        if signup.occurs_on >= yesterday:
            cancel_signup(signup)
        else:
            db.session.delete(signup)
    db.session.flush()


def _remove_content(user: User) -> None:
    # Asks a coordinator posted for a neighbour without internet are the neighbour's: they
    # stay (closed, without the coordinator's name).
    listings = db.session.scalars(
        sa.select(Listing).where(Listing.author_id == user.id, Listing.offline_person_id.is_(None))
    ).all()
    # Conversations about these asks and offers stay for the other person, without the ask.
    db.session.execute(
        sa.update(Conversation)
        .where(Conversation.listing_id.in_([listing.id for listing in listings]))
        .values(listing_id=None)
        .execution_options(synchronize_session=False)
    )
    for activity in db.session.scalars(
        sa.select(Activity).where(Activity.organiser_id == user.id)
    ).all():
        if not activity.is_cancelled:
            cancel_activity(activity)
        db.session.delete(activity)
    posts = db.session.scalars(sa.select(BoardPost).where(BoardPost.author_id == user.id)).all()
    comments = db.session.scalars(
        sa.select(BoardComment).where(BoardComment.author_id == user.id)
    ).all()
    for row in [*listings, *comments, *posts]:
        db.session.delete(row)
    db.session.flush()
    for post in posts:
        storage.delete(post.photo_key)


def _close_listings(user: User) -> None:
    db.session.execute(
        sa.update(Listing)
        .where(Listing.author_id == user.id, Listing.status == Status.OPEN)
        .values(status=Status.CLOSED, closed_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _remove_staff_notes_about(user: User) -> None:
    """Colleagues' notes on the person's own asks are about them: they go in both choices."""
    their_listings = sa.select(Listing.id).where(
        Listing.author_id == user.id, Listing.offline_person_id.is_(None)
    )
    db.session.execute(
        sa.delete(StaffNote)
        .where(StaffNote.listing_id.in_(their_listings))
        .execution_options(synchronize_session=False)
    )


def _new_tombstone(user: User) -> User:
    """A nameless account for what stays of `user` here. It carries the confirmation of the
    account it stands for: the clean-up of never confirmed accounts
    (buurtplatform.retention) must not take it, or the conversations it holds would go."""
    tombstone = User(
        email=f"verwijderd-{secrets.token_hex(8)}@invalid",
        first_name="",
        locale="nl",
        email_verified_at=user.email_verified_at,
        created_at=user.created_at,
    )
    _make_tombstone(tombstone)
    db.session.add(tombstone)
    db.session.flush()
    tombstone.email = f"verwijderd-{tombstone.id}@invalid"
    return tombstone


def _make_tombstone(user: User) -> None:
    """No name, an address under the reserved top-level domain .invalid (it can receive no
    mail and frees the real one to sign up again), and no password that matches."""
    if user.id is not None:
        user.email = f"verwijderd-{user.id}@invalid"
    user.first_name = ""
    user.password_hash = UNUSABLE_PASSWORD_HASH
    user.is_platform_admin = False
    user.deleted_at = utcnow()


def user_columns() -> list[sa.orm.InstrumentedAttribute]:
    """Every attribute of a municipality's model that points at a person."""
    found = []
    for mapper in db.Model.registry.mappers:
        if not issubclass(mapper.class_, TenantScoped):
            continue
        for attribute in mapper.column_attrs:
            if any(fk.column.table.name == "users" for fk in attribute.columns[0].foreign_keys):
                found.append(getattr(mapper.class_, attribute.key))
    return found


def _move_to(user: User, tombstone: User) -> None:
    """What stays of `user` in this municipality points at `tombstone` from now on."""
    for attribute in user_columns():
        db.session.execute(
            sa.update(attribute.class_)
            .where(attribute == user.id)
            .values({attribute.key: tombstone.id})
            .execution_options(synchronize_session=False)
        )
