"""The schema changes only through migrations: they run from empty and match the models."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from buurtplatform import create_app
from buurtplatform.extensions import db
from config import TestingConfig
from tests.conftest import POSTGRES_URL, _prepare_postgres


def _migrate_and_compare(url: str) -> list:
    app = create_app(TestingConfig(), {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            diff = compare_metadata(context, db.metadata)
        tables = set(sa.inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert {"tenants", "villages", "users", "memberships", "emails"} <= tables
    return diff


def test_migrations_from_empty_match_the_models_on_sqlite(tmp_path):
    assert _migrate_and_compare(f"sqlite:///{tmp_path / 'migrated.sqlite'}") == []


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
    assert _migrate_and_compare(url.render_as_string(hide_password=False)) == []
