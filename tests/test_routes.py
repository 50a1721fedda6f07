"""The route crawler: every route, for every role on every municipality, answers as its rule
in `ACCESS` says (200, a redirect to signing in or joining, 403 or 404).

New routes join automatically, and fail until they are given a rule: a permission that opens
by mistake fails too, not only a server error. A route whose URL takes an argument must have a
sample in `SAMPLES` (how to make a valid value for a given municipality), or the crawler
fails: that is how a new route with an id is forced into the cross-municipality check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import Rule

from buurtplatform import storage
from buurtplatform.accounts.invitations import invite, send_invitation
from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.accounts.tokens import RESET, VERIFY, make_token
from buurtplatform.activities.models import Signup, SignupStatus
from buurtplatform.beheer.models import Decision, DecisionAction
from buurtplatform.board.models import BoardComment, BoardPost, PostKind
from buurtplatform.callbacks.models import CallbackRequest
from buurtplatform.conversations.models import Block
from buurtplatform.conversations.services import start_or_continue
from buurtplatform.directory.models import Offering, Organisation
from buurtplatform.extensions import db
from buurtplatform.figures.periods import week_of
from buurtplatform.listings.models import (
    Category,
    Kind,
    Listing,
    ListingTemplate,
    OfflinePerson,
)
from buurtplatform.matches.services import record_match
from buurtplatform.news.models import NewsItem
from buurtplatform.notifications.models import Topic
from buurtplatform.notifications.services import unsubscribe_token
from buurtplatform.timestamps import utcnow
from buurtplatform.werkbank.models import StaffNote
from jobs.periods import local_day
from tenants.models import Village
from tenants.scoping import tenant_context
from tests.activity_helpers import new_activity, next_weekday
from tests.directory_helpers import new_organisation
from tests.helpers import DOMAIN, sign_in, tenant_by_slug

Sample = Callable[[Flask, str, "World"], object]
MUNICIPALITIES = ("cuijk", "grave", "mill", "sint-anthonis")
# Who visits: nobody signed in, a member of another municipality, each role, a platform admin.
VISITORS = ("anonymous", "visitor", *[role.value for role in Role], "platform_admin")


def _token(purpose: str) -> Sample:
    def make(app: Flask, slug: str, world: World) -> str:
        with app.test_request_context(), tenant_context(tenant_by_slug(slug)):
            return make_token(world.everywhere, purpose)

    return make


def _invitation_token(app: Flask, slug: str, world: World) -> str:
    """A fresh invitation for an address without an account (each link works once)."""
    with app.test_request_context(), tenant_context(tenant_by_slug(slug)):
        invitation = invite(f"genodigd.{slug}@example.nl", Role.ORGANISATION, None)
        token = send_invitation(invitation)
        db.session.commit()
        return token


def _pending_invitation_id(app: Flask, slug: str, world: World) -> int:
    """A fresh pending invitation (sending again and withdrawing need one)."""
    with app.test_request_context(), tenant_context(tenant_by_slug(slug)):
        invitation = invite(f"genodigd.{slug}@example.nl", Role.ORGANISATION, None)
        db.session.commit()
        return invitation.id


def _unsubscribe_token(app: Flask, slug: str, world: World) -> str:
    with app.app_context():
        return unsubscribe_token(world.ids[slug]["everywhere_membership_id"], Topic.MESSAGES)


def _logo_key(app: Flask, slug: str, world: World) -> str:
    """The municipality gets a logo, to be served under its key."""
    with app.app_context():
        tenant = tenant_by_slug(slug)
        if tenant.logo_key is None:
            tenant.logo_key = storage.save(b"logo", "png")
            db.session.commit()
        return tenant.logo_key


def _news_item(app: Flask, slug: str) -> tuple[int, str]:
    """The id and photo key of the municipality's news item, made the first time."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        item = db.session.scalar(sa.select(NewsItem).limit(1))
        if item is None:
            item = NewsItem(title="Nieuws", body="Tekst", photo_key=storage.save(b"foto", "jpg"))
            db.session.add(item)
            db.session.commit()
        return item.id, item.photo_key


def _board_comment(app: Flask, slug: str, world: World) -> BoardComment:
    """The municipality's board post (with a photo) and a comment on it, both by `everywhere`,
    made the first time they are asked for."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        comment = db.session.scalar(sa.select(BoardComment).limit(1))
        if comment is None:
            post = BoardPost(
                kind=PostKind.TIP,
                title="Tip",
                body="Tekst",
                author_id=world.everywhere.id,
                photo_key=storage.save(b"foto", "jpg"),
            )
            comment = BoardComment(post=post, author_id=world.everywhere.id, body="Reactie")
            db.session.add(comment)
            db.session.commit()
        db.session.refresh(comment.post)
        db.session.expunge_all()
        return comment


def _organisation(app: Flask, slug: str) -> tuple[int, str]:
    """The id and logo key of the municipality's sociale kaart entry (with a logo and an
    offering), made the first time it is asked for."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        organisation = db.session.scalar(sa.select(Organisation).limit(1))
        if organisation is None:
            organisation = new_organisation("KBO", logo_key=storage.save(b"logo", "png"))
            db.session.commit()
        return organisation.id, organisation.logo_key


def _offering_id(app: Flask, slug: str, world: World) -> int:
    organisation_id, _logo = _organisation(app, slug)
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        return db.session.scalar(
            sa.select(Offering.id).where(Offering.organisation_id == organisation_id)
        )


def _offline_person_id(app: Flask, slug: str, world: World) -> int:
    """The municipality's person without an account (the werkbank), made the first time."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        person = db.session.scalar(sa.select(OfflinePerson).limit(1))
        if person is None:
            person = OfflinePerson(
                name="Mevrouw Jansen",
                phone="0485 123 456",
                consent_note="Aan de telefoon",
                recorded_by_id=world.everywhere.id,
            )
            db.session.add(person)
            db.session.commit()
        return person.id


def _staff_note_id(app: Flask, slug: str, world: World) -> int:
    """A note by `everywhere` on the municipality's ask, made the first time."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        note = db.session.scalar(sa.select(StaffNote).limit(1))
        if note is None:
            note = StaffNote(
                listing_id=world.ids[slug]["listing_id"],
                author_id=world.everywhere.id,
                body="Gebeld: nog nodig.",
            )
            db.session.add(note)
            db.session.commit()
        return note.id


def _callback_request_id(app: Flask, slug: str, world: World) -> int:
    """An open call-back request of the municipality, made the first time."""
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        request = db.session.scalar(sa.select(CallbackRequest).limit(1))
        if request is None:
            request = CallbackRequest(
                form_key=f"crawler-{slug}", first_name="Truus", phone="0485123456"
            )
            db.session.add(request)
            db.session.commit()
        return request.id


def _row(name: str) -> Sample:
    return lambda app, slug, world: world.ids[slug][name]


def _first(model: type) -> Sample:
    """The first of a municipality's own rows that every municipality starts with (villages,
    kinds of help, examples of asks and offers)."""

    def find(app: Flask, slug: str, world: World) -> int:
        with app.app_context(), tenant_context(tenant_by_slug(slug)):
            return db.session.scalar(sa.select(model.id).order_by(model.id).limit(1))

    return find


# The Monday of the last week that is over (the week on screen shows only those).
LAST_WEEK_MONDAY = week_of(local_day(utcnow()) - timedelta(days=7)).key

# (endpoint or "*", URL argument) -> how to make a valid value on a municipality.
SAMPLES: dict[tuple[str, str], Sample] = {
    ("accounts.verify_email", "token"): _token(VERIFY),
    ("accounts.reset_password", "token"): _token(RESET),
    ("notifications.unsubscribe", "token"): _unsubscribe_token,
    ("accounts.invitation", "token"): _invitation_token,
    ("*", "invitation_id"): _pending_invitation_id,
    ("werkbank.week", "monday"): lambda app, slug, world: LAST_WEEK_MONDAY,
    ("*", "listing_id"): _row("listing_id"),
    ("*", "conversation_id"): _row("conversation_id"),
    ("*", "message_id"): _row("message_id"),
    ("*", "match_id"): _row("match_id"),
    ("*", "membership_id"): _row("membership_id"),
    ("*", "block_id"): _row("block_id"),
    ("*", "village_id"): _first(Village),
    ("*", "category_id"): _first(Category),
    ("*", "template_id"): _first(ListingTemplate),
    ("site.logo", "key"): _logo_key,
    ("beheer.branding_preview_logo", "key"): _logo_key,
    ("*", "decision_id"): _row("decision_id"),
    ("*", "activity_id"): _row("activity_id"),
    ("*", "signup_id"): _row("signup_id"),
    ("*", "news_id"): lambda app, slug, world: _news_item(app, slug)[0],
    ("news.photo", "key"): lambda app, slug, world: _news_item(app, slug)[1],
    ("*", "post_id"): lambda app, slug, world: _board_comment(app, slug, world).post_id,
    ("*", "board_post_id"): lambda app, slug, world: _board_comment(app, slug, world).post_id,
    ("*", "comment_id"): lambda app, slug, world: _board_comment(app, slug, world).id,
    ("*", "board_comment_id"): lambda app, slug, world: _board_comment(app, slug, world).id,
    ("board.photo", "key"): lambda app, slug, world: (
        _board_comment(app, slug, world).post.photo_key
    ),
    ("*", "organisation_id"): lambda app, slug, world: _organisation(app, slug)[0],
    ("*", "offering_id"): _offering_id,
    ("*", "request_id"): _callback_request_id,
    ("directory.logo", "key"): lambda app, slug, world: _organisation(app, slug)[1],
    ("*", "person_id"): lambda app, slug, world: _offline_person_id(app, slug, world),
    ("*", "note_id"): lambda app, slug, world: _staff_note_id(app, slug, world),
    ("platform.deactivate", "slug"): lambda app, slug, world: slug,
    ("platform.reactivate", "slug"): lambda app, slug, world: slug,
    ("partners.feed", "kind"): lambda app, slug, world: "nieuws",
    ("figures.export", "name"): lambda app, slug, world: "asks",
    ("platform.figures_export", "name"): lambda app, slug, world: "asks",
}
# Arguments that identify a municipality's row: another municipality's value must be a 404.
ID_ARGUMENTS = {name for (_, name) in SAMPLES if name.endswith("_id")}


def crawlable_rules(app: Flask, method: str = "GET") -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if method in rule.methods and rule.endpoint != "static"
    ]


def build_url(app: Flask, rule: Rule, slug: str, world: World) -> str:
    values = {}
    for argument in rule.arguments:
        sample = SAMPLES.get((rule.endpoint, argument)) or SAMPLES.get(("*", argument))
        assert sample is not None, (
            f"{rule.rule} takes {argument!r}: add a sample to SAMPLES in tests/test_routes.py"
        )
        values[argument] = sample(app, slug, world)
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


@dataclass
class World:
    """In every municipality: a person who is a connector everywhere (`everywhere`, so that
    Beheer's pages answer them too when ids are tried across municipalities), with an
    ask that someone replied to, a conversation with a message, a match, a helper, and
    someone they blocked."""

    everywhere: User
    ids: dict[str, dict[str, int]]


@pytest.fixture
def world(app, make_user) -> World:
    everywhere = make_user("cuijk", Role.CONNECTOR, email="overal@example.nl")
    ids: dict[str, dict[str, int]] = {}
    with app.app_context():
        for slug in MUNICIPALITIES:
            tenant = tenant_by_slug(slug)
            with tenant_context(tenant):
                if slug != "cuijk":
                    db.session.add(Membership(user_id=everywhere.id, role=Role.CONNECTOR))
                replier = User(email=f"helper.{slug}@example.nl", first_name="Henk")
                replier.set_password("x" * 12)
                db.session.add(replier)
                db.session.flush()
                helper = Membership(user_id=replier.id, offers_help=True)
                db.session.add(helper)
                category = db.session.scalar(sa.select(Category).limit(1))
                listings = [
                    Listing(
                        kind=Kind.ASK,
                        category_id=category.id,
                        title=f"Vraag {n}",
                        description="Wie helpt?",
                        author_id=everywhere.id,
                        expires_at=utcnow() + timedelta(days=30),
                    )
                    for n in range(2)
                ]
                db.session.add_all(listings)
                db.session.flush()
                author = db.session.get(User, everywhere.id)
                conversation = start_or_continue(listings[0], author, replier, "Ik help graag.")
                match = record_match(listings[1], author, partner=replier)
                blocked = User(email=f"geblokkeerd.{slug}@example.nl", first_name="Bert")
                blocked.set_password("x" * 12)
                db.session.add(blocked)
                db.session.flush()
                block = Block(blocker_id=everywhere.id, blocked_id=blocked.id)
                db.session.add(block)
                # A connector's decision about Henk's message, which only Henk may answer.
                decision = Decision(
                    message_id=conversation.messages[0].id,
                    author_id=replier.id,
                    action=DecisionAction.HIDDEN,
                    reason="Niet vriendelijk.",
                )
                db.session.add(decision)
                # An activity of theirs next week, with Henk on the list.
                activity = new_activity(everywhere.id, next_weekday(1))
                db.session.add(activity)
                db.session.flush()
                signup = Signup(
                    activity_id=activity.id,
                    occurs_on=next_weekday(1),
                    status=SignupStatus.GOING,
                    user_id=replier.id,
                )
                db.session.add(signup)
                db.session.flush()
                ids[slug] = {
                    "listing_id": listings[0].id,
                    "conversation_id": conversation.id,
                    "message_id": conversation.messages[0].id,
                    "match_id": match.id,
                    "membership_id": helper.id,
                    "block_id": block.id,
                    "decision_id": decision.id,
                    "activity_id": activity.id,
                    "signup_id": signup.id,
                    "everywhere_membership_id": db.session.scalar(
                        sa.select(Membership.id).where(Membership.user_id == everywhere.id)
                    ),
                }
        db.session.commit()
    return World(everywhere=everywhere, ids=ids)


@pytest.fixture
def people(make_user) -> dict[tuple[str, str], User | None]:
    """For each municipality, one person per kind of visitor."""
    found: dict[tuple[str, str], User | None] = {}
    for slug in MUNICIPALITIES:
        other = "grave" if slug == "cuijk" else "cuijk"
        found[slug, "anonymous"] = None
        found[slug, "visitor"] = make_user(other)
        for role in Role:
            found[slug, role.value] = make_user(slug, role)
        found[slug, "platform_admin"] = make_user(None, admin=True)
    return found


# What each kind of visitor gets: a status, or the path a 302 leads to.
OK, FORBIDDEN, NOT_FOUND = 200, 403, 404
SIGN_IN, JOIN, HOME = "/inloggen", "/lid-worden", "/"
Answer = int | str
BRANDING = "/beheer/instellingen/kleuren-en-logo"


def _rule(
    anonymous: Answer,
    visitor: Answer,
    resident: Answer,
    organisation: Answer,
    connector: Answer,
    coordinator: Answer,
    platform_admin: Answer,
    *,
    infopunt: Answer | None = None,
) -> tuple[Answer, ...]:
    """A rule's answers in the order of VISITORS. An infopunt volunteer is a member like a
    resident, except where a rule says otherwise (the desk)."""
    return (
        anonymous,
        visitor,
        resident,
        organisation,
        connector,
        coordinator,
        resident if infopunt is None else infopunt,
        platform_admin,
    )


# The rules, one per kind of page: anonymous, a member of another municipality, resident,
# organisation, connector, coordinator, platform admin (who is no member of the
# municipality), and the infopunt volunteer (see `_rule`).
RULES: dict[str, tuple[int | str, ...]] = {
    "public": _rule(OK, OK, OK, OK, OK, OK, OK),
    "signed_out": _rule(OK, HOME, HOME, HOME, HOME, HOME, HOME),  # sign in, sign up
    "signed_in": _rule(SIGN_IN, OK, OK, OK, OK, OK, OK),
    "not_a_member": _rule(SIGN_IN, OK, HOME, HOME, HOME, HOME, OK),  # joining
    "member": _rule(SIGN_IN, JOIN, OK, OK, OK, OK, JOIN),
    # Someone else's listing: its author (not among the visitors here) and staff.
    "listing_staff": _rule(SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, FORBIDDEN),
    "coordinator": _rule(SIGN_IN, JOIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, JOIN),
    # The infopunt's desk: coordinators and infopunt volunteers.
    "desk": _rule(SIGN_IN, JOIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, JOIN, infopunt=OK),
    # The werkbank and the figures: connectors, coordinators and platform admins.
    "staff": _rule(SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK),
    # The week on screen without a date: staff are led to the last week that is over.
    "staff_last_week": _rule(
        SIGN_IN, *[FORBIDDEN] * 3, *[f"/werkbank/week/{LAST_WEEK_MONDAY}"] * 3
    ),
    # Someone else's activity: its organiser (not among the visitors here) and connectors;
    # who comes to it: coordinators too.
    "activity_manager": _rule(SIGN_IN, JOIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, JOIN),
    "activity_staff": _rule(SIGN_IN, JOIN, FORBIDDEN, FORBIDDEN, OK, OK, JOIN),
    # Someone else's board post or comment: only its author (not among the visitors here).
    "author_only": _rule(SIGN_IN, *[FORBIDDEN] * 6),
    # News: the municipality's connectors and coordinators publish it.
    "news_staff": _rule(SIGN_IN, JOIN, FORBIDDEN, FORBIDDEN, OK, OK, JOIN),
    # Beheer: the municipality's connectors, and platform admins without a membership.
    "connector": _rule(SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK),
    # The preview of colours and logo, and its logo: without a draft, back to the form.
    "branding_preview": _rule(SIGN_IN, *[FORBIDDEN] * 3, BRANDING, FORBIDDEN, BRANDING),
    "branding_draft": _rule(SIGN_IN, *[FORBIDDEN] * 3, NOT_FOUND, FORBIDDEN, NOT_FOUND),
    # A conversation between two others: it does not exist for anyone else.
    "conversation": _rule(
        SIGN_IN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND
    ),
    # The link in the email confirms the address; used before (the samples' person is
    # verified), it signs nobody in and leads on to signing in.
    "email_link": _rule(SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN),
    # Platformbeheer lives on the portal only (tests/test_platform_admin.py).
    "portal_only": _rule(*(NOT_FOUND,) * 7),
}

# Every GET route and its rule: a new route fails the crawler until it is added here.
ACCESS: dict[str, str] = {
    "site.index": "public",
    "site.privacy": "public",
    "site.accessibility": "public",
    "site.theme": "public",
    "site.favicon": "public",
    "site.logo": "public",
    "site.about": "public",
    "site.house_rules": "public",
    "site_search.results": "public",
    "accounts.account_needed": "signed_out",  # before the ask form: why an account, and how
    "mail.outbox": "public",  # the development outbox; off in production (SHOW_OUTBOX)
    "accounts.sign_in": "signed_out",
    "accounts.sign_up": "signed_out",
    "accounts.check_email": "public",
    "accounts.verify_email": "email_link",
    "accounts.resend_verification": "public",
    "accounts.forgot_password": "public",
    "accounts.reset_password": "public",
    "accounts.join": "not_a_member",
    "accounts.profile": "signed_in",
    "own_data.download_data": "signed_in",  # the ZIP of one's own data here
    "own_data.delete_account": "signed_in",  # explains; admins and a last connector are told no
    "accounts.invitation": "public",  # a new person makes an account; others are told what to do
    "listings.browse": "public",
    "listings.detail": "public",
    "listings.printable": "public",
    "listings.who_helps": "public",
    "listings.mine": "signed_in",
    "listings.new": "member",
    "listings.helping": "member",
    "listings.edit": "listing_staff",
    "listings.delete": "listing_staff",
    "listings.on_behalf": "coordinator",
    "conversations.index": "signed_in",
    "conversations.my_replies": "signed_in",
    "conversations.reply": "member",
    "conversations.message_helper": "member",
    "conversations.report_listing": "signed_in",
    "conversations.thread": "conversation",
    "conversations.report_message": "conversation",
    "conversations.block": "conversation",
    "matches.outcome": "conversation",  # the two sides of a match only
    "notifications.preferences": "member",
    "activities.browse": "public",
    "activities.past": "public",
    "activities.detail": "public",
    "activities.activity_ics": "public",
    "activities.feed": "public",
    "activities.village_feed": "public",
    "activities.new": "member",
    "activities.edit": "activity_manager",
    "activities.who_comes": "activity_staff",
    "activities.on_behalf": "coordinator",
    "notifications.unsubscribe": "public",
    "board.index": "public",
    "board.detail": "public",
    "board.photo": "public",
    "board.new": "member",
    "board.edit": "author_only",
    "board.delete": "author_only",
    "board.edit_comment": "author_only",
    "board.delete_comment": "author_only",
    "board.report_post": "signed_in",
    "board.report_comment": "signed_in",
    "news.index": "public",
    "news.detail": "public",
    "news.photo": "public",
    "news.new": "news_staff",
    "news.edit": "news_staff",
    "news.delete": "news_staff",
    "partners.index": "public",
    "partners.feed": "public",
    "overview.index": "public",
    "overview.village": "public",
    "beheer.index": "connector",
    "beheer.audit_log": "connector",
    "beheer.members": "connector",
    "beheer.member": "connector",
    "beheer.invitations_page": "connector",
    "beheer.villages": "connector",
    "beheer.rename_village": "connector",
    "beheer.remove_village": "connector",
    "beheer.reminder_days": "connector",
    "beheer.home_blocks": "connector",
    "beheer.guide": "connector",
    "listings.manage_categories": "connector",
    "listings.rename_category": "connector",
    "listings.remove_category": "connector",
    "listings.manage_templates": "connector",
    "listings.new_template": "connector",
    "listings.edit_template": "connector",
    "beheer.settings_texts": "connector",
    "beheer.settings_contact": "connector",
    "beheer.settings_accessibility": "connector",
    "beheer.settings_branding": "connector",
    "beheer.branding_preview": "branding_preview",
    "beheer.branding_preview_theme": "connector",
    "beheer.branding_preview_logo": "branding_draft",
    "beheer.reports": "connector",
    "beheer.review_listing": "connector",
    "beheer.review_message": "connector",
    "beheer.review_board_post": "connector",
    "beheer.review_board_comment": "connector",
    "beheer.decision_reply": "conversation",  # only the author of what was hidden
    "directory.index": "public",
    "directory.detail": "public",
    "directory.logo": "public",
    # Keeping an entry: its owners (not among the visitors here) and connectors.
    "directory.edit": "connector",
    "directory.new_offering": "connector",
    "directory.edit_offering": "connector",
    "directory.remove_offering": "connector",
    "directory.manage": "connector",
    "directory.new": "connector",
    "directory.invite_owner": "connector",
    "directory.remove": "connector",
    "werkbank.index": "staff",
    "werkbank.week": "staff",
    "werkbank.last_week": "staff_last_week",
    "werkbank.people": "coordinator",
    "werkbank.new_person": "desk",
    "werkbank.edit_person": "coordinator",
    "werkbank.remove_person_view": "coordinator",
    "werkbank.choose_activity": "coordinator",
    "platform.sign_in": "portal_only",
    "platform.index": "portal_only",
    "platform.new_municipality": "portal_only",
    "platform.deactivate": "portal_only",
    "platform.reactivate": "portal_only",
    "figures.index": "staff",
    "callbacks.form": "public",
    "callbacks.sent": "public",
    "callbacks.tasks": "staff",
    "desk.index": "desk",
    "desk.general_sheet": "desk",
    "desk.sheet": "desk",
    "figures.export": "staff",
    "platform.figures": "portal_only",
    "platform.figures_export": "portal_only",
}


def expected_answer(endpoint: str, kind: str) -> int | str:
    assert endpoint in ACCESS, f"{endpoint}: give it a rule in ACCESS in tests/test_routes.py"
    return RULES[ACCESS[endpoint]][VISITORS.index(kind)]


def answer(response) -> int | str:
    """The status, or for a redirect the path it leads to (without its query)."""
    if response.status_code == 302:
        return response.headers["Location"].split("?")[0]
    return response.status_code


def test_every_get_route_answers_each_role_as_its_rule_says_on_every_municipality(
    app, client_for, people, world
):
    assert all(len(rule) == len(VISITORS) for rule in RULES.values())
    failures = []
    for slug in MUNICIPALITIES:
        for kind in VISITORS:
            person = people[slug, kind]
            client = client_for(slug)
            if person is not None:
                assert sign_in(client, person).status_code == 302
            for rule in crawlable_rules(app):
                url = build_url(app, rule, slug, world)
                got, expected = answer(client.get(url)), expected_answer(rule.endpoint, kind)
                if got != expected:
                    failures.append(f"{slug} {kind} GET {url}: {got}, expected {expected}")
    assert failures == []


def test_every_get_route_answers_on_the_portal(app, client_for):
    portal = client_for(None)
    for rule in crawlable_rules(app):
        if rule.arguments:
            continue  # tokens and ids belong to a municipality; the portal has none
        assert portal.get(rule.rule).status_code in (200, 302, 404), rule.rule


def test_every_id_of_another_municipality_is_a_404(app, client_for, world):
    """The same person, who can see these rows on Grave, asks for them on Cuijk."""
    checked = 0
    for slug in ("cuijk", "grave"):
        other = "grave" if slug == "cuijk" else "cuijk"
        client = client_for(slug)
        assert sign_in(client, world.everywhere).status_code == 302
        for method in ("GET", "POST"):
            for rule in crawlable_rules(app, method):
                if not set(rule.arguments) & ID_ARGUMENTS:
                    continue
                url = build_url(app, rule, other, world)
                response = client.open(url, method=method, data={})
                assert response.status_code == 404, f"{method} {url} on {slug}"
                checked += 1
    assert checked >= 10


def test_tokens_of_another_municipality_do_not_work(app, client_for, world):
    cuijk = client_for("cuijk")
    for endpoint, status in (
        ("accounts.verify_email", 400),
        ("accounts.reset_password", 400),
        ("notifications.unsubscribe", 404),
        ("accounts.invitation", 410),
    ):
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        url = build_url(app, rule, "grave", world)
        for method in rule.methods & {"GET", "POST"}:
            assert cuijk.open(url, method=method).status_code == status, (method, url)


# POST routes without a CSRF token, and why each may be.
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: mail programs post without a form; the signed token in
    # the URL is the proof (tests/test_notifications.py).
    "notifications.unsubscribe",
    # A visitor's own language and text size: no form key, so that choosing needs no
    # session and their pages stay everyone's; another site is refused by the browser's
    # Sec-Fetch-Site and Origin (tests/test_page_cache.py).
    "site.switch_language",
    "site.toggle_text_size",
}


def test_every_post_route_requires_a_csrf_token(make_app, world):
    app = make_app(WTF_CSRF_ENABLED=True)
    annie = world.everywhere
    client = app.test_client()
    host = {"base_url": "http://cuijk.buurt.test"}
    # Signing in without a token fails too, so sign in with one.
    page = client.get("/inloggen", **host).get_data(True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    signed_in = client.post(
        "/inloggen",
        data={"email": annie.email, "password": "een goed wachtwoord", "csrf_token": token},
        **host,
    )
    assert signed_in.status_code == 302
    for rule in crawlable_rules(app, "POST"):
        if rule.endpoint in CSRF_EXEMPT:
            continue
        url = build_url(app, rule, "cuijk", world)
        response = client.post(url, data={}, **host)
        assert response.status_code == 400, url
        assert "Dit formulier is verlopen" in response.get_data(True), url


# The pages that give a visitor a session: each holds a form, whose key the session keeps.
VISITOR_FORMS = {
    "accounts.sign_up",
    "accounts.sign_in",
    "accounts.resend_verification",
    "accounts.forgot_password",
    "accounts.reset_password",
    "accounts.invitation",
    "callbacks.form",
    "platform.sign_in",
}


def test_a_visitor_gets_a_cookie_only_from_a_page_with_a_form(make_app, world):
    """With form keys on, as in production: every other page a visitor can open is the same
    for every visitor, so it is public and kept (buurtplatform/page_cache.py)."""
    app = make_app(WTF_CSRF_ENABLED=True)
    given = set()
    for slug in ("cuijk", None):
        for rule in crawlable_rules(app):
            client = app.test_client()
            host = f"{slug}.{DOMAIN}" if slug else DOMAIN
            url = build_url(app, rule, slug or "cuijk", world)
            response = client.get(url, base_url=f"http://{host}")
            if response.status_code != 200:
                continue  # e.g. to the sign-in page, with a message that needs a session
            if response.headers.getlist("Set-Cookie"):
                given.add(rule.endpoint)
            elif response.mimetype == "text/html":
                # A page reached with a token from an email is that person's alone.
                assert response.cache_control.public != ("token" in rule.arguments), url
    assert given <= VISITOR_FORMS, given - VISITOR_FORMS


def test_ids_too_large_for_the_database_are_a_404(client_for):
    cuijk = client_for("cuijk")
    for url in ("/vraag-en-aanbod/2147483648", "/vraag-en-aanbod/99999999999999999999"):
        assert cuijk.get(url).status_code == 404, url
