from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField

from buurtplatform.i18n import language_choices


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=language_choices())
    next = HiddenField()


class TextSizeForm(FlaskForm):
    next = HiddenField()
