from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

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
    reason = TextAreaField(
        _l("What is wrong?"),
        description=_l(
            "A neighbourhood connector reads your report. We do not tell anyone who reported it."
        ),
        validators=[
            DataRequired(_l("Tell us briefly what is wrong.")),
            at_most(1000),
        ],
        filters=[strip_text],
    )
