"""The search of the whole site: one box that finds asks and offers, board posts, activities,
news and organisations, each kind with its own count and a link to its own list."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("site_search", __name__)
bp.before_request(require_tenant)

from buurtplatform.site_search import home_block, views  # noqa: E402,F401 - registers the routes
