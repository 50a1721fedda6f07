"""The werkbank's filters, the note form and the form for a person a coordinator acts for."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Optional

from buurtplatform.fields import Form, at_most, phone_number, strip_text
from buurtplatform.werkbank.models import NOTE_MAX

# The situations the werkbank can show, in the order of the filter.
SITUATIONS = {
    "open": _l("All open asks"),
    "no_reply": _l("No reply yet"),
    "no_match": _l("Replies, but nothing agreed yet"),
    "no_outcome": _l("Agreed, but we do not know yet how it went"),
}


class FilterForm(Form):
    """Read from the query string: no CSRF needed."""

    class Meta:
        csrf = False

    situation = RadioField(
        _l("Which asks?"),
        choices=[SelectChoice(value, label) for value, label in SITUATIONS.items()],
        default="open",
        validators=[Optional()],
    )
    village = SelectField(_l("Village or neighbourhood"), coerce=int, validators=[Optional()])


class NoteForm(Form):
    body = TextAreaField(
        _l("Note for colleagues"),
        description=_l("Only connectors and social workers see this. Not the person who asks."),
        validators=[DataRequired(_l("Write the note.")), at_most(NOTE_MAX)],
        filters=[strip_text],
    )
    # Where to go back to: the werkbank or the ask's page.
    back = HiddenField(validators=[Optional(), AnyOf(["werkbank", "listing"])])


class PersonForm(Form):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Fill in the name of the person.")), at_most(120)],
        filters=[strip_text],
    )
    phone = StringField(
        _l("Phone number"),
        description=_l("So that you can call back."),
        validators=[
            DataRequired(_l("Fill in a phone number, so that you can call back.")),
            phone_number(),
            at_most(40),
        ],
        filters=[strip_text],
    )
    village = SelectField(_l("Village or neighbourhood"), coerce=int)
    consent_note = StringField(
        _l("How and when was consent given?"),
        description=_l("For example: by phone on 3 March, with her daughter present."),
        validators=[DataRequired(_l("Write down how consent was given.")), at_most(300)],
        filters=[strip_text],
    )
