from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from buurtplatform.accounts.blocking import not_blocked
from buurtplatform.accounts.models import Role
from buurtplatform.accounts.sessions import current_member, has_role, member_required
from buurtplatform.activities import bp
from buurtplatform.activities.forms import (
    ActivityForm,
    FilterForm,
    MessageForm,
    OnBehalfSignupForm,
)
from buurtplatform.activities.models import Activity, ActivityKind, Repeat, Signup
from buurtplatform.activities.occurrences import (
    Occurrence,
    fits_rule,
    from_local,
    local,
    next_occurrences,
    occurrence_on,
)
from buurtplatform.activities.services import (
    AgendaFilter,
    activity_or_404,
    apply_change,
    can_manage,
    can_see_who_comes,
    cancel_activity,
    cancel_signup,
    counts_by_day,
    going_count,
    next_of_each,
    occurrence_or_404,
    past_activities,
    sign_up,
    signup_of,
    signups_for,
    signups_of_member,
)
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.extensions import db
from buurtplatform.listings.forms import ConfirmForm
from buurtplatform.listings.models import OfflinePerson
from buurtplatform.listings.views import person_choices, preselect_person, village_choices
from buurtplatform.mail.services import queue_email
from buurtplatform.page_cache import shared_with_members
from buurtplatform.timestamps import utcnow
from tenants.scoping import current_tenant

PER_PAGE = 20
WEEKS_AHEAD = 8

register_actions(
    {
        "community.activity_changed": _l("Changed someone's activity"),
        "community.activity_cancelled": _l("Called off someone's activity"),
        "community.signup_removed": _l("Took someone off the list of someone's activity"),
    }
)


def audit_if_not_own(action: str, activity: Activity) -> None:
    """What a connector or coordinator does to someone else's activity goes in the log."""
    if activity.organiser_id != current_user.id:
        record(
            action,
            subject=activity.title,
            link=url_for("activities.detail", activity_id=activity.id),
        )


@dataclass
class ListPage:
    """One page of a list computed in Python, read like Flask-SQLAlchemy's pagination."""

    items: list
    page: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _week_choices(now: datetime) -> list[SelectChoice]:
    """This week and the next few, by their Monday: "week 49 (30 november)"."""
    today = local(now).date()
    monday = today - timedelta(days=today.weekday())
    choices = [SelectChoice("", _("Every week"))]
    for n in range(WEEKS_AHEAD):
        day = monday + timedelta(weeks=n)
        year, week, _weekday = day.isocalendar()
        label = _("Week %(week)d, from %(day)s", week=week, day=format_date(day, "d MMMM"))
        choices.append(SelectChoice(f"{year}-W{week:02d}", label))
    return choices


def _agenda_filter(now: datetime, *, with_week: bool) -> tuple[FilterForm, AgendaFilter]:
    form = FilterForm(request.args)
    form.village.choices = village_choices(_("All villages"))
    form.week.choices = _week_choices(now) if with_week else [SelectChoice("", "")]
    form.validate()
    agenda = AgendaFilter()
    if form.village.data and not form.village.errors:
        agenda.village_id = form.village.data
    if form.kind.data in {kind.value for kind in ActivityKind} and not form.kind.errors:
        agenda.kind = form.kind.data
    if form.q.data and not form.q.errors:
        agenda.words = form.q.data
    if with_week and form.week.data and not form.week.errors:
        monday = date.fromisoformat(f"{form.week.data}-1")
        agenda.week_start = from_local(monday, time.min)
    return form, agenda


def _page_number(form: FilterForm) -> int:
    return (form.page.data if not form.page.errors else None) or 1


@bp.get("/agenda")
@shared_with_members
def browse() -> str:
    now = utcnow()
    form, agenda = _agenda_filter(now, with_week=True)
    coming = next_of_each(agenda, now)
    number = _page_number(form)
    items = coming[(number - 1) * PER_PAGE : number * PER_PAGE]
    page = ListPage(items, number, len(coming))
    counts = counts_by_day([o.activity.id for o in items], [o.day for o in items])
    return render_template(
        "activities/browse.html",
        form=form,
        page=page,
        counts=counts,
        mine=signups_of_member(current_user) if current_user.is_authenticated else [],
        filtered=any(request.args.get(name) for name in ("q", "village", "kind", "week")),
    )


@bp.get("/agenda/voorbij")
@shared_with_members
def past() -> str:
    form, agenda = _agenda_filter(utcnow(), with_week=False)
    page = db.paginate(
        past_activities(agenda, utcnow()),
        page=_page_number(form),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "activities/past.html",
        form=form,
        page=page,
        filtered=any(request.args.get(name) for name in ("q", "village", "kind")),
    )


def _chosen_occurrence(activity: Activity) -> Occurrence | None:
    """The occurrence named by `datum`, else the next one (None: all are over)."""
    try:
        day = date.fromisoformat(request.args.get("datum", ""))
    except ValueError:
        day = None
    chosen = occurrence_on(activity, day) if day else None
    if chosen is not None and chosen.ends_at > utcnow():
        return chosen
    coming = next_occurrences(activity, utcnow(), 1)
    return coming[0] if coming else None


@bp.get("/agenda/<int:activity_id>")
def detail(activity_id: int) -> str:
    activity = activity_or_404(activity_id)
    occurrence = None if activity.is_cancelled else _chosen_occurrence(activity)
    signup = going = None
    if occurrence is not None:
        going = going_count(activity, occurrence.day)
        if current_user.is_authenticated:
            signup = signup_of(activity, occurrence.day, current_user)
    return render_template(
        "activities/detail.html",
        activity=activity,
        occurrence=occurrence,
        coming=[] if activity.is_cancelled else next_occurrences(activity, utcnow(), 8),
        going=going,
        signup=signup,
        can_manage=can_manage(activity),
        can_see_who_comes=can_see_who_comes(activity),
        # A form's key needs a session: only members get the forms (a visitor's page is
        # everyone's, buurtplatform/page_cache.py).
        confirm_form=ConfirmForm() if current_user.is_authenticated else None,
    )


def _prepare(form: ActivityForm) -> ActivityForm:
    form.village.choices = village_choices(_("The whole municipality"))
    return form


def _apply(form: ActivityForm, activity: Activity) -> None:
    activity.title = form.title.data
    activity.kind = ActivityKind(form.kind.data)
    activity.description = form.description.data
    activity.starts_at = from_local(form.day.data, form.starts.data)
    activity.ends_at = from_local(form.day.data, form.ends.data)
    repeat, _sep, week = form.repeat.data.partition(":")
    activity.repeat = Repeat(repeat)
    activity.week_of_month = int(week) if week else None
    activity.repeat_until = form.repeat_until.data if repeat != Repeat.NONE else None
    activity.village_id = form.village.data or None
    activity.place = form.place.data
    activity.cost = form.cost.data or ""
    activity.accessibility = form.accessibility.data or ""
    activity.capacity = form.capacity.data


def _fill(form: ActivityForm, activity: Activity) -> None:
    start = local(activity.starts_at)
    form.day.data = start.date()
    form.starts.data = start.time()
    form.ends.data = local(activity.ends_at).time()
    form.kind.data = activity.kind.value
    form.village.data = activity.village_id or 0
    form.repeat.data = (
        f"monthly:{activity.week_of_month}"
        if activity.repeat == Repeat.MONTHLY
        else activity.repeat.value
    )


def _valid(form: ActivityForm, activity: Activity) -> bool:
    """The form, and then the repetition: a monthly one must start on one of its days."""
    if not form.validate_on_submit():
        return False
    _apply(form, activity)
    if fits_rule(activity):
        return True
    form.day.errors.append(
        _(
            "%(day)s is not one of the days you chose under 'How often?'. "
            "Choose the first date on which it happens.",
            day=format_date(form.day.data, "EEEE d MMMM"),
        )
    )
    return False


@bp.route("/agenda/nieuw", methods=["GET", "POST"])
@member_required
@not_blocked
def new() -> str | Response:
    form = _prepare(ActivityForm())
    if request.method == "GET":
        form.village.data = current_member().village_id or 0
    activity = Activity(organiser_id=current_user.id)
    if _valid(form, activity):
        activity.by_organisation = current_member().role == Role.ORGANISATION
        db.session.add(activity)
        db.session.commit()
        flash(_("Thank you! The activity is in the agenda now."), "success")
        return redirect(url_for("activities.detail", activity_id=activity.id))
    return render_template("activities/form.html", form=form, activity=None)


def manageable_activity_or_404(activity_id: int) -> Activity:
    activity = activity_or_404(activity_id)
    if not can_manage(activity):
        abort(403)
    return activity


@bp.route("/agenda/<int:activity_id>/bewerken", methods=["GET", "POST"])
@member_required
@not_blocked
def edit(activity_id: int) -> str | Response:
    activity = manageable_activity_or_404(activity_id)
    form = _prepare(ActivityForm(obj=activity))
    form.first_day = local(activity.starts_at).date()
    if request.method == "GET":
        _fill(form, activity)
    if _valid(form, activity):
        apply_change(activity)
        audit_if_not_own("community.activity_changed", activity)
        db.session.commit()
        flash(_("The activity is saved. Everyone who signed up gets an email."), "success")
        return redirect(url_for("activities.detail", activity_id=activity.id))
    db.session.rollback()
    return render_template(
        "activities/form.html", form=form, activity=activity, confirm_form=ConfirmForm()
    )


@bp.post("/agenda/<int:activity_id>/gaat-niet-door")
@member_required
@not_blocked
def cancel(activity_id: int) -> Response:
    activity = manageable_activity_or_404(activity_id)
    if ConfirmForm().validate_on_submit() and not activity.is_cancelled:
        told = cancel_activity(activity)
        audit_if_not_own("community.activity_cancelled", activity)
        db.session.commit()
        flash(
            _("The activity does not take place. We sent an email to %(num)d people.", num=told),
            "success",
        )
    return redirect(url_for("activities.detail", activity_id=activity.id))


def _posted_day() -> date:
    try:
        return date.fromisoformat(request.form.get("datum", ""))
    except ValueError:
        abort(404)


@bp.post("/agenda/<int:activity_id>/ik-kom")
@member_required
@not_blocked
def join(activity_id: int) -> Response:
    activity = activity_or_404(activity_id)
    occurrence = occurrence_or_404(activity, _posted_day())
    if ConfirmForm().validate_on_submit():
        signup = sign_up(occurrence, user=current_user)
        db.session.commit()
        if signup.status.value == "going":
            flash(_("You are on the list. Welcome!"), "success")
        else:
            flash(
                _(
                    "It is full, so you are on the waiting list. "
                    "When a place comes free, you get an email."
                ),
                "success",
            )
    return redirect(_back_to(occurrence))


@bp.post("/agenda/<int:activity_id>/ik-kom-niet")
@member_required
def leave(activity_id: int) -> Response:
    """Cancelling is allowed to a blocked member too: it frees a place for someone else."""
    activity = activity_or_404(activity_id)
    occurrence = occurrence_or_404(activity, _posted_day())
    signup = signup_of(activity, occurrence.day, current_user)
    if ConfirmForm().validate_on_submit() and signup is not None:
        cancel_signup(signup)
        db.session.commit()
        flash(_("You are off the list. Thank you for letting us know."), "success")
    return redirect(_back_to(occurrence))


def _back_to(occurrence: Occurrence) -> str:
    return url_for(
        "activities.detail", activity_id=occurrence.activity.id, datum=occurrence.day.isoformat()
    )


def who_comes_activity_or_404(activity_id: int) -> Activity:
    activity = activity_or_404(activity_id)
    if not can_see_who_comes(activity):
        abort(403)
    return activity


@bp.route("/agenda/<int:activity_id>/wie-komen", methods=["GET", "POST"])
@member_required
def who_comes(activity_id: int) -> str | Response:
    """Who comes and who waits, and a message by email to everyone who comes."""
    activity = who_comes_activity_or_404(activity_id)
    occurrence = _chosen_occurrence(activity)
    signups = signups_for(activity, occurrence.day) if occurrence else []
    form = MessageForm()
    if occurrence is not None and form.validate_on_submit():
        sent = _message(occurrence, signups, form.text.data)
        db.session.commit()
        flash(_("Your message was sent to %(num)d people.", num=sent), "success")
        return redirect(
            url_for(
                "activities.who_comes", activity_id=activity.id, datum=occurrence.day.isoformat()
            )
        )
    return render_template(
        "activities/who_comes.html",
        activity=activity,
        occurrence=occurrence,
        signups=signups,
        coming=next_occurrences(activity, utcnow(), 8),
        form=form,
        confirm_form=ConfirmForm(),
        show_private=has_role(Role.COORDINATOR),
    )


def _message(occurrence: Occurrence, signups: list[Signup], text: str) -> int:
    """Email the members who come (people without an account are called by a coordinator)."""
    sent = 0
    for signup in signups:
        if signup.user is not None and signup.status.value == "going":
            queue_email(
                signup.user.email,
                signup.user.locale,
                "activity_message",
                person=signup.user,
                sender=current_user,
                activity=occurrence.activity,
                occurrence=occurrence,
                text=text,
                link=current_tenant().url_for(
                    "activities.detail",
                    activity_id=occurrence.activity.id,
                    datum=occurrence.day.isoformat(),
                ),
            )
            sent += 1
    return sent


@bp.post("/agenda/<int:activity_id>/wie-komen/<int:signup_id>/van-de-lijst")
@member_required
def remove_signup(activity_id: int, signup_id: int) -> Response:
    """The organiser, a connector or a coordinator takes someone off the list (someone who
    called to say they cannot come)."""
    activity = who_comes_activity_or_404(activity_id)
    signup = db.get_or_404(Signup, signup_id)
    if signup.activity_id != activity.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        cancel_signup(signup)
        audit_if_not_own("community.signup_removed", activity)
        db.session.commit()
        flash(_("Taken off the list."), "success")
    return redirect(
        url_for("activities.who_comes", activity_id=activity.id, datum=signup.occurs_on.isoformat())
    )


@bp.route("/agenda/<int:activity_id>/namens-iemand", methods=["GET", "POST"])
@member_required
@not_blocked
def on_behalf(activity_id: int) -> str | Response:
    """A coordinator signs up someone who is not online for one occurrence. (Another
    municipality's activity is a 404 before the role is asked.)"""
    activity = activity_or_404(activity_id)
    if not has_role(Role.COORDINATOR):
        abort(403)
    occurrence = _chosen_occurrence(activity)
    if occurrence is None or activity.is_cancelled:
        abort(404)
    form = OnBehalfSignupForm()
    form.person.choices = person_choices()
    preselect_person(form)
    if form.validate_on_submit():
        person = (form.person.data and db.session.get(OfflinePerson, form.person.data)) or (
            OfflinePerson(
                name=form.person_name.data,
                phone=form.person_phone.data,
                village_id=activity.village_id,
                consent_note=form.consent_note.data,
                recorded_by_id=current_user.id,
            )
        )
        signup = sign_up(occurrence, person=person, signed_up_by=current_user)
        db.session.commit()
        if signup.status.value == "going":
            flash(_("%(name)s is on the list.", name=person.name), "success")
        else:
            flash(_("It is full: %(name)s is on the waiting list.", name=person.name), "success")
        return redirect(
            url_for(
                "activities.who_comes", activity_id=activity.id, datum=occurrence.day.isoformat()
            )
        )
    return render_template(
        "activities/on_behalf.html", form=form, activity=activity, occurrence=occurrence
    )


MONTHLY_TEXTS = {
    1: _l("Every first %(weekday)s of the month"),
    2: _l("Every second %(weekday)s of the month"),
    3: _l("Every third %(weekday)s of the month"),
    4: _l("Every fourth %(weekday)s of the month"),
    -1: _l("Every last %(weekday)s of the month"),
}


@bp.app_template_filter("repetition")
def repetition(activity: Activity) -> str:
    """How often, in words: "Every week on Tuesday", "Every first Tuesday of the month"."""
    weekday = format_date(local(activity.starts_at).date(), "EEEE")
    if activity.repeat == Repeat.WEEKLY:
        text = _("Every week on %(weekday)s", weekday=weekday)
    elif activity.repeat == Repeat.MONTHLY:
        text = MONTHLY_TEXTS[activity.week_of_month] % {"weekday": weekday}
    else:
        return _("Once")
    if activity.repeat_until:
        text += ", " + _("until %(day)s", day=format_date(activity.repeat_until, "d MMMM yyyy"))
    return text
