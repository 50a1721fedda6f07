"""Where uploaded files (logos, photos) are kept: one small interface, so that the rest of the
app never builds a file path itself.

    key = save(data, "png")   # a new random key such as "3f9c….png"
    read(key)                 # the bytes, or None when there is no such file
    delete(key)               # gone; deleting what is not there is fine

Files live in the folder `UPLOAD_FOLDER` (default `instance/uploads`). With several app
servers that folder must be a volume all of them share (an NFS mount, or a bucket mounted as a
folder), or a logo uploaded on one server is missing on the other. A key is random and never
reused, so what it names never changes: it can be cached for good and served under its key.
Keys are checked against one pattern before they touch the file system, so that a key from a
URL cannot reach outside the folder.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from flask import current_app

EXTENSIONS = frozenset({"png", "jpg", "webp"})
KEY = re.compile(r"^[0-9a-f]{32}\.(png|jpg|webp)$")


def is_key(key: str) -> bool:
    """Whether `key` has the form of a key `save` makes (and so names a file in the folder)."""
    return bool(KEY.match(key or ""))


def save(data: bytes, extension: str) -> str:
    """Keep `data` and return its new key. The file appears whole or not at all."""
    if extension not in EXTENSIONS:
        raise ValueError(f"{extension!r} is not a stored file type")
    key = f"{secrets.token_hex(16)}.{extension}"
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{key}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
    return key


def read(key: str) -> bytes | None:
    if not is_key(key):
        return None
    try:
        return _path(key).read_bytes()
    except FileNotFoundError:
        return None


def delete(key: str | None) -> None:
    if key and is_key(key):
        _path(key).unlink(missing_ok=True)


class StorageError(RuntimeError):
    """The storage cannot keep files; the message says why, in plain words."""


def location() -> str:
    """Where files are kept, for people (`flask doctor`)."""
    return str(_folder())


def check() -> None:
    """Keep, read and delete a small file, as an upload would; raise `StorageError` if any
    step fails. A missing folder is an error rather than made here: on a server that shares
    a mounted volume, it usually means the volume is not mounted."""
    folder = _folder()
    if not folder.is_dir():
        raise StorageError("the folder does not exist (is the shared volume mounted?)")
    try:
        key = save(b"buurtplatform doctor", "png")
        found = read(key)
        delete(key)
    except OSError as error:
        raise StorageError(f"a file cannot be written there ({error.strerror})") from error
    if found != b"buurtplatform doctor":
        raise StorageError("a file written there could not be read back")


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _path(key: str) -> Path:
    assert is_key(key), "only a checked key names a file"
    return _folder() / key
