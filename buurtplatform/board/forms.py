"""Forms of the prikbord: a post (new or edited), a comment, and the filters above the list."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional

from buurtplatform.board.models import POST_KINDS
from buurtplatform.fields import Form, at_most, strip_text
from buurtplatform.images import MAX_UPLOAD_BYTES

TITLE_MAX = 100
BODY_MAX = 4000
COMMENT_MAX = 2000


class PostForm(Form):
    kind = RadioField(
        _l("What do you want to share?"),
        choices=[SelectChoice(kind.value, label) for kind, label in POST_KINDS.items()],
        validators=[DataRequired(_l("Choose what you want to share."))],
    )
    title = StringField(
        _l("In a few words"),
        description=_l("For example: A good physiotherapist close by"),
        validators=[DataRequired(_l("Write in a few words what it is about.")), at_most(TITLE_MAX)],
        filters=[strip_text],
    )
    body = TextAreaField(
        _l("Tell more"),
        description=_l(
            "Others can read this. Do not write your address or phone number here. "
            "You can use *italics*, **bold** and lists."
        ),
        validators=[DataRequired(_l("Write a few sentences about it.")), at_most(BODY_MAX)],
        filters=[strip_text],
    )
    village = SelectField(
        _l("Where?"), coerce=int, description=_l("Choose the village or neighbourhood.")
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


class CommentForm(Form):
    body = TextAreaField(
        _l("Your comment"),
        description=_l("Everyone can read it. Do not write your address or phone number here."),
        validators=[DataRequired(_l("Write your comment first.")), at_most(COMMENT_MAX)],
        filters=[strip_text],
    )


class BoardFilterForm(Form):
    """The filters above the board; read from the query string, no CSRF needed."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), at_most(100)])
    kind = SelectField(
        _l("What"),
        choices=[SelectChoice("", _l("Everything"))]
        + [SelectChoice(kind.value, label) for kind, label in POST_KINDS.items()],
        validators=[Optional()],
    )
    village = SelectField(_l("Village"), coerce=int, validators=[Optional()])
    # Bounded, as on the list of asks and offers: a huge page is an error, not an OFFSET.
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=10_000)])
