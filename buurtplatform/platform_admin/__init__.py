"""Platform admin (platformbeheer): the pages on the portal host where platform admins sign in,
see every municipality with its member count, add one and switch one off or on. The only views
that span municipalities: each such query says `ALL_TENANTS`."""

from flask import Blueprint

from buurtplatform.extensions import login_manager
from tenants.hosts import require_portal

bp = Blueprint("platform", __name__, url_prefix="/platformbeheer")
bp.before_request(require_portal)
# Signing in here is the portal's own: a municipality's sign-in page does not exist on it.
login_manager.blueprint_login_views["platform"] = "platform.sign_in"

from buurtplatform.platform_admin import figures, views  # noqa: E402,F401 - registers the routes
