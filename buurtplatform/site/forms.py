from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField

from buurtplatform.fields import Form
from buurtplatform.i18n import language_choices


class LanguageForm(Form):
    locale = SelectField(_l("Language"), choices=language_choices())
    next = HiddenField()


class TextSizeForm(Form):
    next = HiddenField()
