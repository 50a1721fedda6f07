"""Running a municipality's site (Beheer): what belongs to no other feature (site settings and
branding, the municipality's lists, members and roles, the reports queue, the audit log), and
the Beheer start page that lists every connector's tool, also those other features own."""

from flask import Blueprint

from tenants.hosts import require_tenant

bp = Blueprint("beheer", __name__, url_prefix="/beheer")
bp.before_request(require_tenant)


def load_views() -> None:
    """Import the views, which register their routes on `bp` (create_app calls this). Not when
    the package is imported: every feature imports Beheer's audit log and sections, and
    Beheer's views import every feature, so importing them here would make a cycle."""
    from buurtplatform.beheer import (  # noqa: F401
        guide,
        home_page,
        lists,
        members,
        moderation,
        settings,
        views,
    )
