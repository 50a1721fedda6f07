"""Small pieces that the features' forms share: the base form that cleans every text field,
stripped text, maximum lengths, names unique in a municipality, web addresses and phone
numbers."""

from __future__ import annotations

from functools import lru_cache, partial
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from babel.support import Translations
from flask import current_app
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.i18n import messages_path
from wtforms.validators import Length, Regexp, ValidationError

from buurtplatform.extensions import db

_CONTROL_CHARACTERS = [*range(0x00, 0x20), *range(0x7F, 0xA0)]  # Unicode category Cc
_LINE_BREAKS = [ord(character) for character in "\n\r\v\f\x85\u2028\u2029"]
_IN_LONG_TEXT = (
    dict.fromkeys(_CONTROL_CHARACTERS) | dict.fromkeys(_LINE_BREAKS, "\n") | {ord("\t"): "\t"}
)
_IN_ONE_LINE = dict.fromkeys(_CONTROL_CHARACTERS) | dict.fromkeys([*_LINE_BREAKS, ord("\t")], " ")


def clean_text(value: Any, *, long_text: bool) -> Any:
    """Text without control characters. A long text keeps its tabs and line breaks (any kind
    becomes a newline); in a line of text they become spaces."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").translate(_IN_LONG_TEXT if long_text else _IN_ONE_LINE)


@lru_cache(maxsize=8)
def _wtforms_catalogue(locale: str) -> Translations:
    return Translations.load(messages_path(), [locale], domain="wtforms")


class WTFormsMessages:
    """WTForms' own messages ("Not a valid choice") in the reader's language. Flask-WTF reads
    their catalogue from disk again on every request; it never changes while the app runs,
    so it is read once per language."""

    def gettext(self, string: str) -> str:
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


WTFORMS_MESSAGES = WTFormsMessages()


class Form(FlaskForm):
    """The base of every form: its text fields (passwords, hidden fields and searches too)
    lose their control characters before anything reads them. They are invisible, come with
    text pasted from word processors, and a NUL is an error on PostgreSQL. Removing them is
    friendlier than refusing the form."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: Form, unbound_field: UnboundField, options: dict) -> Field:
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField):
                clean = partial(clean_text, long_text=issubclass(field_class, TextAreaField))
                options["filters"] = [clean, *unbound_field.kwargs.get("filters", ())]
            return super().bind_field(form, unbound_field, options)

        def get_translations(self, form: Form) -> Any:
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return WTFORMS_MESSAGES


def strip_text(value: str | None) -> str | None:
    """Leading and trailing spaces are never part of what someone meant to type."""
    return value.strip() if value else value


def at_most(characters: int) -> Length:
    """A maximum length, with a message that says it in plain words."""
    return Length(
        max=characters,
        message=_l("This can be at most %(max)d characters long.", max=characters),
    )


class UniqueName:
    """A validator: no other row of `model` in this municipality (the query is scoped) has
    this name, in capitals or not. A form that renames a row sets `form.renaming` to it."""

    def __init__(self, model: type, message: LazyString) -> None:
        self.model = model
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        name = self.model.name
        statement = sa.select(self.model.id).where(sa.func.lower(name) == field.data.lower())
        if (renaming := getattr(form, "renaming", None)) is not None:
            statement = statement.where(self.model.id != renaming.id)
        if db.session.scalar(statement.limit(1)) is not None:
            raise ValidationError(self.message)


def check_web_address(form: Form, field: Field) -> None:
    """A validator: empty, or a link that a browser opens as a web page (never `javascript:`)."""
    if field.data:
        parts = urlsplit(field.data)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data:
            raise ValidationError(_l("Give a web address that starts with https:// (or http://)."))


def phone_number() -> Regexp:
    """A validator: empty, or digits with the spaces, brackets and dashes people write."""
    return Regexp(
        r"^(\+?[0-9][0-9 ()-]{5,})?$",
        message=_l("Write the phone number with digits, like 0485 123 456."),
    )
