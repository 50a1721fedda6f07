"""Platformbeheer on the portal: signing in there, the municipalities with their member counts,
adding one, and switching one off or on.

The audit log stays one log per municipality, read on its own site (linked from each
municipality here): its links point into that site, its readers are that municipality's
connectors, and what a platform admin does to a municipality is written into its log too.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from buurtplatform.accounts import sessions
from buurtplatform.accounts.forms import SignInForm, SignOutForm, ask_to_retype
from buurtplatform.accounts.invitations import invite
from buurtplatform.accounts.models import Membership, Role
from buurtplatform.accounts.sessions import platform_admin_required
from buurtplatform.accounts.views import rate_limited
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.extensions import db
from buurtplatform.navigation import local_path, safe_next
from buurtplatform.platform_admin import bp
from buurtplatform.platform_admin.forms import NewMunicipalityForm, SwitchForm
from tenants.models import Tenant
from tenants.provisioning import ProvisioningError, create_tenant
from tenants.scoping import ALL_TENANTS, tenant_context

register_actions(
    {
        "platform.created": _l("Added the municipality"),
        "platform.deactivated": _l("Switched the site off"),
        "platform.reactivated": _l("Switched the site on again"),
    }
)


@dataclass(frozen=True)
class Municipality:
    tenant: Tenant
    members: int


def municipalities() -> list[Municipality]:
    """Every municipality, also those switched off, with its number of members: one query
    over all municipalities' memberships (`ALL_TENANTS`), and one for their domains."""
    counts = (
        sa.select(Membership.tenant_id, sa.func.count(Membership.id).label("members"))
        .group_by(Membership.tenant_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Tenant, sa.func.coalesce(counts.c.members, 0))
        .outerjoin(counts, counts.c.tenant_id == Tenant.id)
        .options(selectinload(Tenant.domains))
        .order_by(Tenant.name)
        .execution_options(**ALL_TENANTS)
    )
    return [Municipality(tenant, members) for tenant, members in rows]


def _tenant_or_404(slug: str) -> Tenant:
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        abort(404)
    return tenant


@bp.route("/inloggen", methods=["GET", "POST"])
@rate_limited
def sign_in() -> str | Response:
    """The portal's own sign-in, for platform admins only: its session is valid on the portal
    and nowhere else (buurtplatform.accounts.sessions)."""
    if current_user.is_authenticated:
        return redirect(url_for("platform.index"))
    form = SignInForm()
    if request.method == "GET":
        form.next.data = local_path(request.args.get("next"))
    if form.validate_on_submit():
        user = sessions.check_credentials(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(
                _("This email address and password do not match. Check them and try again.")
            )
        elif not (user.is_platform_admin and user.is_verified):
            form.form_errors.append(
                _(
                    "Only the people who run the whole platform sign in here. To take part, "
                    "choose your municipality and sign in on its site."
                )
            )
        else:
            sessions.sign_in(user)
            return redirect(safe_next(form.next.data, "platform.index"))
    if form.is_submitted():
        ask_to_retype(form.password)
    return render_template("platform_admin/sign_in.html", form=form)


@bp.post("/uitloggen")
def sign_out() -> Response:
    if SignOutForm().validate_on_submit() and current_user.is_authenticated:
        sessions.sign_out()
        flash(_("You are signed out."), "success")
    return redirect(url_for("site.index"))


@bp.get("/")
@platform_admin_required
def index() -> str:
    return render_template("platform_admin/index.html", municipalities=municipalities())


@bp.route("/nieuw", methods=["GET", "POST"])
@platform_admin_required
def new_municipality() -> str | Response:
    form = NewMunicipalityForm()
    if form.validate_on_submit():
        try:
            tenant = create_tenant(form.slug.data, form.name.data, form.village_names)
        except ProvisioningError as error:
            form.show_problem(error)
        else:
            with tenant_context(tenant):
                record("platform.created", tenant.name, link="/")
                invite(form.connector_email.data, Role.CONNECTOR, current_user)
                db.session.flush()
            db.session.commit()
            flash(
                _(
                    "%(name)s is added and its site is online. We sent %(email)s an invitation "
                    "to run it.",
                    name=tenant.name,
                    email=form.connector_email.data,
                ),
                "success",
            )
            return redirect(url_for("platform.index"))
    return render_template("platform_admin/new.html", form=form)


@bp.route("/<slug>/uitzetten", methods=["GET", "POST"])
@platform_admin_required
def deactivate(slug: str) -> str | Response:
    return _switch(_tenant_or_404(slug), active=False)


@bp.route("/<slug>/aanzetten", methods=["GET", "POST"])
@platform_admin_required
def reactivate(slug: str) -> str | Response:
    return _switch(_tenant_or_404(slug), active=True)


def _switch(tenant: Tenant, *, active: bool) -> str | Response:
    """Ask to confirm, then switch the municipality's site on or off, in its audit log.
    Switched off, its site is a 404 for everyone at the next request (tenants.hosts)."""
    if tenant.is_active == active:
        return redirect(url_for("platform.index"))
    form = SwitchForm()
    if form.validate_on_submit():
        tenant.is_active = active
        with tenant_context(tenant):
            action = "platform.reactivated" if active else "platform.deactivated"
            record(action, tenant.name, reason=form.reason.data or "")
            db.session.flush()
        db.session.commit()
        if active:
            flash(_("The site of %(name)s is online again.", name=tenant.name), "success")
        else:
            flash(_("The site of %(name)s is switched off.", name=tenant.name), "success")
        return redirect(url_for("platform.index"))
    return render_template(
        "platform_admin/switch.html", municipality=tenant, form=form, active=active
    )
