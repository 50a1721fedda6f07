"""The figures across all municipalities, for platform admins on the portal: the same figures,
charts and CSV files as a municipality's own page (buurtplatform.figures.pages), a row per
municipality plus the total. The counts span municipalities: each figure counts with
`By.MUNICIPALITY`, which marks its query `ALL_TENANTS`."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from buurtplatform.accounts.sessions import platform_admin_required
from buurtplatform.extensions import db
from buurtplatform.figures.forms import MunicipalityChoiceForm
from buurtplatform.figures.pages import Where, csv_file, read_choice, render
from buurtplatform.figures.tables import FiguresPage, Group
from buurtplatform.platform_admin import bp
from tenants.models import Tenant
from tenants.scoping import ALL_TENANTS


def _municipalities() -> list[Group]:
    """Every municipality, also those switched off: their past still counts."""
    rows = db.session.execute(
        sa.select(Tenant.id, Tenant.name).order_by(Tenant.name).execution_options(**ALL_TENANTS)
    )
    return [Group(id, name) for id, name in rows]


def _where() -> Where:
    return Where(
        place="alle-gemeenten",
        everything=_("all municipalities"),
        group_heading=_("Municipality"),
        page_endpoint="platform.figures",
        export_endpoint="platform.figures_export",
    )


def _page(form: MunicipalityChoiceForm) -> FiguresPage:
    return read_choice(form, _municipalities(), _("All municipalities"))


@bp.get("/cijfers")
@platform_admin_required
def figures() -> str:
    form = MunicipalityChoiceForm(request.args)
    return render(_page(form), form, _where(), _("Figures of all municipalities"))


@bp.get("/cijfers/<name>.csv")
@platform_admin_required
def figures_export(name: str) -> Response:
    return csv_file(_page(MunicipalityChoiceForm(request.args)), name, _where())
