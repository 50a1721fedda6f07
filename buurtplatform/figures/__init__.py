"""Figures: what happens on a municipality's platform, each figure with one definition.

`definitions.FIGURES` is the one place a figure is counted; the figures pages, the home page's
block and the coordinators' digest all read it.
"""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("figures", __name__)
bp.before_request(require_tenant)

# The routes, the home page's block, and the counting of visits on every page.
from buurtplatform.figures import home_block, views, visits  # noqa: E402,F401
