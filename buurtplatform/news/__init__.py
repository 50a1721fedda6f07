"""News (nieuws): what connectors and coordinators tell everyone, with an optional photo and
an optional last day; the latest show on the home page."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("news", __name__)
bp.before_request(require_tenant)

from buurtplatform.news import home_block, search_section, views  # noqa: E402,F401 - registers the routes
