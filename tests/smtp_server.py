"""A real SMTP server for the tests (aiosmtpd in a thread): plain, STARTTLS or implicit TLS,
with a certificate from a test authority (trustme), a login, a delay and refusals on demand."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

LOGIN, PASSWORD = "buurtplatform", "smtp-geheim"


@dataclass
class Recorder:
    """The aiosmtpd handler: keeps what it accepted and every attempt it saw."""

    delay: float = 0.0
    refuse_first: int = 0
    accepted: list[EmailMessage] = field(default_factory=list)
    attempts: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    receiving: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.receiving.set()
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.attempts.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refuse_first > 0:
            self.refuse_first -= 1
            return "451 4.3.0 Try again later"
        self.accepted.append(message)
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = auth_data.login == LOGIN.encode() and auth_data.password == PASSWORD.encode()
        if ok:
            self.logins.append(auth_data.login.decode())
        # handled=False: aiosmtpd itself answers a wrong password with 535 (else it stays silent).
        return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SMTPServer:
    recorder: Recorder
    settings: dict[str, object]


def start_smtp_servers(tmp_path: Path) -> Iterator:
    """Yields `start(security, hosts=…, **recorder)`: a running server and the app settings
    that reach it. The test authority's certificate is trusted only with `trusted=True`."""
    authority = trustme.CA()
    ca_file = tmp_path / "test-ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    controllers: list[Controller] = []

    def start(
        security: str = "none",
        *,
        hosts: tuple[str, ...] = ("localhost", "127.0.0.1"),
        trusted: bool = True,
        **recorder_options: object,
    ) -> SMTPServer:
        recorder = Recorder(**recorder_options)
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert(*hosts).configure_cert(server_context)
        port = free_port()
        options: dict[str, object] = {"authenticator": recorder.authenticate}
        if security == "starttls":
            options.update(tls_context=server_context, require_starttls=True)
        elif security == "tls":
            # aiosmtpd does not count implicit TLS as TLS for AUTH; the connection is.
            options.update(ssl_context=server_context, auth_require_tls=False)
        else:
            options.update(auth_require_tls=False)
        controller = Controller(recorder, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        settings = {
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_SECURITY": security,
            "MAIL_CA_FILE": str(ca_file) if trusted else None,
            "MAIL_USERNAME": LOGIN,
            "MAIL_PASSWORD": PASSWORD,
        }
        return SMTPServer(recorder, settings)

    yield start
    for controller in controllers:
        controller.stop()
