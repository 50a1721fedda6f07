"""Blocked members: a connector can block a member of their municipality (see
buurtplatform.beheer.members). A blocked member can still read, sign out, change their
preferences and see why they are blocked, but cannot post, reply or send messages here.

This module is the one place that enforces it: every view that posts or messages is decorated
with `not_blocked` (the whole page is the form) or `not_blocked_to_post` (a page that is read,
and takes a message by POST, such as a conversation). A blocked member gets a page that says
why, with status 403. A membership elsewhere is not affected.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, make_response, render_template, request

from buurtplatform.accounts.sessions import current_member

P = ParamSpec("P")
R = TypeVar("R")


def refuse_if_blocked() -> None:
    """Stop the request with the "you are blocked" page if the signed-in member is blocked."""
    member = current_member()
    if member is not None and member.is_blocked:
        page = render_template("accounts/blocked.html", member=member)
        abort(make_response(page, 403))


def _refusing_blocked_members(
    methods: Collection[str],
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if request.method in methods:
                refuse_if_blocked()
            return view(*args, **kwargs)

        return wrapped

    return decorate


# Below member_required (or login_required) on views that post or message.
not_blocked = _refusing_blocked_members({"GET", "HEAD", "POST"})
not_blocked_to_post = _refusing_blocked_members({"POST"})
