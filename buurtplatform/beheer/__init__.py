"""Running a municipality's site (Beheer): what belongs to no other feature (site settings and
branding, the municipality's lists, members and roles, the reports queue, the audit log), and
the Beheer start page that lists every connector's tool, also those other features own."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("beheer", __name__, url_prefix="/beheer")
bp.before_request(require_tenant)

from buurtplatform.beheer import home_page, lists, members, moderation, settings, views  # noqa: E402,F401 - registers the routes
