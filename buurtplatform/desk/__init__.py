"""The infopunt's desk: a coordinator or a trusted volunteer (the role "infopunt", which a
connector grants) helps someone who is not at home online to make an account, and prints a
sheet that explains how to sign in at home.

The account is made through a personal invitation (buurtplatform/accounts/invitations.py):
the person opens the email, at the desk or at home, and chooses their own password there, so
that nobody else ever knows it and the sheet never shows one.
"""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("desk", __name__)
bp.before_request(require_tenant)

from buurtplatform.desk import views  # noqa: E402,F401 - registers the routes
