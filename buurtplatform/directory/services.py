"""What the sociale kaart's views and its review reminder share: who may edit an entry, the
filtered list, saving an offering, and when an entry is due to be looked at again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import selectinload

from buurtplatform import storage
from buurtplatform.accounts.invitations import invitation_accepted
from buurtplatform.accounts.models import Invitation, Membership, Role
from buurtplatform.accounts.sessions import current_member
from buurtplatform.directory.models import (
    Offering,
    OfferingTheme,
    OfferingVillage,
    Organisation,
    Owner,
    Theme,
)
from buurtplatform.extensions import db
from buurtplatform.images import store_image
from buurtplatform.search import matches
from buurtplatform.timestamps import utcnow

# Entries are looked at again every six months: then the page says so, and the owners are
# reminded by email (jobs/directory_reviews.py).
REVIEW_AFTER = timedelta(days=183)
LOGO_SIDE = 400


def organisation_or_404(organisation_id: int) -> Organisation:
    """The entry of this municipality (the query is scoped), or a 404."""
    return db.get_or_404(Organisation, organisation_id)


def offering_or_404(organisation: Organisation, offering_id: int) -> Offering:
    offering = db.get_or_404(Offering, offering_id)
    if offering.organisation_id != organisation.id:
        abort(404)
    return offering


def is_owner(organisation: Organisation, member: Membership | None) -> bool:
    """Whether `member` keeps this entry: linked to it, and still an organisation here."""
    if member is None or member.role != Role.ORGANISATION:
        return False
    statement = sa.select(Owner.id).where(
        Owner.organisation_id == organisation.id, Owner.membership_id == member.id
    )
    return db.session.scalar(statement) is not None


def can_edit(organisation: Organisation) -> bool:
    """Connectors and platform admins edit every entry; owners their own."""
    if not current_user.is_authenticated:
        return False
    member = current_member()
    if current_user.is_platform_admin or (member is not None and member.role == Role.CONNECTOR):
        return True
    return is_owner(organisation, member)


def editable_organisation_or_404(organisation_id: int) -> Organisation:
    organisation = organisation_or_404(organisation_id)
    if not can_edit(organisation):
        abort(403)
    return organisation


def own_organisations(member: Membership | None) -> list[Organisation]:
    """The entries `member` keeps."""
    if member is None or member.role != Role.ORGANISATION:
        return []
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(Owner, Owner.organisation_id == Organisation.id)
            .where(Owner.membership_id == member.id)
            .order_by(Organisation.name)
        )
    )


def offering_filter(theme: Theme | None, village_id: int | None) -> list[sa.ColumnElement[bool]]:
    """Conditions on `Offering` for a theme and a village; an offering that names no village
    is for the whole municipality, so it serves every village."""
    conditions = []
    if theme is not None:
        conditions.append(
            sa.select(OfferingTheme.id)
            .where(OfferingTheme.offering_id == Offering.id, OfferingTheme.theme == theme)
            .exists()
        )
    if village_id:
        serves = sa.select(OfferingVillage.id).where(OfferingVillage.offering_id == Offering.id)
        conditions.append(
            sa.or_(
                serves.where(OfferingVillage.village_id == village_id).exists(),
                ~serves.exists(),
            )
        )
    return conditions


def organisations_for(theme: Theme | None, village_id: int | None, words: str = "") -> sa.Select:
    """The entries, by name, with an offering for `theme` in `village_id` (any when None),
    that `words` find."""
    statement = sa.select(Organisation).order_by(Organisation.name, Organisation.id)
    if (found := matches(Organisation, words)) is not None:
        statement = statement.where(found)
    conditions = offering_filter(theme, village_id)
    if conditions:
        offers = sa.select(Offering.id).where(Offering.organisation_id == Organisation.id)
        statement = statement.where(offers.where(*conditions).exists())
    return statement


def offerings_of(
    organisations: Iterable[Organisation], theme: Theme | None, village_id: int | None
) -> dict[int, list[Offering]]:
    """The offerings of `organisations` that match the filters, by organisation, in one query
    (plus one each for their themes and villages, whatever the number of cards)."""
    ids = [organisation.id for organisation in organisations]
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Offering)
        .where(Offering.organisation_id.in_(ids), *offering_filter(theme, village_id))
        .options(
            selectinload(Offering.theme_rows),
            selectinload(Offering.village_rows).joinedload(OfferingVillage.village),
        )
        .order_by(Offering.position, Offering.id)
    )
    found: dict[int, list[Offering]] = defaultdict(list)
    for offering in rows:
        found[offering.organisation_id].append(offering)
    return found


def with_offering_details(statement: sa.Select) -> sa.Select:
    """An organisation's page shows every offering with its themes and villages."""
    return statement.options(
        selectinload(Organisation.offerings).selectinload(Offering.theme_rows),
        selectinload(Organisation.offerings)
        .selectinload(Offering.village_rows)
        .joinedload(OfferingVillage.village),
    )


def save_offering(
    offering: Offering, themes: Iterable[str], village_ids: Iterable[int], **fields: object
) -> None:
    """Set an offering's fields, themes and villages (the caller commits)."""
    for name, value in fields.items():
        setattr(offering, name, value)
    wanted_themes = {Theme(theme) for theme in themes}
    offering.theme_rows = [row for row in offering.theme_rows if row.theme in wanted_themes]
    offering.theme_rows += [
        OfferingTheme(theme=theme) for theme in sorted(wanted_themes - set(offering.themes))
    ]
    wanted_villages = set(village_ids)
    offering.village_rows = [
        row for row in offering.village_rows if row.village_id in wanted_villages
    ]
    have = {row.village_id for row in offering.village_rows}
    offering.village_rows += [
        OfferingVillage(village_id=village_id) for village_id in sorted(wanted_villages - have)
    ]
    describe_offerings(offering.organisation)


def describe_offerings(organisation: Organisation) -> None:
    """Keep the text of the organisation's offerings that the search reads."""
    organisation.offerings_text = "\n".join(
        f"{offering.title}\n{offering.for_whom}\n{offering.description}"
        for offering in organisation.offerings
    )


def replace_logo(organisation: Organisation, data: bytes | None) -> None:
    """Check, re-encode and keep a new logo or photo (raises `UnusableImageError`), or with
    None remove it. The old file goes (the caller commits)."""
    old = organisation.logo_key
    if data is None:
        organisation.logo_key = None
    else:
        organisation.logo_key = store_image(data, LOGO_SIDE)
    storage.delete(old)


def review_is_due(organisation: Organisation, now: datetime | None = None) -> bool:
    """Nobody said for six months that the entry is still right."""
    return organisation.reviewed_at <= (now or utcnow()) - REVIEW_AFTER


def current_review_due(reviewed_at: datetime, now: datetime) -> datetime | None:
    """The latest moment, every six months after `reviewed_at`, that has passed: the
    reminder's period. None while the entry was looked at less than six months ago."""
    periods = (now - reviewed_at) // REVIEW_AFTER
    return reviewed_at + periods * REVIEW_AFTER if periods >= 1 else None


def mark_reviewed(organisation: Organisation) -> None:
    organisation.reviewed_at = utcnow()


@invitation_accepted.connect
def _link_owner(invitation: Invitation, member: Membership) -> None:
    """Whoever accepts the invitation an entry was sent with keeps that entry from then on."""
    organisations = db.session.scalars(
        sa.select(Organisation).where(Organisation.invitation_id == invitation.id)
    ).all()
    if not organisations:
        return
    db.session.flush()  # a new member gets its id
    for organisation in organisations:
        already = sa.select(Owner.id).where(
            Owner.organisation_id == organisation.id, Owner.membership_id == member.id
        )
        if db.session.scalar(already) is None:
            db.session.add(Owner(organisation_id=organisation.id, membership_id=member.id))
