"""The sociale kaart's pages: the list with its filters, an organisation's page, and editing
an entry and its offerings (owners and connectors)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from buurtplatform.accounts.blocking import not_blocked
from buurtplatform.accounts.sessions import current_member
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.directory import bp
from buurtplatform.directory.forms import ConfirmForm, FilterForm, OfferingForm, OrganisationForm
from buurtplatform.directory.models import THEMES, Offering, Organisation, Theme
from buurtplatform.directory.services import (
    can_edit,
    describe_offerings,
    editable_organisation_or_404,
    mark_reviewed,
    offering_or_404,
    offerings_of,
    organisation_or_404,
    organisations_for,
    own_organisations,
    replace_logo,
    review_is_due,
    save_offering,
    with_offering_details,
)
from buurtplatform.extensions import db
from buurtplatform.images import UnusableImageError
from buurtplatform.listings.services import villages
from buurtplatform.site.views import stored_image_response

PER_PAGE = 20

register_actions(
    {
        "directory.organisation_edited": _l("Edited an organisation on the sociale kaart"),
        "directory.offering_added": _l("Added an offer to the sociale kaart"),
        "directory.offering_edited": _l("Edited an offer on the sociale kaart"),
        "directory.offering_removed": _l("Removed an offer from the sociale kaart"),
        "directory.reviewed": _l("Checked an organisation on the sociale kaart"),
    }
)


def theme_choices() -> list[SelectChoice]:
    return [SelectChoice("", _("All themes"))] + [
        SelectChoice(theme.value, label) for theme, label in THEMES.items()
    ]


def village_choices(prompt: str) -> list[SelectChoice]:
    return [SelectChoice(0, prompt)] + [SelectChoice(v.id, v.name) for v in villages()]


@bp.get("/sociale-kaart")
def index() -> str:
    form = FilterForm(request.args)
    form.theme.choices = theme_choices()
    form.village.choices = village_choices(_("All villages"))
    form.validate()
    theme = Theme(form.theme.data) if form.theme.data and not form.theme.errors else None
    village_id = form.village.data if not form.village.errors else None
    words = "" if form.q.errors else (form.q.data or "")
    page = db.paginate(
        organisations_for(theme, village_id, words),
        page=(form.page.data if not form.page.errors else None) or 1,
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "directory/index.html",
        form=form,
        page=page,
        offerings=offerings_of(page.items, theme, village_id),
        filtered=bool(theme or village_id or words.strip()),
        own=own_organisations(current_member()),
    )


@bp.get("/sociale-kaart/<int:organisation_id>")
def detail(organisation_id: int) -> str:
    organisation = db.first_or_404(
        with_offering_details(db.select(Organisation).where(Organisation.id == organisation_id))
    )
    editable = can_edit(organisation)
    return render_template(
        "directory/detail.html",
        organisation=organisation,
        can_edit=editable,
        review_due=review_is_due(organisation),
        # A form's key needs a session: only for whoever may edit (a visitor's page is
        # everyone's, buurtplatform/page_cache.py).
        confirm_form=ConfirmForm() if editable else None,
    )


@bp.get("/sociale-kaart/<int:organisation_id>/logo/<key>")
def logo(organisation_id: int, key: str) -> Response:
    """The entry's current logo only: an old or another entry's key is a 404."""
    if organisation_or_404(organisation_id).logo_key != key:
        abort(404)
    return stored_image_response(key)


def _uploaded(form: OrganisationForm) -> FileStorage | None:
    upload = form.logo.data
    return upload if isinstance(upload, FileStorage) and upload.filename else None


def apply_organisation_form(organisation: Organisation, form: OrganisationForm) -> bool:
    """Copy the form onto the entry, with its new logo; False (and the form says why) when
    the picture cannot be used, and then nothing is changed."""
    upload = _uploaded(form)
    try:
        if upload is not None:
            replace_logo(organisation, upload.read())
        elif form.remove_logo.data and organisation.logo_key:
            replace_logo(organisation, None)
    except UnusableImageError as error:
        form.logo.errors.append(str(error.message))
        return False
    for name in ("name", "type", "description", "website", "phone", "email", "address"):
        setattr(organisation, name, getattr(form, name).data or "")
    return True


@bp.route("/sociale-kaart/<int:organisation_id>/bewerken", methods=["GET", "POST"])
@login_required
@not_blocked
def edit(organisation_id: int) -> str | Response:
    organisation = editable_organisation_or_404(organisation_id)
    form = OrganisationForm(obj=organisation)
    form.renaming = organisation
    if form.validate_on_submit() and apply_organisation_form(organisation, form):
        mark_reviewed(organisation)
        record(
            "directory.organisation_edited",
            organisation.name,
            link=url_for("directory.detail", organisation_id=organisation.id),
        )
        db.session.commit()
        flash(_("Saved. Thank you for keeping the sociale kaart up to date."), "success")
        return redirect(url_for("directory.detail", organisation_id=organisation.id))
    return render_template("directory/organisation_form.html", form=form, organisation=organisation)


def prepare_offering_form(form: OfferingForm) -> OfferingForm:
    form.villages.choices = [SelectChoice(v.id, v.name) for v in villages()]
    return form


def _offering_fields(form: OfferingForm) -> dict[str, object]:
    return {
        name: getattr(form, name).data
        for name in (
            "title",
            "description",
            "for_whom",
            "cost",
            "access",
            "opening_hours",
            "contact",
        )
    }


@bp.route("/sociale-kaart/<int:organisation_id>/aanbod/nieuw", methods=["GET", "POST"])
@login_required
@not_blocked
def new_offering(organisation_id: int) -> str | Response:
    organisation = editable_organisation_or_404(organisation_id)
    form = prepare_offering_form(OfferingForm())
    if form.validate_on_submit():
        offering = Offering(position=len(organisation.offerings))
        organisation.offerings.append(offering)
        save_offering(offering, form.themes.data, form.villages.data, **_offering_fields(form))
        mark_reviewed(organisation)
        record(
            "directory.offering_added",
            f"{organisation.name}: {offering.title}",
            link=entry_link(organisation),
        )
        db.session.commit()
        flash(_("Saved: %(title)s.", title=offering.title), "success")
        return redirect(entry_link(organisation))
    return render_template(
        "directory/offering_form.html", form=form, organisation=organisation, offering=None
    )


@bp.route(
    "/sociale-kaart/<int:organisation_id>/aanbod/<int:offering_id>/bewerken",
    methods=["GET", "POST"],
)
@login_required
@not_blocked
def edit_offering(organisation_id: int, offering_id: int) -> str | Response:
    organisation = editable_organisation_or_404(organisation_id)
    offering = offering_or_404(organisation, offering_id)
    form = prepare_offering_form(OfferingForm(obj=offering))
    if request.method == "GET":
        form.themes.data = [theme.value for theme in offering.themes]
        form.villages.data = [row.village_id for row in offering.village_rows]
    if form.validate_on_submit():
        save_offering(offering, form.themes.data, form.villages.data, **_offering_fields(form))
        mark_reviewed(organisation)
        record(
            "directory.offering_edited",
            f"{organisation.name}: {offering.title}",
            link=entry_link(organisation),
        )
        db.session.commit()
        flash(_("Saved: %(title)s.", title=offering.title), "success")
        return redirect(entry_link(organisation))
    return render_template(
        "directory/offering_form.html", form=form, organisation=organisation, offering=offering
    )


@bp.route(
    "/sociale-kaart/<int:organisation_id>/aanbod/<int:offering_id>/verwijderen",
    methods=["GET", "POST"],
)
@login_required
@not_blocked
def remove_offering(organisation_id: int, offering_id: int) -> str | Response:
    organisation = editable_organisation_or_404(organisation_id)
    offering = offering_or_404(organisation, offering_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        organisation.offerings.remove(offering)  # deleted with the flush (delete-orphan)
        describe_offerings(organisation)
        record(
            "directory.offering_removed",
            f"{organisation.name}: {offering.title}",
            link=entry_link(organisation),
        )
        db.session.commit()
        flash(_("Removed: %(title)s.", title=offering.title), "success")
        return redirect(entry_link(organisation))
    return render_template(
        "directory/offering_remove.html", form=form, organisation=organisation, offering=offering
    )


@bp.post("/sociale-kaart/<int:organisation_id>/nagekeken")
@login_required
@not_blocked
def reviewed(organisation_id: int) -> Response:
    """ "Everything is still right": the entry counts as looked at today."""
    organisation = editable_organisation_or_404(organisation_id)
    if ConfirmForm().validate_on_submit():
        mark_reviewed(organisation)
        record("directory.reviewed", organisation.name, link=entry_link(organisation))
        db.session.commit()
        flash(_("Thank you! The page now says it was checked today."), "success")
    return redirect(entry_link(organisation))


def entry_link(organisation: Organisation) -> str:
    return url_for("directory.detail", organisation_id=organisation.id)
