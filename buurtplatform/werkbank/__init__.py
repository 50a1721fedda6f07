"""The werkbank: where coordinators and connectors see what needs doing (asks nobody answered,
the week on screen) and keep the people a coordinator acts for.

It composes what the other features have and imports their models; no feature imports it,
except through the registries it fills (a listing's panel for staff notes).
"""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("werkbank", __name__, url_prefix="/werkbank")
bp.before_request(require_tenant)

from buurtplatform.werkbank import views, week  # noqa: E402,F401 - registers the routes
