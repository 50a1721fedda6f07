"""Matches: the poster (or a coordinator) chooses the other side; outcomes for the figures."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("matches", __name__)
bp.before_request(require_tenant)

from buurtplatform.matches import views  # noqa: E402,F401 - registers the routes
