"""Forms of the platform admin's pages: a new municipality, and switching one off or on."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Regexp, ValidationError

from buurtplatform.fields import Form, at_most, strip_text
from tenants.provisioning import SLUG, ProvisioningError

# The longest village name the database keeps (tenants.models.Village.name).
VILLAGE_NAME_MAX = 120


def _lines(value: str | None) -> list[str]:
    """The non-empty lines of a text, stripped: one village per line."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class NewMunicipalityForm(Form):
    name = StringField(
        _l("Name of the municipality"),
        description=_l("For example: Boxmeer."),
        validators=[DataRequired(_l("Fill in the name of the municipality.")), at_most(120)],
        filters=[strip_text],
    )
    slug = StringField(
        _l("Web address"),
        description=_l(
            "The first part of the address, for example boxmeer. Only small letters, digits "
            "and hyphens (-)."
        ),
        validators=[
            DataRequired(_l("Fill in the first part of the web address.")),
            at_most(63),
            # create_tenant checks it too; here it is said at once, with any other mistake.
            Regexp(
                SLUG,
                message=_l(
                    "Use only small letters, digits and hyphens (-), and no hyphen at the start "
                    "or end."
                ),
            ),
        ],
        filters=[strip_text, lambda value: value.lower() if value else value],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"},
    )
    villages = TextAreaField(
        _l("Villages and neighbourhoods"),
        description=_l("One on each line. You can add more later."),
        validators=[DataRequired(_l("Fill in at least one village."))],
        render_kw={"rows": 6},
    )
    connector_email = EmailField(
        _l("Email address of the first buurtverbinder"),
        description=_l("We send this person an invitation to run the new site."),
        validators=[
            DataRequired(_l("Fill in the email address of the first buurtverbinder.")),
            at_most(254),
            Email(_l("This is not a valid email address, for example name@example.nl.")),
        ],
        filters=[lambda value: value.strip().lower() if value else value],
    )

    # Where each of create_tenant's objections that the fields cannot see belongs, and how the
    # form says it.
    PROBLEMS = {
        "slug_taken": ("slug", _l("This web address is taken by another municipality.")),
        "village_twice": ("villages", _l("A village is on the list twice.")),
    }

    @property
    def village_names(self) -> list[str]:
        return _lines(self.villages.data)

    def validate_villages(self, field: TextAreaField) -> None:
        if any(len(name) > VILLAGE_NAME_MAX for name in self.village_names):
            raise ValidationError(
                _l("A village name can be at most %(max)d characters long.", max=VILLAGE_NAME_MAX)
            )

    def show_problem(self, error: ProvisioningError) -> None:
        """Put create_tenant's objection under the field it is about."""
        name, message = self.PROBLEMS[error.problem]
        self[name].errors.append(message)


class SwitchForm(Form):
    """Switching a municipality off or on: the confirmation, with why."""

    reason = TextAreaField(
        _l("Why? (optional)"),
        description=_l("This is written in the municipality's audit log."),
        validators=[at_most(1000)],
        render_kw={"rows": 3},
    )
