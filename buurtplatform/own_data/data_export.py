"""A person's own data in this municipality, as a ZIP to download (AVG: the right of access).

`data.json` holds everything the platform keeps of the person here, `README.txt` says what
each file is (in the person's language), `texts/` holds their longer texts as files one can
open, and `photos/` the photos they placed. Only this municipality: a person who is a member
of two municipalities downloads each one's data on its own site. Other people appear only by
their first name ("Former member" once they deleted their account), never with an address.

Every column that points at a person (`users.id`) or at a membership is named in `COVERED`,
with the part of `data.json` it fills or the reason it stays out; a test fails when a new one
is added without saying which (tests/test_account_data.py).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale

from buurtplatform import storage
from buurtplatform.accounts.models import Membership, User, UserSession
from buurtplatform.activities.models import Activity, Signup
from buurtplatform.beheer.models import AuditEntry, Decision
from buurtplatform.board.models import BoardComment, BoardPost
from buurtplatform.conversations.models import Block, Conversation, Report
from buurtplatform.directory.models import Owner
from buurtplatform.extensions import db
from buurtplatform.listings.models import HelperCategory, Listing
from buurtplatform.mail.models import Email
from buurtplatform.matches.models import Match
from buurtplatform.news.models import NewsItem
from buurtplatform.notifications.models import NotificationPreference, PendingNotification
from buurtplatform.timestamps import utcnow
from buurtplatform.werkbank.models import StaffNote
from tenants.models import Tenant

# (table, column) -> the part of data.json that holds it, or "-" and why it stays out.
COVERED: dict[tuple[str, str], str] = {
    ("memberships", "user_id"): "membership",
    ("user_sessions", "user_id"): "sessions",
    ("listings", "author_id"): "asks_and_offers",
    ("conversations", "author_id"): "conversations",
    ("conversations", "replier_id"): "conversations",
    ("messages", "sender_id"): "conversations",
    ("matches", "partner_id"): "matches",
    ("matches", "recorded_by_id"): "matches",
    ("board_posts", "author_id"): "board_posts",
    ("board_comments", "author_id"): "board_comments",
    ("activities", "organiser_id"): "activities_organised",
    ("activity_signups", "user_id"): "activity_signups",
    ("reports", "reporter_id"): "reports_made",
    ("news_items", "author_id"): "news_written",
    ("blocks", "blocker_id"): "people_blocked",
    ("moderation_decisions", "author_id"): "moderation_decisions",
    ("staff_notes", "author_id"): "staff_notes_written",
    ("audit_entries", "actor_id"): "actions_in_beheer",
    ("helper_categories", "membership_id"): "membership",
    ("notification_preferences", "membership_id"): "notification_settings",
    ("pending_notifications", "membership_id"): "notifications_waiting",
    ("organisation_owners", "membership_id"): "organisations_owned",
    ("blocks", "blocked_id"): "- who blocked the person is not told to them (conversations)",
    ("memberships", "blocked_by_id"): "- the members a connector blocked: other people's data",
    ("invitations", "invited_by_id"): "- the people one invited: other people's addresses",
    ("invitations", "accepted_by_id"): "- the role it gave is in membership",
    ("offline_people", "recorded_by_id"): "- people without an account: other people's data",
    ("activity_signups", "signed_up_by_id"): "- people signed up for others: their data",
    ("callback_requests", "claimed_by_id"): "- call-back requests: other people's data",
    ("callback_requests", "closed_by_id"): "- call-back requests: other people's data",
}


def _when(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _all(statement: sa.Select) -> list[Any]:
    return list(db.session.scalars(statement))


class Export:
    """Builds the ZIP: data.json, README.txt, texts/ and photos/."""

    def __init__(self, user: User, tenant: Tenant) -> None:
        self.user = user
        self.tenant = tenant
        self.files: dict[str, bytes] = {}

    def _text(self, path: str, title: str, body: str) -> str:
        self.files[path] = f"{title}\n\n{body}\n".encode()
        return path

    def _photo(self, key: str | None) -> str | None:
        data = storage.read(key) if key else None
        if data is None:
            return None
        path = f"photos/{key}"
        self.files[path] = data
        return path

    def data(self) -> dict[str, Any]:
        user = self.user
        member = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
        return {
            "exported_at": _when(utcnow()),
            "municipality": self.tenant.site_name,
            "account": {
                "first_name": user.first_name,
                "email": user.email,
                "language": user.locale,
                "created_at": _when(user.created_at),
                "email_confirmed_at": _when(user.email_verified_at),
            },
            "sessions": [
                {"signed_in_at": _when(s.created_at)}
                for s in _all(sa.select(UserSession).where(UserSession.user_id == user.id))
            ],
            "membership": self._membership(member),
            "notification_settings": self._notification_settings(member),
            "notifications_waiting": self._notifications_waiting(member),
            "organisations_owned": self._organisations(member),
            "asks_and_offers": self._listings(),
            "conversations": self._conversations(),
            "matches": self._matches(),
            "board_posts": self._board_posts(),
            "board_comments": self._board_comments(),
            "activities_organised": self._activities(),
            "activity_signups": self._signups(),
            "reports_made": self._reports(),
            "news_written": self._news(),
            "people_blocked": self._blocks(),
            "moderation_decisions": self._decisions(),
            "staff_notes_written": self._staff_notes(),
            "actions_in_beheer": self._audit(),
            "emails_to_you": self._emails(),
        }

    def _membership(self, member: Membership | None) -> dict[str, Any] | None:
        if member is None:
            return None
        categories = _all(
            sa.select(HelperCategory).where(HelperCategory.membership_id == member.id)
        )
        return {
            "role": member.role.value,
            "village": member.village.name if member.village else None,
            "offers_help": member.offers_help,
            "skills": member.skills,
            "helps_with": [row.category.label for row in categories],
            "privacy_consent_at": _when(member.privacy_consent_at),
            "member_since": _when(member.created_at),
            "last_visit": _when(member.last_seen_at),
            "blocked_at": _when(member.blocked_at),
            "blocked_reason": member.blocked_reason or None,
        }

    def _notification_settings(self, member: Membership | None) -> list[dict[str, Any]]:
        if member is None:
            return []
        rows = _all(
            sa.select(NotificationPreference).where(
                NotificationPreference.membership_id == member.id
            )
        )
        return [
            {"topic": r.topic.value, "frequency": r.frequency.value, "with_text": r.with_text}
            for r in rows
        ]

    def _notifications_waiting(self, member: Membership | None) -> list[dict[str, Any]]:
        if member is None:
            return []
        rows = _all(
            sa.select(PendingNotification).where(PendingNotification.membership_id == member.id)
        )
        return [{"title": r.title, "created_at": _when(r.created_at)} for r in rows]

    def _organisations(self, member: Membership | None) -> list[str]:
        if member is None:
            return []
        return [
            owner.organisation.name
            for owner in _all(sa.select(Owner).where(Owner.membership_id == member.id))
        ]

    def _listings(self) -> list[dict[str, Any]]:
        listings = _all(
            sa.select(Listing).where(Listing.author_id == self.user.id).order_by(Listing.id)
        )
        return [
            {
                "id": listing.id,
                "kind": listing.kind.value,
                "status": listing.status.value,
                "title": listing.title,
                "category": listing.category.label,
                "village": listing.village.name if listing.village else None,
                "for_whom": listing.on_behalf_of,
                "created_at": _when(listing.created_at),
                "expires_at": _when(listing.expires_at),
                "closed_at": _when(listing.closed_at),
                "text_file": self._text(
                    f"texts/asks-and-offers/{listing.id}.md", listing.title, listing.description
                ),
            }
            for listing in listings
        ]

    def _conversations(self) -> list[dict[str, Any]]:
        me = self.user.id
        conversations = _all(
            sa.select(Conversation)
            .where(sa.or_(Conversation.author_id == me, Conversation.replier_id == me))
            .order_by(Conversation.id)
        )
        exported = []
        for conversation in conversations:
            other = conversation.other_person(me)
            other_name = str(conversation.name_of(other))
            messages = [
                {
                    "from": "me" if message.sender_id == me else other_name,
                    "sent_at": _when(message.created_at),
                    "text": message.body,
                }
                for message in conversation.messages
            ]
            lines = "\n\n".join(f"{m['from']}, {m['sent_at']}:\n{m['text']}" for m in messages)
            title = conversation.listing.title if conversation.listing else other_name
            exported.append(
                {
                    "id": conversation.id,
                    "about": conversation.listing.title if conversation.listing else None,
                    "with": other_name,
                    "started_at": _when(conversation.created_at),
                    "messages": messages,
                    "text_file": self._text(
                        f"texts/conversations/{conversation.id}.txt", title, lines
                    ),
                }
            )
        return exported

    def _matches(self) -> list[dict[str, Any]]:
        me = self.user.id
        matches = _all(
            sa.select(Match)
            .join(Match.listing)
            .where(
                sa.or_(Match.partner_id == me, Match.recorded_by_id == me, Listing.author_id == me)
            )
            .order_by(Match.id)
        )
        return [
            {
                "listing": match.listing.title,
                "my_part": "helped or was helped" if match.partner_id == me else "posted",
                "with": match.listing.author.display_name
                if match.partner_id == me
                else match.partner_display_name,
                "agreed_at": _when(match.created_at),
                "outcome_of_poster": match.author_outcome.value if match.author_outcome else None,
                "outcome_of_other": match.partner_outcome.value if match.partner_outcome else None,
            }
            for match in matches
        ]

    def _board_posts(self) -> list[dict[str, Any]]:
        posts = _all(
            sa.select(BoardPost).where(BoardPost.author_id == self.user.id).order_by(BoardPost.id)
        )
        return [
            {
                "id": post.id,
                "kind": post.kind.value,
                "title": post.title,
                "village": post.village.name if post.village else None,
                "created_at": _when(post.created_at),
                "photo_file": self._photo(post.photo_key),
                "text_file": self._text(f"texts/board/{post.id}.md", post.title, post.body),
            }
            for post in posts
        ]

    def _board_comments(self) -> list[dict[str, Any]]:
        comments = _all(
            sa.select(BoardComment)
            .where(BoardComment.author_id == self.user.id)
            .order_by(BoardComment.id)
        )
        return [
            {"on_post": c.post.title, "created_at": _when(c.created_at), "text": c.body}
            for c in comments
        ]

    def _activities(self) -> list[dict[str, Any]]:
        activities = _all(
            sa.select(Activity).where(Activity.organiser_id == self.user.id).order_by(Activity.id)
        )
        return [
            {
                "id": activity.id,
                "title": activity.title,
                "kind": activity.kind.value,
                "starts_at": _when(activity.starts_at),
                "ends_at": _when(activity.ends_at),
                "repeat": activity.repeat.value,
                "place": activity.place,
                "cancelled_at": _when(activity.cancelled_at),
                "text_file": self._text(
                    f"texts/activities/{activity.id}.md", activity.title, activity.description
                ),
            }
            for activity in activities
        ]

    def _signups(self) -> list[dict[str, Any]]:
        signups = _all(sa.select(Signup).where(Signup.user_id == self.user.id).order_by(Signup.id))
        return [
            {
                "activity": s.activity.title,
                "day": _when(s.occurs_on),
                "status": s.status.value,
                "signed_up_at": _when(s.created_at),
            }
            for s in signups
        ]

    def _reports(self) -> list[dict[str, Any]]:
        reports = _all(sa.select(Report).where(Report.reporter_id == self.user.id))
        return [
            {
                "about": str(r.content.content_kind) if r.content else None,
                "reason": r.reason_code.value,
                "your_words": r.reason,
                "created_at": _when(r.created_at),
                "handled_at": _when(r.handled_at),
            }
            for r in reports
        ]

    def _news(self) -> list[dict[str, Any]]:
        items = _all(
            sa.select(NewsItem).where(NewsItem.author_id == self.user.id).order_by(NewsItem.id)
        )
        return [
            {
                "id": item.id,
                "title": item.title,
                "created_at": _when(item.created_at),
                "photo_file": self._photo(item.photo_key),
                "text_file": self._text(f"texts/news/{item.id}.md", item.title, item.body),
            }
            for item in items
        ]

    def _blocks(self) -> list[dict[str, Any]]:
        rows = db.session.execute(
            sa.select(User, Block.created_at)
            .join(Block, Block.blocked_id == User.id)
            .where(Block.blocker_id == self.user.id)
        )
        return [{"name": str(u.display_name), "since": _when(since)} for u, since in rows]

    def _decisions(self) -> list[dict[str, Any]]:
        decisions = _all(sa.select(Decision).where(Decision.author_id == self.user.id))
        return [
            {
                "action": d.action.value,
                "about": d.content.content_summary if d.content else None,
                "reason": d.reason,
                "created_at": _when(d.created_at),
                "your_answer": d.reply,
            }
            for d in decisions
        ]

    def _staff_notes(self) -> list[dict[str, Any]]:
        notes = _all(sa.select(StaffNote).where(StaffNote.author_id == self.user.id))
        return [{"created_at": _when(n.created_at), "text": n.body} for n in notes]

    def _audit(self) -> list[dict[str, Any]]:
        entries = _all(sa.select(AuditEntry).where(AuditEntry.actor_id == self.user.id))
        return [
            {"action": e.action, "subject": e.subject, "created_at": _when(e.created_at)}
            for e in entries
        ]

    def _emails(self) -> list[dict[str, Any]]:
        """The emails this municipality sent (or is sending) to the person's address; their
        text until it is emptied (buurtplatform.retention)."""
        emails = _all(sa.select(Email).where(Email.recipient == self.user.email).order_by(Email.id))
        return [
            {
                "subject": e.subject,
                "created_at": _when(e.created_at),
                "sent_at": _when(e.sent_at),
                "text": e.body_text or None,
            }
            for e in emails
        ]

    def zip(self) -> bytes:
        data = self.data()
        with force_locale(self.user.locale):
            readme = render_template("own_data/data_readme.txt", data=data, tenant=self.tenant)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
            archive.writestr("README.txt", readme)
            for path, content in sorted(self.files.items()):
                archive.writestr(path, content)
        return buffer.getvalue()


def export_zip(user: User, tenant: Tenant) -> bytes:
    """The ZIP of everything of `user` in `tenant` (the current municipality)."""
    return Export(user, tenant).zip()
