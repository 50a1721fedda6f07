"""Composing and delivering email.

`queue_email` renders a message in the recipient's language and records it in the current
transaction; once that transaction commits, its emails are handed to the job queue (see
`jobs.mail`). Delivery goes over SMTP, or in development to a folder: the outbox.
"""

from __future__ import annotations

import re
import smtplib
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import make_msgid
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from rq import get_current_job
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, SessionTransaction

from buurtplatform.extensions import db
from buurtplatform.mail.models import Email, EmailStatus
from buurtplatform.timestamps import utcnow
from tenants.scoping import ALL_TENANTS, current_tenant

PENDING = "emails_to_send"
TENANT_HEADER = "X-Buurtplatform-Municipality"


def queue_email(
    recipient: str,
    locale: str,
    kind: str,
    *,
    ledger_key: str | None = None,
    unsubscribe_url: str | None = None,
    **context: object,
) -> Email:
    """Render `mail/<kind>.{txt,html}` in `locale` and record it for sending after commit.

    The subject is the first line of the text template. With a `ledger_key`, the email is
    recorded once: a second call with the same key returns the first record instead.
    """
    if ledger_key is not None and (recorded := email_for_ledger_key(ledger_key)) is not None:
        return recorded
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
        # Another worker recorded the same periodic email a moment ago.
        return email_for_ledger_key(ledger_key)
    db.session.info.setdefault(PENDING, []).append(email.id)
    return email


def email_for_ledger_key(ledger_key: str) -> Email | None:
    return db.session.scalar(
        sa.select(Email).where(Email.ledger_key == ledger_key).execution_options(**ALL_TENANTS)
    )


@event.listens_for(Session, "after_commit")
def _hand_over_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released: the emails are not committed yet
    ids = session.info.pop(PENDING, [])
    if ids:
        from jobs.mail import dispatch_emails

        dispatch_emails(ids)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    # A savepoint that rolls back holds no email of the list (they are added after theirs
    # is released); the whole transaction rolling back takes them all.
    if not previous_transaction.nested:
        session.info.pop(PENDING, None)


def build_message(email: Email) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = email.subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = email.recipient
    message["Message-ID"] = make_msgid(idstring=f"email-{email.id}")
    message[TENANT_HEADER] = current_tenant().slug
    if email.unsubscribe_url:
        # RFC 8058: mail programs offer an unsubscribe button that posts to this address.
        message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.body_text)
    message.add_alternative(email.body_html, subtype="html")
    return message


def deliver(email: Email) -> None:
    """Send one recorded email unless it went out already, and mark it sent."""
    if email.status == EmailStatus.SENT:
        return
    message = build_message(email)
    email.attempts += 1
    try:
        if current_app.config["MAIL_BACKEND"] == "outbox":
            write_to_outbox(message, email.id)
        else:
            send_over_smtp(message)
    except Exception as error:
        email.last_error = f"{type(error).__name__}: {error}"
        if is_final_attempt():
            email.status = EmailStatus.FAILED
        db.session.commit()
        raise
    email.status = EmailStatus.SENT
    email.sent_at = utcnow()
    email.last_error = None
    db.session.commit()


def is_final_attempt() -> bool:
    """On the worker: no retry is left. In-process (no Redis) the email stays queued, and
    the sweep tries it again later."""
    job = get_current_job()
    return job is not None and not job.retries_left


def send_over_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
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
