"""A news item of one municipality."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtplatform.accounts.models import User
from buurtplatform.columns import UTCDateTime
from buurtplatform.extensions import db
from buurtplatform.search import searchable
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tenants.scoping import TenantScoped


class NewsItem(TenantScoped, db.Model):
    """Written by a connector or coordinator; no moderation, since only they publish."""

    __tablename__ = "news_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text)
    # None: news for the whole municipality.
    village_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("villages.id", ondelete="SET NULL")
    )
    # A key in buurtplatform.storage; the photo was checked and re-encoded on upload.
    photo_key: Mapped[str | None] = mapped_column(sa.String(40))
    # The last day (Europe/Amsterdam) it is in the lists; None: until it is removed.
    last_day: Mapped[date | None] = mapped_column(sa.Date)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    village: Mapped[Village | None] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<NewsItem {self.id} {self.title!r}>"


# Found by the news list's search and by the search of the whole site (buurtplatform/search.py).
searchable(NewsItem, columns=("title", "body"))
