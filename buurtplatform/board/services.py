"""The board's rules: what a visitor sees, who changes what, posting with a photo, and the
list with pinned posts first."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from buurtplatform.accounts.models import Role
from buurtplatform.accounts.sessions import current_member, has_role
from buurtplatform.board.models import BoardComment, BoardPost, PostKind
from buurtplatform.extensions import db
from buurtplatform.moderated import Moderated, awaits_approval, first_one_waits
from buurtplatform.notifications.models import Topic
from buurtplatform.notifications.services import membership_of, notify
from buurtplatform.search import matches
from tenants.scoping import current_tenant


def is_connector() -> bool:
    """A connector of this municipality, or a platform admin (as on the Beheer pages)."""
    return current_user.is_authenticated and (
        current_user.is_platform_admin or has_role(Role.CONNECTOR)
    )


def is_author(content: BoardPost | BoardComment) -> bool:
    return current_user.is_authenticated and content.author_id == current_user.id


def can_see(content: Moderated) -> bool:
    """Hidden content, or content that waits for approval, exists only for its author and
    the connectors."""
    return content.is_public or is_author(content) or is_connector()


def post_or_404(post_id: int) -> BoardPost:
    """Another municipality's post is not found here: the scoping hook hides it."""
    post = db.get_or_404(BoardPost, post_id)
    if not can_see(post):
        abort(404)
    return post


def comment_or_404(comment_id: int) -> BoardComment:
    """A comment exists where its post and the comment itself can be seen."""
    comment = db.get_or_404(BoardComment, comment_id)
    if not can_see(comment) or not can_see(comment.post):
        abort(404)
    return comment


def own_or_403(content: BoardPost | BoardComment) -> None:
    """Only the author edits or deletes: connectors hide instead, and say why."""
    if not is_author(content):
        abort(403)


def can_comment(post: BoardPost) -> bool:
    return post.closed_at is None and post.is_public


def board_posts(
    kind: PostKind | None = None, village_id: int | None = None, words: str = ""
) -> sa.Select:
    """Public posts, pinned ones first (the latest pinned on top), then newest first, with
    what a card shows loaded in the same query; of one kind, in one village, or with
    `words` in them, if given."""
    statement = (
        sa.select(BoardPost)
        .where(BoardPost.public())
        .options(joinedload(BoardPost.author), joinedload(BoardPost.village))
        .order_by(
            BoardPost.pinned_at.is_(None),
            BoardPost.pinned_at.desc(),
            BoardPost.created_at.desc(),
            BoardPost.id.desc(),
        )
    )
    if kind is not None:
        statement = statement.where(BoardPost.kind == kind)
    if village_id:
        statement = statement.where(BoardPost.village_id == village_id)
    if (condition := matches(BoardPost, words)) is not None:
        statement = statement.where(condition)
    return statement


def comment_counts(posts: list[BoardPost]) -> dict[int, int]:
    """The public comments of each post on a page, in one query."""
    if not posts:
        return {}
    rows = db.session.execute(
        sa.select(BoardComment.post_id, sa.func.count(BoardComment.id))
        .where(BoardComment.post_id.in_([post.id for post in posts]), BoardComment.public())
        .group_by(BoardComment.post_id)
    )
    return {post_id: count for post_id, count in rows}


def visible_comments(post: BoardPost) -> list[BoardComment]:
    """Public comments, and the visitor's own hidden ones (with the reason); connectors see
    every comment, to decide on it."""
    statement = (
        sa.select(BoardComment)
        .where(BoardComment.post_id == post.id)
        .options(joinedload(BoardComment.author))
        .order_by(BoardComment.created_at, BoardComment.id)
    )
    if not is_connector():
        shown = BoardComment.public()
        if current_user.is_authenticated:
            shown = sa.or_(shown, BoardComment.author_id == current_user.id)
        statement = statement.where(shown)
    return list(db.session.scalars(statement))


@dataclass
class PostDraft:
    """What an author fills in; the same for a new post and an edit."""

    kind: PostKind
    title: str
    body: str
    village_id: int | None


def apply_draft(post: BoardPost, draft: PostDraft) -> None:
    post.kind = draft.kind
    post.title = draft.title
    post.body = draft.body
    post.village_id = draft.village_id


def add_post(draft: PostDraft, photo_key: str | None) -> BoardPost:
    """The signed-in member's new post; a new member's first one may wait for a connector.
    The caller commits."""
    post = BoardPost(author_id=current_user.id, photo_key=photo_key)
    apply_draft(post, draft)
    post.awaiting_approval = first_one_waits(BoardPost, current_member())
    db.session.add(post)
    db.session.flush()
    if post.awaiting_approval:
        awaits_approval.send(BoardPost, content=post)
    return post


def add_comment(post: BoardPost, body: str) -> BoardComment:
    """The signed-in member's comment. The post's author hears of it as of a message in a
    conversation, as often as they chose for those. The caller commits."""
    comment = BoardComment(post_id=post.id, author_id=current_user.id, body=body)
    db.session.add(comment)
    db.session.flush()
    author = membership_of(post.author_id)
    if post.author_id != current_user.id and author is not None:
        notify(
            author,
            Topic.MESSAGES,
            "board_comment",
            title=f"{current_user.first_name}: {post.title}",
            link=current_tenant().url_for("board.detail", post_id=post.id),
            person=author.user,
            commenter=current_user.first_name,
            post=post,
            comment=comment,
            message_text=body,
        )
    return comment
