from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from buurtplatform.accounts.sessions import current_member, member_required
from buurtplatform.extensions import csrf, db
from buurtplatform.notifications import bp
from buurtplatform.notifications.forms import PreferencesForm
from buurtplatform.notifications.models import Frequency, Topic
from buurtplatform.notifications.services import (
    frequency_for,
    read_unsubscribe_token,
    set_frequency,
    set_message_text,
    wants_message_text,
)

TOPIC_LABELS = {
    Topic.MESSAGES: PreferencesForm.messages.args[0],
    Topic.NEW_ASKS: PreferencesForm.new_asks.args[0],
}


@bp.route("/meldingen", methods=["GET", "POST"])
@member_required
def preferences() -> str | Response:
    member = current_member()
    form = PreferencesForm()
    if request.method == "GET":
        form.messages.data = frequency_for(member.id, Topic.MESSAGES).value
        form.new_asks.data = frequency_for(member.id, Topic.NEW_ASKS).value
        form.message_text.data = wants_message_text(member.id)
    if form.validate_on_submit():
        set_frequency(member.id, Topic.MESSAGES, Frequency(form.messages.data))
        set_message_text(member.id, form.message_text.data)
        set_frequency(member.id, Topic.NEW_ASKS, Frequency(form.new_asks.data))
        db.session.commit()
        flash(_("Your choices are saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form)


@bp.route("/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail programs post here without a form; the signed token is the proof
def unsubscribe(token: str) -> str | Response:
    """One click, without signing in. A GET only asks for confirmation, so that link
    checkers in mailboxes do not unsubscribe anyone."""
    found = read_unsubscribe_token(token)
    if found is None:
        abort(404)
    membership, topic = found
    if request.method == "POST":
        set_frequency(membership.id, topic, Frequency.NEVER)
        db.session.commit()
        return render_template("notifications/unsubscribed.html", topic=TOPIC_LABELS[topic])
    return render_template("notifications/unsubscribe.html", topic=TOPIC_LABELS[topic], token=token)
