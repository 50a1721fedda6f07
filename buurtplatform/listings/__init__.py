"""Asks and offers: post, browse, search, edit, renew, close; ask templates; on someone's behalf."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("listings", __name__)
bp.before_request(require_tenant)

from buurtplatform.listings import cards, home_block, manage, search_section, views  # noqa: E402,F401 - registers the routes
