"""The municipality's own lists in Beheer that belong to no other feature: its villages and
neighbourhoods, and the days of the reminder ladder. (The kinds of help and the examples of
asks and offers belong to the listings feature: buurtplatform/listings/manage.py.)"""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from buurtplatform.accounts.models import Membership
from buurtplatform.accounts.sessions import connector_required
from buurtplatform.beheer import bp
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.beheer.list_forms import (
    NO_VILLAGE,
    ReminderDaysForm,
    ReplaceVillageForm,
    VillageForm,
)
from buurtplatform.beheer.sections import beheer_section
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing, OfflinePerson
from buurtplatform.listings.services import villages as all_villages
from buurtplatform.news.models import NewsItem
from tenants.models import Village
from tenants.scoping import current_tenant

beheer_section(
    "beheer.villages",
    _l("Villages and neighbourhoods"),
    _l("The places people live in, to choose from and to filter by."),
    position=15,
)
beheer_section(
    "beheer.reminder_days",
    _l("Reminders"),
    _l("When we email about an ask without a reply, and how long messages stay on the list."),
    position=30,
)
register_actions(
    {
        "lists.village_added": _l("Added a village or neighbourhood"),
        "lists.village_renamed": _l("Renamed a village or neighbourhood"),
        "lists.village_removed": _l("Removed a village or neighbourhood"),
        "lists.reminders_changed": _l("Changed the reminders"),
    }
)


def uses_of_a_village() -> tuple[type, ...]:
    """Everything that names a village (tests/test_beheer_lists.py checks that none is
    missing). Imported here, not at the top: the features import Beheer's audit log, and Beheer
    is imported before them."""
    from buurtplatform.activities.models import Activity
    from buurtplatform.board.models import BoardPost
    from buurtplatform.callbacks.models import CallbackRequest
    from buurtplatform.directory.models import OfferingVillage

    return (
        Listing,
        Membership,
        OfflinePerson,
        NewsItem,
        BoardPost,
        Activity,
        OfferingVillage,
        CallbackRequest,
    )


@bp.route("/dorpen-en-wijken", methods=["GET", "POST"])
@connector_required
def villages() -> str | Response:
    form = VillageForm()
    if form.validate_on_submit():
        village = Village(name=form.name.data)
        db.session.add(village)
        record("lists.village_added", village.name, link=url_for("beheer.villages"))
        db.session.commit()
        flash(_("Added: %(name)s.", name=village.name), "success")
        return redirect(url_for("beheer.villages"))
    return render_template("beheer/villages.html", form=form, villages=all_villages())


@bp.route("/dorpen-en-wijken/<int:village_id>", methods=["GET", "POST"])
@connector_required
def rename_village(village_id: int) -> str | Response:
    """Messages and members link to a village by id, so they keep it under its new name."""
    village = db.get_or_404(Village, village_id)
    form = VillageForm(obj=village)
    form.renaming = village
    if form.validate_on_submit():
        if form.name.data != village.name:
            subject = f"{village.name} → {form.name.data}"
            village.name = form.name.data
            record("lists.village_renamed", subject, link=url_for("beheer.villages"))
            db.session.commit()
            flash(_("Saved: the place is now called %(name)s.", name=village.name), "success")
        return redirect(url_for("beheer.villages"))
    return render_template("beheer/village_name.html", form=form, village=village)


def village_uses(village: Village) -> dict[str, int]:
    """What names `village`, and how much of it."""
    return {
        model.__tablename__: db.session.scalar(
            sa.select(sa.func.count(model.id)).where(model.village_id == village.id)
        )
        for model in uses_of_a_village()
    }


def replace_village(old: Village, new: Village | None) -> None:
    """Give everything that names `old` the village `new`, or none."""
    for model in uses_of_a_village():
        if model.__tablename__ == "offering_villages":
            _move_offering_villages(model, old, new)
            continue
        db.session.execute(
            sa.update(model)
            .where(model.village_id == old.id)
            .values(village_id=new.id if new else None)
        )


def _move_offering_villages(OfferingVillage: type, old: Village, new: Village | None) -> None:  # noqa: N803
    """An offer of the sociale kaart serves a set of villages: it serves `new` (once) instead
    of `old`; with no place to move to, it no longer names `old`."""
    if new is not None:
        serving_new = sa.select(OfferingVillage.offering_id).where(
            OfferingVillage.village_id == new.id
        )
        db.session.execute(
            sa.update(OfferingVillage)
            .where(
                OfferingVillage.village_id == old.id,
                OfferingVillage.offering_id.not_in(serving_new),
            )
            .values(village_id=new.id)
        )
    db.session.execute(sa.delete(OfferingVillage).where(OfferingVillage.village_id == old.id))


@bp.route("/dorpen-en-wijken/<int:village_id>/verwijderen", methods=["GET", "POST"])
@connector_required
def remove_village(village_id: int) -> str | Response:
    """A village that is used asks where its messages, members and people without an account
    go: another village, or none. The last one stays: people choose where they live."""
    village = db.get_or_404(Village, village_id)
    others = [v for v in all_villages() if v.id != village.id]
    if not others:
        flash(_("This is the only village or neighbourhood. Add another one first."), "error")
        return redirect(url_for("beheer.villages"))
    uses = village_uses(village)
    form = ReplaceVillageForm()
    form.move_to.choices = [SelectChoice(v.id, v.name) for v in others] + [
        SelectChoice(NO_VILLAGE, _("No village or neighbourhood"))
    ]
    if not any(uses.values()):
        del form.move_to
    if form.validate_on_submit():
        subject = village.name
        if "move_to" in form:
            target = next((v for v in others if v.id == form.move_to.data), None)
            replace_village(village, target)
            subject = f"{subject} → {target.name if target else '-'}"
        db.session.delete(village)
        record("lists.village_removed", subject, link=url_for("beheer.villages"))
        db.session.commit()
        flash(_("Removed: %(name)s.", name=village.name), "success")
        return redirect(url_for("beheer.villages"))
    return render_template("beheer/village_remove.html", form=form, village=village, uses=uses)


@bp.route("/herinneringen", methods=["GET", "POST"])
@connector_required
def reminder_days() -> str | Response:
    tenant = current_tenant()
    form = ReminderDaysForm(obj=tenant)
    if form.validate_on_submit():
        changes = [
            f"{field.label.text} {getattr(tenant, field.name)} → {field.data}"
            for field in form
            if field.type in ("IntegerField", "SelectField")
            and getattr(tenant, field.name) != field.data
        ]
        if changes:
            form.populate_obj(tenant)
            record("lists.reminders_changed", "; ".join(changes), link=url_for(".reminder_days"))
            db.session.commit()
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("beheer.reminder_days"))
    return render_template("beheer/reminder_days.html", form=form)
