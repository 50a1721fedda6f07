"""Bar charts as SVG, drawn on the server: no chart library and no JavaScript in the browser.

The bars lie down (one row per period, its label on the left and its value on the right), so
that twelve periods stay readable on a phone: the SVG scales with its viewBox, and a row's
text never has to share the width with eleven others. A chart is an image with a title and a
description (`role="img"`, `aria-labelledby` naming both); the table beside it carries every
number for those who cannot see it. Every text goes through `Markup.format`, which escapes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

WIDTH = 360
ROW = 26
BAR = 18
LABEL_WIDTH = 84  # the period's short name, "sep. 2026" included
VALUE_WIDTH = 84  # the value after the longest bar, "2,5 dagen" included


@dataclass(frozen=True)
class Bar:
    label: str  # short, e.g. "16 nov."
    value: float | None  # None: not known, no bar
    text: str  # the value as shown, e.g. "2,5 dagen", or a dash


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> Markup:
    """An SVG image of `bars`, named by `title` and `description` for screen readers."""
    height = ROW * len(bars) + 4
    highest = max((bar.value for bar in bars if bar.value), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = Markup("").join(
        _row(n, bar, room * bar.value / highest if highest and bar.value else 0)
        for n, bar in enumerate(bars)
    )
    return Markup(
        '<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        "{rows}</svg>"
    ).format(
        width=WIDTH,
        height=height,
        id=chart_id,
        title=title,
        description=description,
        rows=rows,
    )


def _row(n: int, bar: Bar, length: float) -> Markup:
    """One period: its label, its bar (at least a sliver when the value is above 0, so that
    a small number does not look like nothing), and its value."""
    middle = n * ROW + ROW / 2 + 2
    if bar.value:
        length = max(length, 2)
    return Markup(
        '<text class="chart-label" x="{label_end}" y="{middle}" text-anchor="end" '
        'dominant-baseline="middle">{label}</text>'
        '<rect class="chart-bar" x="{start}" y="{top}" width="{length}" height="{bar}"/>'
        '<text class="chart-value" x="{value_x}" y="{middle}" '
        'dominant-baseline="middle">{text}</text>'
    ).format(
        label_end=LABEL_WIDTH - 6,
        middle=f"{middle:g}",
        label=bar.label,
        start=LABEL_WIDTH,
        top=f"{middle - BAR / 2:g}",
        length=f"{length:.1f}",
        bar=BAR,
        value_x=f"{LABEL_WIDTH + length + 6:.1f}",
        text=bar.text,
    )
