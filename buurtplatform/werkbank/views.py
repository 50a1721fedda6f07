"""The werkbank's open asks, staff notes and the people a coordinator acts for."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from buurtplatform.accounts.models import Role
from buurtplatform.accounts.sessions import (
    has_role,
    member_required,
    role_required,
    staff_required,
)
from buurtplatform.activities.services import upcoming_activities
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.callbacks.services import open_callback_requests
from buurtplatform.extensions import db
from buurtplatform.listings.forms import ConfirmForm
from buurtplatform.listings.models import Listing, OfflinePerson
from buurtplatform.listings.panels import listing_panel
from buurtplatform.listings.services import listing_or_404
from buurtplatform.listings.views import village_choices
from buurtplatform.timestamps import utcnow
from buurtplatform.werkbank import bp
from buurtplatform.werkbank.forms import SITUATIONS, FilterForm, NoteForm, PersonForm
from buurtplatform.werkbank.models import StaffNote
from buurtplatform.werkbank.services import (
    notes_on,
    people_rows,
    remove_person,
    werkbank_items,
)

# How far ahead the activities go that a coordinator can sign someone up for from here.
ACTIVITIES_AHEAD = timedelta(weeks=4)

register_actions(
    {"members.person_removed": _l("Removed the details of someone without an account")}
)


def is_staff() -> bool:
    """Who may use the werkbank and see staff notes (as `staff_required`)."""
    return current_user.is_authenticated and (
        current_user.is_platform_admin or has_role(Role.CONNECTOR, Role.COORDINATOR)
    )


@bp.get("/")
@staff_required
def index() -> str:
    form = FilterForm(request.args)
    form.village.choices = village_choices(_("All villages and neighbourhoods"))
    valid = form.validate()
    situation = form.situation.data if valid and form.situation.data in SITUATIONS else "open"
    village_id = (form.village.data or None) if valid else None
    groups = werkbank_items(situation, village_id)
    return render_template(
        "werkbank/index.html",
        form=form,
        situation=situation,
        groups=groups,
        total=sum(len(group.items) for group in groups),
        note_form=NoteForm(back="werkbank"),
        confirm_form=ConfirmForm(),
        coordinator=has_role(Role.COORDINATOR),
        callbacks_waiting=open_callback_requests(),
    )


@bp.post("/vraag/<int:listing_id>/notitie")
@staff_required
def add_note(listing_id: int) -> Response:
    listing = listing_or_404(listing_id)
    form = NoteForm()
    if form.validate_on_submit():
        db.session.add(
            StaffNote(listing_id=listing.id, author_id=current_user.id, body=form.body.data)
        )
        db.session.commit()
        flash(_("Your note is saved. Only colleagues see it."), "success")
    else:
        flash(" ".join(str(e) for e in form.body.errors) or _("Write the note."), "error")
    return _back(form.back.data, listing)


@bp.post("/notities/<int:note_id>/verwijderen")
@staff_required
def delete_note(note_id: int) -> Response:
    note = db.get_or_404(StaffNote, note_id)
    if note.author_id != current_user.id:
        abort(403)
    listing = db.session.get(Listing, note.listing_id)
    if ConfirmForm().validate_on_submit():
        db.session.delete(note)
        db.session.commit()
        flash(_("Your note is deleted."), "success")
    return _back(request.form.get("back"), listing)


def _back(where: str | None, listing: Listing) -> Response:
    """Back to where the note form was: the ask's page, or its place on the werkbank."""
    if where == "listing":
        return redirect(url_for("listings.detail", listing_id=listing.id, _anchor="notes-title"))
    # The note form's address carries the werkbank's filter, so that it stays as it was.
    shown = {name: request.args[name] for name in ("situation", "village") if name in request.args}
    return redirect(url_for("werkbank.index", _anchor=f"vraag-{listing.id}", **shown))


@listing_panel(position=40)
def notes_panel(listing: Listing) -> str | None:
    """Staff notes on an ask's page: only for staff, never for the asker or anyone else."""
    if not listing.is_ask or not is_staff():
        return None
    return render_template(
        "werkbank/_notes_panel.html",
        listing=listing,
        notes=notes_on([listing.id])[listing.id],
        note_form=NoteForm(back="listing"),
        confirm_form=ConfirmForm(),
        back="listing",
    )


@bp.get("/mensen")
@role_required(Role.COORDINATOR)
def people() -> str:
    return render_template("werkbank/people.html", rows=people_rows())


def _person_form(person: OfflinePerson | None = None) -> PersonForm:
    form = PersonForm(obj=person)
    form.village.choices = village_choices(_("Choose a village or neighbourhood"))
    if person is not None and request.method == "GET":
        form.village.data = person.village_id or 0
    return form


@bp.route("/mensen/nieuw", methods=["GET", "POST"])
@role_required(Role.COORDINATOR, Role.INFOPUNT)
def new_person() -> str | Response:
    """Coordinators add people they act for; at the infopunt's desk a volunteer adds someone
    without an email address for them (and then sees nobody's details: the list is the
    coordinators')."""
    form = _person_form()
    if form.validate_on_submit():
        person = OfflinePerson(recorded_by_id=current_user.id)
        _fill(person, form)
        db.session.add(person)
        db.session.commit()
        if not has_role(Role.COORDINATOR):
            flash(
                _("%(name)s is on the social workers' list. They will call.", name=person.name),
                "success",
            )
            return redirect(url_for("desk.index"))
        flash(_("%(name)s is on your list.", name=person.name), "success")
        return redirect(url_for("werkbank.people"))
    return render_template("werkbank/person_form.html", form=form, person=None)


def _fill(person: OfflinePerson, form: PersonForm) -> None:
    person.name = form.name.data
    person.phone = form.phone.data
    person.village_id = form.village.data or None
    person.consent_note = form.consent_note.data


def person_or_404(person_id: int) -> OfflinePerson:
    """Another municipality's person is a 404 (the query is scoped) before the role is asked;
    anyone but a coordinator gets a 403."""
    person = db.get_or_404(OfflinePerson, person_id)
    if not has_role(Role.COORDINATOR):
        abort(403)
    return person


@bp.route("/mensen/<int:person_id>/bewerken", methods=["GET", "POST"])
@member_required
def edit_person(person_id: int) -> str | Response:
    person = person_or_404(person_id)
    form = _person_form(person)
    if form.validate_on_submit():
        _fill(person, form)
        db.session.commit()
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("werkbank.people"))
    return render_template("werkbank/person_form.html", form=form, person=person)


@bp.route("/mensen/<int:person_id>/verwijderen", methods=["GET", "POST"])
@member_required
def remove_person_view(person_id: int) -> str | Response:
    """On the person's request: their details go, and the audit log says that they went,
    without their name or phone number."""
    person = person_or_404(person_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        remove_person(person)
        record("members.person_removed", link=url_for("werkbank.people"))
        db.session.commit()
        flash(_("The details are deleted."), "success")
        return redirect(url_for("werkbank.people"))
    return render_template("werkbank/remove_person.html", form=form, person=person)


@bp.get("/mensen/<int:person_id>/activiteit")
@member_required
def choose_activity(person_id: int) -> str:
    """The coming weeks' activities, each leading to the agenda's own sign-up on someone's
    behalf with this person chosen."""
    person = person_or_404(person_id)
    now = utcnow()
    return render_template(
        "werkbank/choose_activity.html",
        person=person,
        occurrences=upcoming_activities(now, now + ACTIVITIES_AHEAD),
    )
