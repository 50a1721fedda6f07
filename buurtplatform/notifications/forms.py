from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice
from wtforms.validators import DataRequired

from buurtplatform.notifications.models import Frequency

FREQUENCY_LABELS = {
    Frequency.IMMEDIATELY: _l("Right away"),
    Frequency.DAILY: _l("Once a day, in one email"),
    Frequency.WEEKLY: _l("Once a week, in one email"),
    Frequency.NEVER: _l("Never"),
}


def _frequency_field(label: str) -> RadioField:
    return RadioField(
        label,
        choices=[SelectChoice(f.value, text) for f, text in FREQUENCY_LABELS.items()],
        validators=[DataRequired(_l("Choose how often."))],
    )


class PreferencesForm(FlaskForm):
    messages = _frequency_field(_l("Replies and messages to me"))
    message_text = BooleanField(
        _l("Put the message itself in the email"),
        description=_l("Then you can read it in your email, without signing in."),
    )
    new_asks = _frequency_field(_l("New asks for help in my categories and village"))
