"""How often people hear from us: at once, daily, weekly or never; one-click unsubscribe."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from buurtplatform.accounts.models import Membership
from buurtplatform.extensions import db
from buurtplatform.notifications.models import Frequency, PendingNotification, Topic
from buurtplatform.notifications.services import frequency_for, set_frequency
from jobs.cli import jobs_cli
from tenants.scoping import tenant_context
from tests.helpers import sign_in, tenant_by_slug
from tests.listing_helpers import add_listing

# Tuesday 1 December 2026, 10:00 in Amsterdam.
TUESDAY_1000 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def membership_id(app, user, slug="cuijk"):
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        return db.session.scalar(sa.select(Membership.id).where(Membership.user_id == user.id))


def choose(app, user, topic, frequency):
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        set_frequency(membership_id(app, user), topic, frequency)
        db.session.commit()


def reply(client_for, replier, listing_id, text="Ik help graag!"):
    client = client_for("cuijk")
    sign_in(client, replier)
    response = client.post(f"/vraag-en-aanbod/{listing_id}/reageren", data={"body": text})
    assert response.status_code == 302


def sweep(app, moment):
    with time_machine.travel(moment, tick=False):
        result = app.test_cli_runner().invoke(jobs_cli, ["sweep", "--municipality", "cuijk"])
    assert result.exit_code == 0, result.output


def test_preferences_page_shows_defaults_and_saves(app, client_for, make_user):
    annie = make_user("cuijk")
    client = client_for("cuijk")
    sign_in(client, annie)
    page = client.get("/meldingen").get_data(True)
    assert checked(page) == {
        ("messages", "immediately"),
        ("message_text", "y"),
        ("new_asks", "never"),
    }
    response = client.post("/meldingen", data={"messages": "daily", "new_asks": "weekly"})
    assert response.headers["Location"] == "/meldingen"
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        member_id = membership_id(app, annie)
        assert frequency_for(member_id, Topic.MESSAGES) == Frequency.DAILY
        assert frequency_for(member_id, Topic.NEW_ASKS) == Frequency.WEEKLY
    assert checked(client.get("/meldingen").get_data(True)) == {
        ("messages", "daily"),
        ("new_asks", "weekly"),
    }
    refused = client.post("/meldingen", data={"messages": "hourly", "new_asks": "weekly"})
    assert refused.status_code == 200
    assert 'class="error-summary"' in refused.get_data(True)
    assert frequency_for_user(app, annie, Topic.MESSAGES) == Frequency.DAILY


def test_messages_at_once_by_default_with_one_click_unsubscribe(app, client_for, make_user, outbox):
    annie = make_user("cuijk", email="annie@example.nl")
    joop = make_user("cuijk", first_name="Joop")
    listing_id = add_listing(app, annie)
    reply(client_for, joop, listing_id)
    [email] = [m for m in outbox() if m.recipient == "annie@example.nl"]
    unsubscribe = email.headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("http://cuijk.buurt.test/afmelden/")
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in email.text and unsubscribe in email.html  # also a link in the body
    assert email.html.startswith("<!doctype html>")  # multipart: plain text and HTML


def test_one_click_unsubscribe_works_without_signing_in_or_a_form(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    annie = make_user("cuijk", email="annie@example.nl")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        from buurtplatform.notifications.services import unsubscribe_url

        url = unsubscribe_url(membership_id(app, annie), Topic.MESSAGES)
    path = url.removeprefix("http://cuijk.buurt.test")
    visitor = app.test_client()
    host = {"base_url": "http://cuijk.buurt.test"}
    # Opening the link (as mail scanners do) changes nothing: it asks to confirm.
    assert visitor.get(path, **host).status_code == 200
    assert frequency_for_user(app, annie, Topic.MESSAGES) == Frequency.IMMEDIATELY
    # RFC 8058: the mail program posts "List-Unsubscribe=One-Click", without a CSRF token.
    done = visitor.post(path, data={"List-Unsubscribe": "One-Click"}, **host)
    assert done.status_code == 200
    assert frequency_for_user(app, annie, Topic.MESSAGES) == Frequency.NEVER
    assert visitor.post("/afmelden/vervalst", **host).status_code == 404


def frequency_for_user(app, user, topic):
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        return frequency_for(membership_id(app, user), topic)


def test_never_means_no_email(app, client_for, make_user, outbox):
    annie = make_user("cuijk", email="annie@example.nl")
    joop = make_user("cuijk", first_name="Joop")
    choose(app, annie, Topic.MESSAGES, Frequency.NEVER)
    reply(client_for, joop, add_listing(app, annie))
    assert [m for m in outbox() if m.recipient == "annie@example.nl"] == []


def test_daily_round_up_at_0800_with_what_came_before(app, client_for, make_user, outbox):
    annie = make_user("cuijk", email="annie@example.nl")
    joop = make_user("cuijk", first_name="Joop")
    kees = make_user("cuijk", first_name="Kees")
    choose(app, annie, Topic.MESSAGES, Frequency.DAILY)
    first = add_listing(app, annie, title="Boodschappen")
    second = add_listing(app, annie, title="Vervoer")
    with time_machine.travel(TUESDAY_1000, tick=False):
        reply(client_for, joop, first)
    assert [m for m in outbox() if m.recipient == "annie@example.nl"] == []  # not at once

    wednesday_0800 = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
    sweep(app, wednesday_0800 - timedelta(minutes=1))
    assert [m for m in outbox() if m.recipient == "annie@example.nl"] == []
    with time_machine.travel(wednesday_0800 + timedelta(hours=2), tick=False):
        reply(client_for, kees, second)  # after 08:00: waits for Thursday
    sweep(app, wednesday_0800 + timedelta(hours=3))
    sweep(app, wednesday_0800 + timedelta(hours=4))
    [round_up] = [m for m in outbox() if m.recipient == "annie@example.nl"]
    assert "Joop" in round_up.text and "Kees" not in round_up.text
    assert any(link.startswith("http://cuijk.buurt.test/gesprekken/") for link in round_up.links)
    assert round_up.headers["List-Unsubscribe"].startswith("<http://cuijk.buurt.test/afmelden/")

    sweep(app, wednesday_0800 + timedelta(days=1))
    newest = [m for m in outbox() if m.recipient == "annie@example.nl"]
    assert len(newest) == 2 and "Kees" in newest[0].text and "Joop" not in newest[0].text
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert (
            db.session.scalar(
                sa.select(sa.func.count(PendingNotification.id)).where(
                    PendingNotification.email_id.is_(None)
                )
            )
            == 0
        )


@pytest.mark.parametrize("frequency", [Frequency.WEEKLY])
def test_weekly_round_up_on_monday_0800(app, client_for, make_user, outbox, frequency):
    annie = make_user("cuijk", email="annie@example.nl")
    joop = make_user("cuijk", first_name="Joop")
    choose(app, annie, Topic.MESSAGES, frequency)
    with time_machine.travel(TUESDAY_1000, tick=False):
        reply(client_for, joop, add_listing(app, annie))
    sweep(app, datetime(2026, 12, 6, 12, 0, tzinfo=UTC))  # Sunday: not yet
    assert [m for m in outbox() if m.recipient == "annie@example.nl"] == []
    sweep(app, datetime(2026, 12, 7, 7, 0, tzinfo=UTC))  # Monday 08:00 Amsterdam
    assert len([m for m in outbox() if m.recipient == "annie@example.nl"]) == 1


def checked(page: str) -> set[tuple[str, str]]:
    """The (name, value) of every checked radio button or checkbox on a page."""
    inputs = re.findall(r"<input [^>]*>", page)
    return {
        (re.search(r'name="([^"]+)"', i).group(1), re.search(r'value="([^"]+)"', i).group(1))
        for i in inputs
        if re.search(r"\schecked[\s>]", i)
    }


def test_an_item_that_arrives_after_its_round_up_goes_in_the_next(
    app, client_for, make_user, outbox
):
    annie = make_user("cuijk", email="annie@example.nl")
    joop = make_user("cuijk", first_name="Joop")
    choose(app, annie, Topic.MESSAGES, Frequency.DAILY)
    with time_machine.travel(TUESDAY_1000, tick=False):
        reply(client_for, joop, add_listing(app, annie))
    wednesday_0800 = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
    sweep(app, wednesday_0800 + timedelta(minutes=5))
    [first] = [m for m in outbox() if m.recipient == "annie@example.nl"]
    assert "Joop" in first.text
    # A message written at 07:59 whose request committed after the round-up was recorded.
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        db.session.add(
            PendingNotification(
                membership_id=membership_id(app, annie),
                topic=Topic.MESSAGES,
                title="Laat bericht van Kees",
                link="http://cuijk.buurt.test/gesprekken/",
                created_at=wednesday_0800 - timedelta(minutes=1),
            )
        )
        db.session.commit()
    sweep(app, wednesday_0800 + timedelta(minutes=10))
    assert len([m for m in outbox() if m.recipient == "annie@example.nl"]) == 1
    sweep(app, wednesday_0800 + timedelta(days=1))
    newest = [m for m in outbox() if m.recipient == "annie@example.nl"]
    assert len(newest) == 2 and "Laat bericht van Kees" in newest[0].text


# The message itself in the email


def test_a_message_email_carries_the_message_and_a_link_to_answer(
    app, client_for, make_user, outbox
):
    annie = make_user("cuijk", email="annie@example.nl")
    joop = make_user("cuijk", first_name="Joop")
    listing_id = add_listing(app, annie)
    reply(client_for, joop, listing_id, "Ik kan dinsdag.\n<b>Groet</b> & tot dan")
    [email] = [m for m in outbox() if m.recipient == "annie@example.nl"]
    assert "Ik kan dinsdag.\n<b>Groet</b> & tot dan" in email.text
    assert "&lt;b&gt;Groet&lt;/b&gt; &amp; tot dan" in email.html
    assert "<b>Groet</b>" not in email.html
    answer = re.search(r"(http://cuijk\.buurt\.test/gesprekken/\d+#nieuw)", email.text).group(1)
    assert f'href="{answer}"' in email.html
    assert "Schrijf een antwoord" in email.html


def test_the_message_text_can_be_left_out_of_emails(app, client_for, make_user, outbox):
    annie = make_user("cuijk", email="annie@example.nl")
    client = client_for("cuijk")
    sign_in(client, annie)
    assert ("message_text", "y") in checked(client.get("/meldingen").get_data(True))
    client.post("/meldingen", data={"messages": "immediately", "new_asks": "never"})
    assert ("message_text", "y") not in checked(client.get("/meldingen").get_data(True))

    listing_id = add_listing(app, annie)
    reply(client_for, make_user("cuijk", first_name="Joop"), listing_id, "Geheim bericht")
    [email] = [m for m in outbox() if m.recipient == "annie@example.nl"]
    assert "Joop heeft je een bericht gestuurd" in email.text
    assert "Geheim bericht" not in email.text
    assert "Geheim bericht" not in email.html
    assert "/gesprekken/" in email.text


def test_a_round_up_lists_titles_without_the_messages(app, client_for, make_user, outbox):
    annie = make_user("cuijk", email="annie@example.nl")
    choose(app, annie, Topic.MESSAGES, Frequency.DAILY)
    listing_id = add_listing(app, annie)
    with time_machine.travel(TUESDAY_1000, tick=False):
        reply(client_for, make_user("cuijk", first_name="Joop"), listing_id, "Geheim bericht")
    sweep(app, TUESDAY_1000 + timedelta(days=1))
    [email] = [m for m in outbox() if m.recipient == "annie@example.nl"]
    assert "Joop" in email.text
    assert "Geheim bericht" not in email.text
