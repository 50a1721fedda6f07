"""A person's own data (AVG self-service): download it, and delete the account.

A feature of its own because it reads every feature's data about the person; the accounts
feature, which every feature's models import, stays free of them.
"""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("own_data", __name__)
bp.before_request(require_tenant)

from buurtplatform.own_data import views  # noqa: E402,F401 - routes
