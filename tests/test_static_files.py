"""Static files are linked with a version from their content, so that they can be kept for a
year (deploy/nginx-app.conf) and an upgrade still reaches every browser."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from buurtplatform.static_files import content_version

STATIC = Path(__file__).resolve().parent.parent / "buurtplatform" / "static"


def test_the_stylesheet_link_carries_the_version_of_its_content(client_for):
    page = client_for("cuijk").get("/").get_data(as_text=True)

    digest = hashlib.sha256((STATIC / "css" / "site.css").read_bytes()).hexdigest()[:12]
    assert f'href="/static/css/site.css?v={digest}"' in page
    for link in re.findall(r'(?:href|src)="(/static/[^"]+)"', page):
        assert "?v=" in link, link
        assert client_for("cuijk").get(link).status_code == 200


def test_different_content_has_a_different_version(tmp_path):
    (tmp_path / "site.css").write_text("body { color: black }")
    before = content_version(str(tmp_path), "site.css")
    (tmp_path / "other.css").write_text("body { color: navy }")

    assert content_version(str(tmp_path), "other.css") != before
    assert content_version(str(tmp_path), "missing.css") == "0"
