"""Forms of the Beheer pages that belong to this feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from buurtplatform.fields import Form


class AuditFilterForm(Form):
    """The filters above the audit log; read from the query string, no CSRF needed."""

    class Meta:
        csrf = False

    area = SelectField(_l("What"), validators=[Optional()])
    actor = SelectField(_l("Who"), coerce=int, validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Up to and including"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=10_000)])


class HomeBlockForm(Form):
    """One change to the home page's blocks: the button pressed on a block's row."""

    block = HiddenField(validators=[InputRequired()])
    change = SelectField(
        choices=[SelectChoice(change, change) for change in ("up", "down", "show", "hide")],
        validators=[InputRequired()],
    )
