"""Benchmark of the periodic work, with realistic volumes (not a test: run it by hand).

    .venv/bin/python -m scripts.benchmark_background [--database-url URL] [--recipients N]

1. Coordinators' digests: 60 municipalities, N recipients (default 10,000) with listings,
   replies, matches and members; builds and records every digest and reports the time and
   the SQL queries per digest, at a tenth of N and at N (the count must not grow).
2. The escalation ladder's sweep over 200,000 listings: its time, and the query plan of the
   "unanswered asks" query (it must use an index, not scan the table).

Emails are recorded as the real jobs do, but not delivered (delivery is measured by nothing
here). It builds its own database: by default a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from buurtplatform import create_app
from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Kind, Listing, Status
from buurtplatform.matches.models import Match
from buurtplatform.timestamps import utcnow
from config import TestingConfig
from jobs import mail as mail_jobs
from jobs.digests import record_coordinator_digest
from jobs.periods import current_week
from jobs.reminders import run_ladder, unanswered_asks
from tenants.models import Tenant, Village
from tenants.provisioning import create_tenant
from tenants.scoping import tenant_context

MUNICIPALITIES = 60
LISTINGS_FOR_SWEEP = 200_000
random.seed(2026)


def count_queries() -> list[str]:
    statements: list[str] = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    return statements


def build_municipalities() -> list[Tenant]:
    tenants = []
    for n in range(MUNICIPALITIES):
        tenant = create_tenant(
            f"gemeente-{n}",
            f"Gemeente {n}",
            [f"Dorp {n}-{v}" for v in range(6)],
            help_phone="0485 - 700 000",
        )
        tenants.append(tenant)
    db.session.commit()
    return tenants


def add_people(tenants: list[Tenant], coordinators: int) -> None:
    """Coordinators spread over the municipalities, 5% of them covering two; plus members."""
    now = utcnow()
    users = [
        {
            "email": f"coordinator{i}@bench.nl",
            "first_name": f"Co{i}",
            "password_hash": "x",
            "locale": "nl",
            "is_platform_admin": False,
            "created_at": now,
            "email_verified_at": now,
        }
        for i in range(coordinators)
    ]
    db.session.execute(sa.insert(User), users)
    ids = db.session.scalars(
        sa.select(User.id).where(User.email.like("coordinator%")).order_by(User.id)
    ).all()
    rows = []
    for i, user_id in enumerate(ids):
        homes = [tenants[i % len(tenants)]]
        if i % 20 == 0:
            homes.append(tenants[(i + 1) % len(tenants)])
        for tenant in homes:
            rows.append(_membership(tenant.id, user_id, Role.COORDINATOR, now))
    db.session.execute(_bulk_insert(Membership), rows)
    db.session.commit()


def _membership(tenant_id: int, user_id: int, role: Role, now) -> dict:
    return {
        "tenant_id": tenant_id,
        "user_id": user_id,
        "role": role,
        "village_id": None,
        "privacy_consent_at": now,
        "created_at": now,
        "offers_help": False,
        "skills": "",
    }


def _bulk_insert(model: type) -> sa.Insert:
    """An insert of many rows of several municipalities at once, each row naming its own
    (the scoping refuses inserts that do not say so)."""
    return sa.insert(model.__table__).execution_options(all_tenants=True)


def add_listings(
    tenants: list[Tenant], per_municipality: int, author_id: int, days: int = 35
) -> None:
    """Asks and offers over the last `days`; nine in ten answered, a third of those matched."""
    now = utcnow()
    rows = []
    for tenant in tenants:
        with tenant_context(tenant):
            categories = db.session.scalars(sa.select(Category.id)).all()
            villages = db.session.scalars(sa.select(Village.id)).all()
        for i in range(per_municipality):
            created = now - timedelta(hours=random.randint(1, 24 * days))
            answered = random.random() < 0.9
            rows.append(
                {
                    "tenant_id": tenant.id,
                    "kind": Kind.ASK if i % 3 else Kind.OFFER,
                    "status": Status.MATCHED
                    if answered and random.random() < 0.33
                    else Status.OPEN,
                    "category_id": random.choice(categories),
                    "title": f"Hulpvraag {i}",
                    "description": "Wie kan helpen met boodschappen of vervoer?",
                    "village_id": random.choice(villages),
                    "remote_ok": False,
                    "timing": "flexible",
                    "author_id": author_id,
                    "by_organisation": False,
                    "created_at": created,
                    "expires_at": created + timedelta(days=30),
                    "first_reply_at": created + timedelta(hours=3) if answered else None,
                }
            )
        if len(rows) >= 20_000:
            db.session.execute(_bulk_insert(Listing), rows)
            rows.clear()
    if rows:
        db.session.execute(_bulk_insert(Listing), rows)
    db.session.commit()


def add_matches(author_id: int) -> None:
    matched = db.session.execute(
        sa.select(Listing.id, Listing.tenant_id, Listing.created_at)
        .where(Listing.status == Status.MATCHED)
        .execution_options(all_tenants=True)
    ).all()
    db.session.execute(
        _bulk_insert(Match),
        [
            {
                "tenant_id": t,
                "listing_id": i,
                "partner_id": author_id,
                "recorded_by_id": author_id,
                "created_at": c + timedelta(days=1),
            }
            for i, t, c in matched
        ],
    )
    db.session.commit()


def benchmark_digests(recipients: int) -> None:
    print(f"\n== Coordinators' digests: {recipients:,} recipients, {MUNICIPALITIES} municipalities")
    tenants = db.session.scalars(sa.select(Tenant).order_by(Tenant.id)).all()
    add_people(tenants, recipients)
    author = db.session.scalar(sa.select(User.id).order_by(User.id))
    add_listings(tenants, 200, author)
    add_matches(author)
    week = current_week(utcnow())
    coordinator_ids = db.session.scalars(
        sa.select(User.id).where(User.email.like("coordinator%")).order_by(User.id)
    ).all()
    statements = count_queries()
    per_digest: dict[int, list[int]] = {}  # municipalities covered -> queries per digest
    started = time.perf_counter()
    checkpoints = {len(coordinator_ids) // 10, len(coordinator_ids)}
    for n, user_id in enumerate(coordinator_ids, start=1):
        before = len(statements)
        covered = 2 if (n - 1) % 20 == 0 else 1
        record_coordinator_digest(user_id, week)
        db.session.expunge_all()
        per_digest.setdefault(covered, []).append(len(statements) - before)
        if n in checkpoints:
            elapsed = time.perf_counter() - started
            counts = {k: sorted(set(v)) for k, v in per_digest.items()}
            print(
                f"after {n:>6,} digests: {elapsed:7.1f} s ({elapsed / n * 1000:.1f} ms each); "
                f"queries per digest by municipalities covered: {counts}"
            )
    mean = statistics.mean(per_digest[1])
    print(f"mean queries per one-municipality digest: {mean:.1f}")


def add_staff(tenants: list[Tenant], connectors: int, coordinators: int) -> None:
    """A municipality's usual team: a few connectors and one or two coordinators."""
    now = utcnow()
    rows, memberships = [], []
    for tenant in tenants:
        for role, count in ((Role.CONNECTOR, connectors), (Role.COORDINATOR, coordinators)):
            for i in range(count):
                rows.append(
                    {
                        "email": f"{role.value}{i}.{tenant.slug}@bench.nl",
                        "first_name": role.value,
                        "password_hash": "x",
                        "locale": "nl",
                        "is_platform_admin": False,
                        "created_at": now,
                        "email_verified_at": now,
                    }
                )
                memberships.append((tenant.id, rows[-1]["email"], role))
    db.session.execute(sa.insert(User), rows)
    ids = dict(db.session.execute(sa.select(User.email, User.id)).all())
    db.session.execute(
        _bulk_insert(Membership),
        [_membership(tenant_id, ids[email], role, now) for tenant_id, email, role in memberships],
    )
    db.session.commit()


def benchmark_sweep() -> None:
    print(f"\n== Escalation ladder sweep over {LISTINGS_FOR_SWEEP:,} listings")
    db.drop_all()
    db.create_all()
    tenants = build_municipalities()
    add_staff(tenants, connectors=5, coordinators=2)
    author = db.session.scalar(sa.select(User.id).order_by(User.id))
    # Years of history: most listings expired long ago, as on a platform in use.
    add_listings(tenants, LISTINGS_FOR_SWEEP // len(tenants), author, days=3 * 365)
    total = db.session.scalar(
        sa.select(sa.func.count(Listing.id)).execution_options(all_tenants=True)
    )
    now = utcnow()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE listings"))  # as autovacuum would have by now
    # As the scoping hook runs it: with the municipality's criterion added.
    statement = unanswered_asks(now - timedelta(days=2), now).where(
        Listing.tenant_id == tenants[0].id
    )
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    explain = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    plan = db.session.execute(sa.text(explain + str(compiled))).all()
    print("plan of the unanswered-asks query (one municipality):")
    for row in plan:
        print("   ", row[-1])
    tenant_ids = [tenant.id for tenant in tenants]

    def sweep_all() -> int:
        steps = 0
        for tenant_id in tenant_ids:
            with tenant_context(db.session.get(Tenant, tenant_id)):
                steps += run_ladder(now)
            db.session.expunge_all()
        return steps

    started = time.perf_counter()
    steps = sweep_all()
    elapsed = time.perf_counter() - started
    print(f"first sweep of {total:,} listings: {elapsed:.1f} s, {steps:,} ladder steps taken")
    started = time.perf_counter()
    sweep_all()
    print(f"next sweep (nothing new due): {time.perf_counter() - started:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--recipients", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="buurtplatform-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite'}"
    app = create_app(TestingConfig(), {"SQLALCHEMY_DATABASE_URI": url, "MAIL_OUTBOX": folder})
    # Record emails as the jobs do, but leave them undelivered: delivery is not measured.
    mail_jobs.deliver_email = lambda email_id: None
    with app.app_context():
        db.drop_all()
        db.create_all()
        print(f"database: {db.engine.dialect.name}")
        build_municipalities()
        benchmark_digests(args.recipients)
        benchmark_sweep()


if __name__ == "__main__":
    main()
