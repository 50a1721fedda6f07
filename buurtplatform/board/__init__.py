"""The prikbord: tips, experiences, questions to the neighbourhood, and things wanted or on
offer, with comments; its authors keep their own posts, connectors pin, close and moderate."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("board", __name__)
bp.before_request(require_tenant)

from buurtplatform.board import home_block, search_section, views  # noqa: E402,F401 - registers the routes
