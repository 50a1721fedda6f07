"""deploy/backup.sh for real: a PostgreSQL dump and an uploads snapshot, restored with
pg_restore into a new database that the app then serves (docs/deploy.md, 9)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from buurtplatform import create_app
from buurtplatform.accounts.models import User
from buurtplatform.extensions import db
from config import TestingConfig
from tenants.provisioning import create_seeded_tenant
from tenants.seed import LAND_VAN_CUIJK
from tests.conftest import POSTGRES_URL, _prepare_postgres
from tests.test_migrations import DEFAULT_POSTGRES_URL

BACKUP_SCRIPT = Path(__file__).resolve().parent.parent / "deploy" / "backup.sh"

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pg_dump", "pg_restore", "rsync")),
    reason="needs PostgreSQL's client tools and rsync",
)


def database_url(suffix: str) -> str:
    base = sa.make_url(POSTGRES_URL or DEFAULT_POSTGRES_URL)
    return base.set(database=f"{base.database}_{suffix}").render_as_string(hide_password=False)


def fresh_database(url: str) -> None:
    _prepare_postgres(url)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def app_on(url: str, uploads: Path):
    return create_app(TestingConfig(), {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": uploads})


def backup(settings: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - the project's own script
        [BACKUP_SCRIPT],
        env={"PATH": os.environ["PATH"], **settings},
        capture_output=True,
        text=True,
        check=True,
    )


def test_a_backup_restores_into_a_new_database_that_the_app_serves(tmp_path):
    source, restored = database_url("backup"), database_url("backup_restored")
    fresh_database(source)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    app = app_on(source, uploads)
    with app.app_context():
        db.create_all()
        for seed in LAND_VAN_CUIJK:
            create_seeded_tenant(seed)
        henk = User(email="henk@example.nl", first_name="Henk")
        henk.set_password("buurt-demo-2026")
        db.session.add(henk)
        db.session.commit()
        db.engine.dispose()
    (uploads / "3f9c0a1b2c4d5e6f708192a3b4c5d6e7.png").write_bytes(b"a logo")
    backups = tmp_path / "backups"
    settings = {"DATABASE_URL": source, "UPLOAD_FOLDER": str(uploads), "BACKUP_DIR": str(backups)}

    done = backup(settings)

    [dump] = backups.glob("db-*.dump")
    assert f"Backup done: {dump}" in done.stdout
    assert oct(dump.stat().st_mode & 0o777) == "0o600"  # personal data: only the owner reads it
    snapshot = backups / "uploads-latest" / "3f9c0a1b2c4d5e6f708192a3b4c5d6e7.png"
    assert snapshot.read_bytes() == b"a logo"

    fresh_database(restored)
    libpq = restored.replace("postgresql+psycopg://", "postgresql://")
    subprocess.run(  # noqa: S603
        ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", f"--dbname={libpq}", dump],  # noqa: S607
        check=True,
        capture_output=True,
    )
    restored_uploads = tmp_path / "restored-uploads"
    shutil.copytree(backups / "uploads-latest", restored_uploads)
    app = app_on(restored, restored_uploads)
    with app.app_context():
        assert db.session.scalar(sa.select(User.first_name)) == "Henk"
        db.engine.dispose()
    page = app.test_client().get("/", base_url="http://grave.buurt.test")
    assert page.status_code == 200
    assert "<h1>Samen Grave</h1>" in page.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_nightly_snapshots_share_unchanged_files_and_old_backups_go(tmp_path):
    source = database_url("backup")
    fresh_database(source)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "a.png").write_bytes(b"kept from night to night")
    backups = tmp_path / "backups"
    backups.mkdir()
    old_dump, recent_dump = (
        backups / "db-20261101T031500Z.dump",
        backups / "db-20261201T031500Z.dump",
    )
    old_dump.write_bytes(b"old")
    recent_dump.write_bytes(b"recent")
    now = time.time()
    os.utime(old_dump, (now - 20 * 86400, now - 20 * 86400))
    os.utime(recent_dump, (now - 3 * 86400, now - 3 * 86400))
    settings = {"DATABASE_URL": source, "UPLOAD_FOLDER": str(uploads), "BACKUP_DIR": str(backups)}

    backup(settings)
    time.sleep(1.1)  # the next night: another time stamp
    (uploads / "b.png").write_bytes(b"new today")
    (uploads / "a.png").unlink()  # a photo deleted during the day
    backup(settings)

    first, second = sorted(backups.glob("uploads-2*"))
    assert (backups / "uploads-latest").resolve() == second
    assert (first / "a.png").exists() and not (second / "a.png").exists()
    assert (second / "b.png").read_bytes() == b"new today"
    assert len(list(backups.glob("db-*.dump"))) == 3  # the recent one and tonight's two
    assert not old_dump.exists() and recent_dump.exists()


def test_snapshots_hard_link_what_did_not_change(tmp_path):
    source = database_url("backup")
    fresh_database(source)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "a.png").write_bytes(b"the same photo")
    backups = tmp_path / "backups"
    settings = {"DATABASE_URL": source, "UPLOAD_FOLDER": str(uploads), "BACKUP_DIR": str(backups)}

    backup(settings)
    time.sleep(1.1)
    backup(settings)

    first, second = sorted(backups.glob("uploads-2*"))
    assert (first / "a.png").stat().st_ino == (second / "a.png").stat().st_ino
