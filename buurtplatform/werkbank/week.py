"""The week on screen: the coordinators' digest for any past week, for the municipality's
staff. It is built by the digest's own `municipality_section`, so the page and the email
show the same figures and the same asks."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, redirect, render_template, url_for
from werkzeug.wrappers import Response

from buurtplatform.accounts.sessions import staff_required
from buurtplatform.figures.periods import Span, week_in_words, week_of
from buurtplatform.timestamps import utcnow
from buurtplatform.werkbank import bp
from jobs.digests import municipality_section
from jobs.periods import local_day


def last_ended_week() -> Span:
    """The calendar week before this one: the latest week that is over."""
    return week_of(local_day(utcnow()) - timedelta(days=7))


@bp.get("/week")
@staff_required
def last_week() -> Response:
    return redirect(url_for(".week", monday=last_ended_week().key))


@bp.get("/week/<monday>")
@staff_required
def week(monday: str) -> str | Response:
    """A week that is over, named by its Monday (another day leads to its Monday). A week
    that has not ended yet is a 404: its figures would still change."""
    try:
        span = week_of(date.fromisoformat(monday))
    except ValueError:
        abort(404)
    if span.key != monday:
        return redirect(url_for(".week", monday=span.key))
    if span.end > utcnow():
        abort(404)
    following = week_of(span.last + timedelta(days=1))
    return render_template(
        "werkbank/week.html",
        section=municipality_section(span, span.end),
        title=week_in_words(span),
        earlier=week_of(span.first - timedelta(days=7)),
        later=following if following.end <= utcnow() else None,
    )
