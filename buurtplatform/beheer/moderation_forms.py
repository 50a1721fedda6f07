"""Forms of the reports queue: a connector's decision, the moderation settings, and the
author's one answer to a decision."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, ValidationError

from buurtplatform.fields import Form, at_most, strip_text
from buurtplatform.moderated import Moderated

SHOW, HIDE = "show", "hide"

# What the two choices mean for content in each state.
CHOICES = {
    "waiting": {SHOW: _l("Approve: put it on the site"), HIDE: _l("Do not approve")},
    "hidden": {SHOW: _l("Show it again"), HIDE: _l("Keep it hidden")},
    "public": {SHOW: _l("Nothing wrong: keep it on the site"), HIDE: _l("Hide it")},
}


def state_of(content: Moderated) -> str:
    if content.awaiting_approval:
        return "waiting"
    return "hidden" if content.hidden_at is not None else "public"


class DecisionForm(Form):
    decision = RadioField(
        _l("What do you decide?"), validators=[InputRequired(_l("Choose what you decide."))]
    )
    reason = TextAreaField(
        _l("Why?"),
        description=_l(
            "Write it for the person who posted it: they get it by email when you hide it. "
            "It is also written in the audit log."
        ),
        validators=[at_most(1000)],
        filters=[strip_text],
    )

    waiting = False

    def about(self, content: Moderated) -> DecisionForm:
        """Offer the two choices that fit `content`'s state."""
        self.waiting = content.awaiting_approval
        self.decision.choices = [
            SelectChoice(value, label) for value, label in CHOICES[state_of(content)].items()
        ]
        return self

    def validate_reason(self, field: TextAreaField) -> None:
        """Approving needs no reason; anything else is written down and may be told."""
        if not field.data and not (self.waiting and self.decision.data == SHOW):
            raise ValidationError(_l("Write briefly why you decide this."))


class ModerationSettingsForm(Form):
    report_hide_threshold = IntegerField(
        _l("Hide content after reports from how many different members?"),
        description=_l(
            "Until a neighbourhood connector has looked at it. A number from 1 to 10; 3 works well."
        ),
        validators=[
            InputRequired(_l("Fill in a number from 1 to 10.")),
            NumberRange(min=1, max=10, message=_l("Fill in a number from 1 to 10.")),
        ],
    )
    approve_first_posts = BooleanField(
        _l(
            "A new member's first ask or offer, and their first message on the board, wait "
            "until a neighbourhood connector approves them"
        ),
        description=_l("Messages of connectors and social workers never wait."),
    )


class DecisionReplyForm(Form):
    reply = TextAreaField(
        _l("Your answer"),
        description=_l("You can answer once. The neighbourhood connectors read it."),
        validators=[DataRequired(_l("Write your answer first.")), at_most(2000)],
        filters=[strip_text],
    )
