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


def test_migrations_from_empty_match_the_models_on_postgresql():
    base = sa.make_url(
        POSTGRES_URL or "postgresql+psycopg://postgres@127.0.0.1:5432/buurtplatform_test"
    )
    url = base.set(database="buurtplatform_migrations_test")
    _prepare_postgres(url.render_as_string(hide_password=False))
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    _migrate_and_check(url.render_as_string(hide_password=False))
