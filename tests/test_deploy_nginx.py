"""deploy/nginx.conf and deploy/nginx-app.conf for real: Debian's nginx, run by the test with
these two files (only ports, paths and certificates changed), in front of the app with
PROXY_COUNT=1, as docs/deploy.md describes it."""

from __future__ import annotations

import getpass
import gzip
import http.client
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme
from werkzeug.serving import make_server

from tenants.cli import tenants_cli
from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = pytest.mark.skipif(NGINX is None, reason="needs nginx (Debian's nginx package)")


@dataclass
class Proxy:
    http_port: int
    https_port: int
    ca_file: Path

    def get(self, host: str, path: str = "/", headers: dict | None = None):
        """A request over TLS to `host` (by name, for SNI and the certificate) at 127.0.0.1."""
        context = ssl.create_default_context(cafile=str(self.ca_file))
        raw = socket.create_connection(("127.0.0.1", self.https_port), timeout=10)
        connection = http.client.HTTPSConnection(host, self.https_port, context=context)
        connection.sock = context.wrap_socket(raw, server_hostname=host)
        connection.request("GET", path, headers={"Accept-Encoding": "gzip", **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)  # nginx compressed it, as for a browser
        response.body = body
        connection.close()
        return response

    def get_plain(self, host: str, path: str):
        connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        response.read()
        return response


def trial_config(folder: Path, app_port: int, http_port: int, https_port: int) -> Path:
    """The two deploy files with this test's ports, paths and certificates."""
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)  # IPv4 only
    replacements = {
        "listen 80 ": f"listen {http_port} ",
        "listen 443 ": f"listen {https_port} ",
        "/etc/letsencrypt/live/example.nl/": f"{folder}/wildcard/",
        "/etc/letsencrypt/live/custom-domains/": f"{folder}/custom/",
        "/etc/nginx/snippets/buurtplatform-app.conf": f"{folder}/app.conf",
        "/var/www/letsencrypt": f"{folder}/acme",
        "127.0.0.1:8000": f"127.0.0.1:{app_port}",
    }
    for old, new in replacements.items():
        assert old in site, old
        site = site.replace(old, new)
    app_conf = (ROOT / "deploy" / "nginx-app.conf").read_text()
    app_conf = app_conf.replace("/srv/buurtplatform/", f"{ROOT}/")
    (folder / "app.conf").write_text(app_conf)
    (folder / "site.conf").write_text(site)
    for name in ("logs", "tmp"):
        (folder / name).mkdir()
    main = folder / "nginx.conf"
    main.write_text(
        # The workers run as whoever runs the tests, so that they may read the checkout's
        # static files wherever it is (a CI clone in a private temporary folder).
        f"""user {getpass.getuser()};
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/logs/access.log;
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    include {folder}/site.conf;
}}
"""
    )
    return main


def write_certificate(authority: trustme.CA, folder: Path, *hosts: str) -> None:
    folder.mkdir()
    certificate = authority.issue_cert(*hosts)
    certificate.private_key_pem.write_to_path(str(folder / "privkey.pem"))
    (folder / "fullchain.pem").write_bytes(b"".join(p.bytes() for p in certificate.cert_chain_pems))


def wait_for_port(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


@pytest.fixture
def proxy(make_app, tmp_path: Path) -> Iterator[Proxy]:
    app = make_app(PLATFORM_DOMAIN="example.nl", PREFERRED_URL_SCHEME="https", PROXY_COUNT=1)
    runner = app.test_cli_runner()
    runner.invoke(tenants_cli, ["add-domain", "cuijk", "samencuijk.nl", "--canonical"])
    runner.invoke(tenants_cli, ["add-domain", "cuijk", "www.samencuijk.nl"])
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    server = make_server("127.0.0.1", app_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    folder = tmp_path / "nginx"
    folder.mkdir()
    authority = trustme.CA()
    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    write_certificate(authority, folder / "wildcard", "example.nl", "*.example.nl")
    write_certificate(authority, folder / "custom", "samencuijk.nl", "www.samencuijk.nl")
    main = trial_config(folder, app_port, http_port, https_port)
    checked = subprocess.run(  # noqa: S603 - Debian's nginx
        [NGINX, "-t", "-p", str(folder), "-c", str(main)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen(  # noqa: S603
        [NGINX, "-p", str(folder), "-c", str(main), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(https_port)
        yield Proxy(http_port, https_port, tmp_path / "ca.pem")
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        server.shutdown()
        thread.join(timeout=5)


def test_the_municipalities_and_the_portal_answer_behind_nginx(proxy):
    grave = proxy.get("grave.example.nl")
    assert grave.status == 200
    page = grave.body.decode()
    assert "<h1>Samen Grave</h1>" in page
    portal = proxy.get("example.nl")
    assert portal.status == 200
    assert "https://grave.example.nl/" in portal.body.decode()


def test_static_files_come_from_nginx_kept_for_a_year(proxy):
    page = proxy.get("grave.example.nl").body.decode()
    [stylesheet] = re.findall(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', page)

    css = proxy.get("grave.example.nl", stylesheet)

    assert css.status == 200
    assert css.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert css.getheader("Content-Encoding") == "gzip"
    assert css.getheader("Content-Type") == "text/css"


def test_custom_domains_serve_and_aliases_redirect_with_https(proxy):
    cuijk = proxy.get("samencuijk.nl")
    assert cuijk.status == 200
    assert "<h1>Samen Cuijk</h1>" in cuijk.body.decode()
    alias = proxy.get("www.samencuijk.nl", "/prikbord")
    assert alias.status == 301
    assert alias.getheader("Location") == "https://samencuijk.nl/prikbord"
    subdomain = proxy.get("cuijk.example.nl", "/agenda")
    assert subdomain.getheader("Location") == "https://samencuijk.nl/agenda"


def test_plain_http_redirects_and_unknown_hosts_get_no_certificate(proxy):
    plain = proxy.get_plain("grave.example.nl", "/agenda")
    assert plain.status == 301
    assert plain.getheader("Location") == "https://grave.example.nl/agenda"
    with pytest.raises(ssl.SSLError):
        proxy.get("evil.test")


def test_the_app_trusts_nginx_and_not_the_visitors_own_headers(proxy):
    """PROXY_COUNT=1: nginx's X-Forwarded-Host wins over one a visitor sends along."""
    page = proxy.get("grave.example.nl", headers={"X-Forwarded-Host": "cuijk.example.nl"})

    assert "<h1>Samen Grave</h1>" in page.body.decode()


def test_requests_above_eight_megabytes_are_stopped_by_nginx(proxy):
    context = ssl.create_default_context(cafile=str(proxy.ca_file))
    raw = socket.create_connection(("127.0.0.1", proxy.https_port), timeout=10)
    connection = http.client.HTTPSConnection("grave.example.nl", proxy.https_port, context=context)
    connection.sock = context.wrap_socket(raw, server_hostname="grave.example.nl")
    # Only the announcement: nginx answers before a single byte of the body is sent.
    connection.putrequest("POST", "/inloggen")
    connection.putheader("Content-Length", str(8 * 1024 * 1024 + 1))
    connection.endheaders()
    assert connection.getresponse().status == 413
