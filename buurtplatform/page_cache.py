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
while people sign in and talk. The short max-age bounds what only time changes ("3 days ago");
when it is up, one request makes the page anew while the others still get the kept one.

A signed-in member's page is made anew, except where a view says its page is the same for
members as for visitors (`shared_with_members`: lists such as asks and offers and the agenda).
Then the member gets the visitors' kept page in their language and text size, with their own
menu and notices (the parts between `<!--personal:…-->` markers in base.html) put in.

A kept page is served by a small WSGI middleware (`KeptPages`) before Flask sees the request:
a GET without a session cookie, for a host this process knows (tenants/hosts.py), in the
visitor's language and text size, costs one round trip to Redis and nothing else. Features
that must see every page a visitor gets (the visit counter) say so with `on_kept_page`. Flask
itself only makes pages and keeps them.

The cache is a help, never a need: if Redis does not answer, pages are made as before.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import (
    Flask,
    current_app,
    g,
    has_app_context,
    has_request_context,
    render_template,
    request,
    session,
)
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import (
    generate_etag,
    is_resource_modified,
    parse_accept_header,
    parse_cookie,
    quote_etag,
)
from werkzeug.wrappers import Response
from werkzeug.wsgi import get_host

from buurtplatform.extensions import Session, cache
from buurtplatform.i18n import LANGUAGE_COOKIE, large_text_on, visitor_locale
from buurtplatform.timestamps import utcnow
from jobs.periods import local_day
from tenants.scoping import current_tenant

log = logging.getLogger(__name__)
T = TypeVar("T")

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
# The shape of what is kept, in every key: raised when it changes, so that app servers of the
# previous release (during a deployment, and for a minute after) never read what this one keeps.
KEPT_FORMAT = "v3"
# What a member's page made from a kept page takes of its headers (the rest is the member's).
CONTENT_HEADERS = frozenset({"Content-Language", "Content-Type"})
# What the middleware read for a request it leaves to Flask, in the request's WSGI environment:
# (place, generation numbers) and {page key: what was kept under it, or None}.
READ_NUMBERS = "buurtplatform.page_cache.numbers"
READ_PAGES = "buurtplatform.page_cache.pages"
# What a 304 (not modified) repeats of a kept page's headers.
NOT_MODIFIED_HEADERS = frozenset({"Cache-Control", "Content-Language", "ETag", "Vary"})
# Headers added to each response anew rather than kept.
UNKEPT_HEADERS = frozenset({"Cache-Control", "Content-Length", "Date", "ETag", "Set-Cookie"})
# What a page served by the middleware tells the features that watch every page: the app, the
# request's WSGI environment, the municipality's id (None on the portal) and the page's headers.
KeptHeaders = list[tuple[str, str]]
KeptPageHook = Callable[[Flask, dict[str, Any], int | None, KeptHeaders], None]


def _generation_key(place: int | str) -> str:
    return f"generation:{place}"


def _generation_keys(place: int | str) -> list[str]:
    return [_generation_key(PLATFORM), _generation_key(place)]


def _numbers(found: list[Any]) -> tuple[int, int]:
    return (found[0] or 0, found[1] or 0)


def generations(tenant_id: int | None) -> tuple[int, int]:
    """The platform's and this municipality's (or the portal's) generation numbers, read once
    per request (and again after this request committed a change)."""
    place = _place(tenant_id)
    known = g.setdefault("page_generations", {})
    if place not in known:
        read = request.environ.pop(READ_NUMBERS, None) if has_request_context() else None
        if read is not None and read[0] == place:  # read by the middleware for this request
            known[place] = read[1]
        else:
            found = _safely(cache.get_many, *_generation_keys(place), default=None)
            known[place] = _numbers(found or [None, None])
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


def _page_key(place: int | str, locale: str, large_text: bool, environ: Mapping[str, Any]) -> str:
    """The one way a kept page is named, by Flask and by the middleware alike: the raw path and
    query of the request, as the WSGI server gave them."""
    size = "large" if large_text else "normal"
    path, query = environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
    return f"page:{KEPT_FORMAT}:{place}:{locale}:{size}:{path}?{query}"


def note_generations() -> None:
    """`before_request`: the numbers a visitor's page is made under, read before it is made
    (a page made from older data must never be kept under newer numbers)."""
    if _may_be_kept():
        tenant_id = g.get("tenant_id")
        g.page_cache_generations = generations(tenant_id)
        g.page_cache_key = _page_key(
            _place(tenant_id), str(get_locale()), large_text_on(), request.environ
        )


def set_cache_headers(response: Response) -> Response:
    """`after_request`, the last one: public and kept, or private and not stored (see the
    module). A kept page keeps all its headers, so that the middleware serves it as made."""
    if request.endpoint == "static" or "Cache-Control" in response.headers:
        return response
    if "shared_page" in g:  # a member's page of a shared view, made afresh
        _keep(*g.shared_page, response)
    if not _is_everyones(response):
        response.cache_control.private = True
        response.cache_control.no_store = True
        return response
    etag = _keep(g.page_cache_key, g.page_cache_generations, response.get_data(), response)
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["CACHE_DEFAULT_TIMEOUT"]
    response.set_etag(etag)
    return response.make_conditional(request)


def _keep(key: str, numbers: tuple[int, int], body: bytes, response: Response) -> str:
    """Keep `body` as everyone's page under `key`, with `response`'s status and headers made
    those of a visitor's page (public, with an ETag), for as long as `numbers` hold; returns
    the ETag."""
    etag = generate_etag(body)
    headers = [(name, value) for name, value in response.headers if name not in UNKEPT_HEADERS]
    headers += [
        ("Cache-Control", f"public, max-age={current_app.config['CACHE_DEFAULT_TIMEOUT']}"),
        ("ETag", quote_etag(etag)),
    ]
    made = (numbers, body, response.status, headers, etag, time.time())
    _safely(cache.set, key, made, _kept_seconds(current_app), default=None)
    return etag


class KeptPages:
    """WSGI middleware: a visitor's kept page, served before Flask sees the request.

    Served only when all of these hold, else Flask answers (and may keep what it makes): a GET
    with no session or remember-me cookie; a host this process has matched to its
    municipality (or the portal) under the numbers that still hold, and that host its
    canonical one; a page kept under those numbers.
    """

    def __init__(self, app: Flask, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.hooks: list[KeptPageHook] = []
        self.static_prefix = f"{app.static_url_path}/"
        config = app.config
        self.private_cookies = (config["SESSION_COOKIE_NAME"], config["REMEMBER_COOKIE_NAME"])

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        found = self._kept(environ) if self.app.config["PAGE_CACHE"] else None
        if found is None:
            return self.wsgi_app(environ, start_response)
        tenant_id, (_, body, status, headers, etag, _) = found
        for hook in self.hooks:
            hook(self.app, environ, tenant_id, headers)
        if not is_resource_modified(environ, etag=etag):
            start_response("304 NOT MODIFIED", [h for h in headers if h[0] in NOT_MODIFIED_HEADERS])
            return []
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def _kept(self, environ: dict[str, Any]) -> tuple[int | None, tuple] | None:
        if environ.get("REQUEST_METHOD") != "GET":
            return None
        if environ.get("PATH_INFO", "").startswith(self.static_prefix):
            return None
        cookies = parse_cookie(environ) if environ.get("HTTP_COOKIE") else {}
        host = get_host(environ)
        known = self.app.extensions.get("known_hosts", {}).get(host)
        if known is None or known.until <= time.monotonic() or not known.match.serves(host):
            return None
        tenant_id = known.match.tenant.id if known.match.tenant is not None else None
        place = _place(tenant_id)
        locale = visitor_locale(
            cookies.get(LANGUAGE_COOKIE),
            parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept),
            self.app.config["BABEL_DEFAULT_LOCALE"],
        )
        large_text = large_text_on(cookies)
        keys = [_page_key(place, locale, large_text, environ)]
        signed_in = any(name in cookies for name in self.private_cookies)
        if signed_in and tenant_id is not None:  # the staff's page too (shared_among_staff)
            keys.append(_page_key(_staff_place(tenant_id), locale, large_text, environ))
        backend = self.app.extensions["cache"][cache]
        found = _safely(backend.get_many, *_generation_keys(place), *keys, default=None)
        if not found:
            return None
        current, key, kept = _numbers(found), keys[0], found[2]
        # What Flask would read again at once, handed on with the request when Flask answers.
        environ[READ_NUMBERS] = (place, current)
        environ[READ_PAGES] = dict(zip(keys, found[2:], strict=True))
        if signed_in:
            return None  # someone's own page (a shared page gets the kept one put together)
        if known.generations != current or not _servable(self.app, backend, key, kept, current):
            return None
        return tenant_id, kept


def on_kept_page(app: Flask, hook: KeptPageHook) -> None:
    """Let `hook` see every page the middleware serves (as `after_request` sees the others)."""
    app.extensions["kept_pages"].hooks.append(hook)


PERSONAL_PARTS = "_personal_parts.html"


def shared_with_members(
    view: Callable[..., Any] | None = None, *, parts: str = PERSONAL_PARTS
) -> Any:
    """Say that `view`'s page, but for its personal parts, is the same for a signed-in member
    as for a visitor, so that a member is served the visitors' kept page with their own parts
    put in: the menu and the notices, and the parts the page itself marks, rendered from the
    template `parts` (tests/test_page_cache.py compares the two for every such view)."""
    if view is None:
        return functools.partial(shared_with_members, parts=parts)
    return _shared(view, staff=False, parts=parts)


def shared_among_staff(make: Callable[..., Any]) -> Callable[..., Any]:
    """Say that the page `make` makes (called after the view checked who may see it) is the
    same for every connector and coordinator of the municipality, but for the menu and the
    notices: the figures page. It is kept per municipality, language, text size, URL and
    local day, for staff only, and for at most CACHE_DEFAULT_TIMEOUT (visits of today raise
    no generation number)."""
    return _shared(make, staff=True, parts=PERSONAL_PARTS)


def _shared(make: Callable[..., Any], *, staff: bool, parts: str) -> Callable[..., Any]:
    @functools.wraps(make)
    def personalised(*args: Any, **kwargs: Any) -> Any:
        if not _for_a_member():
            return make(*args, **kwargs)
        key, numbers = _shared_page_key(staff=staff), generations(g.tenant_id)
        read = request.environ.pop(READ_PAGES, {})
        # (Not read by the middleware when this person's language is not their browser's.)
        kept = read[key] if key in read else _safely(cache.get, key, default=None)
        if _servable(current_app, cache.cache, key, kept, numbers):
            _, body, status, headers, _, _ = kept
            content = [(name, value) for name, value in headers if name in CONTENT_HEADERS]
            page = _put_in(body.decode(), render_template(parts))
            return current_app.response_class(page, status=status, headers=content)
        response = current_app.make_response(make(*args, **kwargs))
        if response.status_code == 200 and response.mimetype == "text/html":
            page = response.get_data(as_text=True)
            if not staff:  # kept as the visitors' page: the middleware serves it to them
                page = _put_in(page, _visitors_parts(parts))
            if staff or current_app.config["WTF_CSRF_FIELD_NAME"] not in page:
                g.shared_page = (key, numbers, page.encode())  # kept by set_cache_headers
        return response

    personalised.shared_with_members = not staff  # type: ignore[attr-defined]
    return personalised


def kept_fragment(name: str, make: Callable[[], T]) -> T:
    """What `make()` returns (rendered HTML, the same for everyone who sees it: the home
    page's blocks), kept per municipality, language and text size under the generation
    numbers, for at most CACHE_DEFAULT_TIMEOUT, as a visitor's page is."""
    tenant_id = g.get("tenant_id")
    if not current_app.config["PAGE_CACHE"] or tenant_id is None:
        return make()
    size = "large" if large_text_on() else "normal"
    key = f"fragment:{KEPT_FORMAT}:{tenant_id}:{get_locale()}:{size}:{name}"
    numbers = generations(tenant_id)
    kept = _safely(cache.get, key, default=None)
    if _servable(current_app, cache.cache, key, kept, numbers):
        return kept[1]
    made = make()
    _safely(cache.set, key, (numbers, made, time.time()), _kept_seconds(current_app), default=None)
    return made


def _kept_seconds(app: Flask) -> int:
    """How long Redis holds what is kept: twice its time, so that when its time is up it can
    still be served while one request makes it anew (`_servable`)."""
    return 2 * app.config["CACHE_DEFAULT_TIMEOUT"]


def _servable(app: Flask, backend: Any, key: str, kept: Any, numbers: tuple[int, int]) -> bool:
    """Whether `kept` (found under `key`, made at the time it ends with) may be served: kept
    under the current generation `numbers`, and younger than CACHE_DEFAULT_TIMEOUT, or older
    while another request is making it anew. When its time is up, the first request to come
    takes the turn to make it (a key of its own, added only if absent, for as long again) and
    the others meanwhile get the kept one, rather than all making the same page at once."""
    if not kept or tuple(kept[0]) != numbers:
        return False
    seconds = app.config["CACHE_DEFAULT_TIMEOUT"]
    if time.time() - kept[-1] < seconds:
        return True
    took_the_turn = _safely(backend.add, f"making:{key}", 1, seconds, default=True)
    return not took_the_turn


PERSONAL_MARK = "<!--personal:"
PERSONAL_END = "<!--/personal:"


def _for_a_member() -> bool:
    return bool(
        current_app.config["PAGE_CACHE"]
        and request.method == "GET"
        and g.get("tenant_id") is not None
        and current_user.is_authenticated
    )


def _shared_page_key(*, staff: bool) -> str:
    """The visitors' page in the member's language and text size; or the staff's page of the
    local day, which no visitor's key can name."""
    place = _staff_place(g.tenant_id) if staff else g.tenant_id
    return _page_key(place, str(get_locale()), large_text_on(), request.environ)


def _staff_place(tenant_id: int) -> str:
    return f"{tenant_id}:staff:{local_day(utcnow())}"


def _visitors_parts(parts: str) -> str:
    """A visitor's parts (their menu, no notices): what a member's page made afresh gets
    instead of theirs when it is kept as the visitors' page."""
    return render_template(
        parts,
        current_user=current_app.login_manager.anonymous_user(),
        current_member=None,
        unread_total=0,
        get_flashed_messages=lambda **_: [],
    )


def _put_in(page: str, parts: str) -> str:
    """`page` with each `<!--personal:name-->…<!--/personal:name-->` part replaced by the
    same-named part of `parts` (see _personal_parts.html)."""
    made = dict(part.split("-->", 1) for part in parts.split(PERSONAL_MARK)[1:])
    pieces = page.split(PERSONAL_MARK)
    for index in range(1, len(pieces)):
        name, rest = pieces[index].split("-->", 1)
        end = rest.index(f"{PERSONAL_END}{name}-->")
        pieces[index] = f"{name}-->{made[name]}{rest[end:]}"
    return PERSONAL_MARK.join(pieces)


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
    """Call before anything else wraps `app.wsgi_app` (ProxyFix wraps this middleware, so that
    it sees the host and address the proxy passed on)."""
    app.config.setdefault("PAGE_CACHE", True)
    app.config.setdefault("REMEMBER_COOKIE_NAME", "remember_token")
    app.before_request(note_generations)
    app.after_request(set_cache_headers)
    middleware = KeptPages(app, app.wsgi_app)
    app.extensions["kept_pages"] = middleware
    app.wsgi_app = middleware
    if not getattr(Session, "_page_cache_listening", False):
        event.listen(Session, "after_flush", _note_flush)
        event.listen(Session, "do_orm_execute", _note_statement)
        event.listen(Session, "after_commit", _count_changes)
        Session._page_cache_listening = True
