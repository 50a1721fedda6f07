"""Links to the app's own stylesheets and scripts carry a version made from the file's content
(`/static/css/site.css?v=3f9c0a1b2c4d`). A browser or proxy may then keep a static file for a
year (deploy/nginx-app.conf serves them so), and a release that changes a file changes its
links, so nobody keeps an old stylesheet after an upgrade."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask


def init_app(app: Flask) -> None:
    folder = app.static_folder

    @app.url_defaults
    def add_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and folder and "filename" in values:
            values.setdefault("v", content_version(folder, values["filename"]))


@lru_cache(maxsize=256)
def content_version(folder: str, filename: str) -> str:
    """The start of the file's SHA-256; read once per process (a release restarts it)."""
    try:
        return hashlib.sha256((Path(folder) / filename).read_bytes()).hexdigest()[:12]
    except OSError:
        return "0"
