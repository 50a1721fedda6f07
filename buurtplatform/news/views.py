"""News pages: the list and an item for everyone; publishing, changing and removing for the
municipality's connectors and coordinators (each change in the audit log)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from buurtplatform.accounts.models import Role
from buurtplatform.accounts.sessions import has_role, role_required
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.extensions import db
from buurtplatform.fields import Form
from buurtplatform.images import UnusableImageError, store_photo
from buurtplatform.listings.views import village_choices
from buurtplatform.news import bp
from buurtplatform.news.forms import NewsForm
from buurtplatform.news.models import NewsItem
from buurtplatform.news.services import (
    current_news,
    ended_news,
    news_or_404,
    replace_photo,
)
from buurtplatform.site.views import stored_image_response
from buurtplatform.site_search.forms import SearchForm

PER_PAGE = 20
ENDED_SHOWN = 20
PUBLISHERS = (Role.CONNECTOR, Role.COORDINATOR)

register_actions(
    {
        "community.news_published": _l("Published news"),
        "community.news_changed": _l("Changed news"),
        "community.news_removed": _l("Removed news"),
    }
)


@bp.get("/nieuws")
def index() -> str:
    form = SearchForm(request.args)
    words = (form.q.data or "") if form.validate() else ""
    page = db.paginate(
        current_news(words=words),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    publisher = has_role(*PUBLISHERS)
    ended = db.session.scalars(ended_news().limit(ENDED_SHOWN)).all() if publisher else []
    return render_template(
        "news/index.html", page=page, publisher=publisher, ended=ended, form=form, words=words
    )


@bp.get("/nieuws/<int:news_id>")
def detail(news_id: int) -> str:
    item = news_or_404(news_id)
    return render_template("news/detail.html", item=item, publisher=has_role(*PUBLISHERS))


@bp.get("/nieuws/<int:news_id>/foto/<key>")
def photo(news_id: int, key: str) -> Response:
    """Only the item's current photo: a replaced one, or another item's, is a 404."""
    if key != news_or_404(news_id).photo_key:
        abort(404)
    return stored_image_response(key)


@bp.route("/nieuws/nieuw", methods=["GET", "POST"])
@role_required(*PUBLISHERS)
def new() -> str | Response:
    form = _news_form()
    if form.validate_on_submit() and (photo_key := _stored_photo(form)) is not False:
        item = NewsItem(photo_key=photo_key, author_id=current_user.id)
        _fill(item, form)
        db.session.add(item)
        db.session.flush()
        record("community.news_published", item.title, link=url_for(".detail", news_id=item.id))
        db.session.commit()
        flash(_("Published. Everyone can read it now."), "success")
        return redirect(url_for(".detail", news_id=item.id))
    return render_template("news/form.html", form=form, item=None)


@bp.route("/nieuws/<int:news_id>/bewerken", methods=["GET", "POST"])
@role_required(*PUBLISHERS)
def edit(news_id: int) -> str | Response:
    item = news_or_404(news_id)
    form = _news_form(item)
    if form.validate_on_submit() and (photo_key := _stored_photo(form)) is not False:
        _fill(item, form)
        replace_photo(item, photo_key, remove=bool(form.data.get("remove_photo")))
        record("community.news_changed", item.title, link=url_for(".detail", news_id=item.id))
        db.session.commit()
        flash(_("Your changes are saved."), "success")
        return redirect(url_for(".detail", news_id=item.id))
    return render_template("news/form.html", form=form, item=item)


@bp.route("/nieuws/<int:news_id>/verwijderen", methods=["GET", "POST"])
@role_required(*PUBLISHERS)
def delete(news_id: int) -> str | Response:
    item = news_or_404(news_id)
    form = Form()
    if form.validate_on_submit():
        replace_photo(item, None, remove=True)
        db.session.delete(item)
        record("community.news_removed", item.title)
        db.session.commit()
        flash(_("Removed: %(title)s.", title=item.title), "success")
        return redirect(url_for(".index"))
    return render_template("news/delete.html", form=form, item=item)


def _news_form(item: NewsItem | None = None) -> NewsForm:
    form = NewsForm(obj=item)
    form.village.choices = village_choices(_("The whole municipality"))
    if request.method == "GET" and item is not None:
        form.village.data = item.village_id or 0
    if item is None or not item.photo_key:
        del form.remove_photo
    return form


def _stored_photo(form: NewsForm) -> str | bool | None:
    """The uploaded photo's key, None without an upload, or False (with the reason on the
    form) when the file is no usable picture."""
    try:
        return store_photo(form.photo.data)
    except UnusableImageError as problem:
        form.photo.errors.append(problem.message)
        return False


def _fill(item: NewsItem, form: NewsForm) -> None:
    item.title = form.title.data
    item.body = form.body.data
    item.village_id = form.village.data or None
    item.last_day = form.last_day.data
