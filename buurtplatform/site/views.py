from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from buurtplatform import storage
from buurtplatform.accounts.sessions import current_member
from buurtplatform.extensions import csrf, db
from buurtplatform.i18n import large_text_on, remember_large_text, remember_locale
from buurtplatform.navigation import safe_next
from buurtplatform.page_cache import kept_fragment, shared_with_members
from buurtplatform.retention import retention_periods
from buurtplatform.rich_text import render_markdown
from buurtplatform.site import bp
from buurtplatform.site.blocks import home_block, render_home_blocks
from buurtplatform.site.forms import LanguageForm, TextSizeForm
from buurtplatform.site.presence import favicon_svg, municipality_cards, page_description
from tenants.branding import theme_css
from tenants.hosts import require_tenant
from tenants.models import Village

# An uploaded file never changes under its key, so browsers may keep it for a year.
STORED_FILE_MAX_AGE = 365 * 86400
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}

bp.add_app_template_filter(render_markdown, "markdown")


@bp.app_context_processor
def shared_page_context() -> dict:
    if not has_request_context():  # an email rendered by a job or a command
        return {"tenant": g.get("tenant")}
    return {
        "tenant": g.get("tenant"),
        "current_member": current_member(),
        "large_text": large_text_on(),
        "portal_url": f"{current_app.config['PREFERRED_URL_SCHEME']}://"
        f"{current_app.config['PLATFORM_DOMAIN']}/",
        "page_description": page_description(g.get("tenant")),
    }


@bp.get("/")
@shared_with_members(parts="site/_home_parts.html")
def index() -> str:
    if g.tenant is None:
        return _portal()
    return home_page()


def home_page(template: str = "site/home.html", **context: object) -> str:
    """The municipality's home page: its fixed start, then the blocks its connectors chose.
    Beheer's preview renders it in its own `template` with a draft `tenant`."""
    blocks = kept_fragment("home-blocks", lambda: render_home_blocks(g.tenant))
    return render_template(template, blocks=blocks, **context)


@home_block("villages", _l("Our villages"), position=90)
def villages_block() -> str:
    villages = db.session.scalars(sa.select(Village).order_by(Village.name)).all()
    return render_template("site/_villages_block.html", villages=villages)


def _portal() -> str:
    """The municipalities with their villages. "In which village do you live?" narrows the
    list on the server (a plain GET form), so that someone from Beers finds Samen Cuijk."""
    query = request.args.get("dorp", "").strip()[:100]
    cards = municipality_cards()
    found = [card for card in cards if card.matches(query)] if query else []
    return render_template("site/portal.html", cards=cards, query=query, found=found)


@bp.get("/favicon.ico")
@bp.get("/favicon.svg")  # registered first, so links name the .svg
def favicon() -> Response:
    """The icon made from the municipality's logo, or without a logo a house drawn here in
    its primary colour. Pages link to the logo's icon under its own key; browsers and
    crawlers ask for /favicon.ico by themselves, and get the same icon rather than a 404."""
    icon = storage.read(g.tenant.favicon_key) if g.tenant and g.tenant.favicon_key else None
    if icon is not None:
        response = Response(icon, mimetype="image/png")
    else:
        response = Response(favicon_svg(g.tenant), mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/logo/<key>")
def logo(key: str) -> Response:
    """The municipality's logo or the icon made from it. Only its own current ones: a key of
    another municipality, or of a replaced logo, is a 404."""
    require_tenant()
    if key not in (g.tenant.logo_key, g.tenant.favicon_key):
        abort(404)
    return stored_image_response(key)


def stored_image_response(key: str) -> Response:
    """An uploaded image, cacheable for good: its key changes whenever the image does."""
    data = storage.read(key)
    if data is None:
        abort(404)
    response = Response(data, mimetype=IMAGE_TYPES[key.rsplit(".", 1)[1]])
    response.cache_control.public = True
    response.cache_control.max_age = STORED_FILE_MAX_AGE
    response.cache_control.immutable = True
    return response


@bp.get("/thema.css")
def theme() -> Response:
    response = Response(theme_css(g.tenant), mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


def same_site_only() -> None:
    """The language and text-size forms carry no form key (a key needs a session, and a
    visitor's pages are kept for everyone: buurtplatform/page_cache.py). They only change
    this browser's own choice, and another site may not make that choice for it: a browser
    says where a form comes from (`Sec-Fetch-Site`, `Origin`)."""
    fetched_from = request.headers.get("Sec-Fetch-Site", "same-origin")
    origin = request.headers.get("Origin")
    if fetched_from not in ("same-origin", "none") or (
        origin and origin != request.host_url.rstrip("/")
    ):
        abort(403)


@bp.post("/taal")
@csrf.exempt
def switch_language() -> Response:
    same_site_only()
    form = LanguageForm(prefix="language")
    response = redirect(safe_next(form.next.data))
    if form.validate_on_submit():
        remember_locale(response, form.locale.data)
        db.session.commit()
    return response


@bp.post("/tekstgrootte")
@csrf.exempt
def toggle_text_size() -> Response:
    same_site_only()
    form = TextSizeForm(prefix="textsize")
    response = redirect(safe_next(form.next.data))
    if form.validate_on_submit():
        remember_large_text(response, not large_text_on())
    return response


@bp.get("/privacy")
def privacy() -> str:
    require_tenant()
    return render_template("site/privacy.html", periods=retention_periods(g.tenant))


@bp.get("/toegankelijkheid")
def accessibility() -> str:
    """The toegankelijkheidsverklaring, after the parts of the Dutch model statement."""
    require_tenant()
    return render_template("site/accessibility.html")


@bp.get("/over-ons")
def about() -> str:
    require_tenant()
    return render_template(
        "site/own_text.html", title=_("About us"), text=g.tenant.local_about_text
    )


@bp.get("/huisregels")
def house_rules() -> str:
    require_tenant()
    return render_template(
        "site/own_text.html", title=_("House rules"), text=g.tenant.local_house_rules
    )
