"""Visits, counted without cookies and without keeping IP addresses.

A visit is one person (one browser) on one municipality's site on one local day. The same
person is recognised within a day by a digest: HMAC-SHA-256, keyed with a random salt of the
day, over the municipality, the client's address and its user agent. The salt is one row per
local day, shared by every app server, and deleted once its day is over; from then on nobody can
recompute a digest from an address. Only the digests (traces) of the day are written; the
periodic sweep folds every finished day's traces into one number per municipality and day
(`DailyVisits`) and deletes them. No cookie is set, no address or user agent is stored.

What is counted: a GET answered with an HTML page and status 200 on a municipality's host.
Not counted: the portal, HEAD, POST, redirects, errors, static files, feeds, calendars, CSV
and images (not HTML), and user agents that name themselves as robots (`ROBOTS`).

The write happens after the view, in a session of its own, so that it never commits or rolls
back the view's work, and a refusal of the database only costs the count (logged). A bounded
memo per app process remembers the digests written today: a person who clicks around costs one
write a day, not one per page.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request
from flask.blueprints import BlueprintSetupState
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from buurtplatform.extensions import db
from buurtplatform.figures import bp
from buurtplatform.figures.definitions import By, Counts, Span, figure
from buurtplatform.page_cache import KeptHeaders, on_kept_page
from buurtplatform.timestamps import utcnow
from jobs.periods import local_day
from tenants.scoping import ALL_TENANTS, TenantScoped, current_tenant

log = logging.getLogger(__name__)

# Parts of a user agent (lowercase) that robots put in theirs: search engines, link previews,
# uptime monitors, scripts. An empty user agent is not a browser either.
ROBOTS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "preview",
    "monitor",
    "headless",
    "curl",
    "wget",
    "python",
    "go-http-client",
    "java/",
)

# How many digests of today one app process remembers; beyond that it starts again, which costs
# at most one more (ignored) write per person.
MEMO_SIZE = 20_000


class VisitSalt(db.Model):
    """The secret of one local day, the same for every app server and every municipality."""

    __tablename__ = "visit_salts"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    salt: Mapped[bytes] = mapped_column(sa.LargeBinary(32))


class VisitTrace(TenantScoped, db.Model):
    """One person seen on one municipality's site on one local day: only a digest."""

    __tablename__ = "visit_traces"
    __table_args__ = (sa.PrimaryKeyConstraint("tenant_id", "day", "digest"),)

    day: Mapped[date] = mapped_column(sa.Date)
    digest: Mapped[bytes] = mapped_column(sa.LargeBinary(32))


class DailyVisits(TenantScoped, db.Model):
    """The number of visits to one municipality's site on one finished local day."""

    __tablename__ = "daily_visits"
    __table_args__ = (sa.PrimaryKeyConstraint("tenant_id", "day"),)

    day: Mapped[date] = mapped_column(sa.Date)
    visits: Mapped[int] = mapped_column(sa.Integer)


# Counting


@dataclass
class _Today:
    """What one app process remembers of the current day: its salt and the digests written."""

    day: date | None = None
    salt: bytes = b""
    written: set[bytes] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _today_of(app: Flask) -> _Today:
    return app.extensions.setdefault("visits", _Today())


def is_robot(user_agent: str) -> bool:
    agent = user_agent.lower()
    return not agent or any(part in agent for part in ROBOTS)


def counts_as_visit(response: Response) -> bool:
    """A person looking at a page of a municipality's site (see the module's docstring)."""
    return (
        request.method == "GET"
        and response.status_code == 200
        and request.endpoint != "static"
        and _a_persons_page(g.get("tenant_id"), response.mimetype, request.environ)
    )


def _a_persons_page(tenant_id: int | None, mimetype: str, environ: dict[str, Any]) -> bool:
    """An HTML page of a municipality's site, for a browser rather than a robot."""
    return (
        tenant_id is not None
        and mimetype == "text/html"
        and not is_robot(environ.get("HTTP_USER_AGENT", ""))
    )


@bp.after_app_request
def count_visit(response: Response) -> Response:
    """`after_request` of every page: note the visit, never break the page."""
    if counts_as_visit(response):
        _note_safely(current_app, g.tenant_id, request.environ)
    return response


def count_kept_visit(
    app: Flask, environ: dict[str, Any], tenant_id: int | None, headers: KeptHeaders
) -> None:
    """The same, for a page the page cache's middleware served: always a GET answered 200."""
    content_type = next((value for name, value in headers if name == "Content-Type"), "")
    if _a_persons_page(tenant_id, content_type.split(";")[0].strip(), environ):
        _note_safely(app, tenant_id, environ)


@bp.record_once
def _watch_kept_pages(state: BlueprintSetupState) -> None:
    on_kept_page(state.app, count_kept_visit)


def _note_safely(app: Flask, tenant_id: int, environ: dict[str, Any]) -> None:
    try:
        note_visit(
            app,
            tenant_id,
            environ.get("REMOTE_ADDR") or "",
            environ.get("HTTP_USER_AGENT", ""),
            local_day(utcnow()),
        )
    except sa.exc.SQLAlchemyError:
        log.exception("A visit could not be counted")


def note_visit(app: Flask, tenant_id: int, address: str, user_agent: str, day: date) -> None:
    """Write the trace of this person today, once per app process. Asks no app context but
    to write (the page cache's middleware serves pages without one)."""
    today = _today_of(app)
    with today.lock:
        if today.day != day:
            today.day, today.salt, today.written = day, b"", set()
        salt = today.salt
    if not salt:
        with app.app_context():
            salt = _salt_of(day)
        with today.lock:
            if today.day == day:
                today.salt = salt
    digest = _digest(salt, tenant_id, address, user_agent)
    if digest in today.written:
        return
    with app.app_context(), Session(db.engine) as session, session.begin():
        session.execute(
            _insert(VisitTrace)
            .values(tenant_id=tenant_id, day=day, digest=digest)
            .on_conflict_do_nothing()
            # A bulk insert passes no flush, so the scoping wants it marked: it names its
            # municipality itself (the one being served), and nothing is read.
            .execution_options(**ALL_TENANTS)
        )
    with today.lock:
        if today.day == day:
            if len(today.written) >= MEMO_SIZE:
                today.written.clear()
            today.written.add(digest)


def _digest(salt: bytes, tenant_id: int, address: str, user_agent: str) -> bytes:
    message = "\n".join((str(tenant_id), address, user_agent)).encode()
    return hmac.new(salt, message, hashlib.sha256).digest()


def _salt_of(day: date) -> bytes:
    """The day's salt. The first server to need it makes it; two at once both insert, one
    insert is ignored, and both read the one that was kept."""
    with Session(db.engine) as session:
        session.execute(
            _insert(VisitSalt)
            .values(day=day, salt=secrets.token_bytes(32))
            .on_conflict_do_nothing()
        )
        session.commit()
        return session.scalar(sa.select(VisitSalt.salt).where(VisitSalt.day == day))


def _insert(model: type) -> sa.Insert:
    """An INSERT with ON CONFLICT for the database in use (SQLite or PostgreSQL)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


# Folding finished days (the periodic sweep, inside a municipality)


def fold_visits(now: datetime) -> None:
    """Fold the current municipality's traces of finished days into `DailyVisits`, delete
    them, and delete the salts of finished days.

    The traces are deleted first and counted from what the DELETE returns, in the same
    transaction as the addition: a second sweep at the same moment deletes (and so adds)
    nothing, and a trace written late for a finished day is added by the next sweep.
    """
    today = local_day(now)
    folded = db.session.execute(
        sa.delete(VisitTrace)
        .where(VisitTrace.day < today)
        .returning(VisitTrace.day)
        .execution_options(synchronize_session=False)
    ).scalars()
    per_day: dict[date, int] = {}
    for day in folded:
        per_day[day] = per_day.get(day, 0) + 1
    tenant_id = current_tenant().id
    for day, visits in sorted(per_day.items()):
        statement = _insert(DailyVisits).values(tenant_id=tenant_id, day=day, visits=visits)
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["tenant_id", "day"],
                set_={"visits": DailyVisits.visits + statement.excluded.visits},
            )
            # As for a trace: the row names the municipality being served.
            .execution_options(**ALL_TENANTS)
        )
    db.session.execute(sa.delete(VisitSalt).where(VisitSalt.day < today))
    db.session.commit()


# The figure


@figure(
    "visits",
    _l("Visits"),
    _l(
        "A visit is one person on the site of this municipality on one day. If someone looks "
        "at several pages on the same day, that counts once. We recognise the same person "
        "during one day by a code made from the internet address and the browser, mixed with "
        "a secret that changes every day. We keep no cookies and no internet addresses. The "
        "codes are deleted after the day; only the number of visits per day stays. Search "
        "engines and other robots are not counted."
    ),
    per_village=False,
)
def visits(spans: Sequence[Span], by: By) -> Counts:
    """Daily numbers of the span's days, plus the traces that are not folded yet (today's,
    and a finished day's until the sweep has run): two queries."""
    counts: Counts = {span.key: {None: 0} for span in spans}
    first, last = spans[0].first, spans[-1].last
    for model, number in ((DailyVisits, DailyVisits.visits), (VisitTrace, sa.literal(1))):
        sums = [
            sa.func.coalesce(
                sa.func.sum(sa.case((model.day.between(span.first, span.last), number), else_=0)),
                0,
            )
            for span in spans
        ]
        statement = sa.select(*sums).select_from(model).where(model.day.between(first, last))
        if by is By.MUNICIPALITY:
            statement = (
                statement.add_columns(model.tenant_id)
                .group_by(model.tenant_id)
                .execution_options(**ALL_TENANTS)
            )
        for row in db.session.execute(statement):
            for span, value in zip(spans, row[: len(spans)], strict=True):
                if by is By.MUNICIPALITY:
                    group = row[-1]
                    counts[span.key][group] = counts[span.key].get(group, 0) + int(value)
                counts[span.key][None] += int(value)
    return counts
