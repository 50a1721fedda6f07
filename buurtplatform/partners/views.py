"""The partners' page, and the Atom feeds of the municipality and of each village."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from buurtplatform.extensions import db
from buurtplatform.listings.services import villages
from buurtplatform.listings.views import village_choices
from buurtplatform.partners import bp
from buurtplatform.partners.atom import MEDIA_TYPE, Feed, document
from buurtplatform.partners.feeds import FEED_KINDS, FeedKind
from buurtplatform.partners.forms import SnippetForm
from tenants.models import Village
from tenants.scoping import current_tenant

# A partner's tool reads a feed every few minutes at most; a cache may keep it that long.
FEED_MAX_AGE = 300
# How many items the piece of HTML for a newsletter lists.
SNIPPET_ITEMS = 10
KIND_IN_ADDRESS = "any({})".format(", ".join(f"'{name}'" for name in FEED_KINDS))


@bp.get(f"/atom/<{KIND_IN_ADDRESS}:kind>.xml", defaults={"village_id": None})
@bp.get(f"/atom/<int:village_id>/<{KIND_IN_ADDRESS}:kind>.xml")
def feed(kind: str, village_id: int | None) -> Response:
    village = db.get_or_404(Village, village_id) if village_id is not None else None
    response = Response(document(_feed(FEED_KINDS[kind], village)), mimetype=MEDIA_TYPE)
    response.headers["Content-Type"] = f"{MEDIA_TYPE}; charset=utf-8"
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE
    return response


def feed_title(kind: FeedKind, village: Village | None) -> str:
    tenant = current_tenant()
    if village is None:
        return _("%(site)s: %(what)s", site=tenant.site_name, what=kind.label)
    return _(
        "%(site)s, %(village)s: %(what)s",
        site=tenant.site_name,
        village=village.name,
        what=kind.label,
    )


def feed_link(kind: FeedKind, village: Village | None) -> str:
    values = {"village_id": village.id} if village is not None else {}
    return current_tenant().url_for("partners.feed", kind=kind.name, **values)


def _feed(kind: FeedKind, village: Village | None) -> Feed:
    tenant = current_tenant()
    return Feed(
        host=tenant.canonical_host,
        key=f"atom/{village.id if village else 'gemeente'}/{kind.name}",
        title=feed_title(kind, village),
        self_link=feed_link(kind, village),
        page_link=kind.page_link(village),
        author=tenant.site_name,
        language=str(get_locale()),
        empty_updated=tenant.created_at,
        entries=kind.entries(village),
    )


@bp.get("/voor-partners")
def index() -> str:
    places = villages()
    form = SnippetForm(request.args)
    form.village.choices = village_choices(_("The whole municipality"))
    form.kind.choices = [SelectChoice(kind.name, kind.label) for kind in FEED_KINDS.values()]
    # An unknown choice (an old link, a removed village) falls back to the first one.
    kind = FEED_KINDS.get(form.kind.data or "") or FEED_KINDS["vraag-en-aanbod"]
    village = next((v for v in places if v.id == form.village.data), None)
    form.kind.data, form.village.data = kind.name, village.id if village else 0
    chosen = _feed(kind, village)
    addresses = [
        (place, [(each, feed_link(each, place)) for each in FEED_KINDS.values()])
        for place in (None, *places)
    ]
    return render_template(
        "partners/index.html",
        form=form,
        addresses=addresses,
        chosen=chosen,
        items=chosen.entries[:SNIPPET_ITEMS],
    )
