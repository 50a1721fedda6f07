from __future__ import annotations

from flask import abort, current_app, g, render_template

from buurtplatform.mail import bp
from buurtplatform.mail.services import read_outbox


@bp.get("/ontwikkeling/outbox")
def outbox() -> str:
    """Development only: the emails that would have gone out, for this municipality."""
    if not current_app.config["SHOW_OUTBOX"]:
        abort(404)
    messages = read_outbox()
    if g.tenant is not None:
        messages = [m for m in messages if m.municipality == g.tenant.slug]
    return render_template("mail/outbox.html", messages=messages[:50])
