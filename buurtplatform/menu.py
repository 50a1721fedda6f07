"""The main menu (_nav.html), rendered once per process for each shape it takes.

The menu is on every page and depends on little: the place (a municipality or the portal),
the language, the page it is on, whether someone is signed in and in what role, and their
number of unread messages. Rendering it took a third of a millisecond, a tenth of a signed-in
page, so each shape is rendered once and kept here; the form key of the sign-out button, the
only part that is one person's own, is put in afterwards. Everything _nav.html reads is in
`_shape`; tests/test_menu.py renders the template itself beside `main_menu` for every shape.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

# What the template writes where the form key goes: letters only, so escaping leaves it be.
FORM_KEY_MARK = "formkeyofthesignoutbutton"
# Shapes kept per process; more than this (a menu for each count of unread messages in each
# place and page) and they are rendered afresh.
MOST_SHAPES = 4096

_shapes: dict[tuple, str] = {}


def _shape(context: Context) -> tuple:
    user, member, request = context["current_user"], context["current_member"], context["request"]
    return (
        context.get("tenant") is not None,
        str(get_locale()),
        request.script_root,
        request.endpoint,
        request.blueprint,
        request.path.startswith("/beheer/"),
        user.is_authenticated,
        bool(getattr(user, "is_platform_admin", False)),
        member.role if member is not None else None,
        context.get("unread_total", 0),
    )


@pass_context
def main_menu(context: Context) -> Markup:
    """The menu for this request's page and person (used by base.html and
    _personal_parts.html)."""
    if context.environment.auto_reload:  # a developer editing templates sees each change
        return Markup(_render(context))  # noqa: S704 - our own template, autoescaped
    shape = _shape(context)
    menu = _shapes.get(shape)
    if menu is None:
        menu = _render(context, FORM_KEY_MARK)
        if len(_shapes) >= MOST_SHAPES:
            _shapes.clear()
        _shapes[shape] = menu
    if FORM_KEY_MARK in menu:
        menu = menu.replace(FORM_KEY_MARK, generate_csrf())
    return Markup(menu)  # noqa: S704 - our own template, autoescaped


def _render(context: Context, form_key: str | None = None) -> str:
    """_nav.html with `context` (as `{% include %}` would), and `form_key` for the form key."""
    values = context.get_all()
    if form_key is not None:
        values = {**values, "csrf_token": lambda: form_key}
    return context.environment.get_template("_nav.html").render(values)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["main_menu"] = main_menu
