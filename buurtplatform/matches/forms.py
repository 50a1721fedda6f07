from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, NumberRange

from buurtplatform.fields import Form, at_most, strip_text
from buurtplatform.matches.models import Outcome


class ChoosePartnerForm(Form):
    partner = SelectField(
        _l("Who did you agree with?"),
        coerce=int,
        validators=[NumberRange(min=1, message=_l("Choose the person you agreed with."))],
    )


class PhoneMatchForm(Form):
    """A coordinator records a match made by phone, with someone who may not be online."""

    partner_name = StringField(
        _l("Name of the helper"),
        validators=[
            DataRequired(_l("Fill in who helps.")),
            at_most(120),
        ],
        filters=[strip_text],
    )


class OutcomeForm(Form):
    outcome = RadioField(
        _l("Did the help happen?"),
        choices=[
            SelectChoice(Outcome.DONE.value, _l("Yes, it worked out")),
            SelectChoice(Outcome.NOT_DONE.value, _l("No, it did not happen")),
        ],
        validators=[DataRequired(_l("Choose yes or no."))],
    )
