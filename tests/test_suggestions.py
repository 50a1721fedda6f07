"""Helping neighbours: Mijn hulp (the helper settings), suggestions with their reasons,
"Who helps?", and the email about a new ask.

Texts are checked in English (the source texts), so that the tests hold whatever the Dutch
catalogue says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.conversations.models import Block
from buurtplatform.extensions import db
from buurtplatform.listings.models import HelperCategory, Kind, Listing, Status
from buurtplatform.listings.suggestions import Suggestion, skill_words_in, suggestions_for
from buurtplatform.notifications.models import Frequency, Topic
from buurtplatform.notifications.services import frequency_for, set_frequency
from buurtplatform.timestamps import utcnow
from tenants.scoping import tenant_context
from tests.helpers import tenant_by_slug
from tests.listing_helpers import (
    add_listing,
    category_id,
    counting_queries,
    in_english,
    listing_row,
    new_listing,
    page,
    signed_in,
    village_ids,
)

DAY = timedelta(days=1)


@pytest.fixture
def beers(app: Flask) -> int:
    return village_ids(app)["Beers"]


@pytest.fixture
def haps(app: Flask) -> int:
    return village_ids(app)["Haps"]


@pytest.fixture
def shopping(app: Flask) -> int:
    return category_id(app, key="shopping")


@pytest.fixture
def asker(make_user: Callable[..., User]) -> User:
    return make_user("cuijk", first_name="Truus", email="truus@example.nl")


@pytest.fixture
def make_helper(app: Flask, make_user: Callable[..., User]) -> Callable[..., User]:
    """A member who offers help with `categories` (keys) in a village (a name)."""

    def make(
        village: str = "Beers",
        categories: tuple[str, ...] = ("shopping",),
        *,
        slug: str = "cuijk",
        offers_help: bool = True,
        notify_new_asks: bool = False,
        skills: str = "",
        locale: str = "nl",
        **user: object,
    ) -> User:
        person = make_user(slug, **user)
        village_id = village_ids(app, slug)[village]
        with app.app_context(), tenant_context(tenant_by_slug(slug)):
            db.session.get(User, person.id).locale = locale
            member = db.session.scalar(sa.select(Membership).where(Membership.user_id == person.id))
            member.village_id = village_id
            member.offers_help = offers_help
            set_frequency(
                member.id,
                Topic.NEW_ASKS,
                Frequency.IMMEDIATELY if notify_new_asks else Frequency.NEVER,
            )
            member.skills = skills
            db.session.add_all(
                HelperCategory(membership_id=member.id, category_id=category_id(app, slug, key))
                for key in categories
            )
            db.session.commit()
        return person

    return make


def wants_new_asks(app: Flask, member: Membership) -> bool:
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        return frequency_for(member.id, Topic.NEW_ASKS) != Frequency.NEVER


def membership_id(app: Flask, user: User, slug: str = "cuijk") -> int:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        return db.session.scalar(sa.select(Membership.id).where(Membership.user_id == user.id))


def suggested(app: Flask, listing_id: int) -> list[Suggestion]:
    with app.test_request_context(), tenant_context(tenant_by_slug("cuijk")):
        return suggestions_for(db.session.get(Listing, listing_id))


def ids(suggestions: list[Suggestion]) -> list[tuple[str, int]]:
    """What was suggested, in order: ("offer", id), ("ask", id) or ("helper", membership id)."""
    return [
        ("helper", s.what.id) if s.helper else (s.listing.kind.value, s.what.id)
        for s in suggestions
    ]


# Ranking


def test_an_ask_gets_offers_from_its_own_village_first(app, make_user, asker, beers, haps):
    neighbour, farther = make_user(), make_user()
    ask = add_listing(app, asker, village_id=beers)
    in_haps = add_listing(app, farther, kind=Kind.OFFER, village_id=haps)
    in_beers = add_listing(
        app, neighbour, kind=Kind.OFFER, village_id=beers, created_at=utcnow() - DAY
    )
    other_kind = add_listing(
        app,
        neighbour,
        category_id=category_id(app, key="garden"),
        kind=Kind.OFFER,
        village_id=beers,
    )

    found = ids(suggested(app, ask))

    assert found == [("offer", in_beers), ("offer", in_haps)]
    assert ("offer", other_kind) not in found


def test_a_remote_ask_ignores_the_village(app, make_user, asker, beers, haps):
    ask = add_listing(app, asker, village_id=beers, remote_ok=True)
    in_beers = add_listing(
        app, make_user(), kind=Kind.OFFER, village_id=beers, created_at=utcnow() - DAY
    )
    in_haps = add_listing(app, make_user(), kind=Kind.OFFER, village_id=haps)

    assert ids(suggested(app, ask)) == [("offer", in_haps), ("offer", in_beers)]


def test_an_offer_by_phone_or_online_comes_between_near_and_far(app, make_user, asker, beers, haps):
    ask = add_listing(app, asker, village_id=beers)
    far = add_listing(app, make_user(), kind=Kind.OFFER, village_id=haps)
    by_phone = add_listing(
        app,
        make_user(),
        kind=Kind.OFFER,
        village_id=haps,
        remote_ok=True,
        created_at=utcnow() - DAY,
    )
    near = add_listing(
        app,
        make_user(),
        kind=Kind.OFFER,
        village_id=beers,
        created_at=utcnow() - 2 * DAY,
    )

    assert ids(suggested(app, ask)) == [("offer", near), ("offer", by_phone), ("offer", far)]


def test_skills_that_match_the_ask_move_a_helper_up(app, asker, make_helper, beers):
    digital = category_id(app, key="digital_help")
    good_with_computers = make_helper(
        categories=("digital_help",), skills="Ik kan goed met computers"
    )
    newer = make_helper(categories=("digital_help",), skills="Ik ben goed en geduldig")
    ask = add_listing(
        app,
        asker,
        category_id=digital,
        village_id=beers,
        title="Hulp met mijn computer",
        description="Ik wil graag goed leren videobellen.",
    )

    assert ids(suggested(app, ask)) == [
        ("helper", membership_id(app, good_with_computers)),
        ("helper", membership_id(app, newer)),
    ]


def test_helpers_come_from_their_village_and_category_only_when_listed(
    app, asker, make_helper, beers
):
    near = make_helper("Beers")
    far = make_helper("Haps")
    make_helper("Beers", categories=("garden",))
    make_helper("Beers", offers_help=False)
    make_helper("Grave", slug="grave")
    ask = add_listing(app, asker, village_id=beers)

    assert ids(suggested(app, ask)) == [
        ("helper", membership_id(app, near)),
        ("helper", membership_id(app, far)),
    ]


def test_closed_matched_expired_own_and_blocked_are_left_out(
    app, make_user, asker, make_helper, beers
):
    ask = add_listing(app, asker, village_id=beers)
    open_offer = add_listing(app, make_user(), kind=Kind.OFFER)
    add_listing(app, make_user(), kind=Kind.OFFER, status=Status.CLOSED)
    add_listing(app, make_user(), kind=Kind.OFFER, status=Status.MATCHED)
    add_listing(app, make_user(), kind=Kind.OFFER, expires_at=utcnow() - DAY)
    add_listing(app, asker, kind=Kind.OFFER)
    blocked_by_asker = make_user()
    add_listing(app, blocked_by_asker, kind=Kind.OFFER)
    blocked_the_asker = make_helper()
    make_helper(slug="grave", village="Grave")
    add_listing(app, make_user("grave"), "grave", kind=Kind.OFFER)
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        db.session.add(Block(blocker_id=asker.id, blocked_id=blocked_by_asker.id))
        db.session.add(Block(blocker_id=blocked_the_asker.id, blocked_id=asker.id))
        db.session.commit()

    assert ids(suggested(app, ask)) == [("offer", open_offer)]


def test_the_author_is_never_suggested_as_a_helper(app, make_helper, beers):
    helper = make_helper()
    ask = add_listing(app, helper, village_id=beers)

    assert suggested(app, ask) == []


def test_someone_with_an_offer_is_suggested_once_by_that_offer(app, asker, make_helper, beers):
    helper = make_helper()
    offer = add_listing(app, helper, kind=Kind.OFFER, village_id=beers)
    ask = add_listing(app, asker, village_id=beers)

    assert ids(suggested(app, ask)) == [("offer", offer)]


def test_an_offer_gets_open_asks_in_its_category(app, make_user, asker, beers, haps):
    offer = add_listing(app, asker, kind=Kind.OFFER, village_id=haps)
    near = add_listing(app, make_user(), village_id=haps, created_at=utcnow() - 3 * DAY)
    far = add_listing(app, make_user(), village_id=beers)
    add_listing(app, make_user(), village_id=haps, expires_at=utcnow() - DAY)
    add_listing(app, make_user(), category_id=category_id(app, key="garden"), village_id=haps)
    add_listing(app, make_user(), kind=Kind.OFFER, village_id=haps)

    assert ids(suggested(app, offer)) == [("ask", near), ("ask", far)]


def test_at_most_five_and_ties_are_broken_by_id(app, make_user, asker):
    ask = add_listing(app, asker)
    same_moment = utcnow() - 10 * DAY
    offers = [
        add_listing(app, make_user(), kind=Kind.OFFER, created_at=same_moment) for _ in range(7)
    ]

    assert ids(suggested(app, ask)) == [("offer", offer) for offer in offers[:5]]


def test_skill_words_match_longer_forms_and_skip_empty_words():
    ask = ["computer", "tuinieren"]
    assert skill_words_in("Ik kan goed met computers en de tuin", ask) == ["computers", "tuin"]
    assert skill_words_in("Ik help graag, heel goed", ["graag", "goed", "helpen"]) == []


def test_suggestions_take_the_same_number_of_queries_for_6_or_50_candidates(
    app, asker, shopping, beers
):
    ask = add_listing(app, asker, village_id=beers)

    villages = list(village_ids(app).values())

    def add_candidates(count: int) -> None:
        with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
            people = [
                User(email=f"kandidaat{n}.{count}@example.nl", first_name="Kees", password_hash="-")
                for n in range(count)
            ]
            db.session.add_all(people)
            db.session.flush()
            members = [
                Membership(
                    user_id=person.id,
                    village_id=villages[n % len(villages)],
                    offers_help=True,
                    skills="boodschappen doen",
                )
                for n, person in enumerate(people)
            ]
            db.session.add_all(members)
            db.session.flush()
            db.session.add_all(
                HelperCategory(membership_id=m.id, category_id=shopping) for m in members
            )
            db.session.add_all(
                new_listing(
                    person.id,
                    shopping,
                    kind=Kind.OFFER,
                    village_id=villages[n % len(villages)],
                    remote_ok=n % 3 == 0,
                )
                for n, person in enumerate(people[: count // 2])
            )
            db.session.add(Block(blocker_id=asker.id, blocked_id=people[-1].id))
            db.session.commit()

    def count_queries() -> int:
        with counting_queries(app) as statements:
            assert len(suggested(app, ask)) == 5
        return len(statements)

    add_candidates(6)
    with_few = count_queries()
    add_candidates(44)
    assert count_queries() == with_few


# On the listing's page


def test_the_reasons_are_shown_in_plain_words(app, client_for, asker, make_helper, beers, haps):
    digital = category_id(app, key="digital_help")
    helper = make_helper(
        categories=("digital_help",), skills="Ik kan goed met computers", first_name="Henk"
    )
    ask = add_listing(
        app, asker, category_id=digital, village_id=beers, title="Hulp met mijn computer"
    )
    offer = add_listing(
        app,
        make_helper("Haps", ("digital_help",)),
        category_id=digital,
        kind=Kind.OFFER,
        village_id=haps,
        remote_ok=True,
        title="Ik help met tablets",
    )

    text = page(in_english(signed_in(client_for, asker)).get(f"/vraag-en-aanbod/{ask}"))

    assert "Who could help?" in text
    assert "Nobody hears about them" in text
    assert f'href="/vraag-en-aanbod/{offer}"' in text
    assert "Offers help: Digital help" in text
    assert "Can also help by phone or online" in text
    assert "New this week" in text
    assert "Henk, Beers" in text
    assert "Helps with: Digital help" in text
    assert "Also lives in Beers" in text
    assert "Good at: computers" in text
    assert f'href="/hulp-vragen-aan/{membership_id(app, helper)}"' in text
    assert "Send Henk a message" in text


def test_an_offer_shows_the_asks_it_could_answer(
    app, client_for, make_user, asker, beers, shopping
):
    offer = add_listing(app, asker, kind=Kind.OFFER, village_id=beers)
    ask = add_listing(app, make_user(), village_id=beers, title="Boodschappen op vrijdag")

    text = page(in_english(signed_in(client_for, asker)).get(f"/vraag-en-aanbod/{offer}"))

    assert "Asks your offer could answer" in text
    assert f'href="/vraag-en-aanbod/{ask}"' in text
    assert "Asks for help in Beers: Shopping" in text


def test_without_suggestions_the_panel_says_so(app, client_for, asker):
    ask = add_listing(app, asker)
    offer = add_listing(app, asker, category_id=category_id(app, key="garden"), kind=Kind.OFFER)
    client = in_english(signed_in(client_for, asker))

    assert "We do not know anyone yet who could help" in page(client.get(f"/vraag-en-aanbod/{ask}"))
    assert "There are no open asks for this kind of help" in page(
        client.get(f"/vraag-en-aanbod/{offer}")
    )


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("author", True),
        (Role.CONNECTOR, True),
        (Role.COORDINATOR, True),
        (Role.RESIDENT, False),
        (Role.ORGANISATION, False),
        ("anonymous", False),
    ],
)
def test_only_the_author_and_staff_see_suggestions(app, client_for, make_user, asker, viewer, sees):
    ask = add_listing(app, asker)
    client = client_for("cuijk")
    if viewer == "author":
        client = signed_in(client_for, asker)
    elif viewer != "anonymous":
        client = signed_in(client_for, make_user("cuijk", viewer))

    text = page(in_english(client).get(f"/vraag-en-aanbod/{ask}"))

    assert ('id="suggestions-title"' in text) is sees


def test_suggestions_are_gone_once_the_listing_is_closed_or_expired(app, client_for, asker):
    closed = add_listing(app, asker, status=Status.CLOSED)
    expired = add_listing(app, asker, expires_at=utcnow() - DAY)
    client = signed_in(client_for, asker)

    for listing in (closed, expired):
        assert 'id="suggestions-title"' not in page(client.get(f"/vraag-en-aanbod/{listing}"))


# Who helps?


def test_who_helps_shows_first_name_village_and_skills_but_no_email(app, client_for, make_helper):
    helper = make_helper(
        "Beers", skills="Ik heb een auto", first_name="Henk", email="henk.jansen@example.nl"
    )
    make_helper(first_name="Stille", offers_help=False)
    make_helper("Grave", slug="grave", first_name="Gerrit")

    response = in_english(client_for("cuijk")).get("/wie-helpt")
    text = page(response)

    assert response.status_code == 200
    assert "Henk, Beers" in text
    assert "Ik heb een auto" in text
    assert f'href="/hulp-vragen-aan/{membership_id(app, helper)}"' in text
    assert "henk.jansen" not in text
    assert "Jansen" not in text
    assert "Stille" not in text
    assert "Gerrit" not in text


def test_who_helps_groups_per_category_and_filters(app, client_for, make_helper):
    make_helper(categories=("shopping", "garden"), first_name="Henk")
    make_helper(categories=("garden",), first_name="Greet")
    client = in_english(client_for("cuijk"))

    everyone = page(client.get("/wie-helpt"))
    garden = page(client.get(f"/wie-helpt?category={category_id(app, key='garden')}"))
    transport = page(client.get(f"/wie-helpt?category={category_id(app, key='transport')}"))

    assert everyone.index("Shopping</h2>") < everyone.index("Garden</h2>")
    assert everyone.count("Henk, Beers") == 2
    assert "Shopping</h2>" not in garden and "Greet, Beers" in garden and "Henk, Beers" in garden
    assert "Nobody is listed for this kind of help yet." in transport
    assert client.get("/wie-helpt?category=abc").status_code == 200


def test_who_helps_says_what_to_do_when_nobody_is_listed(client_for):
    text = page(in_english(client_for("cuijk")).get("/wie-helpt"))

    assert "Nobody is listed yet." in text
    assert 'href="/profiel/hulp"' in text


def test_who_helps_is_in_the_main_menu(client_for):
    text = page(in_english(client_for("cuijk")).get("/wie-helpt"))

    assert '<a href="/wie-helpt" aria-current="page">Who helps?</a>' in text


# Mijn hulp


def checked_boxes(html: str) -> set[str]:
    """The ticked checkboxes of a page: their name, and for a list of them name:value."""
    boxes = re.findall(r"<input[^>]*type=\"checkbox\"[^>]*>", html)
    return {
        name if value == "y" else f"{name}:{value}"
        for box in boxes
        if " checked" in box
        for name, value in [re.search(r'name="([^"]+)"[^>]*value="([^"]*)"', box).groups()]
    }


def helper_settings(app: Flask, user: User) -> tuple[Membership, set[int]]:
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        member = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
        chosen = set(
            db.session.scalars(
                sa.select(HelperCategory.category_id).where(
                    HelperCategory.membership_id == member.id
                )
            )
        )
        db.session.expunge(member)
        return member, chosen


def test_the_profile_links_to_my_help(client_for, asker):
    assert 'href="/profiel/hulp"' in page(signed_in(client_for, asker).get("/profiel"))


def test_my_help_saves_the_settings(app, client_for, asker, shopping):
    garden = category_id(app, key="garden")
    client = signed_in(client_for, asker)
    assert client.get("/profiel/hulp").status_code == 200

    response = client.post(
        "/profiel/hulp",
        data={
            "offers_help": "y",
            "categories": [shopping, garden],
            "skills": "  Ik kan goed met computers  ",
            "notify_new_asks": "y",
        },
    )

    assert response.status_code == 302
    member, chosen = helper_settings(app, asker)
    assert (member.offers_help, wants_new_asks(app, member)) == (True, True)
    assert member.skills == "Ik kan goed met computers"
    assert chosen == {shopping, garden}
    assert checked_boxes(page(client.get("/profiel/hulp"))) == {
        "offers_help",
        "notify_new_asks",
        f"categories:{shopping}",
        f"categories:{garden}",
    }

    client.post("/profiel/hulp", data={"categories": [garden], "skills": ""})

    member, chosen = helper_settings(app, asker)
    assert (member.offers_help, wants_new_asks(app, member), member.skills) == (False, False, "")
    assert chosen == {garden}


def test_my_help_shows_errors_and_keeps_what_was_typed(app, client_for, asker):
    client = in_english(signed_in(client_for, asker))
    typed = "Ik kan fietsen " * 25

    response = client.post("/profiel/hulp", data={"offers_help": "y", "skills": typed})
    text = page(response)

    assert response.status_code == 200
    assert "Choose at least one thing you can help with." in text
    assert "This can be at most 300 characters long." in text
    assert typed.strip() in text
    assert checked_boxes(text) == {"offers_help"}
    member, chosen = helper_settings(app, asker)
    assert (member.offers_help, member.skills, chosen) == (False, "", set())


def test_my_help_is_for_members(client_for, make_user):
    assert "/inloggen" in client_for("cuijk").get("/profiel/hulp").location
    from_grave = signed_in(client_for, make_user("grave"))
    assert "/lid-worden" in from_grave.get("/profiel/hulp").location


# The email about a new ask


def post_ask(client, **fields: object):
    data = {
        "kind": "ask",
        "title": "Wie doet mijn boodschappen?",
        "description": "Eens per week, ik geef een lijstje mee.",
        "timing": "flexible",
        **fields,
    }
    return client.post("/vraag-en-aanbod/nieuw", data=data)


@pytest.fixture
def notified(make_helper) -> dict[str, User]:
    """Helpers in Cuijk who do and do not want an email about new shopping asks."""
    return {
        "beers": make_helper("Beers", notify_new_asks=True, locale="en"),
        "haps": make_helper("Haps", notify_new_asks=True, locale="en"),
        "not_listed": make_helper("Beers", notify_new_asks=True, offers_help=False, locale="en"),
        "off": make_helper("Beers", notify_new_asks=False),
        "garden": make_helper("Beers", ("garden",), notify_new_asks=True),
        "grave": make_helper("Grave", slug="grave", notify_new_asks=True),
    }


def recipients(outbox) -> set[str]:
    return {message.recipient for message in outbox()}


def test_a_new_ask_emails_helpers_in_its_village_and_category(
    app, client_for, outbox, make_helper, notified, beers, shopping
):
    author = make_helper("Beers", notify_new_asks=True, first_name="Truus")
    client = signed_in(client_for, author)

    response = post_ask(client, category=shopping, village=beers)

    assert response.status_code == 302
    listing_id = int(response.location.rsplit("/", 1)[1])
    assert recipients(outbox) == {notified["beers"].email, notified["not_listed"].email}
    message = next(m for m in outbox() if m.recipient == notified["beers"].email)
    assert message.subject.endswith("Wie doet mijn boodschappen?")
    assert "A neighbour in Beers asks for help (Shopping):" in message.text
    assert f"http://cuijk.buurt.test/vraag-en-aanbod/{listing_id}" in message.links
    assert "http://cuijk.buurt.test/profiel/hulp" in message.links
    assert author.email not in message.text and "Truus" not in message.text


@pytest.mark.parametrize("by_phone", [True, False])
def test_an_ask_by_phone_or_without_village_emails_the_whole_municipality(
    app, client_for, outbox, asker, notified, beers, shopping, by_phone
):
    where = {"remote_ok": "y", "village": beers} if by_phone else {"village": 0}

    post_ask(signed_in(client_for, asker), category=shopping, **where)

    assert recipients(outbox) == {
        notified["beers"].email,
        notified["haps"].email,
        notified["not_listed"].email,
    }


def test_a_new_offer_emails_nobody(app, client_for, outbox, asker, notified, beers, shopping):
    client = signed_in(client_for, asker)

    response = post_ask(client, kind="offer", category=shopping, village=beers)

    assert response.status_code == 302
    offer = listing_row(app, int(response.location.rsplit("/", 1)[1]))
    assert (offer.kind, offer.category_id, offer.village_id) == (Kind.OFFER, shopping, beers)
    assert outbox() == []
    # The same as an ask does email the helpers: it is the kind that makes the difference.
    post_ask(client, category=shopping, village=beers)
    assert recipients(outbox) == {notified["beers"].email, notified["not_listed"].email}


def test_an_ask_on_someones_behalf_emails_helpers_too(
    client_for, outbox, make_user, notified, beers, shopping
):
    coordinator = make_user("cuijk", Role.COORDINATOR)
    client = signed_in(client_for, coordinator)

    response = client.post(
        "/coordinatie/namens-iemand",
        data={
            "person_name": "Mevrouw de Vries",
            "person_phone": "06 1234 5678",
            "consent": "y",
            "consent_note": "Telefonisch, 3 maart",
            "kind": "ask",
            "category": shopping,
            "title": "Boodschappen voor mevrouw",
            "description": "Eens per week.",
            "village": beers,
            "timing": "flexible",
        },
    )

    assert response.status_code == 302
    assert recipients(outbox) == {notified["beers"].email, notified["not_listed"].email}
    for message in outbox():
        assert "Vries" not in message.text and "1234 5678" not in message.text
