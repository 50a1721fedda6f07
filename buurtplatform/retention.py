"""How long the platform keeps data, and the jobs that keep to it.

The periods are data: the privacy page of each municipality lists them (`retention_periods`)
and the jobs read the same objects, so the page cannot promise what the jobs do not do.

- Asks and offers: archived once they were not active for the municipality's number of months
  (`Tenant.listing_retention_months`), removed `ARCHIVED_LISTINGS` later. Per municipality, from
  its sweep (`archive_and_remove_listings`).
- Accounts whose email address was never confirmed: removed after `UNVERIFIED_ACCOUNTS`, unless
  the person is staff somewhere. Email bodies: blanked after `EMAIL_BODIES`. Both span every
  municipality (`apply_platform_periods`, from the tick).
- Visits: the traces of one local day are folded into a daily number by
  `buurtplatform.figures.visits.fold_visits`, which owns that period; `VISIT_TRACES` only names
  it for the privacy page.

Every job is one conditional UPDATE or DELETE: run twice, or by two workers at once, it does its
work once (the second finds nothing that still meets the condition), and none of them sends an
email.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask_babel import LazyString, ngettext
from flask_babel import lazy_gettext as _l

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.conversations.models import Conversation
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing, Status
from buurtplatform.mail.models import Email, EmailStatus
from buurtplatform.matches.models import Match
from buurtplatform.search import forget_removed_rows
from tenants.models import Tenant
from tenants.scoping import ALL_TENANTS, current_tenant

# The numbers of months a municipality can choose for its asks and offers.
LISTING_RETENTION_CHOICES = (6, 12, 24, 36)
STAFF_ROLES = (Role.CONNECTOR, Role.COORDINATOR)


@dataclass(frozen=True)
class Period:
    """How long one kind of data is kept, and what happens then."""

    what: LazyString
    length: relativedelta
    # Says when the period starts, with the length in it: "%(length)s after …".
    rule: LazyString
    then: LazyString

    def cutoff(self, now: datetime) -> datetime:
        """Data older than this (by the period's own start) is due."""
        return now - self.length

    @property
    def length_in_words(self) -> str:
        if self.length.months or self.length.years:
            months = self.length.years * 12 + self.length.months
            return ngettext("%(num)d month", "%(num)d months", months)
        return ngettext("%(num)d day", "%(num)d days", self.length.days)

    @property
    def in_words(self) -> str:
        return str(self.rule) % {"length": self.length_in_words}


ARCHIVED_LISTINGS = Period(
    _l("Archived asks and offers"),
    relativedelta(months=3),
    _l("%(length)s after we archived them."),
    _l("Then we delete them, with their conversations."),
)
UNVERIFIED_ACCOUNTS = Period(
    _l("Accounts whose email address was never confirmed"),
    relativedelta(days=30),
    _l("%(length)s after signing up."),
    _l("Then we delete the account and everything in it."),
)
EMAIL_BODIES = Period(
    _l("The text of the emails we send you"),
    relativedelta(days=90),
    _l("%(length)s after sending."),
    _l("Then we delete the text. We keep only that an email was sent, and when."),
)
VISIT_TRACES = Period(
    _l("The code for counting visits"),
    relativedelta(days=1),
    _l("%(length)s: the day of the visit."),
    _l("Then only the number of visits of that day stays."),
)


def listing_period(tenant: Tenant) -> Period:
    """The municipality's own period for asks and offers."""
    return Period(
        _l("Asks and offers"),
        relativedelta(months=tenant.listing_retention_months),
        _l("%(length)s after they were last active."),
        _l(
            "Then we archive them: nobody else sees them, you still see them under "
            "My asks and offers."
        ),
    )


def retention_periods(tenant: Tenant) -> list[Period]:
    """Every period, in the order the privacy page lists them."""
    return [
        listing_period(tenant),
        ARCHIVED_LISTINGS,
        UNVERIFIED_ACCOUNTS,
        EMAIL_BODIES,
        VISIT_TRACES,
    ]


def removal_date(listing: Listing) -> datetime | None:
    """When an archived ask or offer is removed (None: it is not archived)."""
    if listing.archived_at is None:
        return None
    return listing.archived_at + ARCHIVED_LISTINGS.length


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
    blank_email_bodies(now)
    db.session.commit()
