"""Language and time zone: Dutch first, English second, times in Europe/Amsterdam."""

from __future__ import annotations

from flask import Flask, current_app, session
from flask_babel import get_locale
from flask_login import current_user
from wtforms import SelectChoice

# Each language is named in its own language, so that anyone can find theirs.
LANGUAGES = {"nl": "Nederlands", "en": "English"}


def language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGES.items()]


def select_locale() -> str:
    if current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in LANGUAGES:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["get_locale"] = get_locale
