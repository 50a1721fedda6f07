"""Checking and preparing uploaded images, by their content (never by name or declared type).

    prepare_logo(data) -> PreparedLogo   the logo (PNG, at most LOGO_SIDE pixels a side) and
                                         the favicon made from it (a FAVICON_SIDE square PNG)
    prepare_image(data, max_side, ...)   any other picture, scaled down and re-encoded
    store_image(data, max_side) -> key   prepare_image, then kept in `storage`
    store_photo(upload) -> key | None    a form's photo (prikbord, news), PHOTO_SIDE at most
    UnusableImageError                        raised for anything unusable; `.message` says why in
                                         the reader's language

Only PNG, JPEG and WebP are opened (never SVG, which can carry script). Before any pixel is
decoded, the file's size and the width times height its header declares are checked, so that a
small file that unpacks into gigabytes (a decompression bomb) is refused cheaply. Every image
is decoded and encoded again: that drops what the file carried besides pixels (EXIF with GPS
position, comments) and anything hidden after the image data.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass

from flask_babel import LazyString, format_decimal
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from buurtplatform import storage

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 25_000_000
FORMATS = ("PNG", "JPEG", "WEBP")
LOGO_SIDE = 512
FAVICON_SIDE = 64
# Photos on the prikbord and with news: enough for a phone and for print.
PHOTO_SIDE = 1200


class UnusableImageError(ValueError):
    """An upload that cannot be used, with the reason to show the person who sent it."""

    def __init__(self, message: LazyString) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class PreparedImage:
    data: bytes
    extension: str  # "png" or "jpg", as buurtplatform.storage keeps it
    width: int
    height: int


@dataclass(frozen=True)
class PreparedLogo:
    logo: PreparedImage
    favicon: PreparedImage


def prepare_logo(data: bytes) -> PreparedLogo:
    """A logo keeps its transparency (PNG), and gives the favicon: the logo centred on a
    transparent square, so that a wide logo is not squashed."""
    image = _open_checked(data)
    logo = _scaled(image, LOGO_SIDE)
    favicon = ImageOps.pad(_scaled(image, FAVICON_SIDE), (FAVICON_SIDE, FAVICON_SIDE))
    return PreparedLogo(logo=_encoded(logo, "png"), favicon=_encoded(favicon, "png"))


def prepare_image(data: bytes, max_side: int) -> PreparedImage:
    """A picture scaled down to `max_side`: PNG when it has transparency, JPEG otherwise."""
    image = _scaled(_open_checked(data), max_side)
    return _encoded(image, "png" if image.mode == "RGBA" else "jpg")


def store_image(data: bytes, max_side: int) -> str:
    """The picture checked, re-encoded and kept in storage: its key."""
    prepared = prepare_image(data, max_side)
    return storage.save(prepared.data, prepared.extension)


def store_photo(upload: FileStorage | None) -> str | None:
    """A photo chosen in a form, stored (`store_image`); None when no file was chosen."""
    if upload is None or not upload.filename:
        return None
    return store_image(upload.read(), PHOTO_SIDE)


def _open_checked(data: bytes) -> Image.Image:
    """The decoded image, upright and in RGB or RGBA; or UnusableImageError saying what is wrong."""
    if not data:
        raise UnusableImageError(_l("The file is empty. Choose a picture."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnusableImageError(
            _l(
                "The file is %(size)s MB. A picture may be at most %(limit)s MB.",
                # Rounded up: a file just over the limit must not read as the limit.
                size=format_decimal(math.ceil(len(data) / 1024 / 1024 * 10) / 10, format="0.0"),
                limit=MAX_UPLOAD_BYTES // 1024 // 1024,
            )
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except UnidentifiedImageError:
            raise UnusableImageError(
                _l("This is not a picture we can use. Choose a PNG, JPEG or WebP file.")
            ) from None
        if image.width * image.height > MAX_PIXELS:
            raise _too_many_pixels(image.width, image.height)
        try:
            image.load()
        except (OSError, SyntaxError, ValueError):
            raise UnusableImageError(
                _l("The picture is damaged or incomplete. Try another file.")
            ) from None
    image = ImageOps.exif_transpose(image)
    has_transparency = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    return image.convert("RGBA" if has_transparency else "RGB")


def _too_many_pixels(width: int | None = None, height: int | None = None) -> UnusableImageError:
    if width is None or height is None:
        return UnusableImageError(_l("The picture has too many pixels. Choose a smaller picture."))
    return UnusableImageError(
        _l(
            "The picture is %(width)d by %(height)d pixels: too large. "
            "Choose a picture of at most %(megapixels)d megapixels.",
            width=width,
            height=height,
            megapixels=MAX_PIXELS // 1_000_000,
        )
    )


def _scaled(image: Image.Image, max_side: int) -> Image.Image:
    scaled = image.copy()
    scaled.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return scaled


def _encoded(image: Image.Image, extension: str) -> PreparedImage:
    """Encode fresh pixels only: no EXIF, ICC or text chunks are passed on."""
    buffer = io.BytesIO()
    if extension == "png":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    return PreparedImage(buffer.getvalue(), extension, image.width, image.height)
