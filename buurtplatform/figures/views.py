"""The municipality's figures page, for its connectors, coordinators and platform admins:
every figure per week or month, for the whole municipality or one village, with its CSV
files."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from buurtplatform.accounts.sessions import staff_required
from buurtplatform.beheer.guide import note_figures_seen
from buurtplatform.beheer.sections import beheer_section
from buurtplatform.figures import bp
from buurtplatform.figures.forms import VillageChoiceForm
from buurtplatform.figures.pages import Where, csv_file, read_choice, render
from buurtplatform.figures.tables import FiguresPage, Group
from buurtplatform.listings.services import villages
from buurtplatform.page_cache import shared_among_staff
from tenants.scoping import current_tenant

beheer_section(
    "figures.index",
    _l("Figures"),
    _l("How many asks and offers, replies and agreements, per week or month and per village."),
    position=50,
)


def _where() -> Where:
    return Where(
        place=current_tenant().slug,
        everything=_("the whole municipality"),
        group_heading=_("Village or neighbourhood"),
        page_endpoint="figures.index",
        export_endpoint="figures.export",
    )


def _page(form: VillageChoiceForm) -> FiguresPage:
    groups = [Group(village.id, village.name) for village in villages()]
    return read_choice(form, groups, _("The whole municipality"))


@bp.get("/cijfers")
@staff_required
def index() -> str:
    note_figures_seen()
    return _figures_page()


@shared_among_staff
def _figures_page() -> str:
    form = VillageChoiceForm(request.args)
    page = _page(form)
    return render(page, form, _where(), _("Figures of %(name)s", name=current_tenant().name))


@bp.get("/cijfers/<name>.csv")
@staff_required
def export(name: str) -> Response:
    return csv_file(_page(VillageChoiceForm(request.args)), name, _where())
