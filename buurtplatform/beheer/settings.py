"""Site settings and branding: the site's name and texts, its contact details and footer
links, and its colours and logo.

Colours and logo are published in two steps: "Show preview" keeps the proposal as a draft
and shows the home page with it; nothing changes for visitors until "Publish". The draft
lives in the connector's own session (a signed cookie): it is one person's proposal, needs no
table or migration, and goes with them when they sign out. An uploaded logo is stored at
once, so that the preview can show it; a draft that is replaced or dropped deletes the files
it stored, and publishing deletes those of the logo it replaces.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from buurtplatform import storage
from buurtplatform.accounts.sessions import connector_required
from buurtplatform.beheer import bp
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.beheer.sections import beheer_section
from buurtplatform.beheer.settings_forms import (
    AccessibilityForm,
    BrandingForm,
    ContactForm,
    TextsForm,
)
from buurtplatform.extensions import db
from buurtplatform.fields import Form
from buurtplatform.images import UnusableImageError, prepare_logo
from buurtplatform.site.views import home_page, stored_image_response
from tenants.branding import theme_css
from tenants.models import Tenant

DRAFT = "branding_draft"

register_actions(
    {
        "settings.texts_changed": _l("Changed the name or texts"),
        "settings.contact_changed": _l("Changed the contact details or footer links"),
        "settings.branding_published": _l("Published new colours or a new logo"),
        "settings.accessibility_changed": _l("Changed the accessibility statement"),
    }
)
beheer_section(
    "beheer.settings_texts",
    _l("Name and texts"),
    _l("The name of the site, the welcome text, the page about you and the house rules."),
    position=10,
)
beheer_section(
    "beheer.settings_branding",
    _l("Colours and logo"),
    _l("The look of the site. You see a preview before anyone else does."),
    position=11,
)
beheer_section(
    "beheer.settings_contact",
    _l("Contact and footer"),
    _l("Who people can call, who answers questions about privacy, and links in the footer."),
    position=12,
)

TEXT_FIELDS = (
    "site_name",
    "welcome_text",
    "welcome_text_en",
    "about_text",
    "about_text_en",
    "house_rules",
    "house_rules_en",
)
beheer_section(
    "beheer.settings_accessibility",
    _l("Accessibility statement"),
    _l("When the site was last checked for accessibility, and what does not work well yet."),
    position=13,
)

CONTACT_FIELDS = (
    "help_contact_name",
    "help_phone",
    "help_hours",
    "help_hours_en",
    "privacy_contact",
)
ACCESSIBILITY_FIELDS = ("accessibility_checked_on", "accessibility_known_problems")


@bp.route("/instellingen/teksten", methods=["GET", "POST"])
@connector_required
def settings_texts() -> str | Response:
    form = TextsForm(obj=g.tenant)
    if form.validate_on_submit():
        changed = _apply(form, TEXT_FIELDS)
        return _saved("settings.texts_changed", changed, "beheer.settings_texts")
    return render_template("beheer/settings_texts.html", form=form)


@bp.route("/instellingen/contact", methods=["GET", "POST"])
@connector_required
def settings_contact() -> str | Response:
    form = ContactForm(obj=g.tenant)
    if request.method == "GET":
        form.fill_footer_links(g.tenant.footer_links or [])
    if form.validate_on_submit():
        changed = _apply(form, CONTACT_FIELDS)
        if form.footer_links() != (g.tenant.footer_links or []):
            g.tenant.footer_links = form.footer_links()
            changed.append(_("Footer links"))
        return _saved("settings.contact_changed", changed, "beheer.settings_contact")
    return render_template("beheer/settings_contact.html", form=form)


@bp.route("/instellingen/toegankelijkheid", methods=["GET", "POST"])
@connector_required
def settings_accessibility() -> str | Response:
    form = AccessibilityForm(obj=g.tenant)
    if form.validate_on_submit():
        changed = _apply(form, ACCESSIBILITY_FIELDS)
        return _saved("settings.accessibility_changed", changed, "beheer.settings_accessibility")
    return render_template("beheer/settings_accessibility.html", form=form)


def _apply(form: Form, names: Iterable[str]) -> list[str]:
    """Copy the fields `names` onto the municipality; the labels of those that changed."""
    changed = []
    for name in names:
        if getattr(g.tenant, name) != form[name].data:
            setattr(g.tenant, name, form[name].data)
            changed.append(str(form[name].label.text))
    return changed


def _saved(action: str, changed: list[str], endpoint: str) -> Response:
    """Audit and commit what changed (the labels in `changed`), and say so."""
    if changed:
        record(action, ", ".join(changed), link=url_for(endpoint))
        db.session.commit()
        flash(_("Saved. Everyone sees it now."), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for(endpoint))


@bp.route("/instellingen/kleuren-en-logo", methods=["GET", "POST"])
@connector_required
def settings_branding() -> str | Response:
    draft = _draft()
    form = BrandingForm(obj=DraftTenant(g.tenant, draft) if draft else g.tenant)
    if form.validate_on_submit():
        try:
            logo = _logo_of(form, draft)
        except UnusableImageError as problem:
            form.logo.errors.append(problem.message)
        else:
            _keep_draft(
                {"primary_color": form.primary_color.data, "accent_color": form.accent_color.data}
                | logo
            )
            return redirect(url_for("beheer.branding_preview"))
    return render_template("beheer/settings_branding.html", form=form, draft=draft)


def _logo_of(form: BrandingForm, draft: dict[str, Any] | None) -> dict[str, Any]:
    """The draft's logo: a new upload (stored now), removed, or as in the earlier draft."""
    upload = form.logo.data
    if upload and upload.filename:
        prepared = prepare_logo(upload.read())
        return {
            "logo_key": storage.save(prepared.logo.data, prepared.logo.extension),
            "favicon_key": storage.save(prepared.favicon.data, prepared.favicon.extension),
        }
    if form.remove_logo.data:
        return {"logo_key": None, "favicon_key": None}
    if draft is not None:
        return {"logo_key": draft["logo_key"], "favicon_key": draft["favicon_key"]}
    return {"logo_key": g.tenant.logo_key, "favicon_key": g.tenant.favicon_key}


@bp.get("/instellingen/kleuren-en-logo/voorbeeld")
@connector_required
def branding_preview() -> str | Response:
    draft = _draft()
    if draft is None:
        return redirect(url_for("beheer.settings_branding"))
    return home_page("beheer/settings_preview.html", tenant=DraftTenant(g.tenant, draft))


@bp.get("/instellingen/kleuren-en-logo/voorbeeld/thema.css")
@connector_required
def branding_preview_theme() -> Response:
    draft = _draft() or {}
    response = Response(theme_css(DraftTenant(g.tenant, draft)), mimetype="text/css")
    response.cache_control.no_store = True
    return response


@bp.get("/instellingen/kleuren-en-logo/voorbeeld/logo/<key>")
@connector_required
def branding_preview_logo(key: str) -> Response:
    draft = _draft()
    if draft is None or key != draft["logo_key"]:
        abort(404)
    return stored_image_response(key)


@bp.post("/instellingen/kleuren-en-logo/publiceren")
@connector_required
def branding_publish() -> Response:
    draft = _draft()
    if draft is None:
        return redirect(url_for("beheer.settings_branding"))
    tenant = g.tenant
    replaced = [key for key in (tenant.logo_key, tenant.favicon_key) if key]
    changed = _apply_draft(tenant, draft)
    if changed:
        record("settings.branding_published", ", ".join(changed), link=url_for("site.index"))
    db.session.commit()
    session.pop(DRAFT)
    for key in replaced:
        if key not in (tenant.logo_key, tenant.favicon_key):
            storage.delete(key)
    flash(_("Published. Everyone sees the new look now."), "success")
    return redirect(url_for("site.index"))


@bp.post("/instellingen/kleuren-en-logo/weggooien")
@connector_required
def branding_discard() -> Response:
    _drop_draft()
    flash(_("The preview is gone. Nothing was changed."), "info")
    return redirect(url_for("beheer.settings_branding"))


def _apply_draft(tenant: Tenant, draft: dict[str, Any]) -> list[str]:
    labels = {
        "primary_color": BrandingForm.primary_color.args[0],
        "accent_color": BrandingForm.accent_color.args[0],
        "logo_key": _l("Logo"),
    }
    changed = []
    for name, label in labels.items():
        if getattr(tenant, name) != draft[name]:
            changed.append(str(label))
    for name in ("primary_color", "accent_color", "logo_key", "favicon_key"):
        setattr(tenant, name, draft[name])
    return changed


class DraftTenant:
    """The municipality as it would look with the draft: its colours and logo from the
    draft, everything else its own. Only the preview pages see it."""

    def __init__(self, tenant: Tenant, draft: dict[str, Any]) -> None:
        self._tenant = tenant
        self.primary_color = draft.get("primary_color", tenant.primary_color)
        self.accent_color = draft.get("accent_color", tenant.accent_color)
        self.logo_key = draft.get("logo_key", tenant.logo_key)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tenant, name)


def _draft() -> dict[str, Any] | None:
    """This connector's draft for this municipality, if any (the session cookie is
    host-only, but a platform admin may hold drafts on several sites)."""
    draft = session.get(DRAFT)
    if draft is None or draft.get("tenant_id") != g.tenant.id:
        return None
    return draft


def _keep_draft(draft: dict[str, Any]) -> None:
    previous = _draft()
    if previous is not None:
        _delete_unused_files(previous, keep=draft)
    session[DRAFT] = {"tenant_id": g.tenant.id, **draft}


def _drop_draft() -> None:
    draft = _draft()
    if draft is not None:
        _delete_unused_files(draft)
        session.pop(DRAFT)


def _delete_unused_files(draft: dict[str, Any], keep: dict[str, Any] | None = None) -> None:
    """Delete the files a draft stored, unless the municipality or the next draft uses them."""
    in_use = {g.tenant.logo_key, g.tenant.favicon_key}
    if keep is not None:
        in_use |= {keep["logo_key"], keep["favicon_key"]}
    for key in (draft["logo_key"], draft["favicon_key"]):
        if key not in in_use:
            storage.delete(key)
