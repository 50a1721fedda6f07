"""The desk's page (make an account by email) and the printable "your account" sheet."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import EmailField
from wtforms.validators import DataRequired, Email

from buurtplatform.accounts.invitations import invite
from buurtplatform.accounts.models import Invitation, Membership, Role, User
from buurtplatform.accounts.sessions import has_role, member_required
from buurtplatform.desk import bp
from buurtplatform.extensions import db
from buurtplatform.fields import Form, at_most

DESK_ROLES = (Role.INFOPUNT, Role.COORDINATOR)


class DeskAccountForm(Form):
    email = EmailField(
        _l("Their email address"),
        validators=[
            DataRequired(_l("Fill in the email address of the person you help.")),
            at_most(254),
            Email(_l("This is not a valid email address, for example name@example.nl.")),
        ],
        filters=[lambda value: value.strip().lower() if value else value],
        description=_l("Check it together, letter by letter: the email goes to this address."),
    )


def _at_the_desk() -> None:
    if not has_role(*DESK_ROLES):
        abort(403)


@bp.route("/infopunt", methods=["GET", "POST"])
@member_required
def index() -> str | Response:
    _at_the_desk()
    form = DeskAccountForm()
    if form.validate_on_submit():
        if _is_member_here(form.email.data):
            form.email.errors.append(
                _l(
                    "This address already has an account here. Print the sheet without an "
                    "email address: with 'Forgot your password?' they choose a new password."
                )
            )
        else:
            invitation = invite(form.email.data, Role.RESIDENT, invited_by=current_user)
            db.session.commit()
            return redirect(url_for(".sheet", invitation_id=invitation.id))
    return render_template("desk/index.html", form=form)


def _is_member_here(email: str) -> bool:
    return (
        db.session.scalar(
            sa.select(Membership.id)
            .join(User, User.id == Membership.user_id)
            .where(User.email == email)
        )
        is not None
    )


@bp.get("/infopunt/blad")
@member_required
def general_sheet() -> str:
    """The same sheet for someone who already has an account."""
    _at_the_desk()
    return render_template("desk/sheet.html", invitation=None)


@bp.get("/infopunt/blad/<int:invitation_id>")
@member_required
def sheet(invitation_id: int) -> str:
    """The sheet to take home, in large type: which address to sign in with, and how. An
    invitation of another municipality does not exist here (404) before the role is checked."""
    invitation = db.get_or_404(Invitation, invitation_id)
    _at_the_desk()
    return render_template("desk/sheet.html", invitation=invitation)
