"""Members and roles in Beheer: find the members of this municipality, give and take roles,
block and unblock, and invite people personally.

Decisions:
- Connectors see members' email addresses (in the list, and they can search on them): they
  run the site, invite and contact people, and tell apart two people with the same first
  name. The privacy statement says so; nobody else sees an address.
- Roles change in this municipality only: the page edits one membership, found by the scoped
  query, so another municipality's membership is untouched. Being a platform admin is no role
  here and is not changed.
- The last connector cannot be made something else, by themselves or by anyone (a platform
  admin included): a municipality without a connector has nobody who can run it from the
  site. Make or invite someone else connector first.
- Connectors and coordinators cannot be blocked: take their role first (so that nobody
  blocks a colleague with one click by mistake). Platform admins cannot be blocked here.
  A blocked member gets no new connector or coordinator role before the block is lifted.
- A blocked member is told the reason by email at once, and reads it on every page here.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import contains_eager, joinedload
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from buurtplatform.accounts import invitations
from buurtplatform.accounts.models import Invitation, Membership, Role, User
from buurtplatform.accounts.sessions import connector_required
from buurtplatform.accounts.views import role_label
from buurtplatform.beheer import bp
from buurtplatform.beheer.audit import record, register_actions
from buurtplatform.beheer.member_forms import (
    BLOCKED,
    BlockForm,
    ConfirmForm,
    InviteForm,
    MemberSearchForm,
    RoleForm,
    UnblockForm,
)
from buurtplatform.beheer.sections import beheer_section
from buurtplatform.extensions import db
from buurtplatform.mail.services import queue_email
from buurtplatform.timestamps import utcnow

PER_PAGE = 50

beheer_section(
    "beheer.members",
    _l("Members and roles"),
    _l("Find members, give or take a role, block someone who breaks the house rules."),
    position=35,
)
beheer_section(
    "beheer.invitations_page",
    _l("Invite someone"),
    _l("Invite an organisation, a social worker or a connector by email."),
    position=36,
)
register_actions(
    {
        "members.role_changed": _l("Changed a role"),
        "members.blocked": _l("Blocked a member"),
        "members.unblocked": _l("Unblocked a member"),
    }
)


@bp.get("/leden")
@connector_required
def members() -> str:
    form = MemberSearchForm(request.args)
    form.who.choices = (
        [SelectChoice("", _("Everyone"))]
        + [SelectChoice(role.value, role_label(role)) for role in Role]
        + [SelectChoice(BLOCKED, _("Blocked members"))]
    )
    form.validate()
    statement = (
        sa.select(Membership)
        .join(Membership.user)
        .options(contains_eager(Membership.user), joinedload(Membership.village))
        .order_by(User.first_name, Membership.id)
    )
    if form.q.data and not form.q.errors:
        statement = statement.where(
            sa.or_(
                User.first_name.icontains(form.q.data, autoescape=True),
                User.email.icontains(form.q.data, autoescape=True),
            )
        )
    if form.who.data == BLOCKED:
        statement = statement.where(Membership.blocked_at.is_not(None))
    elif form.who.data and not form.who.errors:
        statement = statement.where(Membership.role == Role(form.who.data))
    page = db.paginate(
        statement,
        page=(form.page.data if not form.page.errors else None) or 1,
        per_page=PER_PAGE,
        error_out=False,
    )
    filtered = any(request.args.get(name) for name in ("q", "who"))
    return render_template("beheer/members.html", form=form, page=page, filtered=filtered)


def _member_or_404(membership_id: int) -> Membership:
    """A membership of this municipality (the query is scoped: another one's id is a 404)."""
    member = db.session.scalar(
        sa.select(Membership)
        .where(Membership.id == membership_id)
        .options(joinedload(Membership.user), joinedload(Membership.village))
    )
    if member is None:
        abort(404)
    return member


def _is_last_connector(member: Membership, *, lock: bool = False) -> bool:
    """Whether `member` is this municipality's only connector. With `lock`, the connectors'
    rows stay locked until commit, so that two connectors who take each other's role at the
    same moment cannot leave the municipality without one (PostgreSQL; SQLite writes one at a
    time anyway)."""
    if member.role != Role.CONNECTOR:
        return False
    statement = sa.select(Membership.id).where(Membership.role == Role.CONNECTOR)
    return list(db.session.scalars(statement.with_for_update() if lock else statement)) == [
        member.id
    ]


def _member_page(
    member: Membership,
    role_form: RoleForm | None = None,
    block_form: BlockForm | None = None,
    unblock_form: UnblockForm | None = None,
) -> str:
    role_form = role_form or RoleForm(role=member.role.value)
    role_form.role.choices = [SelectChoice(role.value, role_label(role)) for role in Role]
    blocked_by = db.session.get(User, member.blocked_by_id) if member.blocked_by_id else None
    return render_template(
        "beheer/member.html",
        member=member,
        role_form=role_form,
        block_form=block_form or BlockForm(),
        unblock_form=unblock_form or UnblockForm(),
        last_connector=_is_last_connector(member),
        blocked_by=blocked_by,
        why_not_blockable=_why_not_blockable(member),
    )


@bp.get("/leden/<int:membership_id>")
@connector_required
def member(membership_id: int) -> str:
    return _member_page(_member_or_404(membership_id))


def _link(member: Membership) -> str:
    return url_for("beheer.member", membership_id=member.id)


@bp.post("/leden/<int:membership_id>/rol")
@connector_required
def change_role(membership_id: int) -> str | Response:
    member = _member_or_404(membership_id)
    form = RoleForm()
    form.role.choices = [SelectChoice(role.value, role_label(role)) for role in Role]
    if not form.validate_on_submit():
        return _member_page(member, role_form=form)
    new_role = Role(form.role.data)
    name = member.user.first_name
    if new_role == member.role:
        flash(_("%(name)s is %(role)s already.", name=name, role=role_label(new_role)), "info")
        return redirect(_link(member))
    if _is_last_connector(member, lock=True):
        form.role.errors.append(
            _(
                "%(name)s is the only neighbourhood connector here. Make someone else "
                "connector first.",
                name=name,
            )
        )
        return _member_page(member, role_form=form)
    if member.is_blocked and new_role in (Role.CONNECTOR, Role.COORDINATOR):
        form.role.errors.append(_("%(name)s is blocked. Unblock them first.", name=name))
        return _member_page(member, role_form=form)
    subject = f"{name}: {role_label(member.role)} → {role_label(new_role)}"
    member.role = new_role
    record("members.role_changed", subject=subject, link=_link(member), reason=form.reason.data)
    db.session.commit()
    flash(_("%(name)s is %(role)s now.", name=name, role=role_label(new_role)), "success")
    if member.user_id == current_user.id and not current_user.is_platform_admin:
        # Someone who stepped down no longer runs the site: Beheer would say "no access".
        return redirect(url_for("site.index"))
    return redirect(_link(member))


def _why_not_blockable(member: Membership) -> str | None:
    """Why this member cannot be blocked (None: they can be)."""
    if member.user.is_platform_admin:
        return _("A platform admin cannot be blocked.")
    if member.is_staff:
        return _(
            "%(name)s is %(role)s. Take this role first if you want to block this member.",
            name=member.user.first_name,
            role=role_label(member.role),
        )
    return None


@bp.post("/leden/<int:membership_id>/blokkeren")
@connector_required
def block(membership_id: int) -> str | Response:
    member = _member_or_404(membership_id)
    form = BlockForm()
    if member.is_blocked:
        return redirect(_link(member))
    if why_not := _why_not_blockable(member):
        form.form_errors.append(why_not)
        return _member_page(member, block_form=form)
    if not form.validate_on_submit():
        return _member_page(member, block_form=form)
    member.blocked_at = utcnow()
    member.blocked_reason = form.reason.data
    member.blocked_by_id = current_user.id
    # Told at once, also when they do not visit soon: the reason is in the email too.
    queue_email(member.user.email, member.user.locale, "member_blocked", member=member)
    record(
        "members.blocked",
        subject=member.user.first_name,
        link=_link(member),
        reason=form.reason.data,
    )
    db.session.commit()
    flash(
        _(
            "%(name)s is blocked. This member can read, but not place messages, reply or send "
            "messages.",
            name=member.user.first_name,
        ),
        "success",
    )
    return redirect(_link(member))


@bp.post("/leden/<int:membership_id>/deblokkeren")
@connector_required
def unblock(membership_id: int) -> str | Response:
    member = _member_or_404(membership_id)
    form = UnblockForm()
    if not form.validate_on_submit():
        return _member_page(member, unblock_form=form)
    if member.is_blocked:
        member.blocked_at = None
        member.blocked_reason = ""
        member.blocked_by_id = None
        record(
            "members.unblocked",
            subject=member.user.first_name,
            link=_link(member),
            reason=form.reason.data,
        )
        db.session.commit()
        flash(_("%(name)s is no longer blocked.", name=member.user.first_name), "success")
    return redirect(_link(member))


@bp.route("/uitnodigingen", methods=["GET", "POST"])
@connector_required
def invitations_page() -> str | Response:
    form = InviteForm()
    form.role.choices = [
        SelectChoice(role.value, role_label(role)) for role in invitations.INVITED_ROLES
    ]
    if form.validate_on_submit():
        role = Role(form.role.data)
        if why_not := _why_not_invited(form.email.data, role):
            form.email.errors.append(why_not)
        else:
            invitations.invite(
                form.email.data, role, current_user, personal_note=form.personal_note.data
            )
            db.session.commit()
            flash(_("The invitation is sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("beheer.invitations_page"))
    return render_template(
        "beheer/invitations.html",
        form=form,
        pending=invitations.pending_invitations(),
        confirm_form=ConfirmForm(),
    )


def _why_not_invited(email: str, role: Role) -> str | None:
    """Why `email` is not invited as `role` here (None: it can be). Accepting gives the
    invited role, so a connector is not invited to another one: that could take the last
    connector's role. Their role changes on their page instead."""
    current = db.session.scalar(
        sa.select(Membership.role).join(Membership.user).where(User.email == email)
    )
    if current == role:
        return _("This person is %(role)s here already.", role=role_label(role))
    if current == Role.CONNECTOR:
        return _(
            "This person is a neighbourhood connector here. Change their role on the members page."
        )
    return None


def _pending_or_404(invitation_id: int) -> Invitation:
    invitation = db.get_or_404(Invitation, invitation_id)
    if not invitation.is_pending:
        abort(404)
    return invitation


@bp.post("/uitnodigingen/<int:invitation_id>/opnieuw")
@connector_required
def resend_invitation(invitation_id: int) -> Response:
    invitation = _pending_or_404(invitation_id)
    if ConfirmForm().validate_on_submit():
        invitations.resend(invitation)
        db.session.commit()
        flash(_("The invitation is sent again to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("beheer.invitations_page"))


@bp.post("/uitnodigingen/<int:invitation_id>/intrekken")
@connector_required
def withdraw_invitation(invitation_id: int) -> Response:
    invitation = _pending_or_404(invitation_id)
    if ConfirmForm().validate_on_submit():
        invitations.withdraw(invitation)
        db.session.commit()
        flash(
            _(
                "The invitation to %(email)s is withdrawn. Its link no longer works.",
                email=invitation.email,
            ),
            "success",
        )
    return redirect(url_for("beheer.invitations_page"))
