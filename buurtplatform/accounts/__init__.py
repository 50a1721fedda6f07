"""Accounts: sign up, verify, sign in and out, reset a password, profile, join a municipality."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("accounts", __name__)
bp.before_request(require_tenant)

from buurtplatform.accounts import invitations, sessions, views, visits  # noqa: E402,F401 - routes

bp.before_app_request(visits.note_visit)
