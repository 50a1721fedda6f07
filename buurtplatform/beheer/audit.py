"""Writing the audit log: the one function every settings, role and moderation change calls.

Each feature registers the actions it logs with a label (in `AREAS` order), so that the log
page can show and filter them in the reader's language:

    register_actions({"content.hidden": _l("Hid content")})
    record("content.hidden", subject=listing.title, link=..., reason=form.reason.data)
"""

from __future__ import annotations

from flask import has_request_context
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from buurtplatform.beheer.models import AuditEntry
from buurtplatform.extensions import db

# The areas of the log, in the order the filter offers them.
AREAS: dict[str, LazyString] = {
    "settings": _l("Settings and branding"),
    "lists": _l("Villages, categories and templates"),
    "members": _l("Members and roles"),
    "moderation": _l("Moderation"),
    "community": _l("Agenda, prikbord and news"),
    "directory": _l("Sociale kaart"),
    "platform": _l("Platform"),
    "guide": _l("Getting started"),
}

ACTIONS: dict[str, LazyString] = {}


def register_actions(labels: dict[str, LazyString]) -> None:
    """Make `labels` ("<area>.<verb>": label) loggable."""
    for action in labels:
        assert action.split(".", 1)[0] in AREAS, f"unknown audit area in {action!r}"
    ACTIONS.update(labels)


def record(
    action: str,
    subject: str = "",
    *,
    link: str | None = None,
    reason: str = "",
    actor_id: int | None = None,
    by_platform: bool = False,
) -> AuditEntry:
    """Log `action` in the current municipality, in the caller's transaction (it commits).
    The actor is the signed-in person unless given; outside a request (a job) there is none,
    and `by_platform` says that the platform itself acted, whoever's request set it off."""
    if action not in ACTIONS:
        raise ValueError(f"{action!r} is not a registered audit action")
    if by_platform:
        actor_id = None
    elif actor_id is None and has_request_context() and current_user.is_authenticated:
        actor_id = current_user.id
    entry = AuditEntry(
        action=action, subject=subject[:200], link=link, reason=reason, actor_id=actor_id
    )
    db.session.add(entry)
    return entry
