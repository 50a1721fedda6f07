"""Helpers for the tests of asks and offers, conversations and matches: rows made directly in
the database, signed-in clients, and a counter of SQL queries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from buurtplatform.accounts.models import User
from buurtplatform.extensions import db
from buurtplatform.listings.models import (
    Category,
    Kind,
    Listing,
    ListingTemplate,
    OfflinePerson,
    Status,
    Timing,
)
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tenants.scoping import tenant_context
from tests.helpers import sign_in, tenant_by_slug


def category_id(app: Flask, slug: str = "cuijk", key: str = "shopping") -> int:
    """The id of one of a municipality's default categories."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        return db.session.scalar(sa.select(Category.id).where(Category.key == key))


def template_id(app: Flask, kind: Kind, key: str, slug: str = "cuijk") -> int:
    """The id of one of a municipality's default templates (examples of asks and offers)."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        return db.session.scalar(
            sa.select(ListingTemplate.id).where(
                ListingTemplate.kind == kind, ListingTemplate.key == key
            )
        )


def village_ids(app: Flask, slug: str = "cuijk") -> dict[str, int]:
    """A municipality's villages by name."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        return {v.name: v.id for v in db.session.scalars(sa.select(Village))}


def new_listing(author_id: int, category: int, **fields: object) -> Listing:
    """An open ask, unless `fields` say otherwise; to be added inside `tenant_context`."""
    values: dict[str, object] = {
        "kind": Kind.ASK,
        "title": "Wie helpt mij?",
        "description": "Graag wat hulp.",
        "timing": Timing.FLEXIBLE,
        "expires_at": utcnow() + timedelta(days=30),
        **fields,
    }
    return Listing(author_id=author_id, category_id=category, **values)


def add_listing(app: Flask, author: User, slug: str = "cuijk", **fields: object) -> int:
    """Put one listing in the database; returns its id."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        category = fields.pop("category_id", None) or db.session.scalar(
            sa.select(Category.id).where(Category.key == "shopping")
        )
        listing = new_listing(author.id, category, **fields)
        db.session.add(listing)
        db.session.commit()
        return listing.id


def add_many_listings(app: Flask, author: User, count: int, slug: str = "cuijk") -> None:
    """`count` varied listings at once: kinds, categories, villages, some on someone's behalf,
    some by an organisation, so that every part of a card is shown."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        categories = db.session.scalars(sa.select(Category.id)).all()
        villages = [None, *db.session.scalars(sa.select(Village.id)).all()]
        people = [
            OfflinePerson(
                name=f"Persoon {n}",
                phone="0485 123 456",
                consent_note="Telefonisch",
                recorded_by_id=author.id,
            )
            for n in range(3)
        ]
        db.session.add_all(people)
        db.session.flush()
        now = utcnow()
        db.session.add_all(
            new_listing(
                author.id,
                categories[n % len(categories)],
                kind=Kind.ASK if n % 2 else Kind.OFFER,
                title=f"Bericht {n}",
                village_id=villages[n % len(villages)],
                remote_ok=n % 3 == 0,
                timing=Timing.ON_DATE if n % 4 == 0 else Timing.WEEKLY,
                needed_on=(now + timedelta(days=5)).date() if n % 4 == 0 else None,
                on_behalf_of="mijn moeder" if n % 5 == 0 else None,
                offline_person_id=people[n % 3].id if n % 7 == 0 else None,
                by_organisation=n % 6 == 0,
                created_at=now - timedelta(minutes=n),
            )
            for n in range(count)
        )
        db.session.commit()


def listing_row(app: Flask, listing_id: int, slug: str = "cuijk") -> Listing | None:
    """The listing as stored now (detached), or None."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        listing = db.session.get(Listing, listing_id)
        if listing is not None:
            db.session.expunge(listing)
        return listing


def set_listing(app: Flask, listing_id: int, slug: str = "cuijk", **fields: object) -> None:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        listing = db.session.get(Listing, listing_id)
        for name, value in fields.items():
            setattr(listing, name, value)
        db.session.commit()


def expire(app: Flask, listing_id: int, slug: str = "cuijk") -> None:
    set_listing(app, listing_id, slug, expires_at=utcnow() - timedelta(days=1))


def close_in_db(app: Flask, listing_id: int, slug: str = "cuijk") -> None:
    set_listing(app, listing_id, slug, status=Status.CLOSED, closed_at=utcnow())


def signed_in(client_for: Callable[[str | None], FlaskClient], user: User, slug: str = "cuijk"):
    """A client on `slug` with `user` signed in."""
    client = client_for(slug)
    assert sign_in(client, user).status_code == 302
    return client


def in_english(client: FlaskClient) -> FlaskClient:
    """Show the pages in English (the source texts), to check a message."""
    assert client.post("/taal", data={"language-locale": "en"}).status_code == 302
    return client


def page(response) -> str:
    return response.get_data(as_text=True)


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[str]]:
    """Collect every SQL statement sent to the database while the block runs."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
