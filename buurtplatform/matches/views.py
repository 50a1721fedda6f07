from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from buurtplatform.accounts.models import Role
from buurtplatform.accounts.sessions import has_role
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing, Status
from buurtplatform.listings.panels import listing_panel
from buurtplatform.listings.services import can_manage, listing_or_404
from buurtplatform.matches import bp
from buurtplatform.matches.forms import ChoosePartnerForm, OutcomeForm, PhoneMatchForm
from buurtplatform.matches.models import Match, Outcome
from buurtplatform.matches.services import record_match, record_outcome, repliers


def partner_form(listing: Listing) -> ChoosePartnerForm:
    form = ChoosePartnerForm()
    form.partner.choices = [SelectChoice(0, _("Choose a person"))] + [
        SelectChoice(user.id, user.first_name) for user in repliers(listing)
    ]
    return form


def _my_outcome(match: Match) -> Outcome | None:
    if current_user.id == match.partner_id:
        return match.partner_outcome
    return match.author_outcome


@listing_panel(position=30)
def match_panel(listing: Listing) -> str | None:
    match = db.session.get(Match, listing.match.id) if listing.match else None
    if match is not None:
        involved = current_user.is_authenticated and current_user.id in (
            listing.author_id,
            match.partner_id,
        )
        if not (involved or can_manage(listing)):
            return None
        return render_template(
            "matches/_panel.html",
            listing=listing,
            match=match,
            outcome_form=OutcomeForm() if involved and _my_outcome(match) is None else None,
        )
    if listing.status != Status.OPEN or not can_manage(listing):
        return None
    choose = partner_form(listing)
    return render_template(
        "matches/_panel.html",
        listing=listing,
        match=None,
        choose_form=choose if len(choose.partner.choices) > 1 else None,
        phone_form=PhoneMatchForm() if has_role(Role.COORDINATOR) else None,
    )


@bp.post("/vraag-en-aanbod/<int:listing_id>/match")
@login_required
def choose(listing_id: int) -> Response:
    listing = listing_or_404(listing_id)
    if not can_manage(listing):
        abort(403)
    if listing.status != Status.OPEN:
        return _already_matched(listing)
    form = partner_form(listing)
    if form.validate_on_submit():
        partner = next(user for user in repliers(listing) if user.id == form.partner.data)
        if record_match(listing, current_user, partner=partner) is None:
            return _already_matched(listing)
        db.session.commit()
        flash(
            _(
                "Great! You agreed with %(name)s. The message is no longer in the list.",
                name=partner.first_name,
            ),
            "success",
        )
    else:
        flash(_("Choose the person you agreed with."), "error")
    return redirect(url_for("listings.detail", listing_id=listing.id))


@bp.post("/vraag-en-aanbod/<int:listing_id>/match-telefonisch")
@login_required
def choose_by_phone(listing_id: int) -> str | Response:
    listing = listing_or_404(listing_id)
    if not has_role(Role.COORDINATOR):
        abort(403)
    if listing.status != Status.OPEN:
        return _already_matched(listing)
    form = PhoneMatchForm()
    if form.validate_on_submit():
        if record_match(listing, current_user, partner_name=form.partner_name.data) is None:
            return _already_matched(listing)
        db.session.commit()
        flash(_("The match is saved."), "success")
    else:
        flash(_("Fill in who helps."), "error")
    return redirect(url_for("listings.detail", listing_id=listing.id))


def _already_matched(listing: Listing) -> Response:
    flash(_("This message is already matched or closed."), "info")
    return redirect(url_for("listings.detail", listing_id=listing.id))


@bp.post("/matches/<int:match_id>/uitkomst")
@login_required
def outcome(match_id: int) -> Response:
    match = db.get_or_404(Match, match_id)
    listing = match.listing
    if current_user.id not in (listing.author_id, match.partner_id):
        abort(404)
    form = OutcomeForm()
    if form.validate_on_submit():
        record_outcome(match, current_user.id, Outcome(form.outcome.data))
        db.session.commit()
        flash(_("Thank you for letting us know."), "success")
    else:
        flash(_("Choose yes or no."), "error")
    return redirect(url_for("listings.detail", listing_id=listing.id))
