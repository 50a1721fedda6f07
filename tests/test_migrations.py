"""The schema changes only through migrations: they run from empty and match the models."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from flask import current_app
from flask_migrate import upgrade

from buurtplatform import create_app
from buurtplatform.extensions import db
from config import TestingConfig
from tests.conftest import POSTGRES_URL, _prepare_postgres

# Where PostgreSQL's migrations are tested when the run does not name a test database.
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/buurtplatform_test"


def _migrate_and_check(url: str) -> None:
    """Upgrade from empty, then run autogenerate as `flask db check` does, through
    migrations/env.py and its filters: it raises, listing the differences, if the models and
    the migrations differ."""
    app = create_app(TestingConfig(), {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        command.check(current_app.extensions["migrate"].migrate.get_config())
        tables = set(sa.inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert {"tenants", "villages", "users", "memberships", "emails"} <= tables


def test_migrations_from_empty_match_the_models_on_sqlite(tmp_path):
    _migrate_and_check(f"sqlite:///{tmp_path / 'migrated.sqlite'}")


def migrations_database_url(test_url: str | None) -> sa.URL:
    """A database of its own beside the tests' one (its name + "_migrations"), emptied by the
    test: two runs with different `TEST_DATABASE_URL`s never drop each other's."""
    base = sa.make_url(test_url or DEFAULT_POSTGRES_URL)
    return base.set(database=f"{base.database}_migrations")


def test_the_migrations_database_follows_the_test_database():
    url = migrations_database_url("postgresql+psycopg://postgres@127.0.0.1:5432/run_a")
    assert url.database == "run_a_migrations"
    other = migrations_database_url("postgresql+psycopg://postgres@127.0.0.1:5432/run_b")
    assert other.database == "run_b_migrations"
    assert migrations_database_url(None).database == "buurtplatform_test_migrations"


def test_migrations_from_empty_match_the_models_on_postgresql():
    url = migrations_database_url(POSTGRES_URL)
    _prepare_postgres(url.render_as_string(hide_password=False))
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    _migrate_and_check(url.render_as_string(hide_password=False))
