"""Small helpers shared by the tests."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_rq._job_class import FlaskJob
from rq import SimpleWorker
from werkzeug.test import TestResponse

from buurtplatform.accounts.models import User
from buurtplatform.extensions import db, rq
from buurtplatform.mail.models import Email
from config import TestingConfig
from tenants.models import Tenant
from tenants.scoping import ALL_TENANTS

PASSWORD = "een goed wachtwoord"
DOMAIN = TestingConfig.PLATFORM_DOMAIN


def tenant_by_slug(slug: str) -> Tenant:
    return db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))


def sign_in(client: FlaskClient, user: User | str, password: str = PASSWORD) -> TestResponse:
    email = user if isinstance(user, str) else user.email
    return client.post("/inloggen", data={"email": email, "password": password})


def sign_in_with_form_key(client: FlaskClient, user: User) -> TestResponse:
    """`sign_in` as a browser does it with CSRF on: the form's key from the sign-in page."""
    page = client.get("/inloggen").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    data = {"email": user.email, "password": PASSWORD, "csrf_token": token}
    return client.post("/inloggen", data=data)


def without_form_key(page: str) -> str:
    """`page` without the value of its form keys (signed with the second they were made in)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', page)


def run_worker(app: Flask) -> None:
    """A real RQ worker, in burst mode, in this process and the app's context."""
    with app.app_context():
        queues = list(rq.queues.values())
        worker = SimpleWorker(queues, connection=queues[0].connection, job_class=FlaskJob)
        worker.work(burst=True)


def all_emails(app: Flask) -> list[Email]:
    """Every recorded email, of every municipality, oldest first (detached)."""
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Email).order_by(Email.id).execution_options(**ALL_TENANTS)
        ).all()
        db.session.expunge_all()
        return list(rows)
