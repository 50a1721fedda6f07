"""Making sociale kaart entries in tests (the crawler, the feature's tests, the browser walk)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Flask

from buurtplatform.directory.models import Access, Offering, Organisation, OrganisationType, Theme
from buurtplatform.directory.services import save_offering
from buurtplatform.extensions import db
from tenants.models import Village
from tenants.scoping import tenant_context
from tests.helpers import tenant_by_slug


def village_id(name: str) -> int:
    return db.session.scalar(sa.select(Village.id).where(Village.name == name))


def new_organisation(
    name: str,
    *,
    themes: tuple[Theme, ...] = (Theme.CARERS,),
    villages: tuple[str, ...] = (),
    offering: str = "Respijtzorg",
    reviewed_at: datetime | None = None,
    **fields: object,
) -> Organisation:
    """An entry with one offering, in the current municipality (the caller commits)."""
    organisation = Organisation(
        name=name, type=fields.pop("type", OrganisationType.CARER_SUPPORT), **fields
    )
    if reviewed_at is not None:
        organisation.reviewed_at = reviewed_at
    village_ids = [village_id(village) for village in villages]
    db.session.add(organisation)
    item = Offering()
    organisation.offerings.append(item)
    save_offering(
        item,
        [theme.value for theme in themes],
        village_ids,
        title=offering,
        for_whom="Mantelzorgers",
        cost="Gratis",
        access=Access.DIRECT,
    )
    return organisation


def add_organisation(app: Flask, name: str, slug: str = "cuijk", **fields: object) -> int:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        organisation = new_organisation(name, **fields)
        db.session.commit()
        return organisation.id
