"""A municipality's look as design tokens (CSS custom properties), and their validation.

Colours are checked against WCAG 2.1 AA: the primary colour carries white text (header,
buttons) and is used for links on white, so both need a contrast of at least 4.5:1.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tenants.models import Tenant

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_TEXT_CONTRAST = 4.5
WHITE = "#ffffff"


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
    """Why a brand colour cannot be used, in English for operators; None if it is fine."""
    if not HEX_COLOR.match(color or ""):
        return f"{color!r} is not a colour like #1d4f91"
    ratio = contrast_ratio(color, WHITE)
    if ratio < MIN_TEXT_CONTRAST:
        return f"{color} has a contrast of {ratio:.1f}:1 with white; at least 4.5:1 is needed"
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
