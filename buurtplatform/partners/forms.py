"""The choice on the partners' page: which list to make a piece of HTML for."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField
from wtforms.validators import Optional

from buurtplatform.fields import Form


class SnippetForm(Form):
    """Read from the query string (a link can name the choice), so no CSRF token."""

    class Meta:
        csrf = False

    village = SelectField(_l("Village"), coerce=int, validators=[Optional()])
    kind = RadioField(_l("Which list"), validators=[Optional()])
