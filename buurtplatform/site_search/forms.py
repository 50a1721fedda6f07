"""The search box."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField
from wtforms.validators import Optional

from buurtplatform.fields import Form, at_most, strip_text


class SearchForm(Form):
    """Read from the query string, so that a search is a link to share; no CSRF needed."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("What are you looking for?"),
        filters=[strip_text],
        validators=[Optional(), at_most(100)],
    )
