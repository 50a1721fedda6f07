"""Telling helpers about a new ask, in a job: the request that posts the ask does no work per
helper, and a sweep catches up an ask whose job never reached the worker."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from buurtplatform.extensions import db, rq
from buurtplatform.listings.helping import notify_helpers_of
from buurtplatform.listings.models import Kind, Listing
from buurtplatform.timestamps import utcnow
from tenants.models import Tenant
from tenants.scoping import ALL_TENANTS, tenant_context

# An ask not announced after this long missed its job (Redis was down); one older than a day
# is no longer news to anyone.
ANNOUNCE_AFTER = timedelta(minutes=10)
NO_LONGER_NEWS = timedelta(days=1)


@rq.job
def announce_new_ask(listing_id: int) -> None:
    listing = db.session.get(Listing, listing_id, execution_options=ALL_TENANTS)
    if listing is None or not listing.is_public:
        return  # deleted or hidden before the job ran
    with tenant_context(db.session.get(Tenant, listing.tenant_id)):
        notify_helpers_of(listing)


def announce_missed_asks(now: datetime | None = None) -> int:
    """In the current municipality: announce the asks whose job never ran."""
    now = now or utcnow()
    missed = db.session.scalars(
        sa.select(Listing).where(
            Listing.kind == Kind.ASK,
            Listing.public(),
            Listing.helpers_notified_at.is_(None),
            Listing.created_at < now - ANNOUNCE_AFTER,
            Listing.created_at > now - NO_LONGER_NEWS,
        )
    ).all()
    for listing in missed:
        notify_helpers_of(listing)
    return len(missed)
