from __future__ import annotations

import sqlalchemy as sa
from flask import Response, current_app, g, has_request_context, redirect, render_template, session
from flask_login import current_user

from buurtplatform.accounts.sessions import current_member
from buurtplatform.extensions import db
from buurtplatform.listings.services import open_listings, with_card_details
from buurtplatform.navigation import safe_next
from buurtplatform.site import bp
from buurtplatform.site.forms import LanguageForm, TextSizeForm
from tenants.branding import theme_css
from tenants.hosts import require_tenant
from tenants.models import Tenant, Village

HOME_LISTINGS = 5


@bp.app_context_processor
def shared_page_context() -> dict:
    if not has_request_context():  # an email rendered by a job or a command
        return {"tenant": g.get("tenant")}
    return {
        "tenant": g.get("tenant"),
        "current_member": current_member(),
        "language_form": LanguageForm(prefix="language"),
        "text_size_form": TextSizeForm(prefix="textsize"),
        "large_text": session.get("large_text", False),
        "portal_url": f"{current_app.config['PREFERRED_URL_SCHEME']}://"
        f"{current_app.config['PLATFORM_DOMAIN']}/",
    }


@bp.get("/")
def index() -> str:
    if g.tenant is None:
        tenants = db.session.scalars(
            sa.select(Tenant).where(Tenant.is_active.is_(True)).order_by(Tenant.name)
        ).all()
        return render_template("site/portal.html", tenants=tenants)
    villages = db.session.scalars(sa.select(Village).order_by(Village.name)).all()
    latest = db.session.scalars(with_card_details(open_listings()).limit(HOME_LISTINGS)).all()
    return render_template("site/home.html", villages=villages, latest=latest)


@bp.get("/thema.css")
def theme() -> Response:
    response = Response(theme_css(g.tenant), mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.post("/taal")
def switch_language() -> Response:
    form = LanguageForm(prefix="language")
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
    return redirect(safe_next(form.next.data))


@bp.post("/tekstgrootte")
def toggle_text_size() -> Response:
    form = TextSizeForm(prefix="textsize")
    if form.validate_on_submit():
        session["large_text"] = not session.get("large_text", False)
    return redirect(safe_next(form.next.data))


@bp.get("/privacy")
def privacy() -> str:
    require_tenant()
    return render_template("site/privacy.html")
