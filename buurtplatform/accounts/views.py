from __future__ import annotations

from contextlib import suppress

import sqlalchemy as sa
from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from buurtplatform.accounts import bp, sessions
from buurtplatform.accounts.forms import (
    EmailOnlyForm,
    JoinForm,
    ProfileForm,
    ResetPasswordForm,
    SignInForm,
    SignOutForm,
    SignUpForm,
    ask_to_retype,
)
from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.accounts.sessions import current_member
from buurtplatform.accounts.tokens import RESET, VERIFY, make_token, read_token, read_token_and_goal
from buurtplatform.extensions import db, limiter
from buurtplatform.mail.services import queue_email
from buurtplatform.navigation import local_path, safe_next
from buurtplatform.timestamps import utcnow
from tenants.models import Village

# The address the last verification email went to, so that "Check your email" can name it
# (kept in the session: an address does not belong in a URL, nor in logs).
CHECK_EMAIL_ADDRESS = "check_email_address"


def auth_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


rate_limited = limiter.limit(auth_limit, methods=["POST"])


def _village_choices() -> list[SelectChoice]:
    villages = db.session.scalars(sa.select(Village).order_by(Village.name))
    return [SelectChoice(-1, _("Choose your village"))] + [
        SelectChoice(v.id, v.name) for v in villages
    ]


def _user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _send_verification(user: User, goal: str | None = None) -> None:
    link = g.tenant.url_for("accounts.verify_email", token=make_token(user, VERIFY, goal))
    queue_email(user.email, user.locale, "verify_email", user=user, link=link)
    session[CHECK_EMAIL_ADDRESS] = user.email


def _goal_on_get(form: SignUpForm | SignInForm | JoinForm) -> str | None:
    """The page the person set out for: from the link on the first visit, then from the form's
    hidden field, so that it survives every error and every step."""
    if request.method == "GET":
        form.next.data = local_path(request.args.get("next"))
    return local_path(form.next.data)


@bp.get("/account-nodig")
def account_needed() -> str | Response:
    """Before the ask or offer form: why a free account is needed, with signing up and
    signing in side by side, both carrying the goal."""
    goal = local_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(goal or url_for("site.index"))
    return render_template("accounts/account_needed.html", goal=goal)


@bp.route("/aanmelden", methods=["GET", "POST"])
@rate_limited
def sign_up() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("site.index"))
    form = SignUpForm()
    form.village.choices = _village_choices()
    goal = _goal_on_get(form)
    if form.validate_on_submit():
        # Hashed on every path, also when the address is known and the hash is not kept:
        # hashing is the slow part, and a fast answer would tell who has an account.
        password_hash = generate_password_hash(form.password.data)
        existing = _user_by_email(form.email.data)
        if existing is not None and not existing.is_verified:
            _send_verification(existing, goal)
        elif existing is not None:
            # The same answer as for a new address; the owner of the address learns by email
            # that they can sign in here and add this municipality to their account.
            link = g.tenant.url_for("accounts.sign_in", next=goal)
            queue_email(existing.email, existing.locale, "account_exists", user=existing, link=link)
            session[CHECK_EMAIL_ADDRESS] = existing.email
        else:
            user = User(
                email=form.email.data,
                first_name=form.first_name.data,
                locale=str(get_locale()),
                password_hash=password_hash,
            )
            user.memberships.append(Membership(village_id=form.village.data))
            db.session.add(user)
            db.session.flush()
            _send_verification(user, goal)
        db.session.commit()
        return redirect(url_for("accounts.check_email"))
    if form.is_submitted():
        ask_to_retype(form.password, form.password_confirm)
    return render_template("accounts/sign_up.html", form=form, goal=goal)


@bp.get("/aanmelden/controleer-je-mail")
def check_email() -> str:
    return render_template("accounts/check_email.html", address=session.get(CHECK_EMAIL_ADDRESS))


def _claim_verification(user: User) -> bool:
    """Mark the address verified, if nobody did so before: one conditional UPDATE, so that of
    two clicks at once (or a mail program that opens links to scan them) only one wins."""
    claimed = db.session.execute(
        sa.update(User)
        .where(User.id == user.id, User.email_verified_at.is_(None))
        .values(email_verified_at=utcnow())
    )
    db.session.commit()
    return claimed.rowcount == 1


@bp.get("/e-mail-bevestigen/<token>")
def verify_email(token: str) -> str | Response:
    """The link in the email confirms the address and, the first time only, signs the person
    in on this municipality and leads on to their goal. A link that was used before (or a
    copy of it) confirms nothing new and signs nobody in: it leads to signing in."""
    user, goal = read_token_and_goal(token, VERIFY)
    if user is None:
        return render_template("accounts/link_invalid.html", resend=True), 400
    if not _claim_verification(user):
        flash(_("Your email address is confirmed. You can sign in now."), "success")
        return redirect(url_for("accounts.sign_in", next=goal))
    sessions.sign_in(user)
    session.pop(CHECK_EMAIL_ADDRESS, None)
    flash(_("Your email address is confirmed. Welcome, %(name)s!", name=user.first_name), "success")
    if current_member() is None:
        return redirect(url_for("accounts.join", next=goal))
    return redirect(goal or url_for("site.index"))


@bp.route("/bevestigingsmail-opnieuw", methods=["GET", "POST"])
@rate_limited
def resend_verification() -> str | Response:
    form = EmailOnlyForm()
    if form.validate_on_submit():
        user = _user_by_email(form.email.data)
        if user is not None and not user.is_verified:
            _send_verification(user)
            db.session.commit()
        # Named whether or not a mail went out: the page must not tell who has an account.
        session[CHECK_EMAIL_ADDRESS] = form.email.data
        return redirect(url_for("accounts.check_email"))
    return render_template("accounts/resend_verification.html", form=form)


@bp.route("/inloggen", methods=["GET", "POST"])
@rate_limited
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("site.index"))
    form = SignInForm()
    goal = _goal_on_get(form)
    if form.validate_on_submit():
        user = sessions.check_credentials(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(
                _("This email address and password do not match. Check them and try again.")
            )
        elif not user.is_verified:
            form.form_errors.append(
                _(
                    "You have not confirmed your email address yet. Click the link in the email "
                    "we sent you."
                )
            )
            ask_to_retype(form.password)
            return render_template("accounts/sign_in.html", form=form, goal=goal, unverified=True)
        else:
            sessions.sign_in(user)
            if current_member() is None:
                return redirect(url_for("accounts.join", next=goal))
            return redirect(safe_next(goal))
    if form.is_submitted():
        ask_to_retype(form.password)
    return render_template("accounts/sign_in.html", form=form, goal=goal, unverified=False)


@bp.post("/uitloggen")
def sign_out_view() -> Response:
    if SignOutForm().validate_on_submit() and current_user.is_authenticated:
        sessions.sign_out()
        flash(_("You are signed out."), "success")
    return redirect(url_for("site.index"))


@bp.post("/uitloggen-overal")
@login_required
def sign_out_everywhere() -> Response:
    if not SignOutForm().validate_on_submit():
        return redirect(url_for("accounts.profile"))
    sessions.sign_out(everywhere=True)
    flash(_("You are signed out on all your devices."), "success")
    return redirect(url_for("site.index"))


def _send_reset_link(user: User) -> None:
    link = g.tenant.url_for("accounts.reset_password", token=make_token(user, RESET))
    queue_email(user.email, user.locale, "reset_password", user=user, link=link)


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@rate_limited
def forgot_password() -> str | Response:
    form = EmailOnlyForm()
    if form.validate_on_submit():
        user = _user_by_email(form.email.data)
        if user is not None:
            _send_reset_link(user)
            db.session.commit()
        else:
            # The same work for an unknown address (the email is composed and recorded), then
            # undone: the answer takes as long and tells nobody whether the address is known.
            stand_in = User(
                email=form.email.data,
                first_name="",
                locale=str(get_locale()),
                password_hash=sessions.UNKNOWN_USER_HASH,
            )
            _send_reset_link(stand_in)
            db.session.rollback()
        return render_template("accounts/reset_sent.html")
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@rate_limited
def reset_password(token: str) -> str | Response:
    user = read_token(token, RESET)
    if user is None:
        return render_template("accounts/link_invalid.html", resend=False), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        # The link reached the mailbox, so the address is proven too.
        user.email_verified_at = user.email_verified_at or utcnow()
        # Whoever knew the old password, or holds a session made with it, is out.
        sessions.end_sessions(user)
        db.session.commit()
        flash(_("Your new password is saved. You can sign in with it now."), "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/profiel", methods=["GET", "POST"])
@login_required
def profile() -> str | Response:
    member = current_member()
    form = ProfileForm(obj=current_user, village=member.village_id if member else None)
    if member is None:
        del form.village
    else:
        form.village.choices = _village_choices()
    if form.validate_on_submit():
        current_user.first_name = form.first_name.data
        current_user.locale = form.locale.data
        if member is not None:
            member.village_id = form.village.data
        db.session.commit()
        refresh()  # say it in the language just chosen
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, member=member)


@bp.route("/lid-worden", methods=["GET", "POST"])
@login_required
def join() -> str | Response:
    if current_member() is not None:
        return redirect(url_for("site.index"))
    form = JoinForm()
    form.village.choices = _village_choices()
    goal = _goal_on_get(form)
    if form.validate_on_submit():
        # A double submit finds the membership made by the first one: that is fine too.
        with suppress(IntegrityError), db.session.begin_nested():
            db.session.add(Membership(user_id=current_user.id, village_id=form.village.data))
        db.session.commit()
        flash(_("Welcome! You are now a member of %(site)s.", site=g.tenant.site_name), "success")
        return redirect(safe_next(goal))
    return render_template("accounts/join.html", form=form)


ROLE_LABELS = {
    Role.RESIDENT: _l("resident"),
    Role.ORGANISATION: _l("organisation"),
    Role.CONNECTOR: _l("neighbourhood connector"),
    Role.COORDINATOR: _l("coordinator"),
    Role.INFOPUNT: _l("infopunt volunteer"),
}


@bp.app_template_global()
def role_label(role: Role) -> str:
    return str(ROLE_LABELS[role])
