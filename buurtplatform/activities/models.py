"""Activities (de agenda): what happens when and where, who organises it, and who comes.

An activity happens once, weekly, or on one weekday of every month (every first Tuesday, every
last Friday). Its occurrences are computed, never stored (buurtplatform.activities.occurrences);
people sign up for one occurrence, named by its day, because a weekly coffee morning has room
for so many people each week, not for so many people in all.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.accounts.models import User
from buurtplatform.columns import UTCDateTime, enum_type
from buurtplatform.extensions import db
from buurtplatform.listings.models import OfflinePerson
from buurtplatform.search import searchable
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tenants.scoping import TenantScoped


class ActivityKind(enum.StrEnum):
    COFFEE = "coffee"
    WALK = "walk"
    COURSE = "course"
    INFORMATION = "information"
    GAMES = "games"
    OTHER = "other"


KIND_LABELS = {
    ActivityKind.COFFEE: _l("Coffee morning"),
    ActivityKind.WALK: _l("Walking"),
    ActivityKind.COURSE: _l("Course or workshop"),
    ActivityKind.INFORMATION: _l("Information meeting"),
    ActivityKind.GAMES: _l("Games and crafts"),
    ActivityKind.OTHER: _l("Something else"),
}


class Repeat(enum.StrEnum):
    NONE = "none"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class Activity(TenantScoped, db.Model):
    __tablename__ = "activities"
    __table_args__ = (sa.Index("ix_activities_tenant_starts", "tenant_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ActivityKind] = mapped_column(enum_type(ActivityKind))
    title: Mapped[str] = mapped_column(sa.String(100))
    description: Mapped[str] = mapped_column(sa.Text)
    # The first occurrence; later ones keep its local clock time (10:00 stays 10:00).
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    repeat: Mapped[Repeat] = mapped_column(
        enum_type(Repeat, length=10), default=Repeat.NONE, server_default=Repeat.NONE.value
    )
    # For a monthly activity: which of the month's weekdays (1 to 4, or -1 for the last); the
    # weekday is that of the first occurrence.
    week_of_month: Mapped[int | None] = mapped_column(sa.SmallInteger)
    repeat_until: Mapped[date | None] = mapped_column(sa.Date)
    village_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("villages.id", ondelete="SET NULL"), index=True
    )
    place: Mapped[str] = mapped_column(sa.String(200))
    cost: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    accessibility: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    # None: no limit. Beyond it, people join the waiting list.
    capacity: Mapped[int | None] = mapped_column()
    organiser_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # An organisation's member organises it on behalf of their organisation.
    by_organisation: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    village: Mapped[Village | None] = relationship()
    organiser: Mapped[User] = relationship()

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.title!r}>"


# Found by the agenda's search and by the search of the whole site (buurtplatform/search.py).
searchable(Activity, columns=("title", "description", "place"))


class SignupStatus(enum.StrEnum):
    GOING = "going"
    WAITING = "waiting"


class Signup(TenantScoped, db.Model):
    """Someone comes to one occurrence (or waits for a place): a member, or a person without
    an account whom a coordinator signed up."""

    __tablename__ = "activity_signups"
    __table_args__ = (
        sa.UniqueConstraint(
            "activity_id", "occurs_on", "user_id", name="uq_activity_signups_member"
        ),
        sa.UniqueConstraint(
            "activity_id", "occurs_on", "offline_person_id", name="uq_activity_signups_person"
        ),
        sa.Index("ix_activity_signups_day", "tenant_id", "occurs_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"))
    # The local day of the occurrence (an activity happens at most once a day).
    occurs_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[SignupStatus] = mapped_column(enum_type(SignupStatus, length=10))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    offline_person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("offline_people.id", ondelete="CASCADE")
    )
    # The coordinator who signed up a person without an account.
    signed_up_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    activity: Mapped[Activity] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    offline_person: Mapped[OfflinePerson | None] = relationship()

    @property
    def name(self) -> str:
        return self.user.display_name if self.user else self.offline_person.name
