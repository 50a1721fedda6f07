from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from buurtplatform.accounts.models import Role, User
from buurtplatform.accounts.sessions import has_role
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing, Status
from buurtplatform.listings.panels import listing_panel
from buurtplatform.listings.services import can_manage, listing_or_404
from buurtplatform.matches import bp
from buurtplatform.matches.forms import ChoosePartnerForm, OutcomeForm, PhoneMatchForm
from buurtplatform.matches.models import Match, Outcome
from buurtplatform.matches.services import (
    asked_after,
    can_still_match,
    follow_up_is_due,
    matches_of,
    record_match,
    record_outcome,
    repliers,
)
from buurtplatform.timestamps import utcnow


def partner_form(listing: Listing, people: list[User]) -> ChoosePartnerForm:
    form = ChoosePartnerForm()
    if not listing.is_ask:
        form.partner.label.text = _("Whom did you agree to help?")
    form.partner.choices = [SelectChoice(0, _("Choose a person"))] + [
        SelectChoice(user.id, user.first_name) for user in people
    ]
    return form


def _is_in(match: Match) -> bool:
    """The signed-in person is one of the two sides of `match`."""
    return current_user.is_authenticated and current_user.id in (
        match.listing.author_id,
        match.partner_id,
    )


def _my_outcome(match: Match) -> Outcome | None:
    if current_user.id == match.partner_id:
        return match.partner_outcome
    return match.author_outcome


@listing_panel(position=30)
def match_panel(listing: Listing) -> str | None:
    """The matches its two sides (and staff) may see, the question how it went, and, while
    the listing is open, the choice of whom it was agreed with. An offer also tells everyone
    how many people it helped."""
    matches = matches_of(listing)
    manage = can_manage(listing)
    shown = [m for m in matches if manage or _is_in(m)]
    choosing = listing.status == Status.OPEN and manage
    if not (shown or choosing or (matches and not listing.is_ask)):
        return None
    mine = [m for m in shown if _is_in(m)]
    unanswered = [m for m in mine if _my_outcome(m) is None]
    # "Did the help happen?" once the follow-up is due, not the moment the match is saved;
    # until then the page says when we will ask.
    now = utcnow()
    to_answer = [m for m in unanswered if follow_up_is_due(m, now)]
    ask_later = {m.id: asked_after(m) for m in unanswered if m not in to_answer}
    choose_form = None
    if choosing:
        matched = {m.partner_id for m in matches}
        choose = partner_form(listing, [u for u in repliers(listing) if u.id not in matched])
        choose_form = choose if len(choose.partner.choices) > 1 else None
    return render_template(
        "matches/_panel.html",
        listing=listing,
        helped=len(matches),
        matches=shown,
        to_answer=to_answer,
        ask_later=ask_later,
        answered=len(mine) > len(unanswered),
        # An ask's one match is asked about on its page; an offer's matches each on a page
        # of their own, which names the person.
        outcome_form=OutcomeForm() if listing.is_ask and to_answer else None,
        choosing=choosing,
        choose_form=choose_form,
        phone_form=PhoneMatchForm() if choosing and has_role(Role.COORDINATOR) else None,
    )


@bp.post("/vraag-en-aanbod/<int:listing_id>/match")
@login_required
def choose(listing_id: int) -> Response:
    listing = listing_or_404(listing_id)
    if not can_manage(listing):
        abort(403)
    if listing.status != Status.OPEN:
        return _already_matched(listing)
    people = repliers(listing)
    form = partner_form(listing, people)
    if form.validate_on_submit():
        partner = next(user for user in people if user.id == form.partner.data)
        if record_match(listing, current_user, partner=partner) is None:
            return _already_matched(listing)
        db.session.commit()
        flash(_agreed(listing, partner.first_name), "success")
    else:
        flash(_("Choose the person you agreed with."), "error")
    return redirect(url_for("listings.detail", listing_id=listing.id))


def _agreed(listing: Listing, name: str) -> str:
    if listing.is_ask:
        return _(
            "Great! You agreed with %(name)s. The message is no longer in the list.", name=name
        )
    return _(
        "Great! You agreed with %(name)s. Your offer stays in the list, so that you can help "
        "more people.",
        name=name,
    )


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
    if listing.is_ask or listing.status != Status.OPEN:
        flash(_("This message is already matched or closed."), "info")
    else:
        flash(_("This match was already saved."), "info")
    return redirect(url_for("listings.detail", listing_id=listing.id))


@bp.route("/matches/<int:match_id>/uitkomst", methods=["GET", "POST"])
@login_required
def outcome(match_id: int) -> str | Response:
    """Did the help happen? Asked on the listing's page, and on a page of its own per match
    (the follow-up email leads here; an offer may have several matches to answer for)."""
    match = db.get_or_404(Match, match_id)
    if not _is_in(match):
        abort(404)
    form = OutcomeForm()
    if request.method == "GET":
        other_name = (
            match.listing.author.display_name
            if current_user.id == match.partner_id
            else match.partner_display_name
        )
        return render_template(
            "matches/outcome.html",
            match=match,
            other_name=other_name,
            form=form,
            answered=_my_outcome(match) is not None,
        )
    if form.validate_on_submit():
        record_outcome(match, current_user.id, Outcome(form.outcome.data))
        db.session.commit()
        flash(_("Thank you for letting us know."), "success")
    else:
        flash(_("Choose yes or no."), "error")
    return redirect(url_for("listings.detail", listing_id=match.listing_id))


@bp.app_template_global()
def can_record_match_with(listing: Listing, other: User) -> bool:
    """For the conversation page (conversations build on nothing of matches, so matches offer
    this to the template): the signed-in person wrote the ask or offer, for themselves or as a
    coordinator for someone, and can still record the match with `other`."""
    return listing.author_id == current_user.id and can_still_match(listing, other)
