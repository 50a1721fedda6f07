"""Error pages in the visitor's language, on the municipality's own look."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (_l("Something went wrong"), _l("We could not handle this request. Please try again.")),
    403: (_l("No access"), _l("You are not allowed to see this page.")),
    404: (
        _l("Page not found"),
        _l("This page does not exist (any more). Check the address, or go to the home page."),
    ),
    405: (_l("Something went wrong"), _l("We could not handle this request. Please try again.")),
    # Beyond MAX_CONTENT_LENGTH: only a file sent with a form is that large.
    413: (
        _l("The file is too large"),
        _l("A picture may be at most 2 MB. Go back and choose a smaller picture."),
    ),
    429: (
        _l("Too many attempts"),
        _l("You tried this too often in a short time. Wait a few minutes and try again."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("Sorry, this did not work. Please try again later, or call us."),
    ),
}


def render_error(code: int) -> tuple[str, int]:
    title, text = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    return render_template("errors/error.html", code=code, title=title, text=text), code


def _handle_http_error(error: HTTPException) -> tuple[str, int]:
    return render_error(error.code or 500)


def _handle_csrf_error(error: CSRFError) -> tuple[str, int]:
    title = _l("This form has expired")
    text = _l(
        "For your safety, forms are valid for a limited time. Go back, reload the page "
        "and try again."
    )
    return render_template("errors/error.html", code=400, title=title, text=text), 400


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(500, lambda error: render_error(500))
