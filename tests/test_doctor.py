"""`flask doctor` against real services: a PostgreSQL database migrated to the newest version,
the tests' Redis, and the test SMTP server. A healthy deployment is all OK; each broken setting
gives its plain message and exit code 1."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from click.testing import Result
from flask import Flask, current_app
from flask_migrate import stamp
from rq import Worker
from rq.cron import CronScheduler

from buurtplatform import create_app
from buurtplatform.extensions import db, rq
from config import ProductionConfig, TestingConfig
from tenants.models import TenantDomain
from tenants.provisioning import create_seeded_tenant
from tenants.seed import LAND_VAN_CUIJK
from tests.conftest import POSTGRES_URL, REDIS_URL, _prepare_postgres
from tests.helpers import tenant_by_slug
from tests.smtp_server import LOGIN
from tests.test_migrations import DEFAULT_POSTGRES_URL

pytestmark = pytest.mark.usefixtures("clean_redis")


def doctor_database_url() -> str:
    """A database of its own beside the tests' one (its name + "_doctor"), marked as migrated
    to the newest version: the tests' own databases carry no version."""
    base = sa.make_url(POSTGRES_URL or DEFAULT_POSTGRES_URL)
    return base.set(database=f"{base.database}_doctor").render_as_string(hide_password=False)


class DeployedConfig(ProductionConfig):
    """Production settings as an IT supplier would set them."""

    SECRET_KEY = secrets.token_urlsafe(48)
    SQLALCHEMY_DATABASE_URI = doctor_database_url()


@pytest.fixture(scope="module")
def migrated_database() -> str:
    url = doctor_database_url()
    _prepare_postgres(url)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    app = create_app(TestingConfig(), {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        # The tables from the models (which may be ahead of the migrations while a change is
        # being made), marked with the newest migration, as `flask db upgrade` leaves them.
        db.create_all()
        stamp()
        for seed in LAND_VAN_CUIJK:
            create_seeded_tenant(seed)
        db.session.flush()
        cuijk = tenant_by_slug("cuijk")
        db.session.add(TenantDomain(tenant_id=cuijk.id, host="samencuijk.nl", is_canonical=True))
        db.session.add(TenantDomain(tenant_id=cuijk.id, host="www.samencuijk.nl"))
        db.session.commit()
        db.engine.dispose()
    return url


@pytest.fixture
def deployment(
    migrated_database: str, tmp_path: Path, smtp_server: Callable
) -> Iterator[Callable[..., Flask]]:
    """An app with healthy production settings; keyword arguments break some of them."""
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    mail = smtp_server("starttls").settings
    made: list[Flask] = []

    def make(**overrides: object) -> Flask:
        settings = {
            "SQLALCHEMY_DATABASE_URI": migrated_database,
            "REDIS_URL": REDIS_URL,
            "PLATFORM_DOMAIN": "buurtplatform.nl",
            "PREFERRED_URL_SCHEME": "https",
            "PROXY_COUNT": 1,
            "UPLOAD_FOLDER": uploads,
            **mail,
            **overrides,
        }
        app = create_app(DeployedConfig(), settings)
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def running_worker_and_scheduler(clean_redis: None) -> None:
    """A worker and the scheduler as they announce themselves in Redis when they start."""
    connection = redis.Redis.from_url(REDIS_URL)
    Worker(["default"], connection=connection).register_birth()
    CronScheduler(connection=connection).register_birth()


def doctor(app: Flask) -> Result:
    return app.test_cli_runner().invoke(args=["doctor"])


def lines(result: Result, level: str) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith(level)]


@pytest.mark.usefixtures("running_worker_and_scheduler")
def test_a_healthy_deployment_is_all_ok_and_sends_no_email(deployment, smtp_server, tmp_path):
    server = smtp_server("starttls")
    result = doctor(deployment(**server.settings))

    assert result.exit_code == 0, result.output
    assert lines(result, "PROBLEM") == [] and lines(result, "WARNING") == []
    output = result.output
    assert "OK       SECRET_KEY is set, long and not a known one." in output
    assert "OK       The database answers: PostgreSQL at postgresql+psycopg://" in output
    assert "migrated to the newest version (" in output
    assert f"Redis at {REDIS_URL.removeprefix('redis://')} answers." in output
    assert "1 RQ worker(s) running" in output
    assert "The scheduler is running (exactly one)." in output
    assert "answers with starttls, certificate verified, logged in as buurtplatform" in output
    assert "PLATFORM_DOMAIN is buurtplatform.nl" in output
    assert "OK       PROXY_COUNT=1." in output
    assert "a test file was written, read and deleted" in output
    assert "Cuijk: https://samencuijk.nl/ (also www.samencuijk.nl: these redirect)" in output
    assert "Grave: https://grave.buurtplatform.nl/" in output
    assert output.rstrip().endswith("No problems, 0 warning(s).")
    assert server.recorder.logins == [LOGIN]
    assert server.recorder.attempts == []
    assert list((tmp_path / "uploads").iterdir()) == []  # the test file is gone again


def test_without_worker_and_scheduler_it_warns_but_passes(deployment):
    result = doctor(deployment())

    assert result.exit_code == 0, result.output
    assert lines(result, "WARNING") == [
        "WARNING  No RQ worker is running: emails and jobs wait in the queue until one starts"
        " (systemctl start buurtplatform-worker@1).",
        "WARNING  No scheduler is running: no digests, reminders or sweeps happen until one"
        " starts (systemctl start buurtplatform-scheduler).",
    ]
    assert result.output.rstrip().endswith("No problems, 2 warning(s).")


def test_a_wrong_redis_port_is_a_problem(deployment):
    result = doctor(deployment(REDIS_URL="redis://127.0.0.1:1/13"))

    assert result.exit_code == 1
    assert lines(result, "PROBLEM")[0].startswith(
        "PROBLEM  Redis at 127.0.0.1:1/13 does not answer: "
    )
    assert "fix the problems first" in result.output


def test_without_redis_production_is_a_problem(deployment):
    result = doctor(deployment(REDIS_URL=None))

    assert result.exit_code == 1
    assert lines(result, "PROBLEM") == [
        "PROBLEM  REDIS_URL is not set: background jobs (emails, reminders) run inside web"
        " requests and each process counts rate limits on its own. Fine on a laptop, not for"
        " production."
    ]


def test_a_database_behind_the_code_says_to_upgrade(deployment):
    app = deployment()
    with app.app_context():
        config = current_app.extensions["migrate"].migrate.get_config()
        script = ScriptDirectory.from_config(config)
        head = script.get_current_head()
        previous = script.get_revision(head).down_revision
        set_version = sa.text("UPDATE alembic_version SET version_num = :version")
        with db.engine.begin() as connection:
            connection.execute(set_version, {"version": previous})
        try:
            result = doctor(app)
        finally:
            with db.engine.begin() as connection:
                connection.execute(set_version, {"version": head})

    assert result.exit_code == 1
    assert lines(result, "PROBLEM") == [
        f"PROBLEM  The database is at {previous}, the code needs {head}: run"
        " `flask --app wsgi db upgrade`."
    ]


def test_an_unreachable_database_is_a_problem(deployment):
    url = sa.make_url(doctor_database_url()).set(port=1)
    result = doctor(deployment(SQLALCHEMY_DATABASE_URI=url.render_as_string(False)))

    assert result.exit_code == 1
    assert lines(result, "PROBLEM")[0].startswith(
        "PROBLEM  The database postgresql+psycopg://postgres@127.0.0.1:1/"
    )
    assert "cannot be reached" in lines(result, "PROBLEM")[0]


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        (None, "SECRET_KEY is not set: set it to a long random value (see .env.example)."),
        (
            "development-only-secret",
            "SECRET_KEY is the development secret from the source code: anyone could sign in"
            " as anyone. Set a long random value of your own.",
        ),
        ("geheim", "SECRET_KEY is 6 characters long: use at least 32 random ones"),
    ],
)
def test_a_missing_known_or_short_secret_is_a_problem(deployment, secret, message):
    result = doctor(deployment(SECRET_KEY=secret))

    assert result.exit_code == 1
    assert lines(result, "PROBLEM")[0].startswith(f"PROBLEM  {message}")


@pytest.mark.parametrize(
    ("server_security", "trusted", "settings", "message"),
    [
        ("none", True, {"MAIL_SECURITY": "starttls"}, "does not offer STARTTLS"),
        ("starttls", False, {}, "has a certificate this machine does not trust"),
        ("starttls", True, {"MAIL_PASSWORD": "fout"}, "refused the login of buurtplatform"),
    ],
)
def test_mail_that_is_unsafe_or_refused_is_a_problem(
    deployment, smtp_server, server_security, trusted, settings, message
):
    server = smtp_server(server_security, trusted=trusted)
    result = doctor(deployment(**{**server.settings, **settings}))

    assert result.exit_code == 1
    [line] = lines(result, "PROBLEM")
    assert line.startswith(f"PROBLEM  The mail server 127.0.0.1:{server.settings['MAIL_PORT']}")
    assert message in line
    assert server.recorder.attempts == []


def test_mail_without_encryption_is_only_a_warning(deployment, smtp_server):
    server = smtp_server("none")
    result = doctor(deployment(**server.settings))

    assert "answers without encryption (MAIL_SECURITY=none), logged in as buurtplatform" in (
        result.output
    )
    assert lines(result, "PROBLEM") == []


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write in, root included (who ignores file permissions)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)  # noqa: S603, S607
        yield folder
        subprocess.run(["chattr", "-i", str(folder)], check=True)  # noqa: S603, S607
    else:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)


def test_an_unwritable_upload_folder_is_a_problem(deployment, read_only_folder):
    result = doctor(deployment(UPLOAD_FOLDER=read_only_folder))

    assert result.exit_code == 1
    [line] = lines(result, "PROBLEM")
    assert line.startswith(
        f"PROBLEM  Uploads cannot be kept in {read_only_folder}: a file cannot be written there ("
    )


def test_a_missing_upload_folder_is_a_problem_and_is_not_made(deployment, tmp_path):
    missing = tmp_path / "not-mounted"
    result = doctor(deployment(UPLOAD_FOLDER=missing))

    assert result.exit_code == 1
    assert lines(result, "PROBLEM") == [
        f"PROBLEM  Uploads cannot be kept in {missing}: the folder does not exist (is the shared"
        " volume mounted?)"
    ]
    assert not missing.exists()


def test_development_defaults_are_problems_in_production(deployment, tmp_path):
    result = doctor(
        deployment(
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.sqlite'}",
            PLATFORM_DOMAIN="localhost:5000",
            PREFERRED_URL_SCHEME="http",
            PROXY_COUNT=0,
            MAIL_BACKEND="outbox",
        )
    )

    assert result.exit_code == 1
    problems = "\n".join(lines(result, "PROBLEM"))
    assert "The database is sqlite (sqlite:///" in problems
    assert "production needs PostgreSQL" in problems
    assert "MAIL_BACKEND=outbox: emails are written to" in problems
    assert "PLATFORM_DOMAIN=localhost:5000: set the real domain" in problems
    assert "PREFERRED_URL_SCHEME=http: links in emails must use https" in problems
    assert "PROXY_COUNT=0: the app trusts no proxy" in problems


def test_in_development_the_same_defaults_are_only_warnings(tmp_path):
    app = create_app(
        TestingConfig(),
        {
            "ENV_NAME": "development",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'dev.sqlite'}",
            "UPLOAD_FOLDER": tmp_path,
        },
    )
    with app.app_context():
        db.create_all()
        stamp()
        db.engine.dispose()
    result = doctor(app)

    assert result.exit_code == 0, result.output
    assert lines(result, "PROBLEM") == []
    assert "WARNING  REDIS_URL is not set" in result.output


def test_flask_doctor_from_the_command_line_with_settings_from_the_environment(
    migrated_database, tmp_path, smtp_server
):
    """As the IT supplier runs it: `flask --app wsgi doctor`, settings from an env file."""
    mail = smtp_server("starttls").settings
    (tmp_path / "uploads").mkdir()
    settings = {
        "BUURTPLATFORM_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": migrated_database,
        "REDIS_URL": REDIS_URL,
        "PLATFORM_DOMAIN": "buurtplatform.nl",
        "PROXY_COUNT": "1",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        **{name: str(value) for name, value in mail.items()},
    }
    result = subprocess.run(  # noqa: S603 - the venv's own flask
        [Path(sys.executable).with_name("flask"), "--app", "wsgi", "doctor"],
        env={"PATH": os.environ["PATH"], **settings},
        capture_output=True,
        text=True,
        check=False,
    )

    # The secret from the environment is the deployment's own, not development's.
    assert "OK       SECRET_KEY is set, long and not a known one." in result.stdout
    assert "OK       Grave: https://grave.buurtplatform.nl/" in result.stdout
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.usefixtures("clean_redis")
def test_a_second_scheduler_is_noticed_by_its_ticks(deployment):
    """Flask-RQ names every scheduler after the app, so Redis lists two as one; their ticks,
    enqueued moments apart instead of every five minutes, give them away."""
    app = deployment()
    with app.app_context():
        for _ in range(2):  # two `flask rq cron` started one after the other
            scheduler = rq.make_cron_scheduler()
            scheduler.register_birth()
            scheduler.enqueue_jobs()
    result = doctor(app)

    assert "two schedulers seem to run. Run exactly one" in result.output
    assert "The scheduler is running (exactly one)." not in result.output
    assert result.exit_code == 0


def test_an_empty_database_says_to_migrate_first(deployment, tmp_path):
    result = doctor(deployment(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.sqlite'}"))

    assert result.exit_code == 1
    assert (
        "PROBLEM  The database is at no version (an empty database), the code needs"
        in result.output
    )
    assert "run `flask --app wsgi db upgrade`." in result.output
    assert (
        "PROBLEM  The municipalities cannot be read: put the database right first." in result.output
    )
