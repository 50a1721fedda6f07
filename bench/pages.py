"""Requests per second of the main pages under gunicorn, side by side with a bare Flask route.

Starts the app under gunicorn (2 workers) from `--app-dir` (default: this project; another
checkout, e.g. a `git worktree` of an older commit, measures that code on the same data), and
bench/bare.py under gunicorn (2 workers) beside it; signs in once with a real POST (with the
CSRF token of the form); counts the SQL queries of each page in one request in a process of
its own; then runs `wrk -t2 -c20 -d<N>s --latency` against the bare route, each page, and the
bare route again, one after the other, and prints a markdown table. The share of the bare
route uses the mean of its two runs, so that pages and bare route share the same conditions.

    .venv/bin/python bench/pages.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/buurtplatform_scale \\
        --redis-url redis://127.0.0.1:6379/9 [--app-dir /tmp/before] [--duration 20] \\
        [--pages home,vraag-en-aanbod]
    .venv/bin/python bench/pages.py --database-url sqlite:////tmp/demo.sqlite   # flask demo load

PostgreSQL runs the app with production settings (`BUURTPLATFORM_ENV=production`, a random
SECRET_KEY, MAIL_BACKEND=outbox). Production refuses SQLite, so a SQLite database runs with
`BUURTPLATFORM_ENV=development` (the same code and templates; the outbox page exists and the
cookies are not marked Secure). Who signs in (all with the demo password): `--email`, by
default the resident that `flask demo scale` makes in the municipality (`--slug`), else the
resident of `flask demo load`; for the figures, which only staff see, `--staff-email`, by
default the municipality's first coordinator.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
DOMAIN = "bench.localhost"
PASSWORD = "buurt-demo-2026"  # noqa: S105 - the demo password (buurtplatform/demo/people.py)

# name -> (path, who: None for a visitor, "member" or "staff"); "listing" is found in the
# database. The figures are for connectors and coordinators only.
PAGES = {
    "home": ("/", None),
    "vraag-en-aanbod": ("/vraag-en-aanbod", None),
    "zoeken": ("/zoeken?q=boodschap", None),
    "listing": (None, None),
    "agenda": ("/agenda", None),
    "prikbord": ("/prikbord", None),
    "cijfers": ("/cijfers", "staff"),
    "home-signed-in": ("/", "member"),
    "vraag-en-aanbod-signed-in": ("/vraag-en-aanbod", "member"),
}
LABELS = {
    "home": "home, visitor",
    "vraag-en-aanbod": "asks and offers, visitor",
    "zoeken": 'search "boodschap", visitor',
    "listing": "a listing, visitor",
    "agenda": "agenda, visitor",
    "prikbord": "prikbord, visitor",
    "cijfers": "figures (cijfers), coordinator",
    "home-signed-in": "home, signed in",
    "vraag-en-aanbod-signed-in": "asks and offers, signed in",
}

# Run in the app's own directory, with the app's settings: finds the newest open listing and
# the people to sign in as, signs them in through the test client, and counts the queries of
# one request of each page (after one request to warm up), and per request over five more the
# CPU time of this process (the database's own work is not in it; other programs on the
# machine hardly change it) and the clock time (with the waits for the database). Prints JSON.
QUERY_COUNTER = r"""
import json, re, sys, time
import sqlalchemy as sa
from wsgi import app
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing, Status
from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.timestamps import utcnow
from tenants.models import Tenant
from tenants.scoping import tenant_context

slug, member, staff, password = sys.argv[1:5]
pages = json.loads(sys.argv[5])
host = f"{slug}.{app.config['PLATFORM_DOMAIN']}"
with app.app_context():
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    with tenant_context(tenant):
        listing = db.session.scalar(
            sa.select(Listing.id)
            .where(Listing.status == Status.OPEN, Listing.expires_at > utcnow(), Listing.public())
            .order_by(Listing.created_at.desc()).limit(1)
        )
        # flask demo scale's resident, or flask demo load's; the first coordinator.
        for email in [member] if member else [
            f"inwoner.{slug}@scale.buurtplatform.nl", f"resident.{slug}@demo.buurtplatform.nl"
        ]:
            if db.session.scalar(sa.select(User.id).where(User.email == email)):
                member = email
                break
        staff = staff or db.session.scalar(
            sa.select(User.email).join(Membership, Membership.user_id == User.id)
            .where(Membership.role == Role.COORDINATOR).order_by(Membership.id).limit(1)
        )
    engine = db.engine
counted = []
sa.event.listen(engine, "before_cursor_execute", lambda *a: counted.append(a[2]))
base = f"https://{host}"


def signed_in(email):
    client = app.test_client()
    page = client.get("/inloggen", base_url=base).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    done = client.post(
        "/inloggen", base_url=base, headers={"Referer": base + "/inloggen"},
        data={"email": email, "password": password, "csrf_token": token.group(1) if token else ""},
    )
    assert done.status_code == 302, (email, done.status_code)
    return client


clients = {None: app.test_client(), "member": signed_in(member), "staff": signed_in(staff)}
result = {"listing": listing, "member": member, "staff": staff, "pages": {}}
for name, (path, who) in pages.items():
    path = path or f"/vraag-en-aanbod/{listing}"
    if who is None:  # each visitor's page with a fresh client, as wrk sends no cookie
        clients[None] = app.test_client()
    cold_start = len(counted)
    clients[who].get(path, base_url=base)
    cold = len(counted) - cold_start
    start = len(counted)
    status = clients[who].get(path, base_url=base).status_code
    queries = len(counted) - start
    cpu, clock = time.process_time(), time.perf_counter()
    for _ in range(5):
        clients[who].get(path, base_url=base)
    cpu_ms = (time.process_time() - cpu) * 200
    wall_ms = (time.perf_counter() - clock) * 200
    result["pages"][name] = {"path": path, "status": status, "queries": queries, "cold": cold,
                             "cpu_ms": cpu_ms, "wall_ms": wall_ms}
print("RESULT " + json.dumps(result))
"""


@dataclass
class Measured:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def environment(args: argparse.Namespace) -> dict[str, str]:
    sqlite = args.database_url.startswith("sqlite")
    env = {
        **os.environ,
        "BUURTPLATFORM_ENV": "development" if sqlite else "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": args.database_url,
        "PLATFORM_DOMAIN": DOMAIN,
        "MAIL_BACKEND": "outbox",
        "MAIL_OUTBOX": str(Path(tempfile.gettempdir()) / "bench-outbox"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def gunicorn(directory: Path, module: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    command = [str(PYTHON), "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}"]
    command += ["--chdir", str(directory), "--log-level", "warning", module]
    return subprocess.Popen(  # noqa: S603 - our own command line
        command, env=env, start_new_session=True
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def get(
    port: int, path: str, host: str, cookie: str = "", method: str = "GET", body: str = ""
) -> tuple[int, dict[str, str], str, list[str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": host}
    if cookie:
        headers["Cookie"] = cookie
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    cookies = response.headers.get_all("Set-Cookie") or []
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, dict(response.headers), text, cookies


def wait_until_up(port: int, host: str, process: subprocess.Popen) -> None:
    for _ in range(120):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} stopped (exit {process.returncode})")
        try:
            get(port, "/", host)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn on port {port} did not answer")


def cookie_header(set_cookies: list[str], jar: dict[str, str]) -> str:
    for line in set_cookies:
        name, _, value = line.split(";", 1)[0].partition("=")
        jar[name.strip()] = value.strip()
    return "; ".join(f"{k}={v}" for k, v in jar.items() if v)


def sign_in(port: int, host: str, email: str) -> str:
    """A real sign-in, as a browser does it: the form with its CSRF token, then the POST.
    Returns the Cookie header of the signed-in session."""
    jar: dict[str, str] = {}
    status, _, page, cookies = get(port, "/inloggen", host)
    cookie = cookie_header(cookies, jar)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    body = urllib.parse.urlencode(
        {"email": email, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    )
    status, _, _, cookies = get(port, "/inloggen", host, cookie, "POST", body)
    if status != 302:
        raise SystemExit(f"signing in as {email} answered {status}, not a redirect")
    return cookie_header(cookies, jar)


def count_queries(args: argparse.Namespace, env: dict[str, str], pages: dict) -> dict:
    done = subprocess.run(  # noqa: S603 - our own command line
        [
            *(
                str(PYTHON),
                "-c",
                QUERY_COUNTER,
                args.slug,
                args.email or "",
                args.staff_email or "",
            ),
            *(PASSWORD, json.dumps(pages)),
        ],
        cwd=args.app_dir,
        env={**env, "RATELIMIT_ENABLED": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"counting queries failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(line.removeprefix("RESULT "))


def wrk(port: int, path: str, host: str, duration: int, cookie: str = "") -> Measured:
    # A 10 s timeout (wrk's own is 2 s, and leaves slower answers out of the latencies).
    command = [WRK, "-t2", "-c20", f"-d{duration}s", "--timeout", "10s", "--latency"]
    command += ["-H", f"Host: {host}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603 - our own command line
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    failed = int(errors.group(1)) if errors else 0
    if sockets := re.search(r"Socket errors: (.*)", output):  # connect, read, write, timeout
        failed += sum(int(n) for n in re.findall(r"\d+", sockets.group(1)))
    return Measured(rate, _latency(output, "50%"), _latency(output, "99%"), failed)


def _latency(output: str, percentile: str) -> float:
    value, unit = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", help="REDIS_URL of the app (default: none)")
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--pages", help=f"a comma-separated subset of: {', '.join(PAGES)}")
    parser.add_argument("--slug", default="cuijk")
    parser.add_argument("--email", help="the resident who signs in (demo password)")
    parser.add_argument("--staff-email", help="the coordinator for the figures (demo password)")
    parser.add_argument("--port", type=int, default=5071, help="the app's port")
    parser.add_argument("--bare-port", type=int, default=5171)
    args = parser.parse_args()
    args.app_dir = args.app_dir.resolve()
    names = args.pages.split(",") if args.pages else list(PAGES)
    if unknown := set(names) - set(PAGES):
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    if not list((args.app_dir / "translations").glob("*/LC_MESSAGES/messages.mo")):
        subprocess.run(  # noqa: S603 - our own command line
            [str(ROOT / ".venv/bin/pybabel"), "--quiet", "compile", "-d", "translations"],
            cwd=args.app_dir,
            check=True,
        )
    env = environment(args)
    host = f"{args.slug}.{DOMAIN}"
    counted = count_queries(args, env, {name: PAGES[name] for name in names})
    args.email, args.staff_email = counted["member"], counted["staff"]
    app = gunicorn(args.app_dir, "wsgi:app", args.port, env)
    bare = gunicorn(ROOT / "bench", "bare:app", args.bare_port, env)
    results: dict[str, Measured] = {}
    try:
        wait_until_up(args.port, host, app)
        wait_until_up(args.bare_port, "localhost", bare)
        wanted = {PAGES[name][1] for name in names}
        cookies = {None: ""}
        for who, email in (("member", args.email), ("staff", args.staff_email)):
            if who in wanted:
                cookies[who] = sign_in(args.port, host, email)
        for name in names:  # warm up: each worker's first request of each page
            path = counted["pages"][name]["path"]
            for _ in range(4):
                get(args.port, path, host, cookies[PAGES[name][1]])
        results["bare (before)"] = wrk(args.bare_port, "/", "localhost", args.duration)
        for name in names:
            path = counted["pages"][name]["path"]
            results[name] = wrk(args.port, path, host, args.duration, cookies[PAGES[name][1]])
            print(f"{LABELS[name]}: {results[name].requests_per_second:,.0f} req/s", flush=True)
        results["bare (after)"] = wrk(args.bare_port, "/", "localhost", args.duration)
    finally:
        stop(app)
        stop(bare)
    report(args, names, counted, results)


def report(args, names, counted, results) -> None:
    before, after = results["bare (before)"], results["bare (after)"]
    bare = (before.requests_per_second + after.requests_per_second) / 2
    print()
    print(
        f"app: {args.app_dir}, database: {sa_safe(args.database_url)}, "
        f"Redis: {args.redis_url or 'none'}, wrk -t2 -c20 -d{args.duration}s, "
        f"signed in as {args.email} and {args.staff_email}"
    )
    print(
        f"bare route: {before.requests_per_second:,.0f} req/s before the pages, "
        f"{after.requests_per_second:,.0f} after (mean {bare:,.0f}); "
        f"p50 {before.p50_ms:.1f} / {after.p50_ms:.1f} ms, "
        f"p99 {before.p99_ms:.1f} / {after.p99_ms:.1f} ms"
    )
    print()
    print(
        "| page | req/s | share of the bare route | p50 | p99 | SQL queries "
        "| one request: app CPU / clock |"
    )
    print("|---|---|---|---|---|---|---|")
    for name in names:
        m, c = results[name], counted["pages"][name]
        queries = (
            str(c["queries"]) if c["queries"] == c["cold"] else f"{c['queries']} ({c['cold']} cold)"
        )
        note = f" ({m.errors} errors or timeouts)" if m.errors else ""
        if c["status"] != 200:
            note += f" (status {c['status']})"
        print(
            f"| {LABELS[name]}{note} | {m.requests_per_second:,.0f} | "
            f"{m.requests_per_second / bare:.1%} | {ms(m.p50_ms)} | {ms(m.p99_ms)} | "
            f"{queries} | {ms(c['cpu_ms'])} / {ms(c['wall_ms'])} |"
        )


def ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"


def sa_safe(url: str) -> str:
    """The database URL without a password."""
    return re.sub(r"://([^:/@]+):[^@]+@", r"://\1:***@", url)


if __name__ == "__main__":
    main()
