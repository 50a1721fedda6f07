"""A demo logo for each municipality, drawn with Pillow when the demo loads: a badge in the
municipality's primary colour with its initials in white and a stripe in its accent colour,
and the site's name beside it in the primary colour (both colours pass WCAG AA against white,
tenants.branding). The favicon is the badge alone, which stays readable at 64 pixels.

Both go through `prepare_logo`, as an upload would, and are kept through
buurtplatform.storage, so the demo shows the same path as a connector's own logo.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from buurtplatform import storage
from buurtplatform.images import prepare_logo
from tenants.models import Tenant

HEIGHT = 128
WIDTH = 512  # the header shows a logo at most four times as wide as it is high
MARGIN = 12
LINE_GAP = 6


def initials(name: str) -> str:
    """ "Mill en Sint Hubert" -> "MSH": the capitals that start its words."""
    capitals = "".join(word[0] for word in name.split() if word[0].isupper())[:3]
    return capitals or name[:1].upper()


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _font(size: int) -> ImageFont.FreeTypeFont:
    # Pillow's own font, so that the demo needs no font installed on the machine.
    return ImageFont.load_default(size=size)


def _badge(tenant: Tenant, side: int) -> Image.Image:
    badge = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(badge)
    radius = side // 6
    draw.rounded_rectangle((0, 0, side - 1, side - 1), radius=radius, fill=tenant.primary_color)
    stripe = side // 8
    draw.rectangle(
        (radius, side - 2 * stripe, side - 1 - radius, side - stripe), fill=tenant.accent_color
    )
    letters = initials(tenant.name)
    font = _font(int(side * (0.55, 0.45, 0.34)[len(letters) - 1]))
    draw.text((side / 2, side * 0.42), letters, font=font, fill="#ffffff", anchor="mm")
    return badge


def _name_lines(site_name: str, width: int) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The site's name on one line if it fits at a good size, else on two."""
    words = site_name.split()
    for size in (44, 38):
        font = _font(size)
        if font.getlength(site_name) <= width:
            return [site_name], font
    font = _font(40)
    lines = [words[0], " ".join(words[1:])] if len(words) > 1 else words
    while len(lines) > 1 and font.getlength(lines[1]) > width and font.size > 16:
        font = _font(font.size - 2)
    return lines, font


def draw_logo(tenant: Tenant) -> bytes:
    """The demo logo as a PNG: badge and name."""
    logo = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    side = HEIGHT - 2 * MARGIN
    logo.alpha_composite(_badge(tenant, side), (MARGIN, MARGIN))
    left = MARGIN * 2 + side
    lines, font = _name_lines(tenant.site_name, WIDTH - left - MARGIN)
    draw = ImageDraw.Draw(logo)
    line_height = font.size + LINE_GAP
    top = (HEIGHT - line_height * len(lines) + LINE_GAP) / 2
    for i, line in enumerate(lines):
        draw.text((left, top + i * line_height), line, font=font, fill=tenant.primary_color)
    return _png(logo)


def give_demo_logo(tenant: Tenant) -> None:
    """Store the demo logo and its favicon for `tenant`, unless it has a logo that is there
    (a connector's own, or one from an earlier run); the caller commits."""
    if tenant.logo_key and storage.read(tenant.logo_key) is not None:
        return
    logo = prepare_logo(draw_logo(tenant)).logo
    favicon = prepare_logo(_png(_badge(tenant, HEIGHT))).favicon
    storage.delete(tenant.favicon_key)  # of a logo whose file was lost
    tenant.logo_key = storage.save(logo.data, logo.extension)
    tenant.favicon_key = storage.save(favicon.data, favicon.extension)
