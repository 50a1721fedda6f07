from __future__ import annotations

from datetime import datetime

from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from buurtplatform.activities.models import KIND_LABELS
from buurtplatform.fields import Form, at_most, strip_text
from buurtplatform.listings.forms import PersonFields

# How often, as one choice: "weekly", or "monthly:<which weekday of the month>".
REPEAT_CHOICES = [
    SelectChoice("none", _l("Once")),
    SelectChoice("weekly", _l("Every week, on the same day")),
    SelectChoice("monthly:1", _l("Every first of the month (the same weekday)")),
    SelectChoice("monthly:2", _l("Every second of the month (the same weekday)")),
    SelectChoice("monthly:3", _l("Every third of the month (the same weekday)")),
    SelectChoice("monthly:4", _l("Every fourth of the month (the same weekday)")),
    SelectChoice("monthly:-1", _l("Every last of the month (the same weekday)")),
]


class ActivityForm(Form):
    title = StringField(
        _l("Name of the activity"),
        description=_l("In a few words, for example: Coffee morning in the community centre"),
        validators=[DataRequired(_l("Give the activity a name.")), at_most(100)],
        filters=[strip_text],
    )
    kind = SelectField(
        _l("What kind of activity?"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validators=[DataRequired(_l("Choose what kind of activity it is."))],
    )
    description = TextAreaField(
        _l("Tell a bit more"),
        description=_l("What happens, and for whom? You can use **bold** and lists."),
        validators=[DataRequired(_l("Tell a bit more about it.")), at_most(4000)],
        filters=[strip_text],
    )
    day = DateField(_l("Date"), description=_l("For a repeating activity: the first time."))
    starts = TimeField(_l("From"), description=_l("For example 10:00"))
    ends = TimeField(_l("Until"), description=_l("For example 11:30"))
    repeat = RadioField(
        _l("How often?"),
        choices=REPEAT_CHOICES,
        default="none",
        validators=[DataRequired(_l("Choose how often."))],
    )
    repeat_until = DateField(
        _l("Repeat until"),
        description=_l("Leave empty if it goes on."),
        validators=[Optional()],
    )
    village = SelectField(
        _l("In which village or neighbourhood?"),
        coerce=int,
    )
    place = StringField(
        _l("Where exactly?"),
        description=_l("For example: De Schakel, Kerkstraat 1. Not a home address."),
        validators=[DataRequired(_l("Fill in where it is.")), at_most(200)],
        filters=[strip_text],
    )
    cost = StringField(
        _l("Cost"),
        description=_l("For example: free, or 2 euro including coffee."),
        validators=[Optional(), at_most(100)],
        filters=[strip_text],
    )
    accessibility = TextAreaField(
        _l("Accessible?"),
        description=_l("For example: wheelchair accessible, a hearing loop, parking at the door."),
        validators=[Optional(), at_most(500)],
        filters=[strip_text],
    )
    capacity = IntegerField(
        _l("How many people can come?"),
        description=_l("Leave empty if there is no limit. When it is full, people can wait."),
        validators=[
            Optional(),
            NumberRange(min=1, max=10000, message=_l("Fill in a number of at least 1.")),
        ],
    )

    def validate_day(self, field: DateField) -> None:
        if field.data is None:
            field.errors.clear()
            raise ValidationError(_l("Fill in the date, for example 24-12-2026."))
        # An activity that began earlier keeps its first date when it is edited.
        unchanged = field.data == getattr(self, "first_day", None)
        if field.data < datetime.now(get_timezone()).date() and not unchanged:
            raise ValidationError(_l("This date has passed. Choose a date from today on."))

    def validate_starts(self, field: TimeField) -> None:
        if field.data is None:
            field.errors.clear()
            raise ValidationError(_l("Fill in the start time, for example 10:00."))
        now = datetime.now(get_timezone())
        is_new_day = self.day.data != getattr(self, "first_day", None)
        if is_new_day and self.day.data == now.date() and field.data < now.time():
            raise ValidationError(_l("This time has passed. Choose a later time."))

    def validate_ends(self, field: TimeField) -> None:
        if field.data is None:
            field.errors.clear()
            raise ValidationError(_l("Fill in the end time, for example 11:30."))
        if self.starts.data is not None and field.data <= self.starts.data:
            raise ValidationError(_l("The end time must be after the start time."))

    def validate_repeat_until(self, field: DateField) -> None:
        if self.repeat.data == "none":
            field.errors.clear()
            raise StopValidation()
        if field.data is not None and self.day.data is not None and field.data < self.day.data:
            raise ValidationError(_l("This date must be after the first date."))


class FilterForm(Form):
    """The filters above the agenda; read from the query string, no CSRF needed."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), filters=[strip_text], validators=[Optional(), at_most(100)])
    village = SelectField(_l("Village or neighbourhood"), coerce=int, validators=[Optional()])
    kind = SelectField(
        _l("Kind of activity"),
        choices=[SelectChoice("", _l("All kinds"))]
        + [SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validators=[Optional()],
    )
    week = SelectField(_l("Week"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)])


class OnBehalfSignupForm(PersonFields):
    """A coordinator signs up someone who is not online."""

    consent = BooleanField(
        _l("The person agrees that we sign them up and keep these details."),
        validators=[DataRequired(_l("Ask the person for consent first."))],
    )


class MessageForm(Form):
    text = TextAreaField(
        _l("Your message"),
        validators=[DataRequired(_l("Write your message.")), at_most(2000)],
        filters=[strip_text],
    )
