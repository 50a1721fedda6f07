"""Settings, security headers, theming and the `flask tenants` commands."""

from __future__ import annotations

import os
import subprocess
import sys

import sqlalchemy as sa

from buurtplatform.extensions import db
from config import ROOT
from tenants.branding import color_problem, contrast_ratio
from tenants.cli import tenants_cli
from tenants.models import Tenant, Village
from tenants.scoping import tenant_context
from tenants.seed import LAND_VAN_CUIJK
from tests.helpers import tenant_by_slug


def start_production(**settings: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env.update(BUURTPLATFORM_ENV="production", FLASK_APP="wsgi", **settings)
    return subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_without_secret_key_stops_with_one_line():
    result = start_production()
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Buurtplatform cannot start: SECRET_KEY is not set: set it to a long random value "
        "(see .env.example)."
    ]


def test_production_on_sqlite_stops_with_one_line():
    result = start_production(SECRET_KEY="long-and-random-enough-for-this-test")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Buurtplatform cannot start: DATABASE_URL is not set or names SQLite: production needs "
        "PostgreSQL (background jobs and several workers share it; see .env.example)."
    ]
    on_postgres = start_production(
        SECRET_KEY="long-and-random-enough-for-this-test",
        DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    )
    assert on_postgres.returncode == 0, on_postgres.stderr


def test_security_headers_on_every_page(client_for):
    response = client_for("cuijk").get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_theme_is_the_municipality_s_colours_as_css_custom_properties(client_for):
    css = client_for("grave").get("/thema.css")
    assert css.mimetype == "text/css"
    assert "--color-primary: #7a2048;" in css.get_data(True)
    assert "#7a2048" not in client_for("cuijk").get("/thema.css").get_data(True)


def test_seeded_colours_meet_wcag_aa_with_white_text():
    for seed in LAND_VAN_CUIJK:
        assert color_problem(seed.primary_color) is None, seed.slug
        assert color_problem(seed.accent_color) is None, seed.slug


def test_contrast_ratio_and_colour_checks():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#767676", "#ffffff"), 1) == 4.5
    assert "contrast" in color_problem("#ffdd00")
    assert "not a colour" in color_problem("geel")


def test_every_page_shows_how_to_get_help_offline(client_for):
    for seed in LAND_VAN_CUIJK:
        page = client_for(seed.slug).get("/inloggen").get_data(True)
        assert seed.help_phone in page
        assert seed.help_contact_name in page


def test_flask_tenants_create_adds_a_municipality_without_code(app, client_for):
    runner = app.test_cli_runner()
    result = runner.invoke(
        tenants_cli,
        [
            "create",
            "boxmeer",
            "Boxmeer",
            "--village",
            "Boxmeer",
            "--village",
            "Vierlingsbeek",
            "--help-phone",
            "0485 - 700 500",
            "--help-contact-name",
            "Sociom Boxmeer",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "http://boxmeer.buurt.test/" in result.output
    page = client_for("boxmeer").get("/").get_data(True)
    assert "Vierlingsbeek" in page
    assert "0485 - 700 500" in page
    listed = runner.invoke(tenants_cli, ["list"]).output
    assert "boxmeer" in listed and "cuijk" in listed
    with app.app_context(), tenant_context(tenant_by_slug("boxmeer")):
        assert {v.name for v in db.session.scalars(sa.select(Village))} == {
            "Boxmeer",
            "Vierlingsbeek",
        }


def test_flask_tenants_create_refuses_bad_definitions(app):
    runner = app.test_cli_runner()
    cases = {
        ("cuijk", "Cuijk", "--village", "X"): "exists already",
        ("Box Meer", "Boxmeer", "--village", "X"): "lowercase",
        ("boxmeer", "Boxmeer", "--village", "X", "--primary-color", "#ffdd00"): "contrast",
    }
    for arguments, message in cases.items():
        result = runner.invoke(tenants_cli, ["create", *arguments])
        assert result.exit_code != 0
        assert message in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Tenant.id))) == 4


def test_flask_tenants_grant_names_a_connector(app, make_user):
    from buurtplatform.accounts.models import Membership, Role

    henk = make_user("grave", email="henk@example.nl")
    runner = app.test_cli_runner()
    result = runner.invoke(tenants_cli, ["grant", "cuijk", "Henk@example.nl", "connector"])
    assert result.exit_code == 0, result.output
    unknown = runner.invoke(tenants_cli, ["grant", "cuijk", "niemand@example.nl", "connector"])
    assert unknown.exit_code != 0 and "no account" in unknown.output
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        member = db.session.scalar(sa.select(Membership).where(Membership.user_id == henk.id))
        assert member.role == Role.CONNECTOR


def test_demo_load_makes_a_living_platform_and_keeps_it_on_a_second_run(make_app, tmp_path):
    from buurtplatform.accounts.models import User
    from buurtplatform.demo import demo_cli
    from buurtplatform.listings.models import Listing
    from buurtplatform.matches.models import Match
    from tenants.scoping import ALL_TENANTS

    app = make_app()
    runner = app.test_cli_runner()
    first = runner.invoke(demo_cli, ["load"])
    assert first.exit_code == 0, first.output
    assert "http://cuijk.buurt.test/" in first.output
    assert "coordinator.grave@demo.buurtplatform.nl" in first.output

    def counts():
        with app.app_context():
            return [
                db.session.scalar(
                    sa.select(sa.func.count()).select_from(model).execution_options(**ALL_TENANTS)
                )
                for model in (User, Listing, Match)
            ]

    made = counts()
    assert runner.invoke(demo_cli, ["load"]).exit_code == 0
    assert counts() == made
    for slug in ("cuijk", "grave", "mill", "sint-anthonis"):
        with app.app_context(), tenant_context(tenant_by_slug(slug)):
            listings = db.session.scalars(sa.select(Listing)).all()
            assert {listing.kind for listing in listings} == {"ask", "offer"}
            assert any(listing.offline_person_id for listing in listings)
            assert any(listing.by_organisation for listing in listings)
            assert db.session.scalar(sa.select(sa.func.count(Match.id))) == 1


def test_every_feature_module_imports_on_its_own():
    """Imports point one way: any feature module can be imported first (a script or a job
    does), without meeting a half-initialised module of a cycle."""
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "buurtplatform").glob("*/*.py")
        if path.stem in ("models", "services")
    )
    program = (
        "import subprocess, sys\n"
        "failed = [m for m in sys.argv[1:] if subprocess.run("
        "[sys.executable, '-c', f'import {m}'], capture_output=True).returncode]\n"
        "print(' '.join(failed))"
    )
    result = subprocess.run(  # noqa: S603 - the test's own interpreter and modules
        [sys.executable, "-c", program, *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert result.stdout.split() == []
