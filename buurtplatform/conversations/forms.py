from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from buurtplatform.conversations.models import REPORT_REASONS, ReportReason
from buurtplatform.fields import Form, at_most, strip_text

MESSAGE_MAX = 2000


class MessageForm(Form):
    body = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(_l("Write a message first.")),
            Length(max=MESSAGE_MAX, message=_l("A message can be at most 2000 characters long.")),
        ],
        filters=[strip_text],
    )


class ReportForm(Form):
    reason_code = RadioField(
        _l("What is wrong?"),
        choices=[SelectChoice(code.value, label) for code, label in REPORT_REASONS.items()],
        validators=[InputRequired(_l("Choose what is wrong."))],
    )
    reason = TextAreaField(
        _l("Explain in a few words (you may leave this empty)"),
        description=_l(
            "A neighbourhood connector reads your report. We do not tell anyone who reported it."
        ),
        validators=[at_most(1000)],
        filters=[strip_text],
    )

    def validate_reason(self, field: TextAreaField) -> None:
        """Something else says nothing by itself: then the connector needs the words."""
        if self.reason_code.data == ReportReason.OTHER and not field.data:
            raise ValidationError(_l("You chose 'Something else': tell us briefly what is wrong."))
