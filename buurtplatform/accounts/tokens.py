"""Signed links for email verification and password reset.

A reset link carries part of the current password hash, so it stops working once used (the
hash changes) and after `RESET_TOKEN_MAX_AGE`. Both links are valid on the municipality that
sent them only.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from buurtplatform.accounts.models import User
from buurtplatform.extensions import db
from tenants.scoping import current_tenant

VERIFY = "verify-email"
RESET = "reset-password"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _fingerprint(user: User, purpose: str) -> str:
    return user.password_hash[-16:] if purpose == RESET else user.email


def make_token(user: User, purpose: str) -> str:
    payload = {"u": user.id, "t": current_tenant().id, "f": _fingerprint(user, purpose)}
    return _serializer(purpose).dumps(payload)


def read_token(token: str, purpose: str) -> User | None:
    """The user a valid, unexpired, unused token is for; None otherwise."""
    max_age = current_app.config[
        "VERIFY_TOKEN_MAX_AGE" if purpose == VERIFY else "RESET_TOKEN_MAX_AGE"
    ]
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("t") != current_tenant().id:
        return None
    user = db.session.get(User, payload.get("u"))
    if user is None or payload.get("f") != _fingerprint(user, purpose):
        return None
    return user
