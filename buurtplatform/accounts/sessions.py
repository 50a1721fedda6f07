"""Who is signed in, and where.

Each sign-in is a `UserSession` row; the session cookie holds a random key and the row only its
hash. A session lives as long as its row: deleting the row ends it, also for a copy of the
cookie, and rows older than `SESSION_MAX_AGE_DAYS` count for nothing.

The secret key is shared by all municipalities, so a session cookie copied from one
subdomain to another would still verify. The session therefore records the municipality it
was made on, and the user loader signs nobody in anywhere else. The portal (no municipality)
is a place of its own, where only platform admins sign in: a portal session signs nobody in on
a municipality, and a municipality's session nobody on the portal.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import ParamSpec, TypeVar

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from buurtplatform.accounts.models import Membership, Role, User, UserSession
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.scoping import BUILT_ONCE, current_tenant

P = ParamSpec("P")
R = TypeVar("R")

SESSION_TENANT = "tenant_id"
SESSION_KEY = "session_key"
# What a portal session records instead of a municipality's id (ids are integers).
PORTAL = "portal"

# Checked when an address is unknown, so that a wrong address takes as long as a wrong
# password and does not reveal who has an account.
UNKNOWN_USER_HASH = generate_password_hash("not a real password")


def configure(login_manager: LoginManager) -> None:
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _oldest_live_session() -> datetime:
    return utcnow() - timedelta(days=current_app.config["SESSION_MAX_AGE_DAYS"])


def _place() -> int | str:
    """Where a session is made and valid: the municipality's id, or the portal."""
    tenant = current_tenant()
    return tenant.id if tenant is not None else PORTAL


def load_user(user_id: str) -> User | None:
    """The person whose live session this is, in one query: the user with its session row,
    and on a municipality's site with their membership there (for `current_member`) and their
    number of unread messages (for the menu)."""
    key = session.get(SESSION_KEY)
    if session.get(SESSION_TENANT) != _place() or not isinstance(key, str):
        return None
    values = {"user_id": int(user_id), "key_hash": key_hash(key), "oldest": _oldest_live_session()}
    on_a_municipality = current_tenant() is not None
    query = _person_query(on_a_municipality=on_a_municipality)
    row = db.session.execute(query, values, execution_options=BUILT_ONCE).first()
    if row is None:
        return None
    if on_a_municipality:
        g.member, g.unread_total = row[1], row[2]
    return row[0]


@functools.cache
def _person_query(*, on_a_municipality: bool) -> sa.Select:
    """`load_user`'s query, built once (it runs for every request of a signed-in person)."""
    from buurtplatform.conversations.services import unread_total  # (it imports this module)

    person = sa.bindparam("user_id", type_=sa.Integer)
    statement = (
        sa.select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            User.id == person,
            UserSession.key_hash == sa.bindparam("key_hash", type_=sa.String),
            UserSession.created_at > sa.bindparam("oldest", type_=UserSession.created_at.type),
        )
    )
    if not on_a_municipality:
        return statement
    # The scoping puts the municipality in the join's ON clause: no membership, still a row.
    return statement.add_columns(Membership, unread_total(person).scalar_subquery()).outerjoin(
        Membership, Membership.user_id == User.id
    )


def check_credentials(email: str, password: str) -> User | None:
    """The account with this email address and password, or None. An unknown address costs
    as much time as a wrong password."""
    user = db.session.scalar(sa.select(User).where(User.email == email))
    password_ok = check_password_hash(user.password_hash if user else UNKNOWN_USER_HASH, password)
    return user if password_ok else None


def sign_in(user: User) -> None:
    """Start a fresh session for `user` on the current municipality (or the portal) only, and
    commit it."""
    new_key = secrets.token_urlsafe(32)
    # Housekeeping while we are here: the person's expired sessions go.
    db.session.execute(
        sa.delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.created_at <= _oldest_live_session()
        )
    )
    db.session.add(UserSession(user_id=user.id, key_hash=key_hash(new_key)))
    if current_tenant() is not None:
        # Signing in is a visit (see buurtplatform.accounts.visits), noted here for free.
        db.session.execute(
            sa.update(Membership).where(Membership.user_id == user.id).values(last_seen_at=utcnow())
        )
    db.session.commit()
    session.clear()  # language and text size are cookies of their own (buurtplatform.i18n)
    login_user(user)
    session[SESSION_TENANT] = _place()
    session[SESSION_KEY] = new_key


def end_sessions(user: User) -> None:
    """End every session of `user`, on every device, at its next request (in this
    transaction: the caller commits)."""
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))


def sign_out(*, everywhere: bool = False) -> None:
    """End this session, also for any copy of its cookie; `everywhere` ends all the
    signed-in person's sessions."""
    if everywhere:
        end_sessions(current_user)
    else:
        db.session.execute(
            sa.delete(UserSession).where(
                UserSession.key_hash == key_hash(session.get(SESSION_KEY, ""))
            )
        )
    db.session.commit()
    logout_user()
    session.clear()


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
            goal = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("accounts.join", next=goal))
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


def connector_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """The municipality's connectors, and platform admins (who need no membership to run any
    municipality's site); anyone else signed in gets a 403."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not (current_user.is_platform_admin or has_role(Role.CONNECTOR)):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def staff_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """The municipality's connectors and coordinators, and platform admins: the werkbank and
    the figures. Anyone else signed in gets a 403."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not (current_user.is_platform_admin or has_role(Role.CONNECTOR, Role.COORDINATOR)):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def platform_admin_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Platform admins only (the portal's platformbeheer); anyone else signed in gets a 403."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not current_user.is_platform_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
