"""Forms of the municipality's own lists in Beheer: its villages and the reminder ladder."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import IntegerField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange, ValidationError

from buurtplatform.fields import Form, UniqueName, at_most, strip_text
from buurtplatform.retention import LISTING_RETENTION_CHOICES
from tenants.models import Village

# The choice "no village" when a village that is used goes (a village's id is never 0).
NO_VILLAGE = 0


class VillageForm(Form):
    """Adding or renaming a village or neighbourhood."""

    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Fill in a name.")),
            at_most(120),
            UniqueName(Village, _l("There is a village or neighbourhood with this name already.")),
        ],
        filters=[strip_text],
    )


class ReplaceVillageForm(Form):
    """Removing a village that messages, members or people without an account use."""

    move_to = RadioField(
        _l("Where do they go?"),
        coerce=int,
        validators=[InputRequired(_l("Choose where they go."))],
    )


def days(label: str, hint: str, most: int) -> IntegerField:
    return IntegerField(
        label,
        description=hint,
        validators=[
            InputRequired(_l("Fill in a number of days.")),
            NumberRange(
                min=1, max=most, message=_l("Fill in a number from 1 to %(max)d.", max=most)
            ),
        ],
    )


class ReminderDaysForm(Form):
    """The escalation ladder for asks without a reply (jobs/reminders.py), the question after
    an afspraak, and how long a message stays on the list."""

    remind_connectors_after_days = days(
        _l("Email the connectors after"),
        _l(
            "Days after an ask was placed without any reply. The connectors of its village get "
            "an email; if it has none, all connectors do."
        ),
        30,
    )
    remind_coordinators_after_days = days(
        _l("Email the social workers after"),
        _l("Days after the ask was placed. Still no reply: now the social workers get an email."),
        60,
    )
    remind_asker_after_days = days(
        _l("Email the person who asks after"),
        _l(
            "Days after the ask was placed. Still no reply: we ask the person whether help is "
            "still needed, and to let the ask stay on the list longer or take it off."
        ),
        90,
    )
    follow_up_after_days = days(
        _l("Ask whether the help happened after"),
        _l("Days after a match without a date. With a date, we ask on the day after that date."),
        60,
    )
    listing_lifetime_days = days(
        _l("A message stays on the list for"),
        _l("Days. After that it is off the list, unless its author lets it stay longer."),
        365,
    )
    listing_retention_months = SelectField(
        _l("Keep asks and offers after they were last active for"),
        coerce=int,
        choices=lambda: [
            SelectChoice(months, ngettext("%(num)d month", "%(num)d months", months))
            for months in LISTING_RETENTION_CHOICES
        ],
        description=_l(
            "Then only the person who placed it sees it. Three months later we delete it. "
            "The privacy statement shows this period."
        ),
    )

    # The ladder goes up: connectors first, then the social workers, then the person who asks;
    # and that last email comes while the ask is still on the list.

    def validate_remind_coordinators_after_days(self, field: IntegerField) -> None:
        comes_after(
            field,
            self.remind_connectors_after_days,
            _l(
                "The social workers come after the connectors: choose more days than for the "
                "connectors."
            ),
        )

    def validate_remind_asker_after_days(self, field: IntegerField) -> None:
        comes_after(
            field,
            self.remind_coordinators_after_days,
            _l(
                "The person who asks comes after the social workers: choose more days than for "
                "the social workers."
            ),
        )

    def validate_listing_lifetime_days(self, field: IntegerField) -> None:
        comes_after(
            field,
            self.remind_asker_after_days,
            _l(
                "The ask must still be on the list when we email the person who asks: choose "
                "more days than for that email."
            ),
        )


def comes_after(field: IntegerField, earlier: IntegerField, message: str) -> None:
    if None not in (field.data, earlier.data) and field.data <= earlier.data:
        raise ValidationError(message)
