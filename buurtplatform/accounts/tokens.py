"""Signed links for email verification and password reset.

A reset link carries part of the current password hash, so it stops working once used (the
hash changes) and after `RESET_TOKEN_MAX_AGE`. Both links are valid on the municipality that
sent them only.

A verification link may also carry the person's goal (the page they set out for, such as the
ask form), signed with the rest, so that it leads there from any browser: the one they signed
up in, or the tablet on which they read their email.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from buurtplatform.accounts.models import User
from buurtplatform.extensions import db
from buurtplatform.navigation import local_path
from tenants.scoping import current_tenant

VERIFY = "verify-email"
RESET = "reset-password"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _fingerprint(user: User, purpose: str) -> str:
    return user.password_hash[-16:] if purpose == RESET else user.email


def make_token(user: User, purpose: str, goal: str | None = None) -> str:
    payload = {"u": user.id, "t": current_tenant().id, "f": _fingerprint(user, purpose)}
    if goal := local_path(goal):
        payload["n"] = goal
    return _serializer(purpose).dumps(payload)


def read_token_and_goal(token: str, purpose: str) -> tuple[User | None, str | None]:
    """The user a valid, unexpired, unused token is for (None otherwise), and the goal it
    carries (a local path, or None)."""
    max_age = current_app.config[
        "VERIFY_TOKEN_MAX_AGE" if purpose == VERIFY else "RESET_TOKEN_MAX_AGE"
    ]
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:
        return None, None
    if not isinstance(payload, dict) or payload.get("t") != current_tenant().id:
        return None, None
    user = db.session.get(User, payload.get("u"))
    if user is None or payload.get("f") != _fingerprint(user, purpose):
        return None, None
    goal = payload.get("n")
    return user, local_path(goal) if isinstance(goal, str) else None


def read_token(token: str, purpose: str) -> User | None:
    """The user a valid, unexpired, unused token is for; None otherwise."""
    return read_token_and_goal(token, purpose)[0]
