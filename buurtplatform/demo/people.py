"""The demo's accounts: one per role per municipality (their first names differ per
municipality, buurtplatform.demo.municipalities), and a platform admin."""

from __future__ import annotations

import sqlalchemy as sa

from buurtplatform.accounts.models import Role, User
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow

DEMO_PASSWORD = "buurt-demo-2026"  # noqa: S105 - demo accounts exist in development only
PLATFORM_ADMIN_EMAIL = "beheer@demo.buurtplatform.nl"


def demo_email(slug: str, role: Role) -> str:
    return f"{role.value}.{slug}@demo.buurtplatform.nl"


def ensure_user(email: str, first_name: str, *, admin: bool = False) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, first_name=first_name, email_verified_at=utcnow())
        user.is_platform_admin = admin
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user
