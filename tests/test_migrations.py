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


def test_upgrading_keeps_what_points_at_rebuilt_tables_and_seeds_templates(tmp_path):
    """SQLite rebuilds a table to alter it (batch mode): with foreign keys on, dropping the
    old table would delete every row that points at it with ON DELETE CASCADE. A municipality
    made before 0008 keeps its categories and members, and gets the default templates."""
    url = f"sqlite:///{tmp_path / 'upgraded.sqlite'}"
    app = create_app(TestingConfig(), {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0007_language")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO tenants (id, slug, name, site_name, welcome_text, primary_color,"
                " accent_color, help_contact_name, help_phone, help_hours, is_active,"
                " listing_lifetime_days, remind_connectors_after_days,"
                " remind_coordinators_after_days, remind_asker_after_days, follow_up_after_days,"
                " created_at, updated_at) VALUES (1, 'oud', 'Oud', 'Oud', '', '#1d4f91',"
                " '#a8431b', '', '', '', 1, 30, 2, 4, 7, 3, '2026-01-01', '2026-01-01')"
            )
            connection.exec_driver_sql(
                "INSERT INTO categories (tenant_id, key, name, position)"
                " VALUES (1, 'transport', 'Vervoer', 0), (1, NULL, 'Eigen soort', 1)"
            )
            connection.exec_driver_sql(
                "INSERT INTO users (id, email, first_name, password_hash, locale,"
                " is_platform_admin, created_at) VALUES (1, 'a@example.nl', 'Annie', 'x', 'nl',"
                " 0, '2026-01-01')"
            )
            connection.exec_driver_sql(
                "INSERT INTO memberships (tenant_id, user_id, role, privacy_consent_at,"
                " offers_help, skills, created_at) VALUES (1, 1, 'resident', '2026-01-01', 1,"
                " '', '2026-01-01')"
            )
        upgrade()
        with db.engine.connect() as connection:
            count = connection.exec_driver_sql
            assert count("SELECT count(*) FROM categories").scalar() == 2
            assert count("SELECT count(*) FROM memberships").scalar() == 1
            templates = count(
                "SELECT t.key, c.name FROM listing_templates t"
                " JOIN categories c ON c.id = t.category_id WHERE t.kind = 'ask'"
            ).all()
            assert dict(templates)["hospital"] == "Vervoer"  # under its default's category
            assert dict(templates)["shopping"] == "Vervoer"  # no such category: the first one
            assert len(templates) == 6
            assert count("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()
