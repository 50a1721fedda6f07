"""Forms of the members pages in Beheer: finding members, their role, blocking, inviting."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, NumberRange, Optional

from buurtplatform.fields import Form, at_most, strip_text

# The filter's choice for blocked members, next to the roles.
BLOCKED = "blocked"


class MemberSearchForm(Form):
    """The search above the members list; read from the query string, no CSRF needed."""

    class Meta:
        csrf = False

    q = StringField(
        _l("First name or email address"),
        validators=[Optional(), at_most(100)],
        filters=[strip_text],
    )
    who = SelectField(_l("Show"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=10_000)])


def _reason_field(label: str, hint: str, *, required: bool, field_id: str) -> TextAreaField:
    """A reason; each form's its own id, as a member's page shows two of these forms."""
    needed = DataRequired(_l("Write the reason.")) if required else Optional()
    return TextAreaField(
        label,
        description=hint,
        validators=[needed, at_most(1000)],
        filters=[strip_text],
        id=field_id,
    )


class RoleForm(Form):
    role = SelectField(_l("Role"))
    reason = _reason_field(
        _l("Why (not required)"),
        _l("Only connectors read this, in the log."),
        required=False,
        field_id="role_reason",
    )


class BlockForm(Form):
    reason = _reason_field(
        _l("Why do you block this member?"),
        _l("The member reads this on every page. Write it kindly and clearly."),
        required=True,
        field_id="block_reason",
    )


class UnblockForm(Form):
    reason = _reason_field(
        _l("Why (not required)"),
        _l("Only connectors read this, in the log."),
        required=False,
        field_id="unblock_reason",
    )


class InviteForm(Form):
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Fill in the email address of the person you invite.")),
            at_most(254),
            Email(_l("This is not a valid email address, for example name@example.nl.")),
        ],
        filters=[lambda value: value.strip().lower() if value else value],
    )
    role = SelectField(_l("Invite as"))
    personal_note = _reason_field(
        _l("A personal note (not required)"),
        _l("It is in the email, with your first name."),
        required=False,
        field_id="personal_note",
    )


class ConfirmForm(Form):
    """A button that only needs the CSRF token (send again, withdraw)."""
