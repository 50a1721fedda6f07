"""`flask doctor`: checks a deployment's settings and services and says in plain words what is
missing. For the IT supplier who installs or upgrades the platform (docs/deploy.md).

Every check prints one line: `OK`, `WARNING` (works, but not as it should in production) or
`PROBLEM` (something is broken or unsafe). The exit code is 1 when any line is a PROBLEM, so
that a deployment script can stop. It changes nothing and sends no email; it writes one small
file into the upload storage and deletes it again.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum

import click
import redis
import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext
from rq import Worker
from rq.cron import CronScheduler, get_cron_job_history_key

from buurtplatform import storage
from buurtplatform.extensions import db
from buurtplatform.mail.services import smtp_connection
from config import DEVELOPMENT_SECRET, TestingConfig
from jobs.schedule import TICK_SECONDS, tick
from tenants.models import Tenant

# Secrets that are in the source code, and so known to everyone.
PUBLIC_SECRETS = frozenset({DEVELOPMENT_SECRET, TestingConfig.SECRET_KEY})
MIN_SECRET_LENGTH = 32
TIMEOUT_SECONDS = 5


class Level(Enum):
    OK = "OK"
    WARNING = "WARNING"
    PROBLEM = "PROBLEM"


@dataclass(frozen=True)
class Finding:
    level: Level
    text: str

    def __str__(self) -> str:
        return f"{self.level.value:<8} {self.text}"


def ok(text: str) -> Finding:
    return Finding(Level.OK, text)


def warning(text: str) -> Finding:
    return Finding(Level.WARNING, text)


def problem(text: str) -> Finding:
    return Finding(Level.PROBLEM, text)


def _production() -> bool:
    return current_app.config["ENV_NAME"] == "production"


def _not_for_production(text: str) -> Finding:
    """A problem in production; elsewhere (development, tests) only a warning."""
    return problem(text) if _production() else warning(text)


def check_secret() -> Iterator[Finding]:
    secret = current_app.config.get("SECRET_KEY")
    if not secret:
        yield problem("SECRET_KEY is not set: set it to a long random value (see .env.example).")
    elif secret in PUBLIC_SECRETS:
        yield _not_for_production(
            "SECRET_KEY is the development secret from the source code: anyone could sign "
            "in as anyone. Set a long random value of your own."
        )
    elif len(secret) < MIN_SECRET_LENGTH:
        yield problem(
            f"SECRET_KEY is {len(secret)} characters long: use at least {MIN_SECRET_LENGTH} "
            'random ones (python3 -c "import secrets; print(secrets.token_urlsafe(48))").'
        )
    else:
        yield ok("SECRET_KEY is set, long and not a known one.")


def check_database() -> Iterator[Finding]:
    url = db.engine.url
    shown = url.render_as_string(hide_password=True)
    try:
        with db.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
    except sa.exc.SQLAlchemyError as error:
        yield problem(f"The database {shown} cannot be reached: {_first_line(error)}")
        return
    if url.get_backend_name() == "postgresql":
        yield ok(f"The database answers: PostgreSQL at {shown}.")
    else:
        yield _not_for_production(
            f"The database is {url.get_backend_name()} ({shown}): production needs PostgreSQL."
        )
    config = current_app.extensions["migrate"].migrate.get_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    if current == heads:
        yield ok(f"The database is migrated to the newest version ({', '.join(sorted(heads))}).")
    else:
        have = ", ".join(sorted(current)) or "no version (an empty database)"
        yield problem(
            f"The database is at {have}, the code needs {', '.join(sorted(heads))}: "
            "run `flask --app wsgi db upgrade`."
        )


def check_redis() -> Iterator[Finding]:
    url = current_app.config.get("REDIS_URL")
    if not url:
        yield _not_for_production(
            "REDIS_URL is not set: background jobs (emails, reminders) run inside web "
            "requests and each process counts rate limits on its own. Fine on a laptop, "
            "not for production."
        )
        return
    connection = redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    shown = _redis_address(connection)
    try:
        connection.ping()
    except redis.RedisError as error:
        yield problem(f"Redis at {shown} does not answer: {_first_line(error)}")
        return
    yield ok(f"Redis at {shown} answers.")
    workers = Worker.all(connection=connection)
    if workers:
        yield ok(f"{len(workers)} RQ worker(s) running, e.g. {workers[0].name}.")
    else:
        yield warning(
            "No RQ worker is running: emails and jobs wait in the queue until one starts "
            "(systemctl start buurtplatform-worker@1)."
        )
    schedulers = CronScheduler.all(connection)
    gap = _seconds_between_last_ticks(connection)
    if gap is not None and gap < TICK_SECONDS / 2:
        # Flask-RQ names every scheduler after the app, so two look like one in Redis; but
        # the ticks they enqueue come closer together than one scheduler's interval.
        yield warning(
            f"The last two ticks were enqueued {gap:.0f} s apart instead of every "
            f"{TICK_SECONDS} s: two schedulers seem to run. Run exactly one "
            "(nothing is sent twice, but the work is done twice)."
        )
    elif len(schedulers) == 1:
        yield ok("The scheduler is running (exactly one).")
    elif not schedulers:
        yield warning(
            "No scheduler is running: no digests, reminders or sweeps happen until one "
            "starts (systemctl start buurtplatform-scheduler)."
        )
    else:
        yield warning(
            f"{len(schedulers)} schedulers are running: run exactly one "
            "(nothing is sent twice, but the work is done twice)."
        )


def check_mail() -> Iterator[Finding]:
    config = current_app.config
    if config["MAIL_BACKEND"] == "outbox":
        yield _not_for_production(
            f"MAIL_BACKEND=outbox: emails are written to {config['MAIL_OUTBOX']} and nobody "
            "gets them. Set MAIL_BACKEND=smtp and MAIL_SERVER."
        )
        return
    server = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    security = config["MAIL_SECURITY"]
    try:
        with smtp_connection() as smtp:
            smtp.noop()
    except ssl.SSLCertVerificationError as error:
        yield problem(
            f"The mail server {server} has a certificate this machine does not trust "
            f"({error.verify_message}). Use the server's real name in MAIL_SERVER, or set "
            "MAIL_CA_FILE to the certificate of an internal relay."
        )
        return
    except smtplib.SMTPNotSupportedError:
        yield problem(
            f"The mail server {server} does not offer STARTTLS: emails would travel "
            "unencrypted. Ask for STARTTLS, or use port 465 with MAIL_SECURITY=tls."
        )
        return
    except smtplib.SMTPAuthenticationError:
        yield problem(
            f"The mail server {server} refused the login of {config['MAIL_USERNAME']}: "
            "check MAIL_USERNAME and MAIL_PASSWORD."
        )
        return
    except (OSError, smtplib.SMTPException, ValueError) as error:
        yield problem(f"The mail server {server} cannot be reached: {_first_line(error)}")
        return
    login = f", logged in as {config['MAIL_USERNAME']}" if config["MAIL_USERNAME"] else ""
    if security == "none":
        yield warning(
            f"The mail server {server} answers without encryption (MAIL_SECURITY=none){login}: "
            "only right for a relay on this machine or a private network."
        )
    else:
        yield ok(f"The mail server {server} answers with {security}, certificate verified{login}.")


def check_domain() -> Iterator[Finding]:
    config = current_app.config
    domain = config["PLATFORM_DOMAIN"]
    host = domain.split(":")[0]
    if host == "localhost" or host.endswith(".localhost") or "." not in host:
        yield _not_for_production(
            f"PLATFORM_DOMAIN={domain}: set the real domain whose subdomains are the "
            "municipalities (e.g. buurtplatform.nl), or the links in emails lead nowhere."
        )
    else:
        yield ok(f"PLATFORM_DOMAIN is {domain}: the portal is there, municipalities below it.")
    scheme = config["PREFERRED_URL_SCHEME"]
    if scheme == "https":
        yield ok("Links in emails start with https.")
    else:
        yield _not_for_production(
            f"PREFERRED_URL_SCHEME={scheme}: links in emails must use https in production."
        )


def check_proxies() -> Iterator[Finding]:
    count = current_app.config["PROXY_COUNT"]
    explain = (
        "It must be the number of proxies in front of the app that set X-Forwarded-For, "
        "-Proto and -Host: 1 for one nginx or load balancer, 2 for a load balancer in front "
        "of nginx."
    )
    if count == 0:
        yield _not_for_production(
            "PROXY_COUNT=0: the app trusts no proxy, so behind nginx every visitor seems to "
            f"come from the proxy's address and shares one sign-in limit. {explain}"
        )
    elif count > 2:
        yield warning(
            f"PROXY_COUNT={count}: more proxies than usual. {explain} Too many, and a "
            "visitor's own headers choose the municipality and the address limits count."
        )
    else:
        yield ok(f"PROXY_COUNT={count}. {explain}")


def check_uploads() -> Iterator[Finding]:
    where = storage.location()
    try:
        storage.check()
    except storage.StorageError as error:
        yield problem(f"Uploads cannot be kept in {where}: {error}")
        return
    yield ok(f"Uploads are kept in {where}: a test file was written, read and deleted.")


def check_municipalities() -> Iterator[Finding]:
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    try:
        tenants = db.session.scalars(
            sa.select(Tenant).where(Tenant.is_active.is_(True)).order_by(Tenant.slug)
        ).all()
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        yield problem("The municipalities cannot be read: put the database right first.")
        return
    if not tenants:
        yield warning(
            "No municipality is switched on yet: add one on the portal's Platformbeheer or "
            "with `flask --app wsgi tenants create`."
        )
    for tenant in tenants:
        others = sorted(d.host for d in tenant.domains if d.host != tenant.canonical_host)
        aliases = f" (also {', '.join(others)}: these redirect)" if others else ""
        yield ok(f"{tenant.name}: {scheme}://{tenant.canonical_host}/{aliases}")


CHECKS: tuple[Callable[[], Iterator[Finding]], ...] = (
    check_secret,
    check_database,
    check_redis,
    check_mail,
    check_domain,
    check_proxies,
    check_uploads,
    check_municipalities,
)


def examine() -> list[Finding]:
    """Every check's findings, in order. A check that fails unexpectedly is a problem too."""
    findings: list[Finding] = []
    for check in CHECKS:
        try:
            findings.extend(check())
        except Exception as error:  # the doctor reports; it does not stop half-way
            findings.append(problem(f"{check.__name__} could not finish: {_first_line(error)}"))
    return findings


@click.command("doctor")
@with_appcontext
def doctor_command() -> None:
    """Check this deployment's settings and services, and say what is missing."""
    click.echo(f"Buurtplatform doctor ({current_app.config['ENV_NAME']} settings)")
    findings = examine()
    for finding in findings:
        click.echo(str(finding))
    problems = sum(finding.level is Level.PROBLEM for finding in findings)
    warnings = sum(finding.level is Level.WARNING for finding in findings)
    if problems:
        click.echo(f"{problems} problem(s), {warnings} warning(s): fix the problems first.")
        raise SystemExit(1)
    click.echo(f"No problems, {warnings} warning(s).")


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def _seconds_between_last_ticks(connection: redis.Redis) -> float | None:
    """How far apart the scheduler enqueued its last two ticks, when both are recent."""
    key = get_cron_job_history_key(f"{tick.func.__module__}.{tick.func.__name__}")
    times = [score for _, score in connection.zrange(key, -2, -1, withscores=True)]
    if len(times) < 2 or time.time() - times[-1] > 2 * TICK_SECONDS:
        return None
    return times[-1] - times[-2]


def _redis_address(connection: redis.Redis) -> str:
    kwargs = connection.connection_pool.connection_kwargs
    if "path" in kwargs:
        return str(kwargs["path"])
    return f"{kwargs.get('host')}:{kwargs.get('port')}/{kwargs.get('db', 0)}"
