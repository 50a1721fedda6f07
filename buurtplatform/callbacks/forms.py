"""The call-back form, and the werkbank's forms to claim, try and close a request."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from buurtplatform.callbacks.models import OUTCOME_LABELS
from buurtplatform.fields import Form, at_most, strip_text

ABOUT_MAX = 300
# What people write between digits: spaces, dashes, dots, brackets.
SEPARATORS = re.compile(r"[\s().-]")
DUTCH = re.compile(r"^0[1-9][0-9]{8}$")
INTERNATIONAL = re.compile(r"^\+[1-9][0-9]{7,14}$")  # E.164: at most 15 digits


def normalised_phone(text: str) -> str | None:
    """The number as digits (with a leading + for another country), or None if it is neither
    a Dutch number (10 digits, starting with 0) nor a plausible international one."""
    digits = SEPARATORS.sub("", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+31"):
        digits = "0" + digits[3:]
    if DUTCH.match(digits) or (INTERNATIONAL.match(digits) and not digits.startswith("+31")):
        return digits
    return None


def callable_phone(form: Form, field: StringField) -> None:
    if field.data and normalised_phone(field.data) is None:
        raise ValidationError(
            _l(
                "Write a Dutch phone number of 10 digits, like 0485 123 456 or "
                "06 12 34 56 78. A number from another country starts with +."
            )
        )


class CallbackForm(Form):
    first_name = StringField(
        _l("Your first name"),
        filters=[strip_text],
        validators=[DataRequired(_l("Write your first name.")), at_most(60)],
        render_kw={"autocomplete": "given-name"},
    )
    phone = StringField(
        _l("Your phone number"),
        filters=[strip_text],
        validators=[DataRequired(_l("Write your phone number.")), callable_phone],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    village = SelectField(_l("Where do you live?"), coerce=int)
    about = TextAreaField(
        _l("What is it about? (you may leave this empty)"),
        description=_l("One sentence is enough, for example: help with shopping."),
        filters=[strip_text],
        validators=[at_most(ABOUT_MAX)],
        render_kw={"rows": 3},
    )
    consent = BooleanField(
        _l("Yes, you may call me on this number about my question."),
        validators=[DataRequired(_l("Tick the box, so that we may call you."))],
    )
    # Left empty by people: a field that only robots fill in (hidden from people and from
    # screen readers).
    website = StringField(_l("Leave this field empty"))
    # When the form was shown and its one-time key, signed (see views.py).
    started = HiddenField()


class ClaimForm(Form):
    """Only the button."""


class CloseForm(Form):
    outcome = SelectField(
        _l("How did it end?"),
        choices=[SelectChoice(outcome.value, label) for outcome, label in OUTCOME_LABELS.items()],
    )
    organisation = SelectField(_l("Referred to (you may leave this empty)"), coerce=int)
