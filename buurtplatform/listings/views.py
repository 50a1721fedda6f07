from __future__ import annotations

from itertools import groupby

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from buurtplatform.accounts.blocking import not_blocked
from buurtplatform.accounts.models import Role
from buurtplatform.accounts.sessions import current_member, has_role, member_required, role_required
from buurtplatform.extensions import db
from buurtplatform.listings import bp
from buurtplatform.listings.forms import (
    ConfirmForm,
    FilterForm,
    HelperFilterForm,
    HelpSettingsForm,
    ListingForm,
    OnBehalfForm,
    PersonFields,
)
from buurtplatform.listings.helping import (
    HelpSettings,
    helper_category_ids,
    helpers_by_category,
    save_help_settings,
)
from buurtplatform.listings.models import Kind, Listing, OfflinePerson, Status, Timing
from buurtplatform.listings.panels import render_panels
from buurtplatform.listings.services import (
    ListingDraft,
    apply_draft,
    can_manage,
    categories,
    close,
    is_expired,
    is_open,
    listing_or_404,
    listing_template,
    listing_templates,
    open_listings,
    post_listing,
    renew,
    villages,
    with_card_details,
)
from buurtplatform.notifications.models import Frequency, Topic
from buurtplatform.notifications.services import frequency_for
from buurtplatform.page_cache import shared_with_members
from buurtplatform.retention import removal_date
from buurtplatform.search import matches
from tenants.scoping import current_tenant

PER_PAGE = 20


def category_choices(prompt: str) -> list[SelectChoice]:
    return [SelectChoice(0, prompt)] + [SelectChoice(c.id, c.label) for c in categories()]


def village_choices(prompt: str) -> list[SelectChoice]:
    return [SelectChoice(0, prompt)] + [SelectChoice(v.id, v.name) for v in villages()]


def manageable_listing_or_404(listing_id: int) -> Listing:
    listing = listing_or_404(listing_id)
    if not can_manage(listing):
        abort(403)
    return listing


@bp.get("/vraag-en-aanbod")
@shared_with_members
def browse() -> str:
    form = FilterForm(request.args)
    form.category.choices = category_choices(_("All kinds of help"))
    form.village.choices = village_choices(_("All villages"))
    form.validate()
    statement = open_listings()
    if form.kind.data in (Kind.ASK.value, Kind.OFFER.value) and not form.kind.errors:
        statement = statement.where(Listing.kind == form.kind.data)
    if form.category.data and not form.category.errors:
        statement = statement.where(Listing.category_id == form.category.data)
    if form.village.data and not form.village.errors:
        statement = statement.where(Listing.village_id == form.village.data)
    if form.remote.data:
        statement = statement.where(Listing.remote_ok.is_(True))
    if (condition := matches(Listing, form.q.data or "")) is not None:
        statement = statement.where(condition)
    page = db.paginate(
        with_card_details(statement),
        page=(form.page.data if not form.page.errors else None) or 1,
        per_page=PER_PAGE,
        error_out=False,
    )
    filtered = any(
        request.args.get(name) for name in ("q", "kind", "category", "village", "remote")
    )
    return render_template("listings/browse.html", form=form, page=page, filtered=filtered)


def _draft_from(form: ListingForm) -> ListingDraft:
    return ListingDraft(
        kind=Kind(form.kind.data),
        category_id=form.category.data,
        title=form.title.data,
        description=form.description.data,
        village_id=form.village.data or None,
        remote_ok=form.remote_ok.data,
        timing=Timing(form.timing.data),
        needed_on=form.needed_on.data,
        on_behalf_of=form.on_behalf_of.data if form.kind.data == Kind.ASK.value else None,
    )


def prepare_listing_form(form: ListingForm, kind: Kind | None = None) -> ListingForm:
    form.category.choices = category_choices(_("Choose a kind of help"))
    form.village.choices = village_choices(_("The whole municipality"))
    if kind is not None:
        form.fix_kind(kind)
    return form


# The kind in the address of the form, as "Ask for help" and "Offer help" link to it.
KIND_IN_ADDRESS = {"vraag": Kind.ASK, "aanbod": Kind.OFFER}


@bp.route("/vraag-en-aanbod/nieuw", methods=["GET", "POST"])
@member_required
@not_blocked
def new() -> str | Response:
    """With `soort` (vraag, aanbod) the form is for that kind and does not ask it again;
    `sjabloon` starts it from one of that kind's templates."""
    kind = KIND_IN_ADDRESS.get(request.args.get("soort", ""))
    form = prepare_listing_form(ListingForm(), kind)
    if request.method == "GET":
        if kind is None:
            form.kind.data = Kind.ASK.value
        form.village.data = current_member().village_id or 0
        if kind and (template := listing_template(kind, request.args.get("sjabloon"))):
            form.category.data = template.category_id
            form.title.data = template.local_title
            form.description.data = template.local_description
    if form.validate_on_submit():
        listing = post_listing(_draft_from(form), current_user)
        db.session.commit()
        if listing.awaiting_approval:
            flash(
                _(
                    "Thank you! A neighbourhood connector looks at your first message. "
                    "It goes on the site once it is approved."
                ),
                "success",
            )
        else:
            flash(_("Thank you! Your message is on the site now."), "success")
        return redirect(url_for("listings.detail", listing_id=listing.id))
    templates = {k: list(group) for k, group in groupby(listing_templates(kind), lambda t: t.kind)}
    return render_template(
        "listings/form.html", form=form, kind=kind, templates=templates, listing=None
    )


def person_choices() -> list[SelectChoice]:
    """The people this municipality's coordinators entered before (the query is scoped)."""
    people = db.session.scalars(
        sa.select(OfflinePerson)
        .options(selectinload(OfflinePerson.village))
        .order_by(OfflinePerson.name, OfflinePerson.id)
    ).all()
    return [SelectChoice(0, _("No, someone new"))] + [
        SelectChoice(p.id, ", ".join(filter(None, (p.name, p.village and p.village.name, p.phone))))
        for p in people
    ]


def preselect_person(form: PersonFields) -> None:
    """`?persoon=<id>` (a link from the werkbank's list of people) chooses that person, if
    they are one of the choices: another municipality's id chooses nobody."""
    wanted = request.args.get("persoon", type=int)
    if request.method == "GET" and any(choice.value == wanted for choice in form.person.choices):
        form.person.data = wanted


@bp.route("/coordinatie/namens-iemand", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
@not_blocked
def on_behalf() -> str | Response:
    """A coordinator posts an ask for someone who is not online, and receives the replies."""
    # On someone's behalf is always an ask.
    form = prepare_listing_form(OnBehalfForm(), Kind.ASK)
    form.person.choices = person_choices()
    preselect_person(form)
    form.title.description = _("In a few words, for example: Who can do the weekly shopping?")
    form.description.description = _(
        "What is it about, and when does it suit the person? Do not write their name, "
        "address or phone number here: only you see those."
    )
    form.village.description = _(
        "Choose the village or neighbourhood. Did you choose a person you entered before? "
        "Then 'The whole municipality' means: the village of that person."
    )
    if form.validate_on_submit():
        chosen = form.person.data and db.session.get(OfflinePerson, form.person.data)
        draft = _draft_from(form)
        if chosen and draft.village_id is None:
            draft.village_id = chosen.village_id
        person = chosen or OfflinePerson(
            name=form.person_name.data,
            phone=form.person_phone.data,
            village_id=form.village.data or None,
            consent_note=form.consent_note.data,
            recorded_by_id=current_user.id,
        )
        listing = post_listing(draft, current_user, offline_person=person)
        db.session.commit()
        flash(_("The ask is on the site. Replies come to you."), "success")
        return redirect(url_for("listings.detail", listing_id=listing.id))
    return render_template("listings/on_behalf.html", form=form)


@bp.get("/vraag-en-aanbod/<int:listing_id>")
def detail(listing_id: int) -> str:
    listing = listing_or_404(listing_id)
    manages = can_manage(listing)
    return render_template(
        "listings/detail.html",
        listing=listing,
        show_private=listing.offline_person is not None and has_role(Role.COORDINATOR),
        can_manage=manages,
        is_open=is_open(listing),
        is_expired=is_expired(listing),
        # A form's key needs a session: only for whoever gets the form (a visitor's page is
        # everyone's, buurtplatform/page_cache.py).
        confirm_form=ConfirmForm() if manages else None,
        panels=render_panels(listing),
        removal_date=removal_date,
    )


@bp.route("/vraag-en-aanbod/<int:listing_id>/bewerken", methods=["GET", "POST"])
@login_required
@not_blocked
def edit(listing_id: int) -> str | Response:
    listing = manageable_listing_or_404(listing_id)
    # An ask stays an ask and an offer an offer: people replied to what it was.
    form = prepare_listing_form(ListingForm(obj=listing), listing.kind)
    if request.method == "GET":
        form.category.data = listing.category_id
        form.village.data = listing.village_id or 0
        form.timing.data = listing.timing.value
    if form.validate_on_submit():
        apply_draft(listing, _draft_from(form))
        db.session.commit()
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("listings.detail", listing_id=listing.id))
    return render_template(
        "listings/form.html", form=form, kind=listing.kind, templates={}, listing=listing
    )


@bp.post("/vraag-en-aanbod/<int:listing_id>/verlengen")
@login_required
@not_blocked
def renew_view(listing_id: int) -> Response:
    listing = manageable_listing_or_404(listing_id)
    if ConfirmForm().validate_on_submit():
        renew(listing)
        db.session.commit()
        days = current_tenant().listing_lifetime_days
        flash(
            _("Renewed: your message stays on the site for %(days)s more days.", days=days),
            "success",
        )
    return redirect(url_for("listings.detail", listing_id=listing.id))


@bp.post("/vraag-en-aanbod/<int:listing_id>/sluiten")
@login_required
def close_view(listing_id: int) -> Response:
    listing = manageable_listing_or_404(listing_id)
    # Only an open listing closes: a matched one stays matched (a stale page may still
    # show the button), or renewing it would put it back in the list.
    if listing.status == Status.OPEN and ConfirmForm().validate_on_submit():
        close(listing)
        db.session.commit()
        flash(_("Closed: your message is no longer in the list."), "success")
    return redirect(url_for("listings.detail", listing_id=listing.id))


@bp.route("/vraag-en-aanbod/<int:listing_id>/verwijderen", methods=["GET", "POST"])
@login_required
def delete(listing_id: int) -> str | Response:
    """Deleting asks for a confirmation on a page of its own: it cannot be undone."""
    listing = manageable_listing_or_404(listing_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        db.session.delete(listing)
        db.session.commit()
        flash(_("Deleted."), "success")
        return redirect(url_for("listings.mine"))
    return render_template("listings/delete.html", listing=listing, form=form)


@bp.get("/vraag-en-aanbod/<int:listing_id>/afdrukken")
def printable(listing_id: int) -> str:
    """One page to print, for the library infopunt or a home visit."""
    return render_template("listings/print.html", listing=listing_or_404(listing_id))


@bp.get("/mijn/vraag-en-aanbod")
@login_required
def mine() -> str:
    listings = db.session.scalars(
        with_card_details(
            sa.select(Listing)
            .where(Listing.author_id == current_user.id)
            .order_by(Listing.created_at.desc(), Listing.id.desc())
        )
    ).all()
    return render_template(
        "listings/mine.html", listings=listings, is_open=is_open, removal_date=removal_date
    )


@bp.route("/profiel/hulp", methods=["GET", "POST"])
@member_required
def helping() -> str | Response:
    """Mijn hulp: whether and how a member helps neighbours."""
    member = current_member()
    form = HelpSettingsForm(obj=member)
    form.categories.choices = [SelectChoice(c.id, c.label) for c in categories()]
    if request.method == "GET":
        form.categories.data = sorted(helper_category_ids(member))
        form.notify_new_asks.data = frequency_for(member.id, Topic.NEW_ASKS) != Frequency.NEVER
    if form.validate_on_submit():
        settings = HelpSettings(
            offers_help=form.offers_help.data,
            category_ids=set(form.categories.data),
            skills=form.skills.data or "",
            notify_new_asks=form.notify_new_asks.data,
        )
        save_help_settings(member, settings)
        db.session.commit()
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("listings.helping"))
    return render_template("listings/helping.html", form=form)


@bp.get("/wie-helpt")
def who_helps() -> str:
    """Members who offer help, per category: only first name, village and skills."""
    form = HelperFilterForm(request.args)
    form.category.choices = category_choices(_("All kinds of help"))
    form.validate()
    category_id = form.category.data if not form.category.errors else None
    return render_template(
        "listings/who_helps.html",
        form=form,
        groups=helpers_by_category(category_id),
        filtered=bool(category_id),
    )
