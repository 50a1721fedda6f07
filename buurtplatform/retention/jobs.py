"""The jobs that keep to the periods of `buurtplatform.retention` (see there)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from buurtplatform.accounts.models import Invitation, Membership, Role, User
from buurtplatform.conversations.models import Conversation
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing, Status
from buurtplatform.mail.models import Email, EmailStatus
from buurtplatform.matches.models import Match
from buurtplatform.retention import (
    ARCHIVED_LISTINGS,
    EMAIL_BODIES,
    UNANSWERED_INVITATIONS,
    UNVERIFIED_ACCOUNTS,
    listing_period,
)
from buurtplatform.search import forget_removed_rows
from tenants.scoping import ALL_TENANTS, current_tenant

STAFF_ROLES = (Role.CONNECTOR, Role.COORDINATOR)


# Asks and offers: per municipality


def inactive_since(cutoff: datetime) -> sa.ColumnElement[bool]:
    """Not active since `cutoff`: off the list before it (expired, closed or matched), and no
    message in its conversations and no match or outcome since."""
    ended = sa.or_(
        sa.and_(Listing.status == Status.OPEN, Listing.expires_at < cutoff),
        sa.and_(
            Listing.status != Status.OPEN,
            sa.func.coalesce(Listing.closed_at, Listing.matched_at, Listing.expires_at) < cutoff,
        ),
    )
    talked = sa.select(Conversation.listing_id).where(
        Conversation.listing_id.is_not(None), Conversation.last_message_at >= cutoff
    )
    matched = sa.select(Match.listing_id).where(
        sa.or_(Match.created_at >= cutoff, Match.outcome_at >= cutoff)
    )
    return sa.and_(ended, Listing.id.not_in(talked), Listing.id.not_in(matched))


def archive_listings(now: datetime) -> int:
    """Archive the current municipality's asks and offers that were not active for its
    period. How many were archived."""
    cutoff = listing_period(current_tenant()).cutoff(now)
    statement = (
        sa.update(Listing)
        .where(Listing.archived_at.is_(None), inactive_since(cutoff))
        .values(archived_at=now)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(statement).rowcount


def remove_archived_listings(now: datetime) -> int:
    """Delete the current municipality's asks and offers archived longer than
    `ARCHIVED_LISTINGS` that are still inactive (a conversation that went on keeps one). Like a
    poster's own delete, the database removes what hangs on them: conversations, matches,
    reports. How many were removed."""
    still_inactive = inactive_since(listing_period(current_tenant()).cutoff(now))
    statement = (
        sa.delete(Listing)
        .where(Listing.archived_at < ARCHIVED_LISTINGS.cutoff(now), still_inactive)
        .returning(Listing.id)
        .execution_options(synchronize_session=False)
    )
    removed = db.session.scalars(statement).all()
    forget_removed_rows(Listing, removed)
    return len(removed)


def archive_and_remove_listings(now: datetime) -> None:
    """The municipality's sweep: archive, then remove, in one transaction."""
    archive_listings(now)
    remove_archived_listings(now)
    db.session.commit()


# Accounts and emails: every municipality at once


def remove_unverified_accounts(now: datetime) -> int:
    """Delete accounts whose email address was never confirmed within `UNVERIFIED_ACCOUNTS`,
    unless they are staff in some municipality or a platform admin. Their memberships and
    what hangs on them go with them (the foreign keys cascade); without a confirmed address
    they could not sign in, so they wrote nothing. Spans municipalities: ALL_TENANTS."""
    staff = (
        sa.select(Membership.id)
        .where(Membership.user_id == User.id, Membership.role.in_(STAFF_ROLES))
        .exists()
    )
    statement = (
        sa.delete(User)
        .where(
            User.email_verified_at.is_(None),
            User.created_at < UNVERIFIED_ACCOUNTS.cutoff(now),
            User.is_platform_admin.is_(False),
            ~staff,
        )
        .execution_options(synchronize_session=False, **ALL_TENANTS)
    )
    return db.session.execute(statement).rowcount


def remove_unanswered_invitations(now: datetime) -> int:
    """Delete invitations nobody accepted, `UNANSWERED_INVITATIONS` after they ran out (a
    withdrawn one too): the email address in them belongs to someone who never joined.
    Spans municipalities: ALL_TENANTS."""
    statement = (
        sa.delete(Invitation)
        .where(
            Invitation.accepted_at.is_(None),
            Invitation.expires_at < UNANSWERED_INVITATIONS.cutoff(now),
        )
        .execution_options(synchronize_session=False, **ALL_TENANTS)
    )
    return db.session.execute(statement).rowcount


def blank_email_bodies(now: datetime) -> int:
    """Empty the bodies of emails older than `EMAIL_BODIES` that are sent or failed; the row
    (recipient, subject, state, its Message-ID) stays. An email still queued keeps its body, or
    it would go out empty. Spans municipalities: ALL_TENANTS."""
    statement = (
        sa.update(Email)
        .where(
            Email.status.in_((EmailStatus.SENT, EmailStatus.FAILED)),
            Email.created_at < EMAIL_BODIES.cutoff(now),
            sa.or_(Email.body_text != "", Email.body_html != ""),
        )
        .values(body_text="", body_html="")
        .execution_options(synchronize_session=False, **ALL_TENANTS)
    )
    return db.session.execute(statement).rowcount


def apply_platform_periods(now: datetime) -> None:
    """The periods that are not per municipality, in one transaction."""
    remove_unverified_accounts(now)
    remove_unanswered_invitations(now)
    blank_email_bodies(now)
    db.session.commit()
