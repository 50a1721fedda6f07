"""Visitors' pages, kept: HTTP caching headers and a page cache per municipality.

A visitor who has not signed in and has nothing in a session but perhaps a form's key (no
message waiting to be shown) is served pages that are the same for every such visitor. Such a
page, answered 200 without setting a cookie and without a form key in it, is
`Cache-Control: public` with a short max-age and an ETag, and it is kept in the page cache
(`extensions.cache`: Redis, shared by all app servers, or this process without Redis) under
the municipality, the language, the text size and the URL. Every other answer is
`private, no-store`, unless its view said otherwise (feeds, pictures, the theme).

Each municipality has a generation number in the cache, and so has the platform as a whole.
A committed write to a municipality's content or settings raises its number (one to an
account's name, the platform's), and a page kept under an older number is never served again:
a change shows at once, on every app server. Writes that no visitor sees (sessions, emails,
visit counts, staff notes, "read" marks) leave the numbers alone, so that the pages stay kept
while people sign in and talk. The short max-age bounds what only time changes ("3 days ago").

The cache is a help, never a need: if Redis does not answer, pages are made as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context, request, session
from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState
from werkzeug.wrappers import Response

from buurtplatform.extensions import Session, cache
from buurtplatform.i18n import large_text_on
from tenants.scoping import current_tenant

log = logging.getLogger(__name__)

# The generation of everything at once: an account's name shows in every municipality.
PLATFORM = "platform"
# Tables no visitor's page shows, and columns whose change no visitor's page shows.
UNSEEN_TABLES = frozenset(
    {
        "audit_entries",
        "blocks",
        "emails",
        "escalation_steps",
        "notification_preferences",
        "offline_people",
        "pending_notifications",
        "reports",
        "staff_notes",
        "user_sessions",
        "visit_salts",
        "visit_traces",
    }
)
UNSEEN_COLUMNS = frozenset(
    {
        "last_seen_at",
        "author_read_at",
        "replier_read_at",
        "password_hash",
        "locale",
        "email",
        "email_verified_at",
    }
)
PORTAL_TABLES = frozenset({"tenants", "tenant_domains", "villages"})
# Keys a visitor's session may hold while their pages are still everyone's: a form's key.
ANONYMOUS_SESSION_KEYS = frozenset({"csrf_token"})
# Headers of a kept page worth keeping; the rest is added again by every response.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link")


def _generation_key(place: int | str) -> str:
    return f"generation:{place}"


def generations(tenant_id: int | None) -> tuple[int, int]:
    """The platform's and this municipality's (or the portal's) generation numbers, read once
    per request; for a visitor's page, in the same round trip to Redis as the kept page."""
    place = _place(tenant_id)
    known = g.setdefault("page_generations", {})
    if place not in known:
        keys = [_generation_key(PLATFORM), _generation_key(place)]
        page = _page_key(place) if _may_be_kept() else None
        found = _safely(cache.get_many, *keys, *[page] if page else [], default=None)
        found = found or [None] * (len(keys) + bool(page))
        known[place] = (found[0] or 0, found[1] or 0)
        if page:
            g.page_cache_fetched = (page, found[2])
    return known[place]


def _place(tenant_id: int | None) -> int | str:
    return tenant_id if tenant_id is not None else "portal"


def _may_be_kept() -> bool:
    """Whether this request's answer could be everyone's: a visitor's GET."""
    return (
        current_app.config["PAGE_CACHE"]
        and request.method == "GET"
        and request.endpoint not in (None, "static")
        and set(session.keys()) <= ANONYMOUS_SESSION_KEYS
        # A page reached with a secret from an email (an invitation, a reset) is that
        # person's alone.
        and "token" not in (request.view_args or {})
    )


def _page_key(place: int | str) -> str:
    size = "large" if large_text_on() else "normal"
    return f"page:{place}:{get_locale()}:{size}:{request.full_path}"


def serve_kept_page() -> Response | None:
    """`before_request`: a visitor's page from the cache, when it is there and current."""
    if not _may_be_kept():
        return None
    place = _place(g.get("tenant_id"))
    current = generations(g.get("tenant_id"))
    key = _page_key(place)
    fetched_key, kept = g.pop("page_cache_fetched", (None, None))
    if fetched_key != key:
        kept = _safely(cache.get, key, default=None)
    g.page_cache_key, g.page_cache_generations = key, current
    if not kept or tuple(kept[0]) != current:
        return None
    _, body, status, headers, etag = kept
    g.page_cache_hit = True
    response = current_app.response_class(body, status=status, headers=headers)
    response.set_etag(etag)
    return response


def set_cache_headers(response: Response) -> Response:
    """`after_request`: public and kept, or private and not stored (see the module)."""
    if request.endpoint == "static" or "Cache-Control" in response.headers:
        return response
    if not _is_everyones(response):
        response.cache_control.private = True
        response.cache_control.no_store = True
        return response
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["CACHE_DEFAULT_TIMEOUT"]
    if not g.get("page_cache_hit"):
        response.add_etag()
        headers = [(name, value) for name, value in response.headers if name in KEPT_HEADERS]
        etag, _ = response.get_etag()
        entry = (g.page_cache_generations, response.get_data(), response.status_code)
        _safely(cache.set, g.page_cache_key, (*entry, headers, etag), default=None)
    return response.make_conditional(request)


def personal() -> None:
    """Say that this answer carries something of this visitor alone (a one-time key), so
    that it is never kept or served to another."""
    g.page_is_personal = True


def _is_everyones(response: Response) -> bool:
    return (
        "page_cache_key" in g
        and not g.get("page_is_personal")
        and response.status_code == 200
        and not response.is_streamed
        and "Set-Cookie" not in response.headers
        and not session.modified
        and current_app.config["WTF_CSRF_FIELD_NAME"] not in g  # no form key in the page
    )


# Writes, noted per database session and counted once it commits.


def _changed(session_: sa.orm.Session) -> set[int | str]:
    return session_.info.setdefault("page_cache_changed", set())


def _place_of_write() -> int | str:
    tenant = current_tenant()
    return tenant.id if tenant is not None else PLATFORM


def _note_flush(session_: sa.orm.Session, flush_context: Any) -> None:
    changed = _changed(session_)
    for instance in (*session_.new, *session_.dirty, *session_.deleted):
        table = getattr(instance, "__tablename__", None)
        if table in UNSEEN_TABLES or not _seen_change(session_, instance):
            continue
        if table in PORTAL_TABLES:  # the portal lists the municipalities and their villages
            changed.add("portal")
        if table == "tenants":
            changed.add(instance.id)
        elif table == "users":  # a name shows everywhere; a new account nowhere yet
            if instance not in session_.new:
                changed.add(PLATFORM)
        else:
            tenant_id = getattr(instance, "tenant_id", None)
            changed.add(tenant_id if tenant_id is not None else _place_of_write())


def _seen_change(session_: sa.orm.Session, instance: Any) -> bool:
    if instance not in session_.dirty:
        return True
    state = sa.inspect(instance)
    modified = {attribute.key for attribute in state.attrs if attribute.history.has_changes()} & {
        column.key for column in state.mapper.column_attrs
    }
    return bool(modified - UNSEEN_COLUMNS)


def _note_statement(state: ORMExecuteState) -> None:
    """An UPDATE, DELETE or INSERT run as a statement: its table and columns tell whether a
    visitor could see it; which municipality, the one being served (or all of them)."""
    statement = state.statement
    if isinstance(statement, sa.TextClause):
        if statement.text.lstrip()[:6].upper() in ("SELECT", "WITH R", "PRAGMA"):
            return
    elif state.is_select or not isinstance(statement, sa.sql.dml.UpdateBase):
        return
    else:
        table = getattr(statement.table, "name", None)
        if table in UNSEEN_TABLES:
            return
        columns = {getattr(column, "key", str(column)) for column in _values_of(statement)}
        if state.is_update and columns and columns <= UNSEEN_COLUMNS:
            return
    _changed(state.session).add(_place_of_write())


def _values_of(statement: Any) -> Iterable[Any]:
    values = getattr(statement, "_values", None) or {}
    return values.keys()


def _count_changes(session_: sa.orm.Session) -> None:
    """`after_commit`: raise the numbers of what changed. (A rolled-back change may raise one
    too: that costs a page made afresh, never a stale one.)"""
    changed = session_.info.pop("page_cache_changed", set())
    if not changed or not has_app_context():
        return
    for place in changed:
        _safely(cache.cache.inc, _generation_key(place), default=None)
    g.pop("page_generations", None)


def _safely(function: Any, *args: Any, default: Any) -> Any:
    try:
        return function(*args)
    except Exception:  # Redis away: serve without the cache rather than fail the page
        log.warning("The page cache did not answer", exc_info=True)
        return default


def init_app(app: Flask) -> None:
    app.config.setdefault("PAGE_CACHE", True)
    app.before_request(serve_kept_page)
    app.after_request(set_cache_headers)
    if not getattr(Session, "_page_cache_listening", False):
        event.listen(Session, "after_flush", _note_flush)
        event.listen(Session, "do_orm_execute", _note_statement)
        event.listen(Session, "after_commit", _count_changes)
        Session._page_cache_listening = True
