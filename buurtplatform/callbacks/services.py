"""A call-back request's life: recorded and announced, claimed by one coordinator, tried,
closed (and its phone number deleted), and a reminder once if nobody claimed it in time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.callbacks.models import CallbackRequest, Outcome
from buurtplatform.extensions import db
from buurtplatform.mail.services import queue_email
from buurtplatform.timestamps import utcnow
from jobs.periods import LOCAL
from tenants.scoping import current_tenant


def one_working_day_after(moment: datetime) -> datetime:
    """When a request left at `moment` should have been claimed: one working day (Monday to
    Friday, local time) later. Left on a weekend, the working day starts on Monday at
    midnight. Public holidays are not known, and count as working days."""
    local = moment.astimezone(LOCAL)
    if local.weekday() >= 5:
        monday = local.date() + timedelta(days=7 - local.weekday())
        local = datetime.combine(monday, time(0), LOCAL)
    due = local + timedelta(days=1)  # the same time on the next day, in local time
    while due.weekday() >= 5:
        due += timedelta(days=1)
    return due.astimezone(UTC)


def staff(*roles: Role) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.role.in_(roles))
            .order_by(User.id)
        )
    )


def _task_link(request: CallbackRequest) -> str:
    return current_tenant().url_for("callbacks.tasks", _anchor=f"verzoek-{request.id}")


def record_request(
    form_key: str, first_name: str, phone: str, village_id: int | None, about: str
) -> CallbackRequest | None:
    """Record the request and tell every coordinator at once, in one transaction; None when
    this form was sent before (a double submit)."""
    request = CallbackRequest(
        form_key=form_key,
        first_name=first_name,
        phone=phone,
        village_id=village_id,
        about=about or None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(request)
    except sa.exc.IntegrityError:
        return None
    _tell(staff(Role.COORDINATOR), "callback_new", request)
    db.session.commit()
    return request


def _tell(recipients: list[User], kind: str, request: CallbackRequest) -> None:
    """Queue the email `kind` about `request` to each recipient, once (its ledger key)."""
    for user in recipients:
        queue_email(
            user.email,
            user.locale,
            kind,
            ledger_key=f"{kind}:{request.id}:{user.id}",
            person=user,
            request=request,
            link=_task_link(request),
        )


def open_callback_requests() -> int:
    """How many call-back requests wait for a call or are being called (the werkbank's
    link)."""
    return db.session.scalar(
        sa.select(sa.func.count(CallbackRequest.id)).where(CallbackRequest.closed_at.is_(None))
    )


def claim(request_id: int, user: User) -> bool:
    """Claim the request for `user`: one conditional UPDATE, so that of two coordinators
    clicking at once exactly one gets it. False if someone else was first."""
    claimed = db.session.execute(
        sa.update(CallbackRequest)
        .where(
            CallbackRequest.id == request_id,
            CallbackRequest.claimed_by_id.is_(None),
            CallbackRequest.closed_at.is_(None),
        )
        .values(claimed_by_id=user.id, claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def add_try(request: CallbackRequest) -> None:
    request.tries += 1
    db.session.commit()


def close(
    request: CallbackRequest, outcome: Outcome, user: User, referred_to_id: int | None = None
) -> None:
    """Close the task with its outcome; the phone number and the sentence go, for good."""
    request.outcome = outcome
    request.referred_to_id = referred_to_id
    request.closed_at = utcnow()
    request.closed_by_id = user.id
    request.phone = None
    request.about = None
    db.session.commit()


def remind_unclaimed(now: datetime | None = None) -> int:
    """Remind the coordinators and connectors, once, of every request nobody claimed within a
    working day. The request is marked with one conditional UPDATE in the same transaction as
    the emails, so that two sweeps at once remind once."""
    now = now or utcnow()
    waiting = db.session.scalars(
        sa.select(CallbackRequest)
        .where(
            CallbackRequest.claimed_by_id.is_(None),
            CallbackRequest.closed_at.is_(None),
            CallbackRequest.reminded_at.is_(None),
            CallbackRequest.created_at <= now - timedelta(days=1),
        )
        .options(joinedload(CallbackRequest.village))
        .order_by(CallbackRequest.created_at)
    ).all()
    reminded = 0
    recipients = None
    for request in waiting:
        if one_working_day_after(request.created_at) > now:
            continue
        marked = db.session.execute(
            sa.update(CallbackRequest)
            .where(CallbackRequest.id == request.id, CallbackRequest.reminded_at.is_(None))
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if marked != 1:
            db.session.rollback()
            continue
        recipients = recipients or staff(Role.COORDINATOR, Role.CONNECTOR)
        _tell(recipients, "callback_waiting", request)
        db.session.commit()
        reminded += 1
    return reminded
