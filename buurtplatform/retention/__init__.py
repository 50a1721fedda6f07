"""How long the platform keeps data, and the jobs that keep to it (`retention.jobs`).

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
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from flask_babel import LazyString, ngettext
from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:  # the periods import no feature: every feature's pages may show them
    from buurtplatform.listings.models import Listing
    from tenants.models import Tenant

# The numbers of months a municipality can choose for its asks and offers.
LISTING_RETENTION_CHOICES = (6, 12, 24, 36)


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
UNANSWERED_INVITATIONS = Period(
    _l("Invitations nobody accepted"),
    relativedelta(days=30),
    _l("%(length)s after they ran out."),
    _l("Then we delete the invitation and the email address in it."),
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
        UNANSWERED_INVITATIONS,
        EMAIL_BODIES,
        VISIT_TRACES,
    ]


def removal_date(listing: Listing) -> datetime | None:
    """When an archived ask or offer is removed (None: it is not archived)."""
    if listing.archived_at is None:
        return None
    return listing.archived_at + ARCHIVED_LISTINGS.length
