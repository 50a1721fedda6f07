"""A municipality's look as design tokens (CSS custom properties), and their validation.

Colours are checked against WCAG 2.1 AA: the primary colour carries white text (header,
buttons) and is used for links on white, so both need a contrast of at least 4.5:1.
`CONTRAST_RULES` lists every place site.css puts a brand colour next to another colour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tenants.models import Tenant

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_TEXT_CONTRAST = 4.5
# WCAG 1.4.11: a border that tells things apart (an ask's card from an offer's) needs 3:1.
MIN_GRAPHIC_CONTRAST = 3.0
WHITE = "#ffffff"
# The greys of site.css that brand colours sit on: the footer (links) and panels (borders).
FOOTER_GREY = "#f2f2f2"
PANEL_GREY = "#f6f6f6"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two `#rrggbb` colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def color_problem(color: str) -> str | None:
    """Why a brand colour cannot be used, in English for operators; None if it is fine.
    Checked by the strictest rules (the primary colour's), so that a colour set from the
    command line is one the connectors' form accepts too, in either role."""
    if not HEX_COLOR.match(color or ""):
        return f"{color!r} is not a colour like #1d4f91"
    shortfall = contrast_shortfall("primary", color)
    if shortfall is not None:
        return (
            f"{color} has a contrast of {shortfall.ratio:.1f}:1 with "
            f"{shortfall.rule.background}; at least {shortfall.rule.minimum}:1 is needed"
        )
    return None


@dataclass(frozen=True)
class ContrastRule:
    """A brand colour ("primary" or "accent") must stand out this much from `background`."""

    color: str
    background: str
    minimum: float


CONTRAST_RULES = (
    # White text in the header and on buttons; links and outlined buttons on white.
    ContrastRule("primary", WHITE, MIN_TEXT_CONTRAST),
    # Links in the footer.
    ContrastRule("primary", FOOTER_GREY, MIN_TEXT_CONTRAST),
    # The border of an ask's card on white, and of a panel.
    ContrastRule("accent", WHITE, MIN_GRAPHIC_CONTRAST),
    ContrastRule("accent", PANEL_GREY, MIN_GRAPHIC_CONTRAST),
)


@dataclass(frozen=True)
class ContrastShortfall:
    rule: ContrastRule
    ratio: float


def contrast_shortfall(role: str, color: str) -> ContrastShortfall | None:
    """The first rule that `color`, used as the `role` colour, fails; None if it passes all.
    `color` must be a valid `#rrggbb`."""
    for rule in CONTRAST_RULES:
        if rule.color == role:
            ratio = contrast_ratio(color, rule.background)
            if ratio < rule.minimum:
                return ContrastShortfall(rule, ratio)
    return None


DEFAULT_TOKENS = {"--color-primary": "#1d4f91", "--color-accent": "#a8431b"}


def theme_tokens(tenant: Tenant | None) -> dict[str, str]:
    """The CSS custom properties of a municipality (or of the portal when None)."""
    if tenant is None:
        return dict(DEFAULT_TOKENS)
    return {"--color-primary": tenant.primary_color, "--color-accent": tenant.accent_color}


def theme_css(tenant: Tenant | None) -> str:
    declarations = "".join(f"  {name}: {value};\n" for name, value in theme_tokens(tenant).items())
    return f":root {{\n{declarations}}}\n"
