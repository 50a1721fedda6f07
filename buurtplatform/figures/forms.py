"""The choice above a figures page: per week or per month, and the total or one group. Read
from the query string (a plain GET form, so no JavaScript and no CSRF needed), so that a
chosen view is an address that can be kept or sent on."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SelectField
from wtforms.validators import Optional

from buurtplatform.fields import Form
from buurtplatform.figures.definitions import By
from buurtplatform.figures.tables import Group, Period

PERIOD_LABELS = {Period.WEEK: _l("Per week"), Period.MONTH: _l("Per month")}


class ChoiceForm(Form):
    by: By

    class Meta:
        csrf = False

    period = RadioField(
        _l("Show the figures"),
        choices=[SelectChoice(period.value, label) for period, label in PERIOD_LABELS.items()],
        default=Period.WEEK.value,
        name="periode",
    )

    def chosen_period(self) -> Period:
        return Period(self.period.data) if not self.period.errors else Period.WEEK

    def chosen_group(self, groups: list[Group]) -> Group | None:
        """The chosen group, if it is one of `groups`: another municipality's village id is
        not among them, so it shows the total."""
        return next((g for g in groups if g.id == self.group.data), None)

    def offer(self, groups: list[Group], everything: str) -> None:
        self.group.choices = [SelectChoice(0, everything)] + [
            SelectChoice(g.id, g.name) for g in groups
        ]
        self.validate()


class VillageChoiceForm(ChoiceForm):
    by = By.VILLAGE
    group = SelectField(
        _l("Village or neighbourhood"), coerce=int, validators=[Optional()], name="dorp"
    )


class MunicipalityChoiceForm(ChoiceForm):
    by = By.MUNICIPALITY
    group = SelectField(_l("Municipality"), coerce=int, validators=[Optional()], name="gemeente")
