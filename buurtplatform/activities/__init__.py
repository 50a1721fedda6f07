"""The agenda: activities with sign-up and a waiting list, calendar files and feeds, and a
reminder the day before."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("activities", __name__)
bp.before_request(require_tenant)

from buurtplatform.activities import calendars, home_block, search_section, views  # noqa: E402,F401 - registers the routes
