"""Forms of the sociale kaart: an organisation's profile, an offering, the filters above the
list, and the connector's invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from buurtplatform.directory.models import (
    ACCESS,
    ORGANISATION_TYPES,
    THEMES,
    Organisation,
)
from buurtplatform.fields import (
    Form,
    UniqueName,
    at_most,
    check_web_address,
    phone_number,
    strip_text,
)
from buurtplatform.images import MAX_UPLOAD_BYTES

DESCRIPTION_MAX = 2000
FORMATTING = _l(
    "You can write **bold**, *italics*, lists with a - at the start of a line, and links like "
    "[text](https://…)."
)


def _optional_email(value: str | None) -> str | None:
    return value.strip().lower() if value else value


class CheckboxesField(SelectMultipleField):
    """Several choices, each a checkbox (themes, villages)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OrganisationForm(Form):
    name = StringField(
        _l("Name of the organisation"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Fill in the name of the organisation.")),
            at_most(120),
            UniqueName(
                Organisation, _l("The sociale kaart already has an organisation with this name.")
            ),
        ],
    )
    type = SelectField(
        _l("What kind of organisation"),
        choices=[SelectChoice(value.value, label) for value, label in ORGANISATION_TYPES.items()],
    )
    description = TextAreaField(
        _l("What the organisation does"),
        filters=[strip_text],
        validators=[at_most(DESCRIPTION_MAX)],
        render_kw={"rows": 6},
        description=FORMATTING,
    )
    website = StringField(
        _l("Website"),
        filters=[strip_text],
        validators=[at_most(300), check_web_address],
        description=_l("For example: https://www.mantelzorg-cuijk.nl"),
    )
    phone = StringField(
        _l("Phone number"), filters=[strip_text], validators=[at_most(40), phone_number()]
    )
    email = EmailField(
        _l("Email address"),
        filters=[_optional_email],
        validators=[
            Optional(),
            at_most(254),
            Email(_l("This is not a valid email address, for example name@example.nl.")),
        ],
    )
    address = StringField(
        _l("Address of the office"),
        filters=[strip_text],
        validators=[at_most(200)],
        description=_l("Only the address of the organisation, never someone's home address."),
    )
    logo = FileField(
        _l("Logo or photo"),
        description=_l(
            "Not required. A PNG, JPEG or WebP picture of at most %(limit)d MB.",
            limit=MAX_UPLOAD_BYTES // 1024 // 1024,
        ),
    )
    remove_logo = BooleanField(_l("Remove the logo or photo"))


class OfferingForm(Form):
    title = StringField(
        _l("What do you offer, in a few words"),
        filters=[strip_text],
        validators=[DataRequired(_l("Say in a few words what you offer.")), at_most(120)],
        description=_l("For example: Respijtzorg: a volunteer takes over for a few hours"),
    )
    description = TextAreaField(
        _l("More about it"),
        filters=[strip_text],
        validators=[at_most(DESCRIPTION_MAX)],
        render_kw={"rows": 5},
        description=FORMATTING,
    )
    for_whom = StringField(
        _l("For whom"),
        filters=[strip_text],
        validators=[at_most(300)],
        description=_l("For example: carers who look after someone at home"),
    )
    cost = StringField(
        _l("What does it cost"),
        filters=[strip_text],
        validators=[at_most(200)],
        description=_l("For example: free, or € 5 per morning"),
    )
    access = RadioField(
        _l("How do people get it"),
        choices=[SelectChoice(value.value, label) for value, label in ACCESS.items()],
        default="direct",
    )
    opening_hours = StringField(
        _l("When"),
        filters=[strip_text],
        validators=[at_most(200)],
        description=_l("For example: Monday to Friday, 9:00 to 17:00"),
    )
    contact = StringField(
        _l("Contact for this offer"),
        filters=[strip_text],
        validators=[at_most(200)],
        description=_l("A name, phone number or email address. Empty: the organisation's own."),
    )
    themes = CheckboxesField(
        _l("Themes"),
        choices=[SelectChoice(value.value, label) for value, label in THEMES.items()],
        validators=[DataRequired(_l("Choose at least one theme, so that people find the offer."))],
    )
    villages = CheckboxesField(
        _l("Villages and neighbourhoods"),
        coerce=int,
        description=_l("Choose none if the offer is for the whole municipality."),
    )


class FilterForm(Form):
    """The filters above the list; read from the query string, no CSRF needed."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    theme = SelectField(_l("Theme"), validators=[Optional()])
    village = SelectField(_l("Village"), coerce=int, validators=[Optional()])
    # A bound, so that a huge number is an error here rather than an OFFSET the database
    # cannot hold.
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=10_000)])


class InviteForm(Form):
    email = EmailField(
        _l("Email address of the organisation's contact person"),
        validators=[
            DataRequired(_l("Fill in the email address of the person you invite.")),
            at_most(254),
            Email(_l("This is not a valid email address, for example name@example.nl.")),
        ],
        filters=[_optional_email],
    )
    personal_note = TextAreaField(
        _l("A personal note (not required)"),
        filters=[strip_text],
        validators=[at_most(1000)],
        render_kw={"rows": 3},
        description=_l("It is in the email, with your first name."),
    )


class ConfirmForm(Form):
    """A button that only needs the CSRF token (reviewed, remove)."""
