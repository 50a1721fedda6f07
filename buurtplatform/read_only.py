"""Transactions that only read end with COMMIT, so that PostgreSQL keeps its prepared plans.

psycopg prepares a statement on its connection once it has run five times there, and
PostgreSQL then skips planning it (most of the cost of the small queries a page runs). But
psycopg forgets every prepared statement at a ROLLBACK, and SQLAlchemy ends each request's
transaction with one (`Session.close`, when the request did not commit), so no statement ever
stayed prepared from one request to the next. A transaction that ran nothing but SELECTs
changes no data whichever way it ends: it is committed instead, just before SQLAlchemy's
rollback, which then finds nothing left to roll back. Any other statement (a write, a
savepoint, a SET) and any error leave the rollback as it was.
"""

from __future__ import annotations

import contextlib
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

ONLY_READ = "buurtplatform_only_read"


def commit_what_only_read(engine: Engine) -> None:
    """Listen on `engine` (PostgreSQL through psycopg; other drivers keep no prepared plans)."""
    if engine.dialect.driver != "psycopg":
        return
    event.listen(engine, "begin", _began)
    event.listen(engine, "before_cursor_execute", _executes)
    event.listen(engine, "rollback", _rolls_back)


def _began(connection: Connection) -> None:
    connection.info[ONLY_READ] = True


def _executes(connection: Connection, cursor: Any, statement: str, *_: Any) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        connection.info[ONLY_READ] = False


def _rolls_back(connection: Connection) -> None:
    # SQLAlchemy tells of a rollback also on a connection it has closed or found broken.
    if connection.closed or connection.invalidated or not connection.info.get(ONLY_READ):
        return
    driver_connection = connection.connection.dbapi_connection
    if driver_connection is None:
        return
    if driver_connection.info.transaction_status == TransactionStatus.INTRANS:
        # Should the COMMIT fail (the connection just broke), the rollback goes on as ever.
        with contextlib.suppress(psycopg.Error):
            driver_connection.commit()
