"""The form to publish or change a news item."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from buurtplatform.fields import Form, at_most, strip_text
from buurtplatform.images import MAX_UPLOAD_BYTES
from buurtplatform.news.services import local_today

TITLE_MAX = 120
BODY_MAX = 6000


class NewsForm(Form):
    title = StringField(
        _l("Headline"),
        description=_l("Short and clear, for example: New coffee morning in Escharen"),
        validators=[DataRequired(_l("Write a headline.")), at_most(TITLE_MAX)],
        filters=[strip_text],
    )
    body = TextAreaField(
        _l("The news"),
        description=_l("You can use *italics*, **bold**, lists and links."),
        validators=[DataRequired(_l("Write the news itself.")), at_most(BODY_MAX)],
        filters=[strip_text],
    )
    village = SelectField(
        _l("For which village?"),
        coerce=int,
        description=_l("Choose the whole municipality if it is for everyone."),
    )
    last_day = DateField(
        _l("Last day on the site (you may leave this empty)"),
        description=_l(
            "After this day the news leaves the lists, for example after an event. "
            "Empty: it stays until you remove it."
        ),
        validators=[Optional()],
    )
    photo = FileField(
        _l("Photo (you may leave this empty)"),
        description=_l(
            "A PNG, JPEG or WebP picture of at most %(limit)d MB. We remove hidden details "
            "such as the place where it was taken.",
            limit=MAX_UPLOAD_BYTES // 1024 // 1024,
        ),
    )
    remove_photo = BooleanField(_l("Remove the photo"))

    def validate_last_day(self, field: DateField) -> None:
        if field.data is None:
            field.errors.clear()  # unreadable: one message, with an example
            raise ValidationError(_l("Fill in the date, for example 24-12-2026."))
        # A past day the item already had may stay: a typo in old news can still be fixed.
        if field.data < local_today() and field.data != field.object_data:
            raise ValidationError(_l("This date has passed. Choose a date from today on."))
