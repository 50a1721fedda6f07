"""Fixtures: an app per test with its own database, the four municipalities, a client per
municipality, factories for people, the outbox, and a real Redis with a real RQ worker.

SQLite always (a fresh file per test); PostgreSQL when `TEST_DATABASE_URL` is set (one database
for the run, emptied before each test). `make test` runs two pytest-xdist workers, a test file
each at a time; each worker has a PostgreSQL database and a Redis database index of its own, so
that they never empty each other's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from buurtplatform import create_app
from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.extensions import db
from buurtplatform.mail.services import OutboxMessage, read_outbox
from buurtplatform.timestamps import utcnow
from config import TestingConfig
from tenants.models import Village
from tenants.provisioning import create_seeded_tenant
from tenants.scoping import tenant_context
from tenants.seed import LAND_VAN_CUIJK
from tests.helpers import DOMAIN, PASSWORD, tenant_by_slug
from tests.smtp_server import start_smtp_servers


def _for_this_worker(postgres_url: str | None, redis_url: str) -> tuple[str | None, str]:
    """The databases of this pytest-xdist worker ("gw0", "gw1", …): the PostgreSQL database's
    name gets the worker's name, the Redis index counts down from the one given."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return postgres_url, redis_url
    number = int(worker.removeprefix("gw"))
    if postgres_url:
        url = sa.make_url(postgres_url)
        postgres_url = url.set(database=f"{url.database}_{worker}").render_as_string(
            hide_password=False
        )
    base, _, index = redis_url.rpartition("/")
    return postgres_url, f"{base}/{int(index) - number}"


POSTGRES_URL, REDIS_URL = _for_this_worker(
    os.environ.get("TEST_DATABASE_URL"),
    os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
)


def _prepare_postgres(url: str) -> None:
    """Create the test database if it is missing."""
    engine_url = sa.make_url(url)
    admin = sa.create_engine(engine_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
            {"name": engine_url.database},
        )
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{engine_url.database}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str | None:
    if POSTGRES_URL:
        _prepare_postgres(POSTGRES_URL)
    return POSTGRES_URL


_postgres_schema_ready = False


def _empty_database() -> None:
    """A fresh SQLite file gets the tables; the shared PostgreSQL database is emptied."""
    global _postgres_schema_ready
    if db.engine.dialect.name != "postgresql":
        db.create_all()
        return
    if not _postgres_schema_ready:
        db.drop_all()
        db.create_all()
        _postgres_schema_ready = True
        return
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    db.session.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


def build_app(tmp_path: Path, database_url: str | None, **overrides: object) -> Flask:
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{tmp_path / 'test.sqlite'}",
        "MAIL_OUTBOX": tmp_path / "outbox",
        "UPLOAD_FOLDER": tmp_path / "uploads",
        **overrides,
    }
    return create_app(TestingConfig(), settings)


@pytest.fixture
def make_app(tmp_path: Path, database_url: str | None) -> Iterator[Callable[..., Flask]]:
    """Build an app with extra settings; the database is fresh and holds the four
    municipalities of the Land van Cuijk."""
    made: list[Flask] = []

    def make(**overrides: object) -> Flask:
        app = build_app(tmp_path, database_url, **overrides)
        with app.app_context():
            if not made:
                _empty_database()
                for seed in LAND_VAN_CUIJK:
                    create_seeded_tenant(seed)
                db.session.commit()
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context for test code that reads or writes the database directly."""
    with app.app_context():
        yield


class HostClient(FlaskClient):
    """A test client whose requests go to one host, like a browser on one municipality."""

    host = DOMAIN

    def open(self, *args, **kwargs):
        if not args or isinstance(args[0], str):
            kwargs.setdefault("base_url", f"http://{self.host}")
        return super().open(*args, **kwargs)


@pytest.fixture
def client_for(app: Flask) -> Callable[[str | None], FlaskClient]:
    """A test client on a municipality's host (None: the portal on the bare domain)."""

    def make(slug: str | None) -> FlaskClient:
        app.test_client_class = HostClient
        client = app.test_client()
        client.host = f"{slug}.{DOMAIN}" if slug else DOMAIN
        return client

    return make


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Create a verified person with a membership (role, first village) in a municipality."""
    counter = iter(range(1, 10_000))

    def make(
        slug: str | None = "cuijk",
        role: Role = Role.RESIDENT,
        *,
        email: str | None = None,
        verified: bool = True,
        admin: bool = False,
        first_name: str = "Annie",
    ) -> User:
        with app.app_context():
            user = User(
                email=email or f"persoon{next(counter)}@example.nl",
                first_name=first_name,
                email_verified_at=utcnow() if verified else None,
                is_platform_admin=admin,
            )
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.flush()
            if slug:
                tenant = tenant_by_slug(slug)
                with tenant_context(tenant):
                    village = db.session.scalar(sa.select(Village).order_by(Village.id))
                    db.session.add(Membership(user_id=user.id, role=role, village_id=village.id))
                    db.session.flush()
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


@pytest.fixture
def outbox(app: Flask) -> Callable[[], list[OutboxMessage]]:
    """The messages in the development outbox, newest first."""

    def read() -> list[OutboxMessage]:
        with app.app_context():
            return read_outbox()

    return read


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator:
    """A real SMTP server in a thread: `smtp_server("starttls")` (see tests/smtp_server.py)."""
    yield from start_smtp_servers(tmp_path)


@pytest.fixture
def clean_redis() -> Iterator[None]:
    """The tests' Redis database, empty before and after."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield
    connection.flushdb()
