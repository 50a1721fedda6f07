"""Notification emails: how often each person wants them, one-click unsubscribe, and what
waits for a daily or weekly round-up."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("notifications", __name__)
bp.before_request(require_tenant)

from buurtplatform.notifications import views  # noqa: E402,F401 - registers the routes
