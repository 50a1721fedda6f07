"""Bel mij terug: someone who is not online leaves a first name and a phone number, without an
account, and a coordinator calls them back. The request is a task in the werkbank: claimed by
one coordinator, closed with an outcome, and then its phone number is deleted."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("callbacks", __name__)
bp.before_request(require_tenant)

from buurtplatform.callbacks import figure, views  # noqa: E402,F401 - registers the routes and the figure
