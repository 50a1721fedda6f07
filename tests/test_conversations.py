"""Replies and private conversations: who can read them, emails, unread counts, blocks,
reports, and direct messages to helpers."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from buurtplatform.accounts.models import Membership, Role
from buurtplatform.conversations.models import Block, Conversation, Message, Report
from buurtplatform.extensions import db
from buurtplatform.listings.models import Kind
from tenants.scoping import tenant_context
from tests.helpers import tenant_by_slug
from tests.listing_helpers import (
    add_listing,
    close_in_db,
    expire,
    in_english,
    listing_row,
    page,
    signed_in,
)

REPLY = "Ik kan dinsdag om tien uur, bel me op 06 12345678."


def rows(app, model, slug: str = "cuijk") -> list:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        found = db.session.scalars(sa.select(model).order_by(model.id)).all()
        for row in found:
            db.session.expunge(row)
        return found


def thread_id(response) -> int:
    assert response.status_code == 302
    found = re.fullmatch(r"/gesprekken/(\d+)(#nieuw)?", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


def unread_badges(html_text: str) -> list[str]:
    """The unread counts next to the conversations in a list."""
    return re.findall(r'<span class="unread">([^<]*)</span>', html_text)


@pytest.fixture
def annie(make_user):
    return make_user(email="annie@example.nl", first_name="Annie")


@pytest.fixture
def bob(make_user):
    return make_user(email="bob.de.helper@example.nl", first_name="Bob")


@pytest.fixture
def ask(app, annie) -> int:
    return add_listing(app, annie, title="Boodschappen op dinsdag")


@pytest.fixture
def replied(app, client_for, annie, bob, ask):
    """Bob replied to Annie's ask: (annie's client, bob's client, conversation id)."""
    bob_client = signed_in(client_for, bob)
    conversation_id = thread_id(
        bob_client.post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": REPLY})
    )
    return signed_in(client_for, annie), bob_client, conversation_id


def test_a_reply_opens_a_conversation_between_two_people(app, client_for, annie, bob, ask):
    bob_client = signed_in(client_for, bob)
    assert bob_client.get(f"/vraag-en-aanbod/{ask}/reageren").status_code == 200
    # The listing page has the reply form too.
    detail = page(bob_client.get(f"/vraag-en-aanbod/{ask}"))
    assert f'action="/vraag-en-aanbod/{ask}/reageren"' in detail
    assert listing_row(app, ask).first_reply_at is None

    conversation_id = thread_id(
        bob_client.post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": REPLY})
    )
    [conversation] = rows(app, Conversation)
    assert conversation.id == conversation_id
    assert (conversation.listing_id, conversation.author_id, conversation.replier_id) == (
        ask,
        annie.id,
        bob.id,
    )
    [message] = rows(app, Message)
    assert (message.sender_id, message.body) == (bob.id, REPLY)
    assert listing_row(app, ask).first_reply_at is not None

    annie_client = signed_in(client_for, annie)
    for client in (annie_client, bob_client):
        thread = client.get(f"/gesprekken/{conversation_id}")
        assert thread.status_code == 200
        assert REPLY in page(thread)
        assert "Boodschappen op dinsdag" in page(thread)
    # Annie sees who replied on her listing's page, and finds the conversation.
    assert f'href="/gesprekken/{conversation_id}"' in page(
        annie_client.get(f"/vraag-en-aanbod/{ask}")
    )
    assert f'href="/gesprekken/{conversation_id}"' in page(annie_client.get("/gesprekken"))

    # Annie answers in the same conversation.
    response = annie_client.post(f"/gesprekken/{conversation_id}", data={"body": "Graag!"})
    assert thread_id(response) == conversation_id
    assert [m.body for m in rows(app, Message)] == [REPLY, "Graag!"]
    assert "Graag!" in page(bob_client.get(f"/gesprekken/{conversation_id}"))

    # A second reply from Bob continues the same conversation.
    again = bob_client.post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": "Nog iets."})
    assert thread_id(again) == conversation_id
    assert len(rows(app, Conversation)) == 1


def test_my_replies_lists_what_i_replied_to(app, replied, ask):
    annie_client, bob_client, conversation_id = replied
    assert f'href="/gesprekken/{conversation_id}"' in page(bob_client.get("/mijn/reacties"))
    # Annie did not reply: it is her own ask.
    assert f'href="/gesprekken/{conversation_id}"' not in page(annie_client.get("/mijn/reacties"))


def assert_thread_and_unsubscribe_links(email, conversation_id: int) -> None:
    """The email links to the answer form of the conversation on the right host, and to a
    one-click unsubscribe."""
    thread, unsubscribe = email.links
    assert thread == f"http://cuijk.buurt.test/gesprekken/{conversation_id}#nieuw"
    assert unsubscribe.startswith("http://cuijk.buurt.test/afmelden/")


def test_the_author_gets_an_email_with_the_message_and_a_link_but_no_email_address(
    app, outbox, replied, annie, bob
):
    annie_client, _, conversation_id = replied
    [email] = outbox()
    assert email.recipient == "annie@example.nl"
    assert_thread_and_unsubscribe_links(email, conversation_id)
    # The message itself, unless Annie turned that off (tests/test_notifications.py).
    assert REPLY in email.text
    assert "bob.de.helper@example.nl" not in email.text
    assert "Bob" in email.text  # who wrote, by first name
    assert "Boodschappen op dinsdag" in email.text

    # Annie's answer goes to Bob, with the same link.
    annie_client.post(f"/gesprekken/{conversation_id}", data={"body": "Mijn adres is Markt 1."})
    newest = outbox()[0]
    assert newest.recipient == "bob.de.helper@example.nl"
    assert_thread_and_unsubscribe_links(newest, conversation_id)
    assert "Mijn adres is Markt 1." in newest.text
    assert "annie@example.nl" not in newest.text


def test_nobody_replies_to_their_own_listing(app, client_for, annie, ask):
    client = signed_in(client_for, annie)
    for response in (
        client.get(f"/vraag-en-aanbod/{ask}/reageren"),
        client.post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": "Hallo ik"}),
    ):
        assert response.status_code == 302
        assert response.headers["Location"] == f"/vraag-en-aanbod/{ask}"
    assert rows(app, Conversation) == []
    assert listing_row(app, ask).first_reply_at is None


def test_an_empty_reply_is_refused(app, client_for, bob, ask):
    client = signed_in(client_for, bob)
    for body in ("", "   ", "x" * 2001):
        response = client.post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": body})
        assert response.status_code == 200
        assert 'aria-invalid="true"' in page(response)
    assert rows(app, Conversation) == []


def test_no_replies_to_a_closed_or_expired_listing(app, client_for, annie, bob):
    closed = add_listing(app, annie)
    close_in_db(app, closed)
    expired = add_listing(app, annie)
    expire(app, expired)
    client = signed_in(client_for, bob)
    for listing_id in (closed, expired):
        response = client.post(f"/vraag-en-aanbod/{listing_id}/reageren", data={"body": REPLY})
        assert response.status_code == 302
        assert response.headers["Location"] == f"/vraag-en-aanbod/{listing_id}"
        assert 'action="/vraag-en-aanbod/' not in page(client.get(f"/vraag-en-aanbod/{listing_id}"))
    assert rows(app, Conversation) == []


def test_a_visitor_or_anonymous_cannot_reply(app, client_for, make_user, ask):
    visitor = signed_in(client_for, make_user("grave"))
    response = visitor.post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": REPLY})
    assert response.headers["Location"] == "/lid-worden"
    response = client_for("cuijk").post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": REPLY})
    assert response.headers["Location"].startswith("/inloggen")
    assert rows(app, Conversation) == []


def test_unread_messages_are_counted_until_the_thread_is_opened(app, replied):
    annie_client, bob_client, conversation_id = replied
    assert unread_badges(page(annie_client.get("/gesprekken"))) == ["(1 nieuw)"]
    # Bob wrote it himself: nothing unread for him.
    assert unread_badges(page(bob_client.get("/gesprekken"))) == []
    # Still unread after looking at the list; the menu counts it too.
    listing_page = page(annie_client.get("/gesprekken"))
    assert '<span class="count">(1 nieuw)</span>' in listing_page

    annie_client.get(f"/gesprekken/{conversation_id}")
    after = page(annie_client.get("/gesprekken"))
    assert unread_badges(after) == []
    assert '<span class="count">' not in after

    # Two answers from Annie: two unread for Bob.
    annie_client.post(f"/gesprekken/{conversation_id}", data={"body": "Fijn!"})
    annie_client.post(f"/gesprekken/{conversation_id}", data={"body": "Tot dinsdag."})
    assert unread_badges(page(bob_client.get("/gesprekken"))) == ["(2 nieuw)"]
    assert unread_badges(page(bob_client.get("/mijn/reacties"))) == ["(2 nieuw)"]
    assert unread_badges(page(annie_client.get("/gesprekken"))) == []


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.CONNECTOR, Role.COORDINATOR])
def test_nobody_else_reads_or_writes_in_a_conversation(app, client_for, make_user, replied, role):
    _, _, conversation_id = replied
    outsider = signed_in(client_for, make_user(role=role))
    assert outsider.get(f"/gesprekken/{conversation_id}").status_code == 404
    response = outsider.post(f"/gesprekken/{conversation_id}", data={"body": "Ik lees mee"})
    assert response.status_code == 404
    assert outsider.post(f"/gesprekken/{conversation_id}/blokkeren").status_code == 404
    assert f"/gesprekken/{conversation_id}" not in page(outsider.get("/gesprekken"))
    assert len(rows(app, Message)) == 1
    assert rows(app, Block) == []
    # Anonymous: sign in first.
    response = client_for("cuijk").get(f"/gesprekken/{conversation_id}")
    assert response.headers["Location"].startswith("/inloggen")


def test_blocking_stops_messages_and_replies(app, client_for, outbox, replied, annie, bob):
    annie_client, bob_client, conversation_id = replied
    emails_before = len(outbox())
    response = annie_client.post(f"/gesprekken/{conversation_id}/blokkeren")
    assert response.headers["Location"] == "/gesprekken"
    [block] = rows(app, Block)
    assert (block.blocker_id, block.blocked_id) == (annie.id, bob.id)
    # Blocking twice keeps one block.
    annie_client.post(f"/gesprekken/{conversation_id}/blokkeren")
    assert len(rows(app, Block)) == 1

    # Bob can still read, but not write.
    thread = bob_client.get(f"/gesprekken/{conversation_id}")
    assert thread.status_code == 200
    assert 'name="body"' not in page(thread)
    response = bob_client.post(f"/gesprekken/{conversation_id}", data={"body": "Hallo?"})
    assert response.status_code == 200
    # Nor can Annie write to Bob any more.
    annie_client.post(f"/gesprekken/{conversation_id}", data={"body": "Toch nog iets"})
    assert [m.body for m in rows(app, Message)] == [REPLY]

    # Bob cannot reply to Annie's other listings either.
    other = add_listing(app, annie, title="Nog een vraag")
    assert 'name="body"' not in page(bob_client.get(f"/vraag-en-aanbod/{other}"))
    response = bob_client.post(f"/vraag-en-aanbod/{other}/reageren", data={"body": REPLY})
    assert response.headers["Location"] == f"/vraag-en-aanbod/{other}"
    assert len(rows(app, Conversation)) == 1
    assert len(outbox()) == emails_before


def test_blocking_asks_first_and_says_what_it_does(app, client_for, replied):
    annie_client, _bob_client, conversation_id = replied
    thread = page(in_english(annie_client).get(f"/gesprekken/{conversation_id}"))
    # The thread links to a page that asks; it does not block with one press.
    assert f'href="/gesprekken/{conversation_id}/blokkeren"' in thread
    assert f'action="/gesprekken/{conversation_id}/blokkeren"' not in thread

    confirm = annie_client.get(f"/gesprekken/{conversation_id}/blokkeren")
    assert confirm.status_code == 200
    text = page(confirm)
    assert "<h1>Block Bob?</h1>" in text
    assert "Bob cannot send you messages or reply to your asks and offers any more." in text
    assert "You can undo it at any time on the page My conversations." in text
    assert f'href="/gesprekken/{conversation_id}"' in text  # "No, go back"
    assert rows(app, Block) == []


def test_a_block_is_undone_from_the_conversations_page(app, client_for, replied, annie, bob):
    annie_client, bob_client, conversation_id = replied
    in_english(annie_client)
    annie_client.post(f"/gesprekken/{conversation_id}/blokkeren")
    [block] = rows(app, Block)
    conversations = page(annie_client.get("/gesprekken"))
    assert "People you blocked" in conversations
    assert f'action="/geblokkeerd/{block.id}/opheffen"' in conversations
    assert "Unblock Bob" in conversations
    thread = page(annie_client.get(f"/gesprekken/{conversation_id}"))
    assert "You blocked Bob. Undo it under My conversations." in thread
    # Bob, who was blocked, cannot lift it; nor sees it listed.
    assert bob_client.post(f"/geblokkeerd/{block.id}/opheffen").status_code == 404
    assert "/opheffen" not in page(bob_client.get("/gesprekken"))
    assert len(rows(app, Block)) == 1

    response = annie_client.post(f"/geblokkeerd/{block.id}/opheffen", follow_redirects=True)
    assert "Bob is no longer blocked." in page(response)
    assert rows(app, Block) == []
    assert "People you blocked" not in page(response)
    # They can write to each other again; a second press finds nothing to lift.
    bob_client.post(f"/gesprekken/{conversation_id}", data={"body": "Weer contact!"})
    assert [m.body for m in rows(app, Message)] == [REPLY, "Weer contact!"]
    assert annie_client.post(f"/geblokkeerd/{block.id}/opheffen").status_code == 404


def test_the_reply_box_of_an_offer_is_written_for_offers(app, client_for, annie, bob, ask):
    offer = add_listing(app, annie, kind=Kind.OFFER, title="Ik help in de tuin")
    bob_client = signed_in(client_for, bob)
    on_offer = page(bob_client.get(f"/vraag-en-aanbod/{offer}"))
    on_ask = page(bob_client.get(f"/vraag-en-aanbod/{ask}"))
    assert "Wil je hier gebruik van maken?" in on_offer
    assert "Kun je helpen" not in on_offer
    assert "Kun je helpen, of wil je meer weten?" in on_ask
    reply_page = page(bob_client.get(f"/vraag-en-aanbod/{offer}/reageren"))
    assert "Vertel Annie waarmee je hulp wilt, en wanneer het jou past." in reply_page


def test_a_block_holds_only_in_its_own_municipality(app, client_for, make_user):
    annie = make_user("cuijk")
    bob = make_user("cuijk")
    with app.app_context(), tenant_context(tenant_by_slug("grave")):
        db.session.add_all([Membership(user_id=annie.id), Membership(user_id=bob.id)])
        db.session.commit()
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        db.session.add(Block(blocker_id=annie.id, blocked_id=bob.id))
        db.session.commit()
    grave_ask = add_listing(app, annie, "grave")
    bob_in_grave = signed_in(client_for, bob, "grave")
    response = bob_in_grave.post(f"/vraag-en-aanbod/{grave_ask}/reageren", data={"body": REPLY})
    thread_id(response)
    assert len(rows(app, Conversation, "grave")) == 1


def test_reporting_a_listing(app, client_for, bob, ask):
    client = signed_in(client_for, bob)
    assert f'href="/vraag-en-aanbod/{ask}/melden"' in page(client.get(f"/vraag-en-aanbod/{ask}"))
    assert client.get(f"/vraag-en-aanbod/{ask}/melden").status_code == 200
    # A report needs a reason.
    assert client.post(f"/vraag-en-aanbod/{ask}/melden", data={"reason": ""}).status_code == 200
    assert rows(app, Report) == []

    response = client.post(
        f"/vraag-en-aanbod/{ask}/melden", data={"reason_code": "spam", "reason": "Dit is reclame."}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/vraag-en-aanbod/{ask}"
    [report] = rows(app, Report)
    assert (report.reporter_id, report.listing_id, report.message_id, report.reason) == (
        bob.id,
        ask,
        None,
        "Dit is reclame.",
    )
    assert report.handled_at is None


def test_reporting_a_message(app, client_for, make_user, replied, annie):
    annie_client, bob_client, conversation_id = replied
    [message] = rows(app, Message)
    thread = page(annie_client.get(f"/gesprekken/{conversation_id}"))
    assert f'href="/berichten/{message.id}/melden"' in thread
    response = annie_client.post(
        f"/berichten/{message.id}/melden",
        data={"reason_code": "unsafe", "reason": "Hij vraagt om geld."},
    )
    assert thread_id(response) == conversation_id
    [report] = rows(app, Report)
    assert (report.reporter_id, report.message_id, report.listing_id) == (
        annie.id,
        message.id,
        None,
    )

    # Nobody reports their own message, and nobody outside the conversation reports one.
    assert bob_client.get(f"/berichten/{message.id}/melden").status_code == 404
    assert (
        bob_client.post(f"/berichten/{message.id}/melden", data={"reason": "x"}).status_code == 404
    )
    for role in (Role.RESIDENT, Role.CONNECTOR):
        outsider = signed_in(client_for, make_user(role=role))
        assert outsider.get(f"/berichten/{message.id}/melden").status_code == 404
        response = outsider.post(f"/berichten/{message.id}/melden", data={"reason": "x"})
        assert response.status_code == 404
    assert len(rows(app, Report)) == 1


@pytest.fixture
def helper_membership(app, make_user):
    """Henk, who offers help in Cuijk: (user, membership id)."""
    henk = make_user(email="henk@example.nl", first_name="Henk")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == henk.id))
        membership.offers_help = True
        db.session.commit()
        return henk, membership.id


def test_a_direct_message_to_a_helper(app, client_for, outbox, bob, helper_membership):
    henk, membership_id = helper_membership
    client = signed_in(client_for, bob)
    assert client.get(f"/hulp-vragen-aan/{membership_id}").status_code == 200
    response = client.post(f"/hulp-vragen-aan/{membership_id}", data={"body": "Kun je helpen?"})
    conversation_id = thread_id(response)
    [conversation] = rows(app, Conversation)
    assert (conversation.listing_id, conversation.author_id, conversation.replier_id) == (
        None,
        henk.id,
        bob.id,
    )
    assert "Kun je helpen?" in page(
        signed_in(client_for, henk).get(f"/gesprekken/{conversation_id}")
    )
    [email] = outbox()
    assert email.recipient == "henk@example.nl"
    assert_thread_and_unsubscribe_links(email, conversation_id)
    assert "Kun je helpen?" in email.text
    # A second message continues the same conversation.
    again = client.post(f"/hulp-vragen-aan/{membership_id}", data={"body": "Nog een vraag"})
    assert thread_id(again) == conversation_id


def test_a_direct_message_only_to_someone_who_offers_help(app, client_for, make_user, bob):
    not_helping = make_user()
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        membership_id = db.session.scalar(
            sa.select(Membership.id).where(Membership.user_id == not_helping.id)
        )
        own_id = db.session.scalar(sa.select(Membership.id).where(Membership.user_id == bob.id))
        db.session.get(Membership, own_id).offers_help = True
        db.session.commit()
    client = signed_in(client_for, bob)
    # Someone who does not offer help, oneself, and a helper of another municipality.
    grave_helper = make_user("grave")
    with app.app_context(), tenant_context(tenant_by_slug("grave")):
        grave_membership = db.session.scalar(
            sa.select(Membership).where(Membership.user_id == grave_helper.id)
        )
        grave_membership.offers_help = True
        db.session.commit()
        grave_id = grave_membership.id
    for target in (membership_id, own_id, grave_id, 999_999):
        assert client.get(f"/hulp-vragen-aan/{target}").status_code == 404, target
        response = client.post(f"/hulp-vragen-aan/{target}", data={"body": "Hallo"})
        assert response.status_code == 404, target
    assert rows(app, Conversation) == []
    assert rows(app, Conversation, "grave") == []


def test_a_blocked_person_cannot_message_a_helper(app, client_for, bob, helper_membership):
    henk, membership_id = helper_membership
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        db.session.add(Block(blocker_id=henk.id, blocked_id=bob.id))
        db.session.commit()
    client = signed_in(client_for, bob)
    response = client.post(f"/hulp-vragen-aan/{membership_id}", data={"body": "Hallo"})
    assert response.status_code == 302
    assert not response.headers["Location"].startswith("/gesprekken")
    assert rows(app, Conversation) == []
