"""Where to go after a form or a detour (signing up, signing in): only a path on this same
site, so that no link can send someone to another site (no open redirects)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for

# A goal travels in links and in the verification email; no page of ours needs more.
MAX_GOAL_LENGTH = 500


def local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None.

    Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so
    "/\\evil.example" or "/<tab>/evil.example" would leave the site: anything with control
    characters, spaces or backslashes is refused, as is a scheme or host ("//evil.example")."""
    if not target or len(target) > MAX_GOAL_LENGTH or not target.startswith("/"):
        return None
    if any(ch <= " " or ch == "\x7f" or ch == "\\" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def safe_next(target: str | None, default_endpoint: str = "site.index") -> str:
    """`target` if it is a local path, else the default page."""
    return local_path(target) or url_for(default_endpoint)
