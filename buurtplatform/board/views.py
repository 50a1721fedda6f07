"""The prikbord's pages: the list, a post with its comments, posting and editing (the
author's), pinning and closing (the connectors'), reporting, and a post's photo."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from buurtplatform import storage
from buurtplatform.accounts.blocking import not_blocked
from buurtplatform.accounts.sessions import current_member, member_required
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.board import bp
from buurtplatform.board.forms import BoardFilterForm, CommentForm, PostForm
from buurtplatform.board.models import BoardPost, PostKind
from buurtplatform.board.services import (
    PostDraft,
    add_comment,
    add_post,
    apply_draft,
    board_posts,
    can_comment,
    comment_counts,
    comment_or_404,
    is_connector,
    own_or_403,
    post_or_404,
    visible_comments,
)
from buurtplatform.conversations.views import report_page
from buurtplatform.extensions import db
from buurtplatform.images import UnusableImageError, store_photo
from buurtplatform.listings.forms import ConfirmForm
from buurtplatform.listings.services import villages
from buurtplatform.page_cache import shared_with_members
from buurtplatform.site.views import stored_image_response
from buurtplatform.timestamps import utcnow

PER_PAGE = 20

register_actions(
    {
        "community.board_pinned": _l("Pinned a post on the board"),
        "community.board_unpinned": _l("Unpinned a post on the board"),
        "community.board_closed": _l("Closed a post on the board for comments"),
        "community.board_reopened": _l("Opened a post on the board for comments again"),
    }
)


def village_choices(prompt: str) -> list[SelectChoice]:
    return [SelectChoice(0, prompt)] + [SelectChoice(v.id, v.name) for v in villages()]


@bp.get("/prikbord")
@shared_with_members
def index() -> str:
    form = BoardFilterForm(request.args)
    form.village.choices = village_choices(_("All villages"))
    form.validate()
    kind = PostKind(form.kind.data) if form.kind.data and not form.kind.errors else None
    village_id = form.village.data if not form.village.errors else None
    words = form.q.data if not form.q.errors else ""
    page = db.paginate(
        board_posts(kind, village_id, words or ""),
        page=(form.page.data if not form.page.errors else None) or 1,
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "board/index.html",
        form=form,
        page=page,
        comments=comment_counts(page.items),
        filtered=bool(kind or village_id or words),
    )


def _draft_from(form: PostForm) -> PostDraft:
    return PostDraft(
        kind=PostKind(form.kind.data),
        title=form.title.data,
        body=form.body.data,
        village_id=form.village.data or None,
    )


def _post_form(post: BoardPost | None = None) -> PostForm:
    form = PostForm(obj=post)
    form.village.choices = village_choices(_("The whole municipality"))
    if request.method == "GET" and post is None:
        form.village.data = current_member().village_id or 0
    elif request.method == "GET":
        form.village.data = post.village_id or 0
        form.kind.data = post.kind.value
    return form


def _submitted(form: PostForm) -> tuple[bool, str | None]:
    """Whether the form came back complete, and the key of its new photo (checked, re-encoded
    and stored; None when no photo was chosen). A browser never fills a file field in again:
    when the form goes back with an error, the chosen photo is asked for again."""
    if not form.validate_on_submit():
        if form.photo.data and form.photo.data.filename:
            form.photo.errors.append(
                _l("Choose your photo again: it is not kept while something else needs a change.")
            )
        return False, None
    try:
        return True, store_photo(form.photo.data)
    except UnusableImageError as problem:
        form.photo.errors.append(problem.message)
        return False, None


@bp.route("/prikbord/nieuw", methods=["GET", "POST"])
@member_required
@not_blocked
def new() -> str | Response:
    form = _post_form()
    complete, photo_key = _submitted(form)
    if complete:
        post = add_post(_draft_from(form), photo_key)
        db.session.commit()
        if post.awaiting_approval:
            flash(
                _(
                    "Thank you! A neighbourhood connector looks at your first message. "
                    "It goes on the site once it is approved."
                ),
                "success",
            )
        else:
            flash(_("Thank you! Your message is on the board now."), "success")
        return redirect(url_for("board.detail", post_id=post.id))
    return render_template("board/form.html", form=form, post=None)


@bp.get("/prikbord/<int:post_id>")
def detail(post_id: int) -> str:
    # Forms (and the session for their key) only for members: a visitor's page is everyone's.
    return _detail(post_or_404(post_id), CommentForm() if current_user.is_authenticated else None)


def _detail(post: BoardPost, form: CommentForm | None) -> str:
    return render_template(
        "board/detail.html",
        post=post,
        comments=visible_comments(post),
        form=form,
        can_comment=can_comment(post),
        is_connector=is_connector(),
        confirm_form=ConfirmForm() if current_user.is_authenticated else None,
    )


@bp.post("/prikbord/<int:post_id>/reageren")
@member_required
@not_blocked
def comment(post_id: int) -> str | Response:
    post = post_or_404(post_id)
    if not can_comment(post):
        flash(_("You cannot comment on this message (any more)."), "info")
        return redirect(url_for("board.detail", post_id=post.id))
    form = CommentForm()
    if not form.validate_on_submit():
        return _detail(post, form)
    new_comment = add_comment(post, form.body.data)
    db.session.commit()
    flash(_("Your comment is placed."), "success")
    return redirect(url_for("board.detail", post_id=post.id) + f"#reactie-{new_comment.id}")


@bp.route("/prikbord/<int:post_id>/bewerken", methods=["GET", "POST"])
@login_required
@not_blocked
def edit(post_id: int) -> str | Response:
    post = post_or_404(post_id)
    own_or_403(post)
    form = _post_form(post)
    complete, photo_key = _submitted(form)
    if complete:
        old_photo = post.photo_key
        if photo_key or form.remove_photo.data:
            post.photo_key = photo_key
        apply_draft(post, _draft_from(form))
        db.session.commit()
        if old_photo != post.photo_key:
            storage.delete(old_photo)
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("board.detail", post_id=post.id))
    return render_template("board/form.html", form=form, post=post)


@bp.route("/prikbord/<int:post_id>/verwijderen", methods=["GET", "POST"])
@login_required
def delete(post_id: int) -> str | Response:
    """Deleting asks for a confirmation on a page of its own: it cannot be undone."""
    post = post_or_404(post_id)
    own_or_403(post)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("board/delete.html", post=post, comment=None, form=form)
    photo_key = post.photo_key
    db.session.delete(post)
    db.session.commit()
    storage.delete(photo_key)
    flash(_("Deleted."), "success")
    return redirect(url_for("board.index"))


@bp.route("/prikbord/reactie/<int:comment_id>/bewerken", methods=["GET", "POST"])
@login_required
@not_blocked
def edit_comment(comment_id: int) -> str | Response:
    found = comment_or_404(comment_id)
    own_or_403(found)
    form = CommentForm(obj=found)
    if form.validate_on_submit():
        found.body = form.body.data
        db.session.commit()
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("board.detail", post_id=found.post_id) + f"#reactie-{found.id}")
    return render_template("board/comment_form.html", comment=found, form=form)


@bp.route("/prikbord/reactie/<int:comment_id>/verwijderen", methods=["GET", "POST"])
@login_required
def delete_comment(comment_id: int) -> str | Response:
    found = comment_or_404(comment_id)
    own_or_403(found)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("board/delete.html", post=found.post, comment=found, form=form)
    db.session.delete(found)
    db.session.commit()
    flash(_("Deleted."), "success")
    return redirect(url_for("board.detail", post_id=found.post_id))


def _connector_action(
    post_id: int, change: Callable[[BoardPost], bool], action: str, done: str
) -> Response:
    """A connector pins, unpins, closes or opens a post. `change` returns False when the post
    was so already (a second click, a stale page): then nothing is logged."""
    post = post_or_404(post_id)
    if not is_connector():
        abort(403)
    if ConfirmForm().validate_on_submit() and change(post):
        record(action, post.title, link=url_for("board.detail", post_id=post.id))
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("board.detail", post_id=post.id))


def _set(attribute: str, value: bool) -> Callable[[BoardPost], bool]:
    """Set (to now) or clear one of the post's moments; False if it was so already."""

    def change(post: BoardPost) -> bool:
        if (getattr(post, attribute) is not None) == value:
            return False
        setattr(post, attribute, utcnow() if value else None)
        return True

    return change


@bp.post("/prikbord/<int:post_id>/vastzetten")
@login_required
def pin(post_id: int) -> Response:
    return _connector_action(
        post_id, _set("pinned_at", True), "community.board_pinned", _("The message is on top now.")
    )


@bp.post("/prikbord/<int:post_id>/losmaken")
@login_required
def unpin(post_id: int) -> Response:
    return _connector_action(
        post_id,
        _set("pinned_at", False),
        "community.board_unpinned",
        _("The message is no longer on top."),
    )


@bp.post("/prikbord/<int:post_id>/reacties-stoppen")
@login_required
def close(post_id: int) -> Response:
    return _connector_action(
        post_id,
        _set("closed_at", True),
        "community.board_closed",
        _("Nobody can comment on this message any more."),
    )


@bp.post("/prikbord/<int:post_id>/reacties-toestaan")
@login_required
def reopen(post_id: int) -> Response:
    return _connector_action(
        post_id,
        _set("closed_at", False),
        "community.board_reopened",
        _("Everyone can comment on this message again."),
    )


@bp.route("/prikbord/<int:post_id>/melden", methods=["GET", "POST"])
@login_required
def report_post(post_id: int) -> str | Response:
    post = post_or_404(post_id)
    return report_page(post, url_for("board.detail", post_id=post.id))


@bp.route("/prikbord/reactie/<int:comment_id>/melden", methods=["GET", "POST"])
@login_required
def report_comment(comment_id: int) -> str | Response:
    found = comment_or_404(comment_id)
    return report_page(found, url_for("board.detail", post_id=found.post_id))


@bp.get("/prikbord/<int:post_id>/foto/<key>")
def photo(post_id: int, key: str) -> Response:
    """Only the post's current photo, where the post can be seen: a replaced photo's key,
    or another post's, is a 404."""
    post = post_or_404(post_id)
    if key != post.photo_key:
        abort(404)
    return stored_image_response(key)
