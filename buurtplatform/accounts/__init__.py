"""Accounts: sign up, verify, sign in and out, reset a password, profile, join a municipality."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("accounts", __name__)
bp.before_request(require_tenant)

from buurtplatform.accounts import invitations, sessions, views  # noqa: E402,F401 - registers the routes

bp.after_app_request(sessions.keep_private)
