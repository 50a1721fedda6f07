"""The day of a member's last visit, for the members list in Beheer.

Written at most once a day per member (a day in Europe/Amsterdam), so that it costs nothing on
most requests: the membership is loaded anyway (the menu needs it), and only a first visit of
the day runs one conditional UPDATE. Its condition makes two requests at once write it once.
Signing in writes it too (`sessions.sign_in`), so the extra queries of that first request of a
day (the UPDATE, and reloading what its commit expired) come only when a session outlives a day.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import request
from flask_login import current_user

from buurtplatform.accounts.models import Membership
from buurtplatform.accounts.sessions import current_member
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from jobs.periods import local_day, local_midnight


def note_visit() -> None:
    """`before_app_request`: remember that the signed-in member visited today. Before the
    view runs, so that nothing of the view's own work is in the transaction it commits."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    member = current_member()
    today = local_midnight(local_day(utcnow()))
    if member is None or (member.last_seen_at is not None and member.last_seen_at >= today):
        return
    db.session.execute(
        sa.update(Membership)
        .where(
            Membership.id == member.id,
            sa.or_(Membership.last_seen_at.is_(None), Membership.last_seen_at < today),
        )
        .values(last_seen_at=utcnow())
    )
    db.session.commit()
