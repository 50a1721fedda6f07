"""The call-back form (anyone, no account) and the coordinators' call-back tasks.

The form is protected without a puzzle that older people cannot solve: a rate limit per
address and per municipality, a field only robots fill in, and a minimum time between showing
the form and sending it. Its one-time key, signed together with the moment it was shown, also
makes a double submit record one request.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import timedelta

import sqlalchemy as sa
from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from buurtplatform import page_cache
from buurtplatform.accounts.models import Role
from buurtplatform.accounts.sessions import has_role, staff_required
from buurtplatform.callbacks import bp
from buurtplatform.callbacks.forms import CallbackForm, ClaimForm, CloseForm, normalised_phone
from buurtplatform.callbacks.models import TRIES_BEFORE_GIVING_UP, CallbackRequest, Outcome
from buurtplatform.callbacks.services import (
    add_try,
    claim,
    close,
    one_working_day_after,
    record_request,
)
from buurtplatform.directory.models import Organisation
from buurtplatform.extensions import db, limiter
from buurtplatform.listings.services import villages
from buurtplatform.timestamps import utcnow

log = logging.getLogger(__name__)
FORM_MAX_AGE = 2 * 24 * 3600  # a form left open for two days is shown again, as typed
RECENTLY_CLOSED_DAYS = 14


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="callback-form")


def _per_municipality() -> str:
    return g.tenant.slug


@bp.route("/bel-mij-terug", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_CALLBACK"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_CALLBACK_MUNICIPALITY"],
    key_func=_per_municipality,
    methods=["POST"],
    scope="callback-municipality",
    # Only recorded requests count here: a burst that the limit per address refuses must not
    # use up the municipality's allowance, and so shut out everyone else.
    deduct_when=lambda response: response.status_code == 302,
)
def form() -> str | Response:
    form = CallbackForm()
    form.village.choices = [SelectChoice(0, _("I don't know / somewhere else"))] + [
        SelectChoice(village.id, village.name) for village in villages()
    ]
    if form.is_submitted():
        if form.website.data:
            log.info("Call-back form with its robot field filled in: not recorded")
            return redirect(url_for(".sent"))
        valid = form.validate()
        key = _started_key(form)
        if key is not None and valid:
            recorded = record_request(
                key,
                form.first_name.data,
                normalised_phone(form.phone.data),
                form.village.data or None,
                form.about.data,
            )
            if recorded is None:
                log.info("Call-back form sent twice: recorded once")
            return redirect(url_for(".sent"))
    form.started.data = _serializer().dumps(secrets.token_urlsafe(16))
    page_cache.personal()
    return render_template("callbacks/form.html", form=form)


def _started_key(form: CallbackForm) -> str | None:
    """The form's one-time key, if it was shown long enough ago (and not too long ago)."""
    try:
        key, shown_at = _serializer().loads(
            form.started.data or "", max_age=FORM_MAX_AGE, return_timestamp=True
        )
    except BadSignature:
        form.form_errors.append(_("The form was open for a long time. Check it and send it again."))
        return None
    if time.time() - shown_at.timestamp() < current_app.config["CALLBACK_MIN_SECONDS"]:
        form.form_errors.append(_("That was very fast. Check what you wrote and send it again."))
        return None
    return key


@bp.get("/bel-mij-terug/verstuurd")
def sent() -> str:
    return render_template("callbacks/sent.html", call_by=one_working_day_after(utcnow()))


@bp.get("/werkbank/terugbellen")
@staff_required
def tasks() -> str:
    open_requests = db.session.scalars(
        sa.select(CallbackRequest)
        .where(CallbackRequest.closed_at.is_(None))
        .options(joinedload(CallbackRequest.village), joinedload(CallbackRequest.claimed_by))
        .order_by(CallbackRequest.created_at)
    ).all()
    closed = db.session.scalars(
        sa.select(CallbackRequest)
        .where(CallbackRequest.closed_at >= utcnow() - timedelta(days=RECENTLY_CLOSED_DAYS))
        .options(
            joinedload(CallbackRequest.village),
            joinedload(CallbackRequest.closed_by),
            joinedload(CallbackRequest.referred_to),
        )
        .order_by(CallbackRequest.closed_at.desc())
    ).all()
    close_form = CloseForm()
    close_form.organisation.choices = _organisation_choices()
    return render_template(
        "callbacks/tasks.html",
        open_requests=open_requests,
        closed=closed,
        claim_form=ClaimForm(),
        close_form=close_form,
        tries_needed=TRIES_BEFORE_GIVING_UP,
        due=one_working_day_after,
        now=utcnow(),
        is_coordinator=has_role(Role.COORDINATOR),
    )


def _organisation_choices() -> list[SelectChoice]:
    organisations = db.session.scalars(sa.select(Organisation).order_by(Organisation.name))
    return [SelectChoice(0, _("No organisation"))] + [
        SelectChoice(organisation.id, organisation.name) for organisation in organisations
    ]


def _open_request(request_id: int) -> CallbackRequest:
    """An open request of this municipality, for one of its coordinators: connectors see
    the werkbank's list (without phone numbers) but do not call back."""
    request = db.get_or_404(CallbackRequest, request_id)
    if request.closed_at is not None:
        abort(404)
    if not has_role(Role.COORDINATOR):
        abort(403)
    return request


def _my_request(request_id: int) -> CallbackRequest:
    """An open request that the signed-in coordinator took: only they try and close it."""
    request = _open_request(request_id)
    if request.claimed_by_id != current_user.id:
        abort(403)
    return request


@bp.post("/werkbank/terugbellen/<int:request_id>/oppakken")
@staff_required
def claim_request(request_id: int) -> Response:
    request = _open_request(request_id)
    if ClaimForm().validate_on_submit():
        if claim(request.id, current_user):
            flash(
                _("You call %(name)s back. The others see that.", name=request.first_name),
                "success",
            )
        else:
            flash(_("Someone else already calls %(name)s back.", name=request.first_name), "error")
    return redirect(url_for(".tasks", _anchor=f"verzoek-{request.id}"))


@bp.post("/werkbank/terugbellen/<int:request_id>/niet-bereikt")
@staff_required
def not_reached(request_id: int) -> Response:
    request = _my_request(request_id)
    if ClaimForm().validate_on_submit():
        add_try(request)
        flash(_("Noted: %(name)s did not answer.", name=request.first_name), "success")
    return redirect(url_for(".tasks", _anchor=f"verzoek-{request.id}"))


@bp.post("/werkbank/terugbellen/<int:request_id>/afronden")
@staff_required
def close_request(request_id: int) -> Response:
    request = _my_request(request_id)
    form = CloseForm()
    form.organisation.choices = _organisation_choices()
    if form.validate_on_submit():
        outcome = Outcome(form.outcome.data)
        if outcome == Outcome.NOT_REACHED and request.tries < TRIES_BEFORE_GIVING_UP:
            flash(
                _(
                    "Try %(num)d times before you close it as not reached.",
                    num=TRIES_BEFORE_GIVING_UP,
                ),
                "error",
            )
        elif outcome == Outcome.REFERRED and not form.organisation.data:
            flash(
                _("Choose the organisation you referred %(name)s to.", name=request.first_name),
                "error",
            )
        else:
            referred_to = form.organisation.data if outcome == Outcome.REFERRED else None
            close(request, outcome, current_user, referred_to)
            flash(
                _("Closed. The phone number of %(name)s is deleted.", name=request.first_name),
                "success",
            )
    return redirect(url_for(".tasks", _anchor=f"verzoek-{request.id}"))
