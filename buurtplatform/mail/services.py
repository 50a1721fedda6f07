"""Composing and delivering email.

`queue_email` renders a message in the recipient's language and records it in the current
transaction; once that transaction commits, its emails are handed to the job queue (see
`jobs.mail`). A worker claims an email before it sends it, so that two workers never send the
same one. Delivery goes over SMTP with a verified TLS connection, or in development to a
folder: the outbox. docs/guarantees.md says what is exactly once and what is not.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_rq._job_wrapper import JobWrapper
from sqlalchemy.exc import IntegrityError

from buurtplatform.extensions import db
from buurtplatform.mail.models import Email, EmailStatus
from buurtplatform.timestamps import utcnow
from config import MAIL_SECURITY_CHOICES
from jobs import enqueue_after_commit
from tenants.scoping import ALL_TENANTS, current_tenant

TENANT_HEADER = "X-Buurtplatform-Municipality"


def queue_email(
    recipient: str,
    locale: str,
    kind: str,
    *,
    ledger_key: str | None = None,
    unsubscribe_url: str | None = None,
    **context: object,
) -> Email | None:
    """Render `mail/<kind>.{txt,html}` in `locale` and record it for sending after commit.

    The subject is the first line of the text template. With a `ledger_key`, the email is
    recorded once: a second call with the same key records nothing and returns None.
    """
    if ledger_key is not None and email_for_ledger_key(ledger_key) is not None:
        return None
    tenant = current_tenant()
    with force_locale(locale):
        text = render_template(
            f"mail/{kind}.txt", tenant=tenant, unsubscribe_url=unsubscribe_url, **context
        )
        html = render_template(
            f"mail/{kind}.html", tenant=tenant, unsubscribe_url=unsubscribe_url, **context
        )
    subject, _, body = text.partition("\n")
    email = Email(
        kind=kind,
        recipient=recipient,
        subject=subject.strip(),
        body_text=body.strip() + "\n",
        body_html=html,
        ledger_key=ledger_key,
        unsubscribe_url=unsubscribe_url,
    )
    try:
        with db.session.begin_nested():
            db.session.add(email)
    except IntegrityError:
        return None  # another worker recorded the same periodic email a moment ago
    enqueue_after_commit(deliver_email_job(), email.id, job_id=f"email-{email.id}")
    return email


def email_for_ledger_key(ledger_key: str) -> Email | None:
    return db.session.scalar(
        sa.select(Email).where(Email.ledger_key == ledger_key).execution_options(**ALL_TENANTS)
    )


def deliver_email_job() -> JobWrapper:
    from jobs.mail import deliver_email  # jobs import this module: no cycle at import time

    return deliver_email


# After this many tries an email is marked failed; the row counts them, so a sweep that hands
# the email to the queue again does not start the count afresh.
MAX_ATTEMPTS = 5
# How long a worker may take to send one email before another may try (SMTP times out at 30 s).
CLAIM_LEASE = timedelta(minutes=10)
SMTP_TIMEOUT = 30


def message_id(email: Email) -> str:
    """The same on every attempt, so that a resend is recognisably the same message."""
    domain = current_app.config["PLATFORM_DOMAIN"].split(":")[0]
    return f"<{email.created_at:%Y%m%d%H%M%S}.{email.id}@{domain}>"


def build_message(email: Email) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = email.subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = email.recipient
    message["Message-ID"] = message_id(email)
    # RFC 3834: every email of the platform is machine-made, so out-of-office replies stay away.
    message["Auto-Submitted"] = "auto-generated"
    message[TENANT_HEADER] = current_tenant().slug
    if email.unsubscribe_url:
        # RFC 8058: mail programs offer an unsubscribe button that posts to this address.
        message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.body_text)
    message.add_alternative(email.body_html, subtype="html")
    return message


def claim(email_id: int) -> bool:
    """Take the email for sending, as one conditional UPDATE that only one worker can win:
    it must be queued and not held by another worker (a crashed worker's hold runs out).
    Counts the attempt and commits, so that the claim is visible to every other worker."""
    now = utcnow()
    claimed = db.session.execute(
        sa.update(Email)
        .where(
            Email.id == email_id,
            Email.status == EmailStatus.QUEUED,
            sa.or_(Email.claimed_until.is_(None), Email.claimed_until < now),
        )
        .values(claimed_until=now + CLAIM_LEASE, attempts=Email.attempts + 1)
        .execution_options(**ALL_TENANTS, synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def deliver(email: Email) -> None:
    """Send one claimed email and mark it sent. On an error the claim is let go, and after
    `MAX_ATTEMPTS` tries the email is marked failed; the error is raised for RQ to retry."""
    db.session.refresh(email)  # the claim's attempt count
    message = build_message(email)
    try:
        if current_app.config["MAIL_BACKEND"] == "outbox":
            write_to_outbox(message, email.id)
        else:
            send_over_smtp(message)
    except Exception as error:
        email.last_error = f"{type(error).__name__}: {error}"
        email.claimed_until = None
        if email.attempts >= MAX_ATTEMPTS:
            email.status = EmailStatus.FAILED
        db.session.commit()
        raise
    email.status = EmailStatus.SENT
    email.sent_at = utcnow()
    email.claimed_until = None
    email.last_error = None
    db.session.commit()


def tls_context() -> ssl.SSLContext:
    """Verifies the server's certificate and host name; `MAIL_CA_FILE` adds a trusted
    certificate (a relay with a certificate of its own)."""
    return ssl.create_default_context(cafile=current_app.config["MAIL_CA_FILE"])


@contextmanager
def smtp_connection() -> Iterator[smtplib.SMTP]:
    """A connection to the configured SMTP server, secured as `MAIL_SECURITY` says and logged
    in when there are credentials (delivery, and `flask doctor`, which sends nothing)."""
    config = current_app.config
    host, port, security = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_SECURITY"]
    if security not in MAIL_SECURITY_CHOICES:
        raise ValueError(f"MAIL_SECURITY={security!r}: use one of {MAIL_SECURITY_CHOICES}")
    if security == "tls":
        smtp = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT, context=tls_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
    with smtp:
        if security == "starttls":
            smtp.starttls(context=tls_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        yield smtp


def send_over_smtp(message: EmailMessage) -> None:
    with smtp_connection() as smtp:
        smtp.send_message(message)


def outbox_path() -> Path:
    return Path(current_app.config["MAIL_OUTBOX"])


@dataclass(frozen=True)
class OutboxMessage:
    """A message as it landed in the development outbox."""

    name: str
    municipality: str
    recipient: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]

    @property
    def links(self) -> list[str]:
        return re.findall(r"https?://\S+", self.text)


def read_outbox() -> list[OutboxMessage]:
    """The outbox's messages, newest first."""
    folder = outbox_path()
    messages = []
    for path in sorted(folder.glob("*.eml"), reverse=True) if folder.exists() else []:
        parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        body = parsed.get_body(preferencelist=("plain",))
        html = parsed.get_body(preferencelist=("html",))
        messages.append(
            OutboxMessage(
                name=path.stem,
                municipality=parsed[TENANT_HEADER] or "",
                recipient=parsed["To"],
                subject=parsed["Subject"],
                text=body.get_content() if body else "",
                html=html.get_content() if html else "",
                headers={name: str(value) for name, value in parsed.items()},
            )
        )
    return messages


def write_to_outbox(message: EmailMessage, email_id: int) -> None:
    folder = outbox_path()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    (folder / f"{stamp}-{email_id}.eml").write_bytes(bytes(message))
