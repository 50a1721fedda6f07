"""Transactions that only read end with COMMIT (buurtplatform/read_only.py): on PostgreSQL the
statements psycopg prepared stay prepared from one request to the next, and a transaction that
wrote, or failed, is rolled back as before. (SQLite keeps no prepared plans: nothing changes.)"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from buurtplatform.extensions import db
from tests.helpers import sign_in


@pytest.fixture(autouse=True)
def _postgresql_only(database_url):
    if database_url is None:
        pytest.skip("psycopg's prepared statements: PostgreSQL only")


def _prepared(connection) -> list[str]:
    rows = connection.execute(sa.text("SELECT statement FROM pg_prepared_statements"))
    return [statement for (statement,) in rows]


def _site_name(slug: str) -> str:
    with db.engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT site_name FROM tenants WHERE slug = :slug"), {"slug": slug}
        ).scalar_one()


def test_a_signed_in_persons_query_stays_prepared_from_request_to_request(
    app, make_user, client_for
):
    member = client_for("cuijk")
    sign_in(member, make_user())
    with app.app_context():
        db.engine.dispose()  # the pool's connections from here on are the requests'
    for _ in range(12):  # psycopg prepares on the fifth run on a connection; two take turns
        assert member.get("/vraag-en-aanbod").status_code == 200
    with app.app_context():
        pooled = [db.engine.connect() for _ in range(db.engine.pool.checkedin())]
        prepared = [statement for connection in pooled for statement in _prepared(connection)]
        for connection in pooled:
            connection.close()
    assert any("FROM users JOIN user_sessions" in statement for statement in prepared), prepared


def test_a_transaction_that_wrote_is_still_rolled_back(app):
    with app.app_context():
        before = _site_name("cuijk")
        with db.engine.connect() as connection:
            connection.execute(sa.text("SELECT count(*) FROM tenants")).scalar_one()
            connection.execute(
                sa.text("UPDATE tenants SET site_name = 'Weg ermee' WHERE slug = 'cuijk'")
            )
            connection.rollback()
        assert _site_name("cuijk") == before

        session = db.session
        tenant_id = session.execute(sa.text("SELECT id FROM tenants WHERE slug = 'cuijk'")).scalar()
        session.execute(
            sa.text("UPDATE tenants SET site_name = 'Ook weg' WHERE id = :id"), {"id": tenant_id}
        )
        session.rollback()
        assert _site_name("cuijk") == before


def test_a_transaction_that_failed_is_rolled_back_and_the_connection_goes_on(app):
    with app.app_context(), db.engine.connect() as connection:
        with pytest.raises(sa.exc.DataError):
            connection.execute(sa.text("SELECT 1 / 0"))
        connection.rollback()
        assert connection.execute(sa.text("SELECT 2")).scalar_one() == 2


def test_a_connection_that_broke_while_reading_is_rolled_back_as_ever(app):
    with app.app_context(), db.engine.connect() as connection:
        connection.execute(sa.text("SELECT 1")).scalar_one()
        connection.invalidate()  # as SQLAlchemy does when the server went away
        connection.rollback()
        assert connection.execute(sa.text("SELECT 3")).scalar_one() == 3  # a new connection
