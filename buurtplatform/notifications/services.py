"""Sending a notification as each person wants it: at once, in a daily or weekly round-up,
or not at all; and the signed links that unsubscribe without signing in."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from buurtplatform.accounts.models import Membership
from buurtplatform.extensions import db
from buurtplatform.mail.services import queue_email
from buurtplatform.notifications.models import (
    DEFAULT_FREQUENCY,
    Frequency,
    NotificationPreference,
    PendingNotification,
    Topic,
)
from tenants.scoping import current_tenant

UNSUBSCRIBE = "unsubscribe"


def frequencies_of(membership_ids: Iterable[int]) -> dict[tuple[int, Topic], Frequency]:
    """Every topic's frequency for each of these memberships, in one query."""
    ids = list(membership_ids)
    chosen = db.session.execute(
        sa.select(
            NotificationPreference.membership_id,
            NotificationPreference.topic,
            NotificationPreference.frequency,
        ).where(NotificationPreference.membership_id.in_(ids))
    ).all()
    found = {(member, topic): DEFAULT_FREQUENCY[topic] for member in ids for topic in Topic}
    found.update({(member, topic): frequency for member, topic, frequency in chosen})
    return found


def frequency_for(membership_id: int, topic: Topic) -> Frequency:
    return frequencies_of([membership_id])[membership_id, topic]


def _preference(membership_id: int, topic: Topic) -> NotificationPreference | None:
    return db.session.scalar(
        sa.select(NotificationPreference).where(
            NotificationPreference.membership_id == membership_id,
            NotificationPreference.topic == topic,
        )
    )


def set_frequency(membership_id: int, topic: Topic, frequency: Frequency) -> None:
    preference = _preference(membership_id, topic)
    if preference is None:
        preference = NotificationPreference(membership_id=membership_id, topic=topic)
        db.session.add(preference)
    preference.frequency = frequency


def wants_message_text(membership_id: int) -> bool:
    """Whether emails about messages carry the message itself (yes, unless turned off)."""
    preference = _preference(membership_id, Topic.MESSAGES)
    return preference is None or preference.with_text


def set_message_text(membership_id: int, wanted: bool) -> None:
    preference = _preference(membership_id, Topic.MESSAGES)
    if preference is None:
        preference = NotificationPreference(
            membership_id=membership_id,
            topic=Topic.MESSAGES,
            frequency=DEFAULT_FREQUENCY[Topic.MESSAGES],
        )
        db.session.add(preference)
    preference.with_text = wanted


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE)


def unsubscribe_token(membership_id: int, topic: Topic) -> str:
    """Never expires: an old email's unsubscribe link must keep working."""
    return _serializer().dumps({"m": membership_id, "t": topic.value})


def read_unsubscribe_token(token: str) -> tuple[Membership, Topic] | None:
    """The membership (of the current municipality) and topic a token is for."""
    try:
        payload = _serializer().loads(token)
        topic = Topic(payload["t"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    membership = db.session.get(Membership, payload["m"])
    return (membership, topic) if membership is not None else None


def unsubscribe_url(membership_id: int, topic: Topic) -> str:
    return current_tenant().url_for(
        "notifications.unsubscribe", token=unsubscribe_token(membership_id, topic)
    )


def notify(
    membership: Membership,
    topic: Topic,
    kind: str,
    title: str,
    link: str,
    *,
    frequency: Frequency | None = None,
    message_text: str | None = None,
    **context,
) -> None:
    """Tell `membership`'s person about something, as often as they chose for `topic`.

    `kind` is the mail template for an immediate email; `title` and `link` describe the
    item in a round-up. A caller telling many people passes each one's `frequency`, read
    for all of them at once with `frequencies_of`. An immediate email about a message
    carries `message_text` unless the person turned that off.
    """
    frequency = frequency or frequency_for(membership.id, topic)
    if frequency == Frequency.NEVER:
        return
    if frequency == Frequency.IMMEDIATELY:
        user = membership.user
        if message_text and not wants_message_text(membership.id):
            message_text = None
        queue_email(
            user.email,
            user.locale,
            kind,
            unsubscribe_url=unsubscribe_url(membership.id, topic),
            link=link,
            message_text=message_text,
            **context,
        )
        return
    db.session.add(
        PendingNotification(membership_id=membership.id, topic=topic, title=title, link=link)
    )


def membership_of(user_id: int) -> Membership | None:
    """The person's membership of the current municipality."""
    return db.session.scalar(sa.select(Membership).where(Membership.user_id == user_id))
