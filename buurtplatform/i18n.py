"""Language and time zone: Dutch first, English second, times in Europe/Amsterdam.

A visitor's language and text size live in two small cookies of their own, not in the session,
so that choosing them starts no session. Both are set for the platform's parent domain, so
that a choice made on the portal or on one municipality holds on all of them. A municipality's
own domain (samenboxmeer.nl) cannot share them: there they hold for that site alone. Browsers
refuse a domain cookie for `localhost` altogether, so in development they are per host.

A signed-in person's saved language wins, and the cookie follows it, so that it also holds
after signing out and on the platform's other sites.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from flask import Flask, current_app, request
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.wrappers import Response
from wtforms import SelectChoice

# Each language is named in its own language, so that anyone can find theirs.
LANGUAGES = {"nl": "Nederlands", "en": "English"}

LANGUAGE_COOKIE = "taal"
LARGE_TEXT_COOKIE = "grote_letters"
PREFERENCE_LIFETIME = timedelta(days=365)


def language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGES.items()]


def visitor_locale(chosen: str | None, accept_languages: LanguageAccept, default: str) -> str:
    """The language of someone not signed in: the one they chose (the cookie), else English
    only for a browser that asks for English and not for Dutch. The page cache's middleware
    asks this before Flask sees the request, so it reads no request of its own."""
    if chosen in LANGUAGES:
        return chosen
    asked = {value.split("-")[0].lower() for value, quality in accept_languages if quality > 0}
    return "en" if "en" in asked and "nl" not in asked else default


def select_locale() -> str:
    if current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    return visitor_locale(
        request.cookies.get(LANGUAGE_COOKIE),
        request.accept_languages,
        current_app.config["BABEL_DEFAULT_LOCALE"],
    )


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def large_text_on(cookies: Mapping[str, str] | None = None) -> bool:
    """Whether this browser asked for larger text (`cookies`: the request's own by default)."""
    return (request.cookies if cookies is None else cookies).get(LARGE_TEXT_COOKIE) == "1"


def _preference_cookie_domain() -> str | None:
    """The platform's domain without port, when this request is on it or one of its
    subdomains and browsers accept it as a cookie domain; else None (this host only)."""
    domain = current_app.config["PLATFORM_DOMAIN"].rsplit(":", 1)[0].lower()
    host = request.host.rsplit(":", 1)[0].lower()
    if "." not in domain or domain.replace(".", "").isdigit():
        return None  # localhost or an IP address
    return domain if host == domain or host.endswith(f".{domain}") else None


def _set_preference(response: Response, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=PREFERENCE_LIFETIME,
        domain=_preference_cookie_domain(),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


def remember_locale(response: Response, locale: str) -> None:
    """Keep `locale` for this browser on every site of the platform, and on the account of a
    signed-in person (the caller commits)."""
    _set_preference(response, LANGUAGE_COOKIE, locale)
    if current_user.is_authenticated:
        current_user.locale = locale


def remember_large_text(response: Response, on: bool) -> None:
    _set_preference(response, LARGE_TEXT_COOKIE, "1" if on else "0")


def _follow_the_account(response: Response) -> Response:
    """`after_request`: the language cookie follows a signed-in person's saved language (also
    when they change it on their profile); pages differ by language and text size."""
    if request.endpoint == "static":
        return response
    response.vary.update(("Accept-Language", "Cookie"))
    if (
        current_user.is_authenticated
        and current_user.locale in LANGUAGES
        and request.cookies.get(LANGUAGE_COOKIE) != current_user.locale
        and not _sets_cookie(response, LANGUAGE_COOKIE)
    ):
        _set_preference(response, LANGUAGE_COOKIE, current_user.locale)
    return response


def _sets_cookie(response: Response, name: str) -> bool:
    return any(cookie.startswith(f"{name}=") for cookie in response.headers.getlist("Set-Cookie"))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["get_locale"] = get_locale
    app.after_request(_follow_the_account)
