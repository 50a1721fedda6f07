"""The reminder the day before: everyone who comes to an occurrence tomorrow (local time) gets
one email, once. The municipality's sweep (jobs/schedule.py) asks every few minutes what is due;
the ledger key per (person, occurrence) makes a doubled or retried sweep send nothing twice, and
a sweep after downtime still sends what is due until the occurrence begins."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from buurtplatform.activities.models import Activity, Signup, SignupStatus
from buurtplatform.activities.occurrences import local, occurrence_on
from buurtplatform.extensions import db
from buurtplatform.mail.services import queue_email
from buurtplatform.timestamps import utcnow
from tenants.scoping import current_tenant


def reminder_key(signup: Signup) -> str:
    return f"activity-reminder:{signup.activity_id}:{signup.occurs_on.isoformat()}:{signup.user_id}"


def send_activity_reminders(now: datetime | None = None) -> int:
    """Remind the members who come tomorrow, or today when the reminder was missed and the
    occurrence has not begun; returns how many emails were recorded. Commits."""
    now = now or utcnow()
    today = local(now).date()
    due = db.session.scalars(
        sa.select(Signup)
        .join(Signup.activity)
        .where(
            Signup.occurs_on.in_([today, today + timedelta(days=1)]),
            Signup.status == SignupStatus.GOING,
            Signup.user_id.is_not(None),
            Activity.cancelled_at.is_(None),
        )
        .options(contains_eager(Signup.activity), joinedload(Signup.user))
        .order_by(Signup.id)
    ).all()
    tenant = current_tenant()
    sent = 0
    for signup in due:
        occurrence = occurrence_on(signup.activity, signup.occurs_on)
        if occurrence is None or occurrence.starts_at <= now:
            continue
        email = queue_email(
            signup.user.email,
            signup.user.locale,
            "activity_reminder",
            ledger_key=reminder_key(signup),
            person=signup.user,
            activity=signup.activity,
            occurrence=occurrence,
            link=tenant.url_for(
                "activities.detail",
                activity_id=signup.activity_id,
                datum=signup.occurs_on.isoformat(),
            ),
        )
        sent += email is not None
    db.session.commit()
    return sent
