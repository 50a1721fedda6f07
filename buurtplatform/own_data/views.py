"""The person's own data (AVG self-service): download it as a ZIP, and delete the account.

Both work on the municipality of the request: the ZIP holds what the person has here, and
deleting removes their membership and content here (see buurtplatform.own_data.data_export
and buurtplatform.own_data.deletion).
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from buurtplatform.accounts import sessions
from buurtplatform.accounts.forms import DeleteAccountForm, ask_to_retype
from buurtplatform.accounts.sessions import current_member
from buurtplatform.accounts.views import rate_limited
from buurtplatform.extensions import db
from buurtplatform.own_data import bp
from buurtplatform.own_data.data_export import export_zip
from buurtplatform.own_data.deletion import (
    Choice,
    delete_account,
    is_last_connector,
    other_municipalities,
)


@bp.get("/profiel/mijn-gegevens.zip")
@login_required
def download_data() -> Response:
    content = export_zip(current_user, g.tenant)
    filename = f"mijn-gegevens-{g.tenant.slug}.zip"
    return Response(
        content,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/profiel/account-verwijderen", methods=["GET", "POST"], endpoint="delete_account")
@login_required
@rate_limited
def delete_account_page() -> str | Response:
    member = current_member()
    others = other_municipalities(current_user)
    # Who cannot delete their account here: a platform admin, the only connector (someone
    # must run the site), and someone who is no member here (it is done where they are).
    refused = (
        current_user.is_platform_admin
        or is_last_connector(member)
        or (member is None and bool(others))
    )
    form = DeleteAccountForm()
    if not refused and form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            form.password.errors.append(_("This password is not right. Try again."))
        else:
            whole_account = delete_account(
                current_user._get_current_object(), Choice(form.content.data)
            )
            db.session.commit()
            sessions.sign_out()
            if whole_account:
                flash(_("Your account is deleted. Thank you for taking part."), "success")
            else:
                flash(
                    _(
                        "You are no longer a member of %(site)s. Your account stays for the "
                        "other municipalities.",
                        site=g.tenant.site_name,
                    ),
                    "success",
                )
            return redirect(url_for("site.index"))
    if form.is_submitted():
        ask_to_retype(form.password)
    return render_template(
        "own_data/delete_account.html",
        form=form,
        member=member,
        others=others,
        refused=refused,
    )
