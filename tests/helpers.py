"""Small helpers shared by the tests."""

from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from buurtplatform.accounts.models import User
from buurtplatform.extensions import db
from config import TestingConfig
from tenants.models import Tenant

PASSWORD = "een goed wachtwoord"
DOMAIN = TestingConfig.PLATFORM_DOMAIN


def tenant_by_slug(slug: str) -> Tenant:
    return db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))


def sign_in(client: FlaskClient, user: User | str, password: str = PASSWORD) -> TestResponse:
    email = user if isinstance(user, str) else user.email
    return client.post("/inloggen", data={"email": email, "password": password})
