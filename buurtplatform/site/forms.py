from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField

from buurtplatform.fields import Form
from buurtplatform.i18n import language_choices


class LanguageForm(Form):
    """Chosen on every page, also by visitors whose pages are kept for everyone: without a
    form key, which would need a session (see `site.views.same_site_only`)."""

    class Meta:
        csrf = False

    locale = SelectField(_l("Language"), choices=language_choices())
    next = HiddenField()


class TextSizeForm(Form):
    class Meta:
        csrf = False

    next = HiddenField()
