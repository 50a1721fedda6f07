"""The connectors' side of the sociale kaart: the overview in Beheer (which entries wait to be
checked, who keeps them), making and removing entries, and inviting an organisation to keep
its own entry."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from buurtplatform import storage
from buurtplatform.accounts.invitations import invite
from buurtplatform.accounts.models import Membership, Role
from buurtplatform.accounts.sessions import connector_required
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.beheer.sections import beheer_section
from buurtplatform.directory import bp
from buurtplatform.directory.forms import ConfirmForm, InviteForm, OrganisationForm
from buurtplatform.directory.models import Organisation, Owner
from buurtplatform.directory.services import organisation_or_404, review_is_due
from buurtplatform.directory.views import apply_organisation_form, entry_link
from buurtplatform.extensions import db

register_actions(
    {
        "directory.organisation_added": _l("Added an organisation to the sociale kaart"),
        "directory.organisation_removed": _l("Removed an organisation from the sociale kaart"),
        "directory.organisation_invited": _l("Invited an organisation to keep its own entry"),
    }
)

beheer_section(
    "directory.manage",
    _l("Sociale kaart"),
    _l("Add organisations, invite them to keep their own page, and see which pages need checking."),
    position=60,
)


@bp.get("/beheer/sociale-kaart")
@connector_required
def manage() -> str:
    """Every entry, those waiting longest for a check first, with the people who keep it and
    an invitation nobody accepted yet."""
    organisations = db.session.scalars(
        sa.select(Organisation)
        .options(
            selectinload(Organisation.owners)
            .joinedload(Owner.membership)
            .joinedload(Membership.user),
            selectinload(Organisation.invitation),
        )
        .order_by(Organisation.reviewed_at, Organisation.name)
    ).all()
    due = [organisation for organisation in organisations if review_is_due(organisation)]
    return render_template("directory/manage.html", organisations=organisations, due=due)


@bp.route("/sociale-kaart/nieuw", methods=["GET", "POST"])
@connector_required
def new() -> str | Response:
    form = OrganisationForm()
    if form.validate_on_submit():
        organisation = Organisation()
        if apply_organisation_form(organisation, form):
            db.session.add(organisation)
            db.session.flush()
            record("directory.organisation_added", organisation.name, link=entry_link(organisation))
            db.session.commit()
            flash(
                _("Added: %(name)s. Now add what the organisation offers.", name=organisation.name),
                "success",
            )
            return redirect(url_for("directory.new_offering", organisation_id=organisation.id))
    return render_template("directory/organisation_form.html", form=form, organisation=None)


@bp.route("/sociale-kaart/<int:organisation_id>/uitnodigen", methods=["GET", "POST"])
@connector_required
def invite_owner(organisation_id: int) -> str | Response:
    """Invite the organisation's contact person by email; accepting the invitation makes them
    keeper of this entry (buurtplatform.directory.services links them)."""
    organisation = organisation_or_404(organisation_id)
    form = InviteForm()
    if not form.is_submitted():
        form.email.data = organisation.email
        # The invitation email names the role only: the note says which page it is about.
        form.personal_note.data = _(
            "Then you keep the page of %(name)s on the sociale kaart yourself.",
            name=organisation.name,
        )
    if form.validate_on_submit():
        invitation = invite(
            form.email.data,
            Role.ORGANISATION,
            invited_by=current_user,
            personal_note=form.personal_note.data,
        )
        organisation.invitation = invitation
        record(
            "directory.organisation_invited",
            f"{organisation.name}: {form.email.data}",
            link=entry_link(organisation),
        )
        db.session.commit()
        flash(
            _(
                "Sent: %(email)s gets an email with a link that works for 7 days.",
                email=form.email.data,
            ),
            "success",
        )
        return redirect(url_for("directory.manage"))
    return render_template("directory/invite.html", form=form, organisation=organisation)


@bp.route("/sociale-kaart/<int:organisation_id>/verwijderen", methods=["GET", "POST"])
@connector_required
def remove(organisation_id: int) -> str | Response:
    organisation = organisation_or_404(organisation_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        logo_key = organisation.logo_key
        db.session.delete(organisation)
        record(
            "directory.organisation_removed", organisation.name, link=url_for("directory.manage")
        )
        db.session.commit()
        storage.delete(logo_key)
        flash(_("Removed: %(name)s.", name=organisation.name), "success")
        return redirect(url_for("directory.manage"))
    return render_template("directory/remove.html", form=form, organisation=organisation)
