"""Uploaded images are checked by content, limited in size and pixels, and re-encoded; the
storage keeps them under keys that cannot reach outside its folder."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from buurtplatform import storage
from buurtplatform.images import (
    FAVICON_SIDE,
    LOGO_SIDE,
    MAX_UPLOAD_BYTES,
    UnusableImageError,
    prepare_image,
    prepare_logo,
)


def picture(fmt: str = "PNG", size: tuple[int, int] = (800, 400), **save: object) -> bytes:
    buffer = io.BytesIO()
    mode = "RGBA" if fmt in ("PNG", "WEBP") else "RGB"
    Image.new(mode, size, (20, 80, 140, 200) if mode == "RGBA" else (20, 80, 140)).save(
        buffer, fmt, **save
    )
    return buffer.getvalue()


def photo_with_gps() -> bytes:
    """A JPEG whose EXIF says where it was taken (as a phone's photo does)."""
    exif = Image.Exif()
    exif[0x010F] = "Telefoon"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 43.0, 30.0), 3: "E", 4: (5.0, 52.0, 40.0)}  # GPS
    return picture("JPEG", exif=exif.tobytes())


def bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG whose header claims a huge image: decoding it would take gigabytes."""
    data = picture("PNG", (1, 1))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return data[:8] + ihdr + data[8 + len(ihdr) :]


UNUSABLE = {
    "text": (b"Dit is geen afbeelding", "Dit is geen afbeelding die we kunnen gebruiken"),
    "svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "Dit is geen afbeelding die we kunnen gebruiken",
    ),
    "gif": (picture("GIF"), "Kies een PNG-, JPEG- of WebP-bestand"),
    "bomb": (bomb(), "te veel pixels"),
    "too many pixels": (bomb(6000, 5000), "6000 bij 5000 pixels: te groot"),
    "broken": (picture("PNG")[:300], "kapot of niet compleet"),
    "oversized": (b"\x89PNG" + b"0" * MAX_UPLOAD_BYTES, "Het bestand is 2,1 MB"),
    "empty": (b"", "Het bestand is leeg"),
}


@pytest.mark.parametrize("kind", UNUSABLE)
def test_unusable_uploads_are_refused_with_a_dutch_reason(app, kind):
    data, reason = UNUSABLE[kind]
    with app.test_request_context():
        with pytest.raises(UnusableImageError) as refused:
            prepare_logo(data)
        assert reason in str(refused.value.message)


def test_a_logo_is_scaled_down_and_gives_a_square_favicon(app):
    prepared = prepare_logo(picture("JPEG", (2000, 1000)))
    logo = Image.open(io.BytesIO(prepared.logo.data))
    icon = Image.open(io.BytesIO(prepared.favicon.data))
    assert (logo.format, logo.size) == ("PNG", (LOGO_SIDE, LOGO_SIDE // 2))
    assert (icon.format, icon.size) == ("PNG", (FAVICON_SIDE, FAVICON_SIDE))


def test_re_encoding_drops_the_gps_position():
    original = Image.open(io.BytesIO(photo_with_gps()))
    assert original.getexif().get_ifd(0x8825)  # the upload says where it was taken
    for data in (
        prepare_logo(photo_with_gps()).logo.data,
        prepare_image(photo_with_gps(), 300).data,
    ):
        again = Image.open(io.BytesIO(data))
        assert not again.getexif()
        assert "exif" not in again.info


def test_webp_and_jpeg_are_accepted():
    assert prepare_image(picture("WEBP"), 100).extension == "png"  # it has transparency
    assert prepare_image(picture("JPEG"), 100).extension == "jpg"


def test_storage_keeps_files_under_keys_that_stay_in_its_folder(app, tmp_path):
    with app.app_context():
        key = storage.save(b"logo", "png")
        assert storage.read(key) == b"logo"
        assert (tmp_path / "uploads" / key).exists()
        for bad in ("../test.sqlite", "..%2Ftest.sqlite", "/etc/passwd", key + "/../x", ""):
            assert storage.read(bad) is None
        storage.delete(key)
        assert storage.read(key) is None
        storage.delete(key)  # twice is fine
        with pytest.raises(ValueError):
            storage.save(b"<svg/>", "svg")
