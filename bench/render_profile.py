"""How long the app takes to render its main pages, in this process, without a server.

Builds a fresh database with the demo municipalities, gives Cuijk a few hundred members and
about two thousand asks and offers, signs in a resident through Flask's test client, and times
N requests of each page, for the signed-in resident and for a visitor. It prints milliseconds
and SQL queries per request. With `--profile PAGE` it runs pyinstrument over that page instead.

    .venv/bin/python bench/render_profile.py                      # SQLite in a temporary folder
    .venv/bin/python bench/render_profile.py --database postgresql+psycopg://postgres@127.0.0.1/bp_c
    REDIS_URL=redis://127.0.0.1:6379/10 .venv/bin/python bench/render_profile.py
    .venv/bin/python bench/render_profile.py --profile vraag-en-aanbod

The database named by `--database` is emptied first. `--no-cache` gives the app Flask-Caching's
NullCache (nothing is ever kept: no page cache, no cached fragments), so that the rendering
itself is measured; else the app keeps what it keeps (in this process, or on Redis when
REDIS_URL is set).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask
from flask.testing import FlaskClient

from buurtplatform import create_app
from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.demo import load_demo
from buurtplatform.demo.people import DEMO_PASSWORD, demo_email
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Kind, Listing, Timing
from buurtplatform.timestamps import utcnow
from config import DevelopmentConfig
from tenants.models import Tenant, Village
from tenants.scoping import tenant_context

DOMAIN = "buurt.bench"
SLUG = "cuijk"
TITLES = (
    "Wie doet de boodschappen voor mij?",
    "Hulp in de tuin gezocht",
    "Ik rijd op dinsdag naar het ziekenhuis in Boxmeer",
    "Samen een kopje koffie drinken",
    "Wie helpt met mijn nieuwe telefoon?",
    "Ik kan kleine klusjes in huis doen",
    "Even de hond uitlaten",
    "Ik lees graag voor",
)


def build(database: str | None, folder: Path, cache: bool) -> Flask:
    settings = {
        "SQLALCHEMY_DATABASE_URI": database or f"sqlite:///{folder / 'bench.sqlite'}",
        "PLATFORM_DOMAIN": DOMAIN,
        "MAIL_OUTBOX": folder / "outbox",
        "UPLOAD_FOLDER": folder / "uploads",
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
        **({} if cache else {"CACHE_TYPE": "NullCache"}),
    }
    app = create_app(DevelopmentConfig(), settings)
    app.debug = False
    return app


def fill(app: Flask, members: int, listings: int) -> None:
    """The demo, and in Cuijk `members` more residents and `listings` more asks and offers."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_demo()
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == SLUG))
        password_hash = db.session.scalar(
            sa.select(User.password_hash).where(User.email == demo_email(SLUG, Role.RESIDENT))
        )
        with tenant_context(tenant):
            villages = db.session.scalars(sa.select(Village.id)).all()
            categories = db.session.scalars(sa.select(Category.id)).all()
            people = [
                User(
                    email=f"buur{n}@bench.example",
                    first_name=f"Buur{n}",
                    password_hash=password_hash,
                    email_verified_at=utcnow(),
                )
                for n in range(members)
            ]
            db.session.add_all(people)
            db.session.flush()
            db.session.add_all(
                Membership(user_id=p.id, role=Role.RESIDENT, village_id=villages[n % len(villages)])
                for n, p in enumerate(people)
            )
            now = utcnow()
            db.session.add_all(
                Listing(
                    kind=Kind.ASK if n % 2 else Kind.OFFER,
                    title=TITLES[n % len(TITLES)],
                    description="Graag wat hulp, een uurtje in de week. Bel of stuur een bericht.",
                    category_id=categories[n % len(categories)],
                    village_id=None if n % 9 == 0 else villages[n % len(villages)],
                    remote_ok=n % 3 == 0,
                    timing=Timing.ON_DATE if n % 4 == 0 else Timing.WEEKLY,
                    needed_on=(now + timedelta(days=5 + n % 20)).date() if n % 4 == 0 else None,
                    on_behalf_of="mijn moeder" if n % 10 == 0 else None,
                    by_organisation=n % 6 == 0,
                    author_id=people[n % len(people)].id,
                    created_at=now - timedelta(minutes=7 * n),
                    expires_at=now + timedelta(days=30),
                )
                for n in range(listings)
            )
            db.session.commit()


PAGES = {
    "home": "/",
    "vraag-en-aanbod": "/vraag-en-aanbod",
    "a listing": None,  # the newest listing, found after filling
    "agenda": "/agenda",
    "prikbord": "/prikbord",
    "zoeken": "/zoeken?q=boodschap",
    "gesprekken": "/gesprekken",
}


def client(app: Flask, signed_in: bool) -> FlaskClient:
    made = app.test_client()
    if signed_in:
        response = made.post(
            "/inloggen",
            data={"email": demo_email(SLUG, Role.RESIDENT), "password": DEMO_PASSWORD},
            base_url=f"http://{SLUG}.{DOMAIN}",
        )
        assert response.status_code == 302, response.status_code
    return made


def newest_listing(app: Flask) -> str:
    with app.app_context():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == SLUG))
        with tenant_context(tenant):
            newest = db.session.scalar(sa.select(sa.func.max(Listing.id)))
    return f"/vraag-en-aanbod/{newest}"


def time_page(
    app: Flask, visitor: FlaskClient, url: str, rounds: int
) -> tuple[float, float, float, int]:
    """Per request: milliseconds of this process's CPU, milliseconds on the clock, queries;
    and the status of the last answer. The CPU time hardly changes when other programs share
    the machine (the clock time does); it leaves out PostgreSQL's own work."""
    queries = 0

    def count(*_args: object) -> None:
        nonlocal queries
        queries += 1

    base_url = f"http://{SLUG}.{DOMAIN}"
    status = visitor.get(url, base_url=base_url).status_code  # warm up
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        started, started_cpu = time.perf_counter(), time.process_time()
        for _ in range(rounds):
            status = visitor.get(url, base_url=base_url).status_code
        elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return cpu * 1000 / rounds, elapsed * 1000 / rounds, queries / rounds, status


def calls_per_request(visitor: FlaskClient, url: str, rounds: int) -> float:
    """Python function calls per request: slower to count, but the same however busy the
    machine is, so two versions of the code compare well on a shared machine."""
    import cProfile
    import pstats

    base_url = f"http://{SLUG}.{DOMAIN}"
    visitor.get(url, base_url=base_url)
    counter = cProfile.Profile()
    counter.enable()
    for _ in range(rounds):
        visitor.get(url, base_url=base_url)
    counter.disable()
    return pstats.Stats(counter).total_calls / rounds


def profile(app: Flask, visitor: FlaskClient, url: str, rounds: int) -> None:
    from pyinstrument import Profiler

    base_url = f"http://{SLUG}.{DOMAIN}"
    visitor.get(url, base_url=base_url)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(rounds):
        visitor.get(url, base_url=base_url)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a database URL (emptied); default SQLite")
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--listings", type=int, default=2000)
    parser.add_argument("-n", "--rounds", type=int, default=50, help="requests per page")
    parser.add_argument("--profile", metavar="PAGE", choices=PAGES, help="profile this page")
    parser.add_argument("--visitor", action="store_true", help="profile as a visitor")
    parser.add_argument(
        "--only", metavar="PAGE", choices=PAGES, action="append", help="time this page"
    )
    parser.add_argument("--no-cache", action="store_true", help="keep nothing in the cache")
    parser.add_argument(
        "--calls", action="store_true", help="count Python function calls per request instead"
    )
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        app = build(options.database, Path(folder), cache=not options.no_cache)
        started = time.perf_counter()
        fill(app, options.members, options.listings)
        with app.app_context():
            database = db.engine.dialect.name
        print(
            f"{options.listings} asks and offers, {options.members} members in {SLUG} "
            f"({database}, cache {app.config.get('CACHE_TYPE')}), filled in "
            f"{time.perf_counter() - started:.0f} s, {options.rounds} requests per page"
        )
        pages = dict(PAGES, **{"a listing": newest_listing(app)})
        pages = {name: url for name, url in pages.items() if name in (options.only or pages)}
        people = {"signed in": client(app, True), "visitor": client(app, False)}
        if options.profile:
            who = "visitor" if options.visitor else "signed in"
            profile(app, people[who], pages[options.profile], options.rounds)
            return
        if options.calls:
            print(f"{'page':<16}{'signed in calls':>16}{'visitor calls':>16}")
            for name, url in pages.items():
                counts = [calls_per_request(v, url, options.rounds) for v in people.values()]
                print(f"{name:<16}" + "".join(f"{count:>16,.0f}" for count in counts))
            return
        print(f"{'':<16}{'signed in':^27}{'visitor':^27}")
        print(f"{'page':<16}" + f"{'cpu ms':>9}{'clock ms':>10}{'queries':>8}" * 2)
        for name, url in pages.items():
            row = f"{name:<16}"
            for visitor in people.values():
                cpu, clock, queries, status = time_page(app, visitor, url, options.rounds)
                row += (
                    f"{cpu:>9.2f}{clock:>10.2f}{queries:>8.1f}"
                    if status == 200
                    else f"{'HTTP ' + str(status):>27}"
                )
            print(row)


if __name__ == "__main__":
    main()
