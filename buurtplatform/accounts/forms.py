from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange

from buurtplatform.fields import Form, strip_text
from buurtplatform.i18n import language_choices

PASSWORD_MIN = 8


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Please fill in your email address.")),
            Length(max=254, message=_l("This email address is too long.")),
            Email(_l("This is not a valid email address, for example name@example.nl.")),
        ],
        filters=[lambda value: value.strip().lower() if value else value],
        render_kw={"autocomplete": "email"},
    )


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Please choose a password.")),
            Length(
                min=PASSWORD_MIN,
                max=128,
                message=_l("Your password must be between 8 and 128 characters long."),
            ),
        ],
        description=_l("At least 8 characters. A short sentence is easy to remember."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Please type your password again.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def _first_name_field() -> StringField:
    return StringField(
        _l("First name"),
        validators=[
            DataRequired(_l("Please fill in your first name.")),
            Length(max=60, message=_l("Your first name can be at most 60 characters long.")),
        ],
        filters=[strip_text],
        description=_l("Others see only your first name and your village."),
        render_kw={"autocomplete": "given-name"},
    )


def _village_field() -> SelectField:
    return SelectField(
        _l("Village or neighbourhood"),
        coerce=int,
        # The first choice (-1) is the prompt "Choose your village".
        validators=[NumberRange(min=1, message=_l("Please choose your village."))],
    )


def _consent_field() -> BooleanField:
    return BooleanField(
        _l("I have read the privacy statement and agree to it."),
        validators=[DataRequired(_l("You can only join if you agree to the privacy statement."))],
    )


def ask_to_retype(*fields: PasswordField) -> None:
    """Say at each password field that it must be typed again: a password is never sent
    back in the page, so after any mistake on the form these boxes are empty."""
    for f in fields:
        retype = _("Please type your password here again. After a mistake this box is empty.")
        f.description = f"{retype} {f.description}" if f.description else retype


class SignUpForm(Form):
    first_name = _first_name_field()
    email = _email_field()
    password, password_confirm = _new_password_fields()
    village = _village_field()
    consent = _consent_field()
    next = HiddenField()  # the page the person set out for, such as the ask form


class JoinForm(Form):
    village = _village_field()
    consent = _consent_field()
    next = HiddenField()


class SignInForm(Form):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Please fill in your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class EmailOnlyForm(Form):
    """Asking for a reset link or a new verification email."""

    email = _email_field()


class ResetPasswordForm(Form):
    password, password_confirm = _new_password_fields()


class ProfileForm(Form):
    first_name = _first_name_field()
    village = _village_field()
    locale = SelectField(_l("Language"), choices=language_choices())


class SignOutForm(Form):
    pass


class AcceptInvitationForm(Form):
    """Accepting an invitation: the page removes the fields that do not apply (see
    buurtplatform.accounts.invitations)."""

    first_name = _first_name_field()
    password, password_confirm = _new_password_fields()
    current_password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Please fill in your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    consent = _consent_field()


class DeleteAccountForm(Form):
    """Deleting one's account: what happens to what one wrote, and the password as proof."""

    content = RadioField(
        _l("What happens to what you wrote?"),
        choices=[
            SelectChoice("remove", _l("Remove everything I wrote")),
            SelectChoice("anonymise", _l("Leave what I wrote, without my name")),
        ],
        validators=[DataRequired(_l("Please choose what happens to what you wrote."))],
    )
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Please fill in your password."))],
        description=_l("So we know it is really you."),
        render_kw={"autocomplete": "current-password"},
    )
