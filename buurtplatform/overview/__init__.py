"""The printable weekly overview ("Buurtnieuws van deze week"), per municipality and per village.

It is read from paper by people who are not online, so it composes what the other features
have (open asks and offers, the coming activities, news) and imports their services; no
feature imports it (the digest links to it by endpoint), so imports still point one way.
"""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("overview", __name__)
bp.before_request(require_tenant)

from buurtplatform.overview import views  # noqa: E402,F401 - registers the routes
