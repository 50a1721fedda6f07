"""Who is signed in, and where.

The secret key is shared by all municipalities, so a session cookie copied from one
subdomain to another would still verify. The session therefore records the municipality it
was made on, and the user loader signs nobody in anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import sqlalchemy as sa
from flask import abort, current_app, flash, g, has_request_context, redirect, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.extensions import db
from tenants.scoping import current_tenant

P = ParamSpec("P")
R = TypeVar("R")

SESSION_TENANT = "tenant_id"
# Display preferences outlive signing in and out; the language follows the account.
KEPT_ACROSS_SESSIONS = ("large_text",)


def configure(login_manager: LoginManager) -> None:
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)


def load_user(user_id: str) -> User | None:
    tenant = current_tenant()
    if tenant is None or session.get(SESSION_TENANT) != tenant.id:
        return None
    return db.session.get(User, int(user_id))


def sign_in(user: User) -> None:
    """Start a fresh session for `user` on the current municipality only."""
    kept = {key: session[key] for key in KEPT_ACROSS_SESSIONS if key in session}
    session.clear()
    session.update(kept)
    login_user(user)
    session[SESSION_TENANT] = current_tenant().id


def sign_out() -> None:
    kept = {key: session[key] for key in KEPT_ACROSS_SESSIONS if key in session}
    kept["locale"] = current_user.locale
    logout_user()
    session.clear()
    session.update(kept)


def current_member() -> Membership | None:
    """The signed-in person's membership of the current municipality, if any."""
    if "member" not in g:
        g.member = None
        if has_request_context() and current_user.is_authenticated and current_tenant():
            g.member = db.session.scalar(
                sa.select(Membership).where(Membership.user_id == current_user.id)
            )
    return g.member


def has_role(*roles: Role) -> bool:
    member = current_member()
    return member is not None and member.role in roles


def member_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Signed in and a member of this municipality; a visitor is sent to join first."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if current_member() is None:
            flash(_("Become a member first. Then you can take part."), "info")
            return redirect(url_for("accounts.join"))
        return view(*args, **kwargs)

    return wrapped


def role_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R | Response]]:
    """Only members with one of `roles` in this municipality; others get a 403."""

    def decorate(view: Callable[P, R]) -> Callable[P, R | Response]:
        @wraps(view)
        @member_required
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
            if not has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate
