"""The listings' own lists in Beheer: the kinds of help (categories) in their order, and the
ready-made asks and offers (templates). For the municipality's connectors and platform admins;
every change is written in the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from buurtplatform.accounts.sessions import connector_required
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.beheer.sections import beheer_section
from buurtplatform.extensions import db
from buurtplatform.listings import bp
from buurtplatform.listings.forms import (
    CategoryForm,
    ConfirmForm,
    MoveForm,
    ReplaceCategoryForm,
    TemplateForm,
)
from buurtplatform.listings.models import (
    Category,
    HelperCategory,
    Kind,
    Listing,
    ListingTemplate,
)
from buurtplatform.listings.services import categories, listing_templates
from buurtplatform.listings.views import KIND_IN_ADDRESS, category_choices

beheer_section(
    "listings.manage_categories",
    _l("Kinds of help"),
    _l("The kinds of help people choose from, and their order."),
    position=20,
)
beheer_section(
    "listings.manage_templates",
    _l("Examples of asks and offers"),
    _l("The ready-made messages that people can start from."),
    position=25,
)
register_actions(
    {
        "lists.category_added": _l("Added a kind of help"),
        "lists.category_renamed": _l("Renamed a kind of help"),
        "lists.category_moved": _l("Changed the order of the kinds of help"),
        "lists.category_removed": _l("Removed a kind of help"),
        "lists.template_added": _l("Added an example"),
        "lists.template_changed": _l("Changed an example"),
        "lists.template_moved": _l("Changed the order of the examples"),
        "lists.template_removed": _l("Removed an example"),
    }
)


# Everything that names a category (tests/test_beheer_lists.py checks that none is missing).
USES_OF_A_CATEGORY = (Listing, HelperCategory, ListingTemplate)


def move_in_order(rows: Sequence, row: object, direction: str) -> bool:
    """Swap `row` with its neighbour above or below in `rows` (in their order), and number
    them all again, so that equal positions never make a move do nothing."""
    rows = list(rows)
    index = rows.index(row)
    neighbour = index - 1 if direction == "up" else index + 1
    if not 0 <= neighbour < len(rows):
        return False
    rows[index], rows[neighbour] = rows[neighbour], rows[index]
    for position, item in enumerate(rows):
        item.position = position
    return True


# Kinds of help


@bp.route("/beheer/soorten-hulp", methods=["GET", "POST"])
@connector_required
def manage_categories() -> str | Response:
    """The list in its order, and a form to add one at the end."""
    form = CategoryForm()
    if form.validate_on_submit():
        position = db.session.scalar(sa.select(sa.func.max(Category.position))) or 0
        category = Category(name=form.name.data, position=position + 1)
        db.session.add(category)
        record("lists.category_added", category.name, link=url_for("listings.manage_categories"))
        db.session.commit()
        flash(_("Added: %(name)s.", name=category.name), "success")
        return redirect(url_for("listings.manage_categories"))
    return render_template(
        "listings/manage_categories.html",
        form=form,
        categories=categories(),
        move_form=MoveForm(),
    )


@bp.route("/beheer/soorten-hulp/<int:category_id>", methods=["GET", "POST"])
@connector_required
def rename_category(category_id: int) -> str | Response:
    """Messages link to a category by id, so they keep it under its new name. A default one
    loses its key: its new name is shown as written, in every language."""
    category = db.get_or_404(Category, category_id)
    form = CategoryForm(obj=category)
    form.renaming = category
    if form.validate_on_submit():
        if form.name.data != category.name:
            subject = f"{category.label} → {form.name.data}"
            category.name, category.key = form.name.data, None
            record("lists.category_renamed", subject, link=url_for("listings.manage_categories"))
            db.session.commit()
            flash(
                _("Saved: the kind of help is now called %(name)s.", name=category.name), "success"
            )
        return redirect(url_for("listings.manage_categories"))
    return render_template("listings/manage_category_name.html", form=form, category=category)


@bp.post("/beheer/soorten-hulp/<int:category_id>/verplaatsen")
@connector_required
def move_category(category_id: int) -> Response:
    category = db.get_or_404(Category, category_id)
    form = MoveForm()
    if form.validate_on_submit() and move_in_order(categories(), category, form.direction.data):
        record("lists.category_moved", category.label, link=url_for("listings.manage_categories"))
        db.session.commit()
    return redirect(url_for("listings.manage_categories", _anchor=f"category-{category.id}"))


def category_uses(category: Category) -> dict[str, int]:
    """What uses `category`, and how much of it."""
    return {
        model.__tablename__: db.session.scalar(
            sa.select(sa.func.count(model.id)).where(model.category_id == category.id)
        )
        for model in USES_OF_A_CATEGORY
    }


def replace_category(old: Category, new: Category) -> None:
    """Move everything that uses `old` to `new`; a member who helped with both keeps one."""
    for model in (Listing, ListingTemplate):
        db.session.execute(
            sa.update(model).where(model.category_id == old.id).values(category_id=new.id)
        )
    helping_with_new = sa.select(HelperCategory.membership_id).where(
        HelperCategory.category_id == new.id
    )
    db.session.execute(
        sa.delete(HelperCategory).where(
            HelperCategory.category_id == old.id,
            HelperCategory.membership_id.in_(helping_with_new.scalar_subquery()),
        )
    )
    db.session.execute(
        sa.update(HelperCategory)
        .where(HelperCategory.category_id == old.id)
        .values(category_id=new.id)
    )


@bp.route("/beheer/soorten-hulp/<int:category_id>/verwijderen", methods=["GET", "POST"])
@connector_required
def remove_category(category_id: int) -> str | Response:
    """A kind of help that is used asks which kind its messages, helpers and examples get
    instead: nothing is lost. The last one stays: the forms need one to choose."""
    category = db.get_or_404(Category, category_id)
    others = [c for c in categories() if c.id != category.id]
    if not others:
        flash(_("This is the only kind of help. Add another one first."), "error")
        return redirect(url_for("listings.manage_categories"))
    uses = category_uses(category)
    form = ReplaceCategoryForm()
    form.move_to.choices = [SelectChoice(c.id, c.label) for c in others]
    if not any(uses.values()):
        del form.move_to
    if form.validate_on_submit():
        subject = category.label
        if "move_to" in form:
            target = next(c for c in others if c.id == form.move_to.data)
            replace_category(category, target)
            subject = f"{subject} → {target.label}"
        db.session.delete(category)
        record("lists.category_removed", subject, link=url_for("listings.manage_categories"))
        db.session.commit()
        flash(_("Removed: %(name)s.", name=category.label), "success")
        return redirect(url_for("listings.manage_categories"))
    return render_template(
        "listings/manage_category_remove.html", form=form, category=category, uses=uses
    )


# Examples of asks and offers


@bp.get("/beheer/voorbeelden")
@connector_required
def manage_templates() -> str:
    grouped = groupby(listing_templates(), lambda template: template.kind)
    templates = {Kind.ASK: [], Kind.OFFER: []} | {k: list(group) for k, group in grouped}
    return render_template(
        "listings/manage_templates.html",
        templates=templates,
        move_form=MoveForm(),
        confirm_form=ConfirmForm(),
    )


@bp.route("/beheer/voorbeelden/nieuw", methods=["GET", "POST"])
@connector_required
def new_template() -> str | Response:
    """`soort` (vraag, aanbod) chooses the kind beforehand, as the links on the list do."""
    form = TemplateForm()
    form.category.choices = category_choices(_("Choose a kind of help"))
    if request.method == "GET":
        form.kind.data = KIND_IN_ADDRESS.get(request.args.get("soort", ""), Kind.ASK).value
    if form.validate_on_submit():
        kind = Kind(form.kind.data)
        position = db.session.scalar(
            sa.select(sa.func.max(ListingTemplate.position)).where(ListingTemplate.kind == kind)
        )
        template = ListingTemplate(
            kind=kind,
            category_id=form.category.data,
            title=form.title.data,
            description=form.description.data,
            position=(position or 0) + 1,
        )
        db.session.add(template)
        record("lists.template_added", template.title, link=url_for("listings.manage_templates"))
        db.session.commit()
        flash(_("Added: %(name)s.", name=template.title), "success")
        return redirect(url_for("listings.manage_templates"))
    return render_template("listings/manage_template.html", form=form, template=None)


@bp.route("/beheer/voorbeelden/<int:template_id>", methods=["GET", "POST"])
@connector_required
def edit_template(template_id: int) -> str | Response:
    """The form shows the stored (Dutch) text. Once edited, a default example loses its key
    and is shown as written, in every language."""
    template = db.get_or_404(ListingTemplate, template_id)
    form = TemplateForm(obj=template)
    del form.kind
    form.category.choices = category_choices(_("Choose a kind of help"))
    if request.method == "GET":
        form.category.data = template.category_id
    if form.validate_on_submit():
        edited = (form.category.data, form.title.data, form.description.data)
        if edited != (template.category_id, template.title, template.description):
            template.category_id, template.title, template.description = edited
            template.key = None
            link = url_for("listings.manage_templates")
            record("lists.template_changed", template.title, link=link)
            db.session.commit()
            flash(_("Your changes are saved."), "success")
        return redirect(url_for("listings.manage_templates"))
    return render_template("listings/manage_template.html", form=form, template=template)


@bp.post("/beheer/voorbeelden/<int:template_id>/verplaatsen")
@connector_required
def move_template(template_id: int) -> Response:
    template = db.get_or_404(ListingTemplate, template_id)
    form = MoveForm()
    same_kind = listing_templates(template.kind)
    if form.validate_on_submit() and move_in_order(same_kind, template, form.direction.data):
        link = url_for("listings.manage_templates")
        record("lists.template_moved", template.local_title, link=link)
        db.session.commit()
    return redirect(url_for("listings.manage_templates", _anchor=f"template-{template.id}"))


@bp.post("/beheer/voorbeelden/<int:template_id>/verwijderen")
@connector_required
def remove_template(template_id: int) -> Response:
    """An example is only a starting point: messages started from it do not change."""
    template = db.get_or_404(ListingTemplate, template_id)
    if ConfirmForm().validate_on_submit():
        title = template.local_title
        db.session.delete(template)
        record("lists.template_removed", title, link=url_for("listings.manage_templates"))
        db.session.commit()
        flash(_("Removed: %(name)s.", name=title), "success")
    return redirect(url_for("listings.manage_templates"))
