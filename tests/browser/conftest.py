"""Browser fixtures: the app served on a real port with its own database, Chromium driven by
Playwright, and axe-core on every page.

Chromium resolves `*.localhost` to 127.0.0.1 by itself, so each municipality lives on
http://<slug>.localhost:<port>/ and the portal on http://localhost:<port>/.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from werkzeug.serving import make_server

from buurtplatform import create_app
from buurtplatform.extensions import db
from buurtplatform.mail.services import OutboxMessage, read_outbox
from config import TestingConfig
from tenants.provisioning import create_seeded_tenant
from tenants.seed import LAND_VAN_CUIJK

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """The app served over HTTP in a background thread."""

    def __init__(self, app: Flask, port: int) -> None:
        self.app = app
        self.port = port
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    @property
    def portal_url(self) -> str:
        return f"http://localhost:{self.port}/"

    def url(self, slug: str | None, path: str = "/") -> str:
        """An address on a municipality's host, or on the portal when `slug` is None."""
        host = f"{slug}.localhost" if slug else "localhost"
        return f"http://{host}:{self.port}{path}"

    def outbox(self) -> list[OutboxMessage]:
        """The emails in the outbox, newest first."""
        with self.app.app_context():
            return read_outbox()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder: Path = tmp_path_factory.mktemp("browser")
    port = _free_port()
    app = create_app(
        TestingConfig(),
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'browser.sqlite'}",
            "MAIL_OUTBOX": folder / "outbox",
            "UPLOAD_FOLDER": folder / "uploads",
            "PLATFORM_DOMAIN": f"localhost:{port}",
            # A real browser submits real forms, so CSRF protection stays on.
            "WTF_CSRF_ENABLED": True,
        },
    )
    with app.app_context():
        db.create_all()
        for seed in LAND_VAN_CUIJK:
            create_seeded_tenant(seed)
        db.session.commit()
    server = LiveServer(app, port)
    server.start()
    yield server
    server.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile per test: no cookies carried over."""
    made = browser.new_context(locale="nl-NL")
    made.set_default_timeout(10_000)
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def _describe(violation: dict) -> str:
    targets = "; ".join(", ".join(map(str, node["target"])) for node in violation["nodes"])
    return (
        f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
        f"    {violation['helpUrl']}\n"
        f"    on: {targets}"
    )


# axe only flags a reference to a missing id as "needs review"; these are plain mistakes.
_BROKEN_ID_REFERENCES = """
() => [...document.querySelectorAll("[aria-describedby], [aria-labelledby]")].flatMap(el =>
    ["aria-describedby", "aria-labelledby"].flatMap(name =>
        (el.getAttribute(name) || "").split(/\\s+/).filter(id => id && !document.getElementById(id))
            .map(id => `${el.tagName.toLowerCase()}#${el.id}[${name}] -> missing id "${id}"`)))
"""


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now, and check that every aria-describedby and
    aria-labelledby points at an element; fail with a readable list of what is wrong."""
    results = Axe().run(page)
    problems = [_describe(v) for v in results.response["violations"]]
    problems += [f"- broken reference: {ref}" for ref in page.evaluate(_BROKEN_ID_REFERENCES)]
    if problems:
        listing = "\n".join(problems)
        pytest.fail(
            f"{len(problems)} accessibility violation(s) on {page.url}:\n{listing}",
            pytrace=False,
        )
