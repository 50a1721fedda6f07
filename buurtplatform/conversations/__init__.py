"""Replies and private conversations between two people; blocks and reports."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("conversations", __name__)
bp.before_request(require_tenant)

from buurtplatform.conversations import views  # noqa: E402,F401 - registers the routes
