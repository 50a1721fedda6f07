"""Personal invitations: a connector (or the platform, for a new municipality's first connector)
invites someone by email to take a role in one municipality.

    with tenant_context(municipality):
        invite("wendy@example.nl", Role.COORDINATOR, invited_by=henk, personal_note="Welkom!")
        db.session.commit()

The link in the email carries a random token; only its hash is stored, so the database alone
cannot accept anyone's invitation. A link works once, for `VALID_FOR`, and only on the
municipality that sent it: the invitation is looked up by the scoped query, so on another
municipality's host it does not exist. Sending an invitation again makes a new link (the old
one stops working) that is valid from then on.

Accepting (the page is in this module too): someone without an account makes one with the
invited address, which the link has proven, so it is verified at once; someone with an account
signs in with it and accepts. Either way the membership of this municipality gets the role (a
member who had another role here gets the invited one), and `invitation_accepted` tells the
features that invited for something of their own (the sociale kaart links its entry).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from blinker import Namespace
from flask import flash, g, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from buurtplatform.accounts import bp, sessions
from buurtplatform.accounts.forms import AcceptInvitationForm, ask_to_retype
from buurtplatform.accounts.models import Invitation, Membership, Role, User
from buurtplatform.accounts.sessions import key_hash
from buurtplatform.accounts.views import rate_limited
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.extensions import db
from buurtplatform.mail.services import queue_email
from buurtplatform.timestamps import utcnow
from tenants.scoping import current_tenant

_signals = Namespace()
# Sent with the invitation and the new role's `member`, inside `accept`'s transaction.
invitation_accepted = _signals.signal("invitation-accepted")

VALID_FOR = timedelta(days=7)
# The roles a person can be invited to. Residents join by themselves, or are invited at the
# infopunt's desk (buurtplatform/desk), where someone helps them.
INVITED_ROLES = (Role.RESIDENT, Role.ORGANISATION, Role.COORDINATOR, Role.CONNECTOR, Role.INFOPUNT)

# The role in a sentence ("You are invited as a social worker"): the role lists' words
# (coördinator) read as jargon there.
INVITED_AS = {
    Role.ORGANISATION: _l("an organisation"),
    Role.COORDINATOR: _l("a social worker"),
    Role.CONNECTOR: _l("a neighbourhood connector"),
    Role.RESIDENT: _l("a member"),
    Role.INFOPUNT: _l("a volunteer at the infopunt"),
}

register_actions(
    {
        "members.invited": _l("Invited someone"),
        "members.invitation_resent": _l("Sent an invitation again"),
        "members.invitation_withdrawn": _l("Withdrew an invitation"),
        "members.joined_by_invitation": _l("Accepted an invitation"),
    }
)


def invite(
    email: str, role: Role, invited_by: User | None, *, personal_note: str = ""
) -> Invitation:
    """Invite `email` to take `role` in the current municipality: record the invitation and
    queue its email, in the caller's transaction (the caller commits). An earlier pending
    invitation of the same address here is withdrawn, so that only the newest link works.
    `invited_by` is None when the platform invites (a new municipality's first connector)."""
    if role not in INVITED_ROLES:
        raise ValueError(f"nobody is invited as {role}")
    email = email.strip().lower()
    db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=utcnow())
    )
    invitation = Invitation(
        email=email,
        role=role,
        personal_note=personal_note,
        invited_by_id=invited_by.id if invited_by else None,
        token_hash="",
        expires_at=utcnow(),
    )
    db.session.add(invitation)
    send_invitation(invitation)
    record(
        "members.invited",
        subject=email,
        reason=personal_note,
        actor_id=invited_by.id if invited_by else None,
    )
    return invitation


def send_invitation(invitation: Invitation) -> str:
    """Give `invitation` a new link, valid for `VALID_FOR` from now, and queue the email with
    it (the caller commits). Returns the token: it is stored nowhere else."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = key_hash(token)
    invitation.sent_at = utcnow()
    invitation.expires_at = invitation.sent_at + VALID_FOR
    tenant = current_tenant()
    queue_email(
        invitation.email,
        _recipient_locale(invitation.email),
        "invitation",
        invitation=invitation,
        inviter=invitation.invited_by,
        link=tenant.url_for("accounts.invitation", token=token),
    )
    return token


def resend(invitation: Invitation) -> None:
    """Send a pending invitation again with a new link (the caller commits)."""
    send_invitation(invitation)
    record("members.invitation_resent", subject=invitation.email)


def withdraw(invitation: Invitation) -> None:
    """Make a pending invitation's link stop working (the caller commits)."""
    invitation.withdrawn_at = utcnow()
    record("members.invitation_withdrawn", subject=invitation.email)


def pending_invitations() -> list[Invitation]:
    """This municipality's invitations that nobody accepted or withdrew, newest first."""
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(Invitation.accepted_at.is_(None), Invitation.withdrawn_at.is_(None))
            .order_by(Invitation.sent_at.desc(), Invitation.id.desc())
        )
    )


def _recipient_locale(email: str) -> str:
    """An invited person with an account reads their own language; anyone else the
    inviter's (they most likely share it)."""
    user = db.session.scalar(sa.select(User).where(User.email == email))
    return user.locale if user is not None else str(get_locale())


def _invitation_for(token: str) -> Invitation | None:
    return db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == key_hash(token)))


def _claim(invitation: Invitation, user: User) -> bool:
    """Mark the invitation used, if nobody did so before: one conditional UPDATE, so that of
    two clicks at once only one wins."""
    claimed = db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.withdrawn_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .values(accepted_at=utcnow(), accepted_by_id=user.id)
    )
    return claimed.rowcount == 1


def accept(invitation: Invitation, user: User) -> bool:
    """Give `user` the invited role in this municipality, making them a member if they were
    not (the caller commits). False if the invitation was used or withdrawn meanwhile."""
    if not _claim(invitation, user):
        return False
    member = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
    if member is None:
        member = Membership(user_id=user.id, role=invitation.role)
        db.session.add(member)
    elif invitation.role != Role.RESIDENT:
        # An invitation to join as a member never takes away a role someone has here.
        member.role = invitation.role
    invitation_accepted.send(invitation, member=member)
    # The link reached the mailbox, so the address is proven.
    user.email_verified_at = user.email_verified_at or utcnow()
    record("members.joined_by_invitation", subject=user.first_name, actor_id=user.id)
    return True


@bp.app_template_global()
def invited_as(role: Role) -> str:
    return str(INVITED_AS[role])


def _usable(invitation: Invitation | None) -> bool:
    return invitation is not None and invitation.is_pending and not invitation.has_expired


def _invalid(invitation: Invitation | None) -> tuple[str, int]:
    return render_template("accounts/invitation_invalid.html", invitation=invitation), 410


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@rate_limited
def invitation(token: str) -> str | Response | tuple[str, int]:
    """The link in the invitation email: make an account, or confirm with the password of
    the account the address has, and take the role."""
    found = _invitation_for(token)
    if not _usable(found):
        return _invalid(found)
    account = db.session.scalar(sa.select(User).where(User.email == found.email))
    signed_in = current_user.is_authenticated
    if signed_in and (account is None or current_user.id != account.id):
        return render_template("accounts/invitation_other_account.html", invitation=found)
    form = _accept_form(account, signed_in)
    if form.validate_on_submit():
        if account is None:
            account = User(
                email=found.email, first_name=form.first_name.data, locale=str(get_locale())
            )
            account.set_password(form.password.data)
            db.session.add(account)
            db.session.flush()
        elif not signed_in and not account.check_password(form.current_password.data):
            form.current_password.errors.append(
                _("This password is not right. Try again, or choose 'Forgot your password?'.")
            )
            return _accept_page(found, form, account)
        if not accept(found, account):
            db.session.rollback()
            return _invalid(found)
        db.session.commit()
        if not signed_in:
            sessions.sign_in(account)
        site, role = g.tenant.site_name, invited_as(found.role)
        flash(
            _("Welcome! You now take part in %(site)s as %(role)s.", site=site, role=role),
            "success",
        )
        return redirect(url_for("site.index"))
    return _accept_page(found, form, account)


def _accept_form(account: User | None, signed_in: bool) -> AcceptInvitationForm:
    """New people choose a name and password; people with an account confirm with their
    password unless they are signed in; people who are no member here yet agree to the
    privacy statement, as everyone who joins does."""
    form = AcceptInvitationForm()
    if account is not None:
        del form.first_name, form.password, form.password_confirm
    if account is None or signed_in:
        del form.current_password
    is_member = account is not None and db.session.scalar(
        sa.select(Membership.id).where(Membership.user_id == account.id)
    )
    if is_member:
        del form.consent
    return form


def _accept_page(invitation: Invitation, form: AcceptInvitationForm, account: User | None) -> str:
    if form.is_submitted():
        passwords = ("password", "password_confirm", "current_password")
        ask_to_retype(*(form[name] for name in passwords if name in form))
    return render_template(
        "accounts/invitation.html", invitation=invitation, form=form, account=account
    )
