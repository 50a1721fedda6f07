"""Partners carry the platform: Atom feeds (RFC 4287) of a municipality and of each village
(open asks and offers, coming activities, news) that a partner's website or newsletter tool
reads, and a page that explains to partners how to use them.

It composes what the other features have and imports their services; no feature imports it.
"""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("partners", __name__)
bp.before_request(require_tenant)

from buurtplatform.partners import views  # noqa: E402,F401 - registers the routes
