"""Which news is current, and publishing, changing and removing it (with its photo)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import get_timezone
from sqlalchemy.orm import joinedload

from buurtplatform import storage
from buurtplatform.extensions import db
from buurtplatform.news.models import NewsItem
from buurtplatform.search import matches
from tenants.models import Village


def local_today() -> date:
    return datetime.now(get_timezone()).date()


def current_news(village: Village | None = None, words: str = "") -> sa.Select:
    """News whose last day has not passed, newest first, with its village; of one village
    and the whole municipality, or (None) all of it; with `words` in it, if given."""
    statement = (
        sa.select(NewsItem)
        .where(sa.or_(NewsItem.last_day.is_(None), NewsItem.last_day >= local_today()))
        .options(joinedload(NewsItem.village))
        .order_by(NewsItem.created_at.desc(), NewsItem.id.desc())
    )
    if village is not None:
        statement = statement.where(
            sa.or_(NewsItem.village_id == village.id, NewsItem.village_id.is_(None))
        )
    if (condition := matches(NewsItem, words)) is not None:
        statement = statement.where(condition)
    return statement


def ended_news() -> sa.Select:
    """News past its last day: out of the lists, kept for its writers to change or remove."""
    return (
        sa.select(NewsItem)
        .where(NewsItem.last_day < local_today())
        .options(joinedload(NewsItem.village))
        .order_by(NewsItem.last_day.desc(), NewsItem.id.desc())
    )


def latest_news(limit: int) -> list[NewsItem]:
    return list(db.session.scalars(current_news().limit(limit)))


def news_or_404(news_id: int) -> NewsItem:
    return db.get_or_404(NewsItem, news_id)


def replace_photo(item: NewsItem, new_key: str | None, *, remove: bool) -> None:
    """Give `item` the photo `new_key` (or none, with `remove`), and delete the old file."""
    if new_key is None and not remove:
        return
    old_key, item.photo_key = item.photo_key, new_key
    if old_key and old_key != new_key:
        storage.delete(old_key)
