"""Asking and offering help in Chromium: post, reply, converse, match and done; every page of
the feature on a computer and a phone; and the form to ask for help by keyboard alone. axe-core
runs on every page visited.

Elements are found by address, form action, id, name or role rather than by wording, and data
is read back from the database.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Page, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.conversations.models import Conversation, Message
from buurtplatform.extensions import db
from buurtplatform.listings.helping import HelpSettings, save_help_settings
from buurtplatform.listings.models import Category, Kind, Listing, ListingTemplate, Status, Timing
from buurtplatform.mail.services import OutboxMessage
from buurtplatform.matches.models import Match, Outcome
from buurtplatform.notifications.models import Topic
from buurtplatform.notifications.services import unsubscribe_token
from buurtplatform.timestamps import utcnow
from tenants.models import Tenant, Village
from tenants.scoping import tenant_context
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_journeys import PASSWORD, PHONE, submit, visit

pytestmark = pytest.mark.browser

SLUG = "cuijk"
_numbers = itertools.count(1)


# -- People and data, made directly in the live server's database ---------------------------


@dataclass(frozen=True)
class Member:
    user_id: int
    membership_id: int
    email: str
    first_name: str


@contextmanager
def in_municipality(live_server: LiveServer, slug: str) -> Iterator[Tenant]:
    """Enter a municipality in the live server's app, as a job or command would."""
    with live_server.app.app_context():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        with tenant_context(tenant):
            yield tenant


def in_cuijk(live_server: LiveServer) -> contextlib.AbstractContextManager[Tenant]:
    return in_municipality(live_server, SLUG)


def village_named(name: str) -> int:
    """The id of a village of the municipality entered (`in_municipality`)."""
    return db.session.scalar(sa.select(Village.id).where(Village.name == name))


def _category_id(key: str) -> int:
    return db.session.scalar(sa.select(Category.id).where(Category.key == key))


@pytest.fixture(scope="module")
def make_member(live_server: LiveServer) -> Callable[..., Member]:
    """A verified member of Cuijk whose password is PASSWORD; optionally one who helps with
    some categories (keys) and wants an email about new asks in them."""

    def make(
        first_name: str,
        *,
        village: str = "Haps",
        role: Role = Role.RESIDENT,
        helps_with: tuple[str, ...] = (),
        skills: str = "",
        notify_new_asks: bool = False,
    ) -> Member:
        email = f"{first_name.lower()}{next(_numbers)}@example.nl"
        with in_cuijk(live_server):
            user = User(email=email, first_name=first_name, email_verified_at=utcnow())
            user.set_password(PASSWORD)
            member = Membership(user=user, role=role, village_id=village_named(village))
            db.session.add_all([user, member])
            db.session.flush()
            if helps_with or notify_new_asks:
                settings = HelpSettings(
                    offers_help=bool(helps_with),
                    category_ids={_category_id(key) for key in helps_with},
                    skills=skills,
                    notify_new_asks=notify_new_asks,
                )
                save_help_settings(member, settings)
            db.session.commit()
            return Member(user.id, member.id, email, first_name)

    return make


def add_listing(
    live_server: LiveServer,
    author: Member,
    kind: Kind,
    title: str,
    *,
    category: str = "shopping",
    village: str = "Haps",
) -> int:
    with in_cuijk(live_server):
        listing = Listing(
            author_id=author.user_id,
            kind=kind,
            category_id=_category_id(category),
            title=title,
            description=f"{title}\nHet liefst op een doordeweekse ochtend. Stuur me een bericht.",
            village_id=village_named(village),
            timing=Timing.WEEKLY,
            expires_at=utcnow() + timedelta(days=30),
        )
        db.session.add(listing)
        db.session.commit()
        return listing.id


def add_conversation(
    live_server: LiveServer, listing_id: int, author: Member, replier: Member, bodies: list[str]
) -> int:
    """A conversation about a listing, the replier writing first and the two taking turns."""
    with in_cuijk(live_server):
        start = utcnow() - timedelta(hours=len(bodies))
        conversation = Conversation(
            listing_id=listing_id,
            author_id=author.user_id,
            replier_id=replier.user_id,
            last_message_at=start + timedelta(hours=len(bodies) - 1),
        )
        db.session.add(conversation)
        db.session.flush()
        senders = itertools.cycle([replier, author])
        db.session.add_all(
            Message(
                conversation_id=conversation.id,
                sender_id=next(senders).user_id,
                body=body,
                created_at=start + timedelta(hours=n),
            )
            for n, body in enumerate(bodies)
        )
        db.session.commit()
        return conversation.id


def rows_in(live_server: LiveServer, statement: sa.Select, slug: str = SLUG) -> list[sa.Row]:
    """The rows a query of columns gives in a municipality (Cuijk unless said)."""
    with in_municipality(live_server, slug):
        return list(db.session.execute(statement).all())


def category_id(live_server: LiveServer, key: str) -> int:
    with in_cuijk(live_server):
        return _category_id(key)


def template_id(live_server: LiveServer, kind: Kind, key: str) -> int:
    """The id of one of Cuijk's default examples of asks and offers."""
    with in_cuijk(live_server):
        return db.session.scalar(
            sa.select(ListingTemplate.id).where(
                ListingTemplate.kind == kind, ListingTemplate.key == key
            )
        )


def village_id(live_server: LiveServer, name: str) -> int:
    with in_cuijk(live_server):
        return village_named(name)


# -- Browser helpers -------------------------------------------------------------------------


def sign_in(page: Page, live_server: LiveServer, member: Member) -> None:
    visit(page, live_server.url(SLUG, "/inloggen"))
    page.locator("#email").fill(member.email)
    page.locator("#password").fill(PASSWORD)
    submit(page)
    expect(page).to_have_url(live_server.url(SLUG))
    assert_accessible(page)


def press_button(page: Page, form: str) -> None:
    """Press the submit button of the form that matches the selector `form`."""
    page.locator(f"{form} button[type=submit]").click()
    page.wait_for_load_state()


def assert_fits_a_phone(page: Page) -> None:
    """At 375 pixels wide nothing needs sideways scrolling, and axe still finds nothing."""
    # After a form posts and redirects, the new page's body can be there before its
    # stylesheets: measure the page as it is shown, not half-loaded.
    page.wait_for_load_state("load")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a phone"
    assert_accessible(page)


def emails_to(live_server: LiveServer, recipient: str, count: int) -> list[OutboxMessage]:
    """The emails to `recipient`, newest first, once at least `count` have arrived."""
    deadline = time.monotonic() + 5
    while True:
        found = [m for m in live_server.outbox() if m.recipient == recipient]
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) >= count, f"{len(found)} email(s) to {recipient}, not {count}"
            return found
        time.sleep(0.1)


def listing_id_in(url: str) -> int:
    found = re.search(r"/vraag-en-aanbod/(\d+)(#[\w-]*)?$", url)
    assert found, f"not a listing page: {url}"
    return int(found.group(1))


# -- 1. Post, reply, converse, match, done ---------------------------------------------------


def test_ask_reply_converse_match_and_done(
    browser: Browser, live_server: LiveServer, make_member: Callable[..., Member]
) -> None:
    annie = make_member("Annie")
    # Joop helps with shopping in Haps, and wants to hear about new asks there.
    joop = make_member("Joop", helps_with=("shopping",), notify_new_asks=True)
    shopping = category_id(live_server, "shopping")
    haps = village_id(live_server, "Haps")
    annie_context, joop_context = (browser.new_context(locale="nl-NL") for _ in range(2))
    try:
        annie_page, joop_page = annie_context.new_page(), joop_context.new_page()
        for page in (annie_page, joop_page):
            page.set_default_timeout(10_000)

        # Annie asks for help, sending the form empty first.
        sign_in(annie_page, live_server, annie)
        annie_page.locator("header nav a[href='/vraag-en-aanbod']").click()
        expect(annie_page).to_have_url(live_server.url(SLUG, "/vraag-en-aanbod"))
        assert_accessible(annie_page)
        ask_form = "/vraag-en-aanbod/nieuw?soort=vraag"
        annie_page.locator(f"main a.button[href='{ask_form}']").click()
        expect(annie_page).to_have_url(live_server.url(SLUG, ask_form))
        assert_accessible(annie_page)

        submit(annie_page)
        expect(annie_page).to_have_url(live_server.url(SLUG, ask_form))
        summary = annie_page.locator(".error-summary")
        expect(summary).to_be_visible()
        for field_id in ["category", "title", "description"]:
            expect(summary.locator(f"a[href='#{field_id}']")).to_have_count(1)
            expect(annie_page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
        assert_accessible(annie_page)

        # The form reached from "Vraag om hulp" does not ask again whether she asks or offers.
        expect(annie_page.locator("input[name=kind][type=radio]")).to_have_count(0)
        annie_page.locator("#category").select_option(str(shopping))
        annie_page.locator("#title").fill("Hulp bij de boodschappen")
        annie_page.locator("#description").fill(
            "Ik kan niet goed meer lopen. Wie haalt op dinsdag mijn boodschappen bij de Jumbo?"
        )
        annie_page.locator("#village").select_option(label="Haps")
        annie_page.locator("input[name=timing][value=weekly]").check()
        submit(annie_page)
        expect(annie_page).to_have_url(re.compile(r"/vraag-en-aanbod/\d+$"))
        ask_id = listing_id_in(annie_page.url)
        ask_path = f"/vraag-en-aanbod/{ask_id}"
        expect(annie_page.locator(".flash--success")).to_be_visible()
        expect(annie_page.locator("main h1")).to_have_text("Hulp bij de boodschappen")
        expect(annie_page.locator("main .badge--ask")).to_be_visible()
        # No replies yet, so nobody to choose in the match panel.
        expect(annie_page.locator(f"form[action='{ask_path}/match']")).to_have_count(0)
        assert_accessible(annie_page)

        # Joop finds it by searching and filtering, and replies.
        sign_in(joop_page, live_server, joop)
        visit(joop_page, live_server.url(SLUG, "/vraag-en-aanbod"))
        expect(joop_page.locator(f"main .listing-list a[href='{ask_path}']")).to_have_count(1)
        search = joop_page.locator("main form[role=search]")
        search.locator("#q").fill("boodschap")
        search.locator("#kind").select_option("ask")
        search.locator("#category").select_option(str(shopping))
        search.locator("#village").select_option(str(haps))
        press_button(joop_page, "main form[role=search]")
        expect(joop_page).to_have_url(re.compile(r"/vraag-en-aanbod\?.*q=boodschap"))
        expect(joop_page.locator("#q")).to_have_value("boodschap")
        expect(joop_page.locator("#kind")).to_have_value("ask")
        assert_accessible(joop_page)
        joop_page.locator(f"main .listing-list a[href='{ask_path}']").click()
        expect(joop_page).to_have_url(live_server.url(SLUG, ask_path))
        assert_accessible(joop_page)

        reply_form = f"form[action='{ask_path}/reageren']"
        joop_page.locator(f"{reply_form} textarea[name=body]").fill(
            "Dag Annie, ik ga op dinsdag toch naar de Jumbo. Zal ik het voor je meenemen?"
        )
        press_button(joop_page, reply_form)
        expect(joop_page).to_have_url(re.compile(r"/gesprekken/\d+$"))
        thread_path = re.search(r"/gesprekken/\d+$", joop_page.url).group(0)
        expect(joop_page.locator(".flash--success")).to_be_visible()
        expect(joop_page.locator("main .message--mine")).to_have_count(1)
        assert_accessible(joop_page)

        # Annie sees the new message in the menu, and answers in the conversation.
        visit(annie_page, live_server.url(SLUG, "/"))
        menu_link = annie_page.locator("header nav a[href='/gesprekken']")
        expect(menu_link.locator(".count")).to_contain_text("1")
        menu_link.click()
        expect(annie_page).to_have_url(live_server.url(SLUG, "/gesprekken"))
        expect(annie_page.locator(f"main a[href='{thread_path}'] ~ .unread")).to_be_visible()
        assert_accessible(annie_page)
        annie_page.locator(f"main a[href='{thread_path}']").click()
        expect(annie_page).to_have_url(live_server.url(SLUG, thread_path))
        expect(annie_page.locator("main .message:not(.message--mine)")).to_have_count(1)
        expect(menu_link.locator(".count")).to_have_count(0)
        assert_accessible(annie_page)

        annie_page.locator("#body").fill("Graag, Joop! Ik leg de lijst en het geld klaar.")
        submit(annie_page)
        expect(annie_page).to_have_url(live_server.url(SLUG, f"{thread_path}#nieuw"))
        expect(annie_page.locator("main .message--mine")).to_have_count(1)
        assert_accessible(annie_page)

        visit(joop_page, live_server.url(SLUG, "/vraag-en-aanbod"))
        expect(joop_page.locator("header nav a[href='/gesprekken'] .count")).to_contain_text("1")
        visit(joop_page, live_server.url(SLUG, thread_path))
        expect(joop_page.locator("main .message")).to_have_count(2)

        # Annie records the match with Joop: the ask leaves the list.
        annie_page.locator(f"main a[href='{ask_path}']").click()
        expect(annie_page).to_have_url(live_server.url(SLUG, ask_path))
        expect(annie_page.locator(f"main a[href='{thread_path}']")).to_be_visible()
        assert_accessible(annie_page)
        match_form = f"form[action='{ask_path}/match']"
        annie_page.locator(f"{match_form} select[name=partner]").select_option(str(joop.user_id))
        press_button(annie_page, match_form)
        expect(annie_page).to_have_url(live_server.url(SLUG, ask_path))
        expect(annie_page.locator(".flash--success")).to_be_visible()
        expect(annie_page.locator("main .badge--matched")).to_be_visible()
        expect(annie_page.locator(match_form)).to_have_count(0)
        assert_accessible(annie_page)

        visit(joop_page, live_server.url(SLUG, "/vraag-en-aanbod"))
        expect(joop_page.locator(f"main a[href='{ask_path}']")).to_have_count(0)

        # Not yet "Is de hulp doorgegaan?": the page says when we will ask.
        outcome_form = "main form[action$='/uitkomst']"
        expect(annie_page.locator(outcome_form)).to_have_count(0)
        expect(annie_page.locator("main .matches")).to_contain_text("vragen we jullie")

        # A few days later, Annie says how it went.
        with in_cuijk(live_server) as tenant:
            for match in db.session.scalars(sa.select(Match).where(Match.listing_id == ask_id)):
                match.created_at -= timedelta(days=tenant.follow_up_after_days)
            db.session.commit()
        visit(annie_page, live_server.url(SLUG, ask_path))
        annie_page.locator(f"{outcome_form} input[name=outcome][value=done]").check()
        press_button(annie_page, outcome_form)
        expect(annie_page).to_have_url(live_server.url(SLUG, ask_path))
        expect(annie_page.locator(".flash--success")).to_be_visible()
        expect(annie_page.locator(outcome_form)).to_have_count(0)
        assert_accessible(annie_page)
        recorded = rows_in(
            live_server,
            sa.select(Listing.status, Match.partner_id, Match.author_outcome)
            .join(Match, Match.listing_id == Listing.id)
            .where(Listing.id == ask_id),
        )
        assert recorded == [(Status.MATCHED, joop.user_id, Outcome.DONE)]
    finally:
        annie_context.close()
        joop_context.close()

    # Joop heard about the new ask (without who asked), and each heard of the other's
    # message; every link goes to Cuijk's own host, and each message email can be stopped.
    host = live_server.url(SLUG, "/")
    ask_url, thread_url = live_server.url(SLUG, ask_path), live_server.url(SLUG, thread_path)
    to_joop = emails_to(live_server, joop.email, 3)
    to_annie = emails_to(live_server, annie.email, 1)
    assert (len(to_joop), len(to_annie)) == (3, 1)
    sent = to_joop + to_annie
    assert {m.municipality for m in sent} == {SLUG}
    assert all(link.startswith(host) for m in sent for link in m.links)
    # Joop was told that Annie recorded the match with him.
    [match_email] = [m for m in to_joop if "Annie heeft een afspraak met je" in m.subject]
    assert ask_url in match_email.links
    [new_ask] = [m for m in to_joop if ask_url in m.links and m is not match_email]
    assert "Annie" not in new_ask.text
    # A message email leads to the answer form at the end of the conversation.
    about_messages = [m for m in sent if f"{thread_url}#nieuw" in m.links]
    assert [m.recipient for m in about_messages] == [joop.email, annie.email]
    for message in about_messages:
        assert any(link.startswith(f"{host}afmelden/") for link in message.links)
        assert message.headers["List-Unsubscribe"].startswith(f"<{host}afmelden/")


# -- 2. Every page, on a computer and a phone ------------------------------------------------


@dataclass(frozen=True)
class Scene:
    """Ria asks for help with shopping in Haps; Olga offers just that, and they talk about
    both. Henk is listed as a helper; Eva has done nothing yet. Olga's title has the kind of
    long Dutch word that must not make a phone scroll sideways."""

    ria: Member
    olga: Member
    henk: Member
    eva: Member
    ask: int
    offer: int
    about_ask: int
    about_offer: int


LONG_TITLE = "Boodschappenbezorgservice van de vrijwilligersorganisatie"


@pytest.fixture(scope="module")
def scene(live_server: LiveServer, make_member: Callable[..., Member]) -> Scene:
    ria, olga, eva = make_member("Ria"), make_member("Olga"), make_member("Eva")
    henk = make_member(
        "Henk", helps_with=("shopping", "digital_help"), skills="Boodschappen en computers"
    )
    ask = add_listing(live_server, ria, Kind.ASK, "Wie doet op dinsdag mijn boodschappen?")
    offer = add_listing(live_server, olga, Kind.OFFER, LONG_TITLE)
    about_ask = add_conversation(
        live_server,
        ask,
        ria,
        olga,
        ["Dag Ria, dat kan ik wel doen.", "Fijn! Wanneer kom je?", "Dinsdag om tien uur."],
    )
    about_offer = add_conversation(
        live_server, offer, olga, ria, ["Dag Olga, kun je ook naar de apotheek?", "Zeker."]
    )
    return Scene(ria, olga, henk, eva, ask, offer, about_ask, about_offer)


@pytest.fixture(scope="module")
def signed_in_as(
    browser: Browser, live_server: LiveServer
) -> Iterator[Callable[[Member | None], BrowserContext]]:
    """A new browser profile in which `member` is signed in (None: nobody). Each member signs
    in through the form once; later profiles reuse the cookies."""
    states: dict[int, dict] = {}
    made: list[BrowserContext] = []

    def open_as(member: Member | None) -> BrowserContext:
        state = states.get(member.user_id) if member else None
        context = browser.new_context(locale="nl-NL", storage_state=state)
        context.set_default_timeout(10_000)
        made.append(context)
        if member and state is None:
            page = context.new_page()
            sign_in(page, live_server, member)
            states[member.user_id] = context.storage_state()
            page.close()
        return context

    yield open_as
    for context in made:
        context.close()


# (who is signed in, page, what the page must show); {ask} and the like are the scene's ids.
PAGES = [
    ("ria", "/vraag-en-aanbod", "main .listing-list a[href='/vraag-en-aanbod/{offer}']"),
    ("ria", "/vraag-en-aanbod?q=boodschap&kind=ask", "main .listing-list"),
    ("ria", "/vraag-en-aanbod?q=zwembadkaartjes&kind=offer", "main .empty-state"),
    ("ria", "/vraag-en-aanbod/nieuw", "main form.form"),
    ("ria", "/vraag-en-aanbod/nieuw?soort=vraag&sjabloon={hospital_template}", "main form.form"),
    (
        "ria",
        "/vraag-en-aanbod/nieuw?soort=aanbod",
        "main .templates a[href$='sjabloon={garden_template}']",
    ),
    ("ria", "/vraag-en-aanbod/{ask}", "main .suggestion a[href='/vraag-en-aanbod/{offer}']"),
    ("ria", "/vraag-en-aanbod/{offer}", "form[action='/vraag-en-aanbod/{offer}/reageren']"),
    ("olga", "/vraag-en-aanbod/{offer}", "main .suggestion a[href='/vraag-en-aanbod/{ask}']"),
    (None, "/vraag-en-aanbod/{ask}", "main a.button[href^='/inloggen']"),
    ("ria", "/vraag-en-aanbod/{ask}/bewerken", "main form.form #title"),
    ("ria", "/vraag-en-aanbod/{ask}/verwijderen", "main .button--danger"),
    ("ria", "/vraag-en-aanbod/{ask}/afdrukken", "main h1"),
    ("ria", "/vraag-en-aanbod/{offer}/reageren", "main form.form #body"),
    ("ria", "/vraag-en-aanbod/{offer}/melden", "main form.form #reason"),
    ("ria", "/mijn/vraag-en-aanbod", "main .listing-list a[href='/vraag-en-aanbod/{ask}']"),
    ("eva", "/mijn/vraag-en-aanbod", "main .empty-state"),
    ("ria", "/mijn/reacties", "main a[href='/gesprekken/{about_offer}']"),
    ("eva", "/mijn/reacties", "main .empty-state"),
    ("ria", "/gesprekken", "main a[href='/gesprekken/{about_ask}']"),
    ("eva", "/gesprekken", "main .empty-state"),
    ("ria", "/gesprekken/{about_ask}", "main .message--mine"),
    ("ria", "/gesprekken/{about_ask}/blokkeren", "main .button--danger"),
    ("ria", "/wie-helpt", "main .helper"),
    ("ria", "/wie-helpt?category={garden}", "main .empty-state"),
    ("henk", "/wie-helpt", "main .helper a[href='/profiel/hulp']"),
    ("ria", "/hulp-vragen-aan/{henk_membership}", "main form.form #body"),
    ("henk", "/profiel/hulp", "main form.form input[name=offers_help]:checked"),
    ("ria", "/profiel/hulp", "main form.form"),
    ("ria", "/meldingen", "main form.form"),
    ("ria", "/profiel", "main form.form"),
]


def scene_values(live_server: LiveServer, scene: Scene) -> dict[str, object]:
    return {
        "ask": scene.ask,
        "offer": scene.offer,
        "about_ask": scene.about_ask,
        "about_offer": scene.about_offer,
        "henk_membership": scene.henk.membership_id,
        "garden": category_id(live_server, "garden"),
        "hospital_template": template_id(live_server, Kind.ASK, "hospital"),
        "garden_template": template_id(live_server, Kind.OFFER, "garden"),
    }


@pytest.mark.parametrize(
    ("who", "path", "shows"), PAGES, ids=[f"{w or 'visitor'}:{p}" for w, p, _ in PAGES]
)
def test_page_is_accessible_on_a_computer_and_a_phone(
    live_server: LiveServer,
    scene: Scene,
    signed_in_as: Callable[[Member | None], BrowserContext],
    who: str | None,
    path: str,
    shows: str,
) -> None:
    values = scene_values(live_server, scene)
    page = signed_in_as(getattr(scene, who) if who else None).new_page()
    visit(page, live_server.url(SLUG, path.format(**values)))
    expect(page.locator(shows.format(**values)).first).to_be_visible()
    assert_fits_a_phone(page)


# Forms sent empty: (page, the field the error summary must point at).
EMPTY_FORMS = [
    ("/vraag-en-aanbod/{offer}/reageren", "body"),
    ("/hulp-vragen-aan/{henk_membership}", "body"),
    ("/gesprekken/{about_ask}", "body"),
]


@pytest.mark.parametrize(("path", "field_id"), EMPTY_FORMS)
def test_form_sent_empty_shows_accessible_errors(
    live_server: LiveServer,
    scene: Scene,
    signed_in_as: Callable[[Member | None], BrowserContext],
    path: str,
    field_id: str,
) -> None:
    url = live_server.url(SLUG, path.format(**scene_values(live_server, scene)))
    page = signed_in_as(scene.ria).new_page()
    visit(page, url)
    submit(page)
    expect(page).to_have_url(url)
    expect(page.locator(f".error-summary a[href='#{field_id}']")).to_have_count(1)
    expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert_fits_a_phone(page)


LARGE_TEXT_PAGES = [
    "/vraag-en-aanbod",
    "/vraag-en-aanbod/nieuw",
    "/vraag-en-aanbod/{offer}",
    "/vraag-en-aanbod/{ask}",
    "/gesprekken/{about_ask}",
]


@pytest.mark.parametrize("path", LARGE_TEXT_PAGES)
def test_page_fits_a_phone_with_larger_text(
    live_server: LiveServer,
    scene: Scene,
    signed_in_as: Callable[[Member | None], BrowserContext],
    path: str,
) -> None:
    page = signed_in_as(scene.ria).new_page()
    page.set_viewport_size(PHONE)
    visit(page, live_server.url(SLUG, path.format(**scene_values(live_server, scene))))
    page.locator("form[action='/tekstgrootte'] button").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\blarge-text\b"))
    assert_fits_a_phone(page)


def test_unsubscribing_from_an_email_is_accessible(
    live_server: LiveServer, scene: Scene, signed_in_as: Callable[[Member | None], BrowserContext]
) -> None:
    with live_server.app.app_context():
        token = unsubscribe_token(scene.eva.membership_id, Topic.MESSAGES)
    page = signed_in_as(None).new_page()
    visit(page, live_server.url(SLUG, f"/afmelden/{token}"))
    assert_fits_a_phone(page)
    press_button(page, f"main form[action='/afmelden/{token}']")
    expect(page).to_have_url(live_server.url(SLUG, f"/afmelden/{token}"))
    expect(page.locator(f"main form[action='/afmelden/{token}']")).to_have_count(0)
    assert_accessible(page)


def test_coordinator_asks_on_someones_behalf(
    live_server: LiveServer,
    scene: Scene,
    make_member: Callable[..., Member],
    signed_in_as: Callable[[Member | None], BrowserContext],
) -> None:
    cora = make_member("Cora", village="Cuijk", role=Role.COORDINATOR)
    page = signed_in_as(cora).new_page()
    visit(page, live_server.url(SLUG, "/"))
    page.locator("header nav a[href='/coordinatie/namens-iemand']").click()
    expect(page).to_have_url(live_server.url(SLUG, "/coordinatie/namens-iemand"))
    assert_accessible(page)
    assert_fits_a_phone(page)

    submit(page)
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    for field_id in ["person_name", "person_phone", "consent", "consent_note", "category"]:
        expect(summary.locator(f"a[href='#{field_id}']")).to_have_count(1)
        expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert_fits_a_phone(page)

    page.locator("#person_name").fill("Mevrouw Janssen")
    page.locator("#person_phone").fill("0485 123 456")
    page.locator("#consent").check()
    page.locator("#consent_note").fill("Telefonisch op 3 maart, met haar dochter erbij.")
    page.locator("#category").select_option(str(category_id(live_server, "shopping")))
    page.locator("#title").fill("Boodschappen voor een buurvrouw zonder computer")
    page.locator("#description").fill("Elke week een kleine boodschappenlijst, bij de Jumbo.")
    page.locator("#village").select_option(label="Beers")
    submit(page)
    expect(page).to_have_url(re.compile(r"/vraag-en-aanbod/\d+$"))
    private = page.locator("main .private-box")
    expect(private).to_contain_text("Mevrouw Janssen")
    expect(private).to_contain_text("0485 123 456")
    # Her name and number are for coordinators only.
    expect(page.locator("main article.listing")).not_to_contain_text("Janssen")
    expect(page.locator("main form[action$='/match-telefonisch']")).to_be_visible()
    assert_accessible(page)
    assert_fits_a_phone(page)

    # Anyone else sees the ask without her details.
    other = signed_in_as(scene.ria).new_page()
    visit(other, page.url)
    expect(other.locator("main .private-box")).to_have_count(0)
    expect(other.locator("main")).not_to_contain_text("Janssen")


# -- 3. The form by keyboard alone -----------------------------------------------------------

_FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return {
        tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name") || "",
        value: el.value || "", type: el.type || "", href: el.getAttribute("href") || "",
        visible: outline || (style.boxShadow !== "none" && style.boxShadow !== ""),
    };
}"""


def tab_to(page: Page, matches: Callable[[dict], bool], limit: int = 60) -> dict:
    """Press Tab until the focused element matches; every element passed on the way shows
    that it has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        assert focused["visible"], f"no visible focus on {focused} at {page.url}"
        if matches(focused):
            return focused
    raise AssertionError(f"Tab never reached the element on {page.url}")


def by_id(element_id: str) -> Callable[[dict], bool]:
    return lambda focused: focused["id"] == element_id


def is_submit_button(focused: dict) -> bool:
    return focused["tag"] == "button" and focused["type"] == "submit"


def test_asking_for_help_by_keyboard_alone(
    live_server: LiveServer,
    make_member: Callable[..., Member],
    signed_in_as: Callable[[Member | None], BrowserContext],
) -> None:
    karel = make_member("Karel", village="Linden")
    page = signed_in_as(karel).new_page()
    url = live_server.url(SLUG, "/vraag-en-aanbod/nieuw")
    visit(page, url)

    # Ask or offer: the checked radio button takes the focus; arrows move the choice.
    focused = tab_to(page, lambda f: f["name"] == "kind")
    assert focused["value"] == "ask"
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=kind][value=offer]")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.locator("input[name=kind][value=ask]")).to_be_checked()
    assert_accessible(page)  # checked with a focus ring showing

    # Sent too early: the first link of the error summary leads to the first field to fix.
    tab_to(page, is_submit_button)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page).to_have_url(url)
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    tab_to(page, lambda f: f["href"] == "#category")
    page.keyboard.press("Enter")
    assert page.evaluate(_FOCUSED)["id"] == "category"

    page.keyboard.press("ArrowDown")
    expect(page.locator("#category")).not_to_have_value("0")
    tab_to(page, by_id("title"))
    page.keyboard.type("Wie helpt met mijn tablet?")
    tab_to(page, by_id("description"))
    page.keyboard.type("Ik wil leren beeldbellen met mijn kleinkinderen.")
    tab_to(page, by_id("village"))
    page.keyboard.press("ArrowDown")
    tab_to(page, by_id("remote_ok"))
    page.keyboard.press("Space")
    expect(page.locator("#remote_ok")).to_be_checked()
    focused = tab_to(page, lambda f: f["name"] == "timing")
    assert focused["value"] == "flexible"
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=timing][value=weekly]")).to_be_checked()
    tab_to(page, is_submit_button)
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    # The redirect keeps the address's #category from the error summary link.
    expect(page).to_have_url(re.compile(r"/vraag-en-aanbod/\d+(#category)?$"))
    assert_accessible(page)
    listing_id = listing_id_in(page.url)
    posted = rows_in(
        live_server,
        sa.select(
            Listing.author_id, Listing.kind, Listing.title, Listing.remote_ok, Listing.timing
        ).where(Listing.id == listing_id),
    )
    assert posted == [(karel.user_id, Kind.ASK, "Wie helpt met mijn tablet?", True, Timing.WEEKLY)]
