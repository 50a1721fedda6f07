"""Forms of the site settings: name and texts, contact details and footer links, colours and
logo. Each field is named after the Tenant column it edits."""

from __future__ import annotations

import json
import math

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, ColorField, DateField, Field, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from buurtplatform.fields import Form, at_most, check_web_address, phone_number, strip_text
from buurtplatform.images import MAX_UPLOAD_BYTES
from tenants.branding import (
    CONTRAST_RULES,
    FOOTER_GREY,
    HEX_COLOR,
    PANEL_GREY,
    WHITE,
    contrast_shortfall,
)

FOOTER_LINKS = 4
LONG_TEXT = 20_000
BACKGROUND_NAMES = {
    WHITE: _l("white"),
    FOOTER_GREY: _l("the light grey of the footer"),
    PANEL_GREY: _l("the light grey of a panel"),
}


def none_if_empty(value: str | None) -> str | None:
    """An optional English text left empty means: show the Dutch one."""
    return value or None


def lower_case(value: str | None) -> str | None:
    return value.lower() if value else value


def optional_english(label: str, limit: int, *, rows: int | None = None) -> Field:
    """A text in English, beside its Dutch one: a text area when `rows` is given."""
    field_class = TextAreaField if rows else StringField
    return field_class(
        label,
        render_kw={"rows": rows} if rows else None,
        filters=[strip_text, none_if_empty],
        validators=[Optional(), at_most(limit)],
        description=_l("Optional. Without it, English pages show the Dutch text."),
    )


class TextsForm(Form):
    site_name = StringField(
        _l("Name of the site"),
        filters=[strip_text],
        validators=[DataRequired(message=_l("Fill in the name of the site.")), at_most(120)],
    )
    welcome_text = TextAreaField(
        _l("Welcome text"),
        filters=[strip_text],
        validators=[at_most(1000)],
        render_kw={"rows": 4},
        description=_l("A few sentences on the home page. Search engines show them too."),
    )
    welcome_text_en = optional_english(_l("Welcome text in English"), 1000, rows=4)
    about_text = TextAreaField(
        _l("About us"),
        filters=[strip_text],
        validators=[at_most(LONG_TEXT)],
        render_kw={"rows": 10},
        description=_l(
            "Who you are and what the site is for. You can write **bold**, *italics*, "
            "lists with a - at the start of a line, and links like [text](https://…)."
        ),
    )
    about_text_en = optional_english(_l("About us in English"), LONG_TEXT, rows=10)
    house_rules = TextAreaField(
        _l("House rules"),
        filters=[strip_text],
        validators=[at_most(LONG_TEXT)],
        render_kw={"rows": 10},
        description=_l("How people treat each other here. The same formatting is possible."),
    )
    house_rules_en = optional_english(_l("House rules in English"), LONG_TEXT, rows=10)


class ContactForm(Form):
    help_contact_name = StringField(
        _l("Who people can call"),
        filters=[strip_text],
        validators=[at_most(120)],
        description=_l("For example: Wendy, sociaal werker. Every page shows it."),
    )
    help_phone = StringField(
        _l("Phone number"),
        filters=[strip_text],
        validators=[
            at_most(40),
            phone_number(),
        ],
    )
    help_hours = StringField(
        _l("When people can call"),
        filters=[strip_text],
        validators=[at_most(200)],
        description=_l("For example: on weekdays from 9:00 to 12:00."),
    )
    help_hours_en = optional_english(_l("When people can call, in English"), 200)
    privacy_contact = StringField(
        _l("Questions about personal data"),
        filters=[strip_text],
        validators=[at_most(300)],
        description=_l(
            "Who answers them, with an email address or phone number. The privacy "
            "statement shows it."
        ),
    )

    def footer_link_fields(self) -> list[tuple[int, Field, Field, Field]]:
        """(number, text, text in English, address) of each footer link row."""
        return [
            (
                number,
                self[f"link_{number}_label"],
                self[f"link_{number}_label_en"],
                self[f"link_{number}_url"],
            )
            for number in range(1, FOOTER_LINKS + 1)
        ]

    def footer_links(self) -> list[dict[str, str | None]]:
        """The filled-in rows, as Tenant.footer_links keeps them."""
        return [
            {"label": label.data, "label_en": label_en.data, "url": url.data}
            for _number, label, label_en, url in self.footer_link_fields()
            if url.data
        ]

    def fill_footer_links(self, links: list[dict]) -> None:
        for (_number, label, label_en, url), link in zip(
            self.footer_link_fields(), links, strict=False
        ):
            label.data, label_en.data, url.data = link["label"], link.get("label_en"), link["url"]

    def validate(self, extra_validators: dict | None = None) -> bool:
        valid = super().validate(extra_validators)
        for number, label, _label_en, url in self.footer_link_fields():
            if url.data and not label.data:
                label.errors.append(
                    _l("Link %(number)d: write the text of the link.", number=number)
                )
                valid = False
            elif label.data and not url.data:
                url.errors.append(_l("Link %(number)d: give its web address.", number=number))
                valid = False
        return valid


for _number in range(1, FOOTER_LINKS + 1):
    setattr(
        ContactForm,
        f"link_{_number}_label",
        StringField(_l("Text"), filters=[strip_text], validators=[at_most(60)]),
    )
    setattr(
        ContactForm,
        f"link_{_number}_label_en",
        StringField(
            _l("Text in English (optional)"),
            filters=[strip_text, none_if_empty],
            validators=[at_most(60)],
        ),
    )
    setattr(
        ContactForm,
        f"link_{_number}_url",
        StringField(
            _l("Web address"),
            description=_l("For example: https://www.bibliotheek.nl"),
            filters=[strip_text],
            validators=[at_most(300), check_web_address],
        ),
    )


def readable_ratio(ratio: float) -> str:
    """A contrast ratio as "4,4:1", rounded down so that a failing one never reads 4,5:1."""
    return f"{format_decimal(math.floor(ratio * 10) / 10, format='0.0')}:1"


def too_little_contrast(background: str, ratio: str, minimum: str) -> str:
    return _(
        "This colour has too little contrast with %(background)s: %(ratio)s. "
        "At least %(minimum)s is needed. Choose a darker colour.",
        background=background,
        ratio=ratio,
        minimum=minimum,
    )


def contrast_check(role: str):
    """A validator refusing a colour that is unreadable where site.css uses it (`role`)."""

    def check(form: Form, field: Field) -> None:
        if not HEX_COLOR.match(field.data or ""):
            raise ValidationError(_l("Choose a colour, written like #1d4f91."))
        shortfall = contrast_shortfall(role, field.data)
        if shortfall is not None:
            raise ValidationError(
                too_little_contrast(
                    str(BACKGROUND_NAMES[shortfall.rule.background]),
                    readable_ratio(shortfall.ratio),
                    readable_ratio(shortfall.rule.minimum),
                )
            )

    return check


def live_contrast_check(role: str) -> dict[str, str]:
    """The attributes that let static/js/contrast-check.js check `role`'s rules while a
    colour is picked, with its messages in the reader's language."""
    rules = [
        {
            "background": rule.background,
            "minimum": rule.minimum,
            "name": str(BACKGROUND_NAMES[rule.background]),
        }
        for rule in CONTRAST_RULES
        if rule.color == role
    ]
    return {
        "data-contrast-rules": json.dumps(rules),
        "data-contrast-problem": too_little_contrast("{background}", "{ratio}", "{minimum}"),
        "data-contrast-fine": _("Good: this colour has enough contrast."),
    }


class AccessibilityForm(Form):
    """The parts of the toegankelijkheidsverklaring (site.accessibility) that connectors keep."""

    accessibility_checked_on = DateField(
        _l("Date of the last check"),
        validators=[Optional()],
        description=_l(
            "The day someone last checked the site for accessibility. Leave it empty if "
            "nobody has: the page then says so."
        ),
    )
    accessibility_known_problems = TextAreaField(
        _l("What does not work well yet"),
        filters=[strip_text],
        validators=[at_most(2000)],
        render_kw={"rows": 5},
        description=_l("Optional. Short and plain, one problem per line."),
    )


class BrandingForm(Form):
    primary_color = ColorField(
        _l("Main colour"),
        filters=[lower_case],
        validators=[contrast_check("primary")],
        description=_l(
            "For the top of every page, buttons and links. White text must be easy to read on it."
        ),
    )
    accent_color = ColorField(
        _l("Second colour"),
        filters=[lower_case],
        validators=[contrast_check("accent")],
        description=_l("For the edge of asks and of boxes with extra information."),
    )
    logo = FileField(
        _l("New logo"),
        description=_l(
            "A PNG, JPEG or WebP picture of at most %(limit)d MB. The icon in the browser tab "
            "is made from it.",
            limit=MAX_UPLOAD_BYTES // 1024 // 1024,
        ),
    )
    remove_logo = BooleanField(_l("Remove the logo (the name of the site shows instead)"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.primary_color.render_kw = live_contrast_check("primary")
        self.accent_color.render_kw = live_contrast_check("accent")
