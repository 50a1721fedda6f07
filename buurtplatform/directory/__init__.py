"""The sociale kaart: organisations and what they offer, found by theme and village; kept up
to date by the organisations themselves (invited by a connector) and by the connectors."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("directory", __name__)
bp.before_request(require_tenant)

from buurtplatform.directory import home_block, manage, search_section, views  # noqa: E402,F401 - registers the routes
