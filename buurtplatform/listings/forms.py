from __future__ import annotations

from datetime import datetime

from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from buurtplatform.fields import Form, UniqueName, at_most, strip_text
from buurtplatform.listings.models import Category, Kind, Timing

TITLE_MAX = 100
DESCRIPTION_MAX = 2000
SKILLS_MAX = 300


class NewPersonOnly:
    """A validator: the details of a new person matter only when the coordinator picked no
    one entered before."""

    def __call__(self, form: Form, field: Field) -> None:
        if form.person.data:
            field.errors.clear()
            raise StopValidation()


class PersonFields(Form):
    """About the person a coordinator posts for (declared before `ListingForm`, so that
    `OnBehalfForm` lists them first, as its page shows them)."""

    person = SelectField(
        _l("Did you enter this person before?"),
        coerce=int,
        default=0,
        description=_l("Choose the person. Or choose 'No, someone new' and fill in the details."),
    )
    person_name = StringField(
        _l("Name of the person"),
        description=_l("Only coordinators see this."),
        validators=[
            NewPersonOnly(),
            DataRequired(_l("Fill in the name of the person.")),
            at_most(120),
        ],
        filters=[strip_text],
    )
    person_phone = StringField(
        _l("Phone number of the person"),
        description=_l("Only coordinators see this."),
        validators=[
            NewPersonOnly(),
            DataRequired(_l("Fill in a phone number, so that you can call back.")),
            at_most(40),
        ],
        filters=[strip_text],
    )
    consent = BooleanField(
        _l("The person agrees that we place this ask and keep these details."),
        validators=[DataRequired(_l("Ask the person for consent first."))],
    )
    consent_note = StringField(
        _l("How and when was consent given?"),
        description=_l("For example: by phone on 3 March, with her daughter present."),
        validators=[
            NewPersonOnly(),
            DataRequired(_l("Write down how consent was given.")),
            at_most(300),
        ],
        filters=[strip_text],
    )


class ListingForm(Form):
    """Three short steps: what, where, when."""

    kind = RadioField(
        _l("Do you ask for help or offer help?"),
        choices=[
            SelectChoice(Kind.ASK.value, _l("I ask for help")),
            SelectChoice(Kind.OFFER.value, _l("I offer help")),
        ],
        validators=[DataRequired(_l("Choose whether you ask for help or offer help."))],
    )
    category = SelectField(
        _l("What kind of help?"),
        coerce=int,
        validators=[NumberRange(min=1, message=_l("Choose what kind of help it is."))],
    )
    title = StringField(
        _l("Title"),
        description=_l("In a few words, for example: Who can take me to the hospital?"),
        validators=[
            DataRequired(_l("Give your message a short title.")),
            Length(max=TITLE_MAX, message=_l("The title can be at most 100 characters long.")),
        ],
        filters=[strip_text],
    )
    description = TextAreaField(
        _l("Tell a bit more"),
        description=_l(
            "What is it about, and when does it suit you? Do not write your address or phone "
            "number here: you can share it later in a private message."
        ),
        validators=[
            DataRequired(_l("Tell a bit more about it.")),
            Length(
                max=DESCRIPTION_MAX, message=_l("The text can be at most 2000 characters long.")
            ),
        ],
        filters=[strip_text],
    )
    on_behalf_of = StringField(
        _l("Is the help for someone else? For whom?"),
        description=_l("For example: my mother. Leave empty if it is for yourself."),
        validators=[
            Optional(),
            at_most(80),
        ],
        filters=[strip_text],
    )
    village = SelectField(
        _l("Where?"),
        coerce=int,
        description=_l("Choose the village or neighbourhood."),
    )
    remote_ok = BooleanField(_l("This can also be done by phone or online"))
    timing = RadioField(
        _l("When?"),
        choices=[
            SelectChoice(Timing.ON_DATE.value, _l("On a date")),
            SelectChoice(Timing.FLEXIBLE.value, _l("Flexible, we will agree on it")),
            SelectChoice(Timing.WEEKLY.value, _l("Every week")),
        ],
        default=Timing.FLEXIBLE.value,
        validators=[DataRequired(_l("Choose when."))],
    )
    # No Optional() here: it would end the validation of an empty date before
    # validate_needed_on, and let "On a date" through without a date.
    needed_on = DateField(
        _l("Date"),
        description=_l("Only if you chose 'On a date'."),
    )
    template = HiddenField()

    def fix_kind(self, kind: Kind) -> None:
        """The kind was chosen before the form ("Ask for help", "Offer help"): it is not
        asked again, and an offer's form speaks of offering."""
        self.kind.data = kind.value
        if kind == Kind.OFFER:
            self.title.description = _l("In a few words, for example: I help in the garden.")
            self.description.description = _l(
                "What can you do, and when does it suit you? Do not write your address or "
                "phone number here: you can share it later in a private message."
            )

    def validate_needed_on(self, field: DateField) -> None:
        if self.timing.data != Timing.ON_DATE.value:
            field.errors.clear()  # the date is only read for "On a date"
            raise StopValidation()
        if field.data is None:
            field.errors.clear()  # empty or unreadable: one message, with an example
            raise ValidationError(_l("Fill in the date, for example 24-12-2026."))
        if field.data < datetime.now(get_timezone()).date():
            raise ValidationError(_l("This date has passed. Choose a date from today on."))


class FilterForm(Form):
    """The filters above the list; read from the query string, no CSRF needed."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    kind = SelectField(
        _l("Ask or offer"),
        choices=[
            SelectChoice("", _l("Asks and offers")),
            SelectChoice(Kind.ASK.value, _l("Only asks for help")),
            SelectChoice(Kind.OFFER.value, _l("Only offers of help")),
        ],
        validators=[Optional()],
    )
    category = SelectField(_l("Kind of help"), coerce=int, validators=[Optional()])
    village = SelectField(_l("Village"), coerce=int, validators=[Optional()])
    remote = BooleanField(_l("Only help by phone or online"))
    # A bound, so that a huge number is an error here rather than an OFFSET the database
    # cannot hold: 10,000 pages of 20 is far more than a municipality ever lists.
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=10_000)])


class ConfirmForm(Form):
    """A button that changes something (renew, close, delete): only the CSRF token."""


class OnBehalfForm(PersonFields, ListingForm):
    """A coordinator posts an ask for someone without an account: the person first."""


class HelpSettingsForm(Form):
    """Mijn hulp: whether a member helps, with what, and whether to hear about new asks."""

    offers_help = BooleanField(
        _l("I like to help neighbours"),
        description=_l(
            "Then you are on the page 'Who helps?' with your first name and village, and we "
            "suggest you when someone asks for help."
        ),
    )
    categories = SelectMultipleField(
        _l("What can you help with?"),
        coerce=int,
        description=_l("Choose one or more."),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    skills = TextAreaField(
        _l("What are you good at?"),
        description=_l(
            "In a few words, for example: I am good with computers. Others can read this. "
            "Do not write your address or phone number here."
        ),
        validators=[
            at_most(SKILLS_MAX),
        ],
        filters=[strip_text],
    )
    notify_new_asks = BooleanField(
        _l("Email me new asks in my categories and village"),
        description=_l(
            "Asks that can be done by phone or online come from the whole municipality."
        ),
    )

    def validate_categories(self, field: SelectMultipleField) -> None:
        if (self.offers_help.data or self.notify_new_asks.data) and not field.data:
            raise ValidationError(_l("Choose at least one thing you can help with."))


class HelperFilterForm(Form):
    """The filter above "Who helps?"; read from the query string, no CSRF needed."""

    class Meta:
        csrf = False

    category = SelectField(_l("Kind of help"), coerce=int, validators=[Optional()])


class CategoryForm(Form):
    """Adding or renaming a kind of help (Beheer)."""

    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Fill in a name.")),
            at_most(60),
            UniqueName(Category, _l("There is a kind of help with this name already.")),
        ],
        filters=[strip_text],
    )


class ReplaceCategoryForm(Form):
    """Removing a kind of help that messages, helpers or templates use: where they go."""

    move_to = RadioField(
        _l("Which kind of help do they get instead?"),
        coerce=int,
        validators=[InputRequired(_l("Choose the kind of help they get instead."))],
    )


class MoveForm(Form):
    """Up or down in a list (Beheer): the button pressed says which."""

    direction = SelectField(choices=[SelectChoice("up", "up"), SelectChoice("down", "down")])


class TemplateForm(Form):
    """A ready-made ask or offer (Beheer). Its kind is chosen when it is added, never changed."""

    kind = RadioField(
        _l("Is it an example of an ask or of an offer?"),
        choices=[
            SelectChoice(Kind.ASK.value, _l("An ask for help")),
            SelectChoice(Kind.OFFER.value, _l("An offer of help")),
        ],
        validators=[DataRequired(_l("Choose whether it is an ask or an offer."))],
    )
    category = SelectField(
        _l("What kind of help?"),
        coerce=int,
        validators=[NumberRange(min=1, message=_l("Choose what kind of help it is."))],
    )
    title = StringField(
        _l("In a few words"),
        description=_l("This is what people click on, and the start of their message."),
        validators=[DataRequired(_l("Fill in a few words.")), at_most(TITLE_MAX)],
        filters=[strip_text],
    )
    description = TextAreaField(
        _l("Tell a bit more"),
        description=_l("The text people start with. They can change it before they place it."),
        validators=[DataRequired(_l("Tell a bit more about it.")), at_most(DESCRIPTION_MAX)],
        filters=[strip_text],
    )
