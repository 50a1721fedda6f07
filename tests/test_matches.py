"""Matches: the author chooses who helps, a coordinator records a match made by phone, and both
sides say how it went; an offer helps several people; the follow-up after the agreed day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from buurtplatform.accounts.models import Role
from buurtplatform.conversations.models import Conversation
from buurtplatform.extensions import db
from buurtplatform.listings.models import Kind, Status, Timing
from buurtplatform.matches.models import Match, Outcome
from jobs.reminders import send_follow_ups
from tenants.scoping import tenant_context
from tests.helpers import all_emails, tenant_by_slug
from tests.listing_helpers import add_listing, listing_row, page, set_listing, signed_in


def matches(app, slug: str = "cuijk") -> list[Match]:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        found = db.session.scalars(sa.select(Match).order_by(Match.id)).all()
        for match in found:
            db.session.expunge(match)
        return found


def card_listed(client, listing_id: int) -> bool:
    return f'<a href="/vraag-en-aanbod/{listing_id}">' in page(client.get("/vraag-en-aanbod"))


@pytest.fixture
def people(make_user):
    return {
        "annie": make_user(first_name="Annie"),
        "bob": make_user(first_name="Bob"),
        "carla": make_user(first_name="Carla"),
        "dirk": make_user(first_name="Dirk"),
    }


@pytest.fixture(autouse=True)
def before_the_dates_below():
    """The tests name days in December 2026: everything happens before those, also signing in
    (a session cookie signed on a later day is refused on an earlier one)."""
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)):
        yield


@pytest.fixture
def ask(app, client_for, people) -> int:
    """Annie's ask; Bob and Carla replied, Dirk did not."""
    listing_id = add_listing(app, people["annie"], title="Hulp bij de boodschappen")
    for name in ("bob", "carla"):
        client = signed_in(client_for, people[name])
        response = client.post(f"/vraag-en-aanbod/{listing_id}/reageren", data={"body": "Ik help"})
        assert response.status_code == 302
    return listing_id


def test_the_author_chooses_among_the_people_who_replied(app, client_for, people, ask):
    annie = signed_in(client_for, people["annie"])
    detail = page(annie.get(f"/vraag-en-aanbod/{ask}"))
    assert f'action="/vraag-en-aanbod/{ask}/match"' in detail
    for name in ("bob", "carla"):
        assert f'<option value="{people[name].id}">' in detail
    assert f'<option value="{people["dirk"].id}">' not in detail
    assert card_listed(annie, ask)

    response = annie.post(f"/vraag-en-aanbod/{ask}/match", data={"partner": people["bob"].id})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/vraag-en-aanbod/{ask}"
    listing = listing_row(app, ask)
    assert listing.status == Status.MATCHED
    assert listing.matched_at is not None
    [match] = matches(app)
    assert (match.listing_id, match.partner_id, match.recorded_by_id) == (
        ask,
        people["bob"].id,
        people["annie"].id,
    )
    assert not card_listed(annie, ask)
    # The page itself still answers and says it is matched.
    assert "badge--matched" in page(annie.get(f"/vraag-en-aanbod/{ask}"))
    # Matching again does nothing.
    annie.post(f"/vraag-en-aanbod/{ask}/match", data={"partner": people["carla"].id})
    assert [m.partner_id for m in matches(app)] == [people["bob"].id]


@pytest.mark.parametrize("partner", ["dirk", "annie", 0, "nonsense"])
def test_only_someone_who_replied_can_be_chosen(app, client_for, people, ask, partner):
    annie = signed_in(client_for, people["annie"])
    value = people[partner].id if partner in people else partner
    response = annie.post(f"/vraag-en-aanbod/{ask}/match", data={"partner": value})
    assert response.status_code == 302
    assert listing_row(app, ask).status == Status.OPEN
    assert matches(app) == []
    assert card_listed(annie, ask)


def test_a_listing_without_replies_cannot_be_matched(app, client_for, people):
    listing_id = add_listing(app, people["annie"])
    annie = signed_in(client_for, people["annie"])
    annie.post(f"/vraag-en-aanbod/{listing_id}/match", data={"partner": people["bob"].id})
    assert matches(app) == []
    assert f'action="/vraag-en-aanbod/{listing_id}/match"' not in page(
        annie.get(f"/vraag-en-aanbod/{listing_id}")
    )


def test_others_cannot_choose_the_match(app, client_for, make_user, people, ask):
    for person in (people["bob"], make_user(role=Role.ORGANISATION)):
        client = signed_in(client_for, person)
        response = client.post(f"/vraag-en-aanbod/{ask}/match", data={"partner": person.id})
        assert response.status_code == 403
        assert f'action="/vraag-en-aanbod/{ask}/match"' not in page(
            client.get(f"/vraag-en-aanbod/{ask}")
        )
    grave_connector = signed_in(client_for, make_user("grave", Role.CONNECTOR), "grave")
    response = grave_connector.post(
        f"/vraag-en-aanbod/{ask}/match", data={"partner": people["bob"].id}
    )
    assert response.status_code == 404
    assert matches(app) == []
    # A connector of Cuijk helps the author out.
    connector = signed_in(client_for, make_user(role=Role.CONNECTOR))
    connector.post(f"/vraag-en-aanbod/{ask}/match", data={"partner": people["carla"].id})
    assert [m.partner_id for m in matches(app)] == [people["carla"].id]


def test_a_coordinator_records_a_match_made_by_phone(app, client_for, make_user, people, ask):
    coordinator_user = make_user(role=Role.COORDINATOR)
    coordinator = signed_in(client_for, coordinator_user)
    detail = page(coordinator.get(f"/vraag-en-aanbod/{ask}"))
    assert f'action="/vraag-en-aanbod/{ask}/match-telefonisch"' in detail
    # A name is needed.
    coordinator.post(f"/vraag-en-aanbod/{ask}/match-telefonisch", data={"partner_name": " "})
    assert matches(app) == []

    response = coordinator.post(
        f"/vraag-en-aanbod/{ask}/match-telefonisch", data={"partner_name": "Meneer de Vries"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/vraag-en-aanbod/{ask}"
    [match] = matches(app)
    assert (match.partner_id, match.partner_name, match.recorded_by_id) == (
        None,
        "Meneer de Vries",
        coordinator_user.id,
    )
    assert listing_row(app, ask).status == Status.MATCHED
    assert not card_listed(coordinator, ask)
    assert "Meneer de Vries" in page(coordinator.get(f"/vraag-en-aanbod/{ask}"))


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.ORGANISATION, Role.CONNECTOR])
def test_only_a_coordinator_records_a_match_by_phone(app, client_for, make_user, people, ask, role):
    client = signed_in(client_for, make_user(role=role))
    response = client.post(
        f"/vraag-en-aanbod/{ask}/match-telefonisch", data={"partner_name": "Iemand"}
    )
    assert response.status_code == 403
    assert "/match-telefonisch" not in page(client.get(f"/vraag-en-aanbod/{ask}"))
    # Not even the author, when a resident.
    annie = signed_in(client_for, people["annie"])
    response = annie.post(f"/vraag-en-aanbod/{ask}/match-telefonisch", data={"partner_name": "X"})
    assert response.status_code == 403
    assert matches(app) == []
    assert listing_row(app, ask).status == Status.OPEN


@pytest.fixture
def matched(app, client_for, people, ask) -> int:
    annie = signed_in(client_for, people["annie"])
    annie.post(f"/vraag-en-aanbod/{ask}/match", data={"partner": people["bob"].id})
    [match] = matches(app)
    return match.id


def agreed_days_ago(app, days: int) -> None:
    """Move every match back in time, as if it was saved `days` ago."""
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        for match in db.session.scalars(sa.select(Match)):
            match.created_at -= timedelta(days=days)
        db.session.commit()


def test_both_sides_say_how_it_went(app, client_for, people, ask, matched):
    annie = signed_in(client_for, people["annie"])
    bob = signed_in(client_for, people["bob"])
    # Right after the match, the page says when we will ask, and does not ask yet.
    for client in (annie, bob):
        detail = page(client.get(f"/vraag-en-aanbod/{ask}"))
        assert f"/matches/{matched}/uitkomst" not in detail
        assert "vragen we jullie of de hulp is doorgegaan." in detail
    agreed_days_ago(app, 3)
    for client in (annie, bob):
        detail = page(client.get(f"/vraag-en-aanbod/{ask}"))
        assert f'action="/matches/{matched}/uitkomst"' in detail
        assert "vragen we jullie" not in detail

    response = annie.post(f"/matches/{matched}/uitkomst", data={"outcome": "done"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/vraag-en-aanbod/{ask}"
    [match] = matches(app)
    assert (match.author_outcome, match.partner_outcome) == (Outcome.DONE, None)
    assert match.outcome_at is not None
    # Once told, the question is gone for Annie, still there for Bob.
    assert f'action="/matches/{matched}/uitkomst"' not in page(annie.get(f"/vraag-en-aanbod/{ask}"))
    assert f'action="/matches/{matched}/uitkomst"' in page(bob.get(f"/vraag-en-aanbod/{ask}"))

    bob.post(f"/matches/{matched}/uitkomst", data={"outcome": "not_done"})
    [match] = matches(app)
    assert (match.author_outcome, match.partner_outcome) == (Outcome.DONE, Outcome.NOT_DONE)
    # Nonsense changes nothing.
    bob.post(f"/matches/{matched}/uitkomst", data={"outcome": "misschien"})
    assert matches(app)[0].partner_outcome == Outcome.NOT_DONE


@pytest.mark.parametrize("who", ["carla", "resident", "connector", "coordinator"])
def test_a_third_person_cannot_record_an_outcome(
    app, client_for, make_user, people, ask, matched, who
):
    person = people.get(who) or make_user(role=Role(who))
    client = signed_in(client_for, person)
    response = client.post(f"/matches/{matched}/uitkomst", data={"outcome": "done"})
    assert response.status_code == 404
    [match] = matches(app)
    assert (match.author_outcome, match.partner_outcome) == (None, None)
    assert f"/matches/{matched}/uitkomst" not in page(client.get(f"/vraag-en-aanbod/{ask}"))


def test_a_match_by_phone_outcome_is_the_coordinator_s(app, client_for, make_user, people):
    coordinator = signed_in(client_for, make_user(role=Role.COORDINATOR))
    listing_id = add_listing(app, people["annie"])
    coordinator.post(
        f"/vraag-en-aanbod/{listing_id}/match-telefonisch", data={"partner_name": "Jo"}
    )
    [match] = matches(app)
    # The author says how it went; the coordinator, who is not in it, cannot.
    assert (
        coordinator.post(f"/matches/{match.id}/uitkomst", data={"outcome": "done"}).status_code
        == 404
    )
    annie = signed_in(client_for, people["annie"])
    annie.post(f"/matches/{match.id}/uitkomst", data={"outcome": "done"})
    assert matches(app)[0].author_outcome == Outcome.DONE


def test_a_matched_listing_can_still_be_deleted(app, client_for, people, ask, matched):
    annie = signed_in(client_for, people["annie"])
    assert annie.get(f"/vraag-en-aanbod/{ask}/verwijderen").status_code == 200
    response = annie.post(f"/vraag-en-aanbod/{ask}/verwijderen")
    assert response.status_code == 302
    assert listing_row(app, ask) is None
    assert annie.get(f"/vraag-en-aanbod/{ask}").status_code == 404
    for client in (annie, signed_in(client_for, people["bob"])):
        assert client.get("/gesprekken").status_code == 200


def test_closing_a_matched_listing_keeps_it_matched(app, client_for, people, ask, matched):
    annie = signed_in(client_for, people["annie"])
    # The same request closes an open listing of hers: here, only the match can stop it.
    other = add_listing(app, people["annie"])
    annie.post(f"/vraag-en-aanbod/{other}/sluiten")
    assert listing_row(app, other).status == Status.CLOSED
    before = listing_row(app, ask)
    assert before.status == Status.MATCHED

    closed = annie.post(f"/vraag-en-aanbod/{ask}/sluiten")
    renewed = annie.post(f"/vraag-en-aanbod/{ask}/verlengen")

    assert closed.location == renewed.location == f"/vraag-en-aanbod/{ask}"
    after = listing_row(app, ask)
    assert (after.status, after.closed_at) == (Status.MATCHED, None)
    assert after.expires_at > before.expires_at  # renewed, and still not back in the list
    assert not card_listed(annie, ask)
    assert len(matches(app)) == 1


# Offers that help several people


@pytest.fixture
def offer(app, client_for, people) -> int:
    """Annie offers help in the garden; Bob and Carla replied."""
    listing_id = add_listing(app, people["annie"], kind=Kind.OFFER, title="Ik help in de tuin")
    for name in ("bob", "carla"):
        client = signed_in(client_for, people[name])
        response = client.post(f"/vraag-en-aanbod/{listing_id}/reageren", data={"body": "Graag!"})
        assert response.status_code == 302
    return listing_id


def test_an_offer_helps_several_people_and_stays_open(app, client_for, people, offer):
    annie = signed_in(client_for, people["annie"])
    assert "Dit aanbod heeft nog niemand geholpen." in page(annie.get(f"/vraag-en-aanbod/{offer}"))
    for name in ("bob", "carla"):
        response = annie.post(
            f"/vraag-en-aanbod/{offer}/match",
            data={"partner": people[name].id},
            follow_redirects=True,
        )
        assert "Je aanbod blijft in de lijst" in page(response)
    assert [m.partner_id for m in matches(app)] == [people["bob"].id, people["carla"].id]
    listing = listing_row(app, offer)
    assert listing.status == Status.OPEN
    assert card_listed(annie, offer)
    # Everyone sees how many people it helped; the people matched are for the author only.
    for client in (client_for("cuijk"), signed_in(client_for, people["dirk"])):
        detail = page(client.get(f"/vraag-en-aanbod/{offer}"))
        assert "Dit aanbod heeft 2 mensen geholpen." in detail
        assert "Carla" not in detail
    detail = page(annie.get(f"/vraag-en-aanbod/{offer}"))
    assert "Bob" in detail and "Carla" in detail
    # Nobody left to choose, but the offer is open for the next reply.
    assert f'<option value="{people["bob"].id}">' not in detail
    # Closing it is the author's choice.
    annie.post(f"/vraag-en-aanbod/{offer}/sluiten")
    assert listing_row(app, offer).status == Status.CLOSED


def test_the_same_person_matched_twice_on_an_offer_is_one_match(app, client_for, people, offer):
    annie = signed_in(client_for, people["annie"])
    for _ in range(2):  # a double submit
        response = annie.post(
            f"/vraag-en-aanbod/{offer}/match",
            data={"partner": people["bob"].id},
            follow_redirects=True,
        )
        assert response.status_code == 200
    assert "Deze afspraak was al opgeslagen." in page(response)
    assert [m.partner_id for m in matches(app)] == [people["bob"].id]


def test_a_match_by_phone_on_an_offer_submitted_twice_is_one_match(
    app, client_for, make_user, offer
):
    coordinator = signed_in(client_for, make_user(role=Role.COORDINATOR))
    for name in ("Meneer de Vries", "meneer  de Vries "):  # a double submit, retyped or not
        response = coordinator.post(
            f"/vraag-en-aanbod/{offer}/match-telefonisch",
            data={"partner_name": name},
            follow_redirects=True,
        )
        assert response.status_code == 200
    assert "Deze afspraak was al opgeslagen." in page(response)
    assert [m.partner_name for m in matches(app)] == ["Meneer de Vries"]
    # Someone else by phone is a match of their own.
    response = coordinator.post(
        f"/vraag-en-aanbod/{offer}/match-telefonisch",
        data={"partner_name": "Mevrouw Peters"},
        follow_redirects=True,
    )
    assert "Dit aanbod heeft 2 mensen geholpen." in page(response)
    assert [m.partner_name for m in matches(app)] == ["Meneer de Vries", "Mevrouw Peters"]
    assert listing_row(app, offer).status == Status.OPEN


def test_an_ask_keeps_one_match_even_when_recorded_twice_at_once(app, people, ask):
    """Two submits that both saw the ask open: the database keeps one."""
    from buurtplatform.accounts.models import User
    from buurtplatform.listings.models import Listing
    from buurtplatform.matches.services import record_match

    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        listing = db.session.get(Listing, ask)
        author = db.session.get(User, people["annie"].id)
        first = record_match(listing, author, partner=db.session.get(User, people["bob"].id))
        second = record_match(listing, author, partner=db.session.get(User, people["carla"].id))
        db.session.commit()
    assert first is not None and second is None
    assert [m.partner_id for m in matches(app)] == [people["bob"].id]


def test_the_other_side_is_told_by_email_as_often_as_they_chose(
    app, client_for, people, offer, outbox
):
    bob, carla = people["bob"], people["carla"]
    # Carla gets her messages once a day: the match waits for her round-up.
    signed_in(client_for, carla).post("/meldingen", data={"messages": "daily", "new_asks": "never"})
    before = len(outbox())
    annie = signed_in(client_for, people["annie"])
    for person in (bob, carla):
        annie.post(f"/vraag-en-aanbod/{offer}/match", data={"partner": person.id})
    emails = outbox()[: len(outbox()) - before]
    assert [m.recipient for m in emails] == [bob.email]
    [told] = emails
    assert "Annie" in told.subject
    assert "Ik help in de tuin" in told.text
    assert f"http://cuijk.buurt.test/vraag-en-aanbod/{offer}" in told.links
    assert any("/afmelden/" in link for link in told.links)


def test_each_side_answers_its_own_match_on_a_page_of_its_own(app, client_for, people, offer):
    annie = signed_in(client_for, people["annie"])
    for name in ("bob", "carla"):
        annie.post(f"/vraag-en-aanbod/{offer}/match", data={"partner": people[name].id})
    bob_match, carla_match = (m.id for m in matches(app))
    assert "/uitkomst" not in page(annie.get(f"/vraag-en-aanbod/{offer}"))
    agreed_days_ago(app, 3)
    # Two questions for Annie: each on its own page, linked from the offer.
    detail = page(annie.get(f"/vraag-en-aanbod/{offer}"))
    assert f'href="/matches/{bob_match}/uitkomst"' in detail
    assert f'href="/matches/{carla_match}/uitkomst"' in detail
    question = page(annie.get(f"/matches/{carla_match}/uitkomst"))
    assert "<h1>Is de hulp doorgegaan?</h1>" in question
    assert "met Carla afgesproken" in question
    response = annie.post(f"/matches/{carla_match}/uitkomst", data={"outcome": "done"})
    assert response.headers["Location"] == f"/vraag-en-aanbod/{offer}"
    # Bob has one question, linked from the offer too; Carla's match is not his.
    bob = signed_in(client_for, people["bob"])
    bob_sees = page(bob.get(f"/vraag-en-aanbod/{offer}"))
    assert f'href="/matches/{bob_match}/uitkomst"' in bob_sees
    assert f"/matches/{carla_match}/" not in bob_sees
    assert bob.get(f"/matches/{carla_match}/uitkomst").status_code == 404
    assert [(m.author_outcome, m.partner_outcome) for m in matches(app)] == [
        (None, None),
        (Outcome.DONE, None),
    ]
    # Answered, the page says thank you instead of asking again.
    assert 'name="outcome"' not in page(annie.get(f"/matches/{carla_match}/uitkomst"))


# From the conversation to the match form


def conversation_with(app, listing_id: int, replier_id: int) -> str:
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        conversation_id = db.session.scalar(
            sa.select(Conversation.id).where(
                Conversation.listing_id == listing_id, Conversation.replier_id == replier_id
            )
        )
    return f"/gesprekken/{conversation_id}"


def record_link(listing_id: int) -> str:
    return f'<a href="/vraag-en-aanbod/{listing_id}#match-title">Leg de afspraak vast</a>'


def test_the_author_goes_from_a_conversation_straight_to_the_match_form(
    app, client_for, people, ask
):
    annie, bob = (signed_in(client_for, people[name]) for name in ("annie", "bob"))
    with_bob = conversation_with(app, ask, people["bob"].id)
    assert record_link(ask) in page(annie.get(with_bob))
    # The link leads to the form, past everything above it.
    assert 'id="match-title"' in page(annie.get(f"/vraag-en-aanbod/{ask}"))
    # Bob, who replied, does not record the match.
    assert "Leg de afspraak vast" not in page(bob.get(with_bob))
    # Once matched, there is nothing left to record, with Bob or with Carla.
    annie.post(f"/vraag-en-aanbod/{ask}/match", data={"partner": people["bob"].id})
    for replier in ("bob", "carla"):
        conversation = conversation_with(app, ask, people[replier].id)
        assert "Leg de afspraak vast" not in page(annie.get(conversation))


def test_an_offer_links_to_the_match_form_for_each_person_not_yet_helped(
    app, client_for, people, offer
):
    annie = signed_in(client_for, people["annie"])
    annie.post(f"/vraag-en-aanbod/{offer}/match", data={"partner": people["bob"].id})
    assert "Leg de afspraak vast" not in page(
        annie.get(conversation_with(app, offer, people["bob"].id))
    )
    assert record_link(offer) in page(annie.get(conversation_with(app, offer, people["carla"].id)))
    annie.post(f"/vraag-en-aanbod/{offer}/sluiten")
    assert "Leg de afspraak vast" not in page(
        annie.get(conversation_with(app, offer, people["carla"].id))
    )


# The follow-up: after the agreed day


def follow_up_recipients(app) -> list[str]:
    return sorted(e.recipient for e in all_emails(app) if e.kind == "follow_up")


def follow_up_text(app, recipient: str) -> str:
    """The sentence of the follow-up email that says what was agreed."""
    [email] = [e for e in all_emails(app) if e.kind == "follow_up" and e.recipient == recipient]
    return next(line for line in email.body_text.splitlines() if "afgesproken" in line)


def run_follow_ups(app, moment: datetime) -> int:
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        return send_follow_ups(moment)


def test_the_follow_up_comes_after_the_agreed_day(app, client_for, people, ask):
    saturday = date(2026, 12, 5)
    set_listing(app, ask, timing=Timing.ON_DATE, needed_on=saturday)
    annie = signed_in(client_for, people["annie"])
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False):
        annie.post(f"/vraag-en-aanbod/{ask}/match", data={"partner": people["bob"].id})
    # Not when the match is saved, not a few days later, not on the day itself, nor early the
    # morning after (08:00 in Amsterdam is 07:00 UTC in winter).
    for moment in (
        datetime(2026, 12, 1, 9, 5, tzinfo=UTC),
        datetime(2026, 12, 4, 10, 0, tzinfo=UTC),
        datetime(2026, 12, 5, 22, 0, tzinfo=UTC),
        datetime(2026, 12, 6, 6, 59, tzinfo=UTC),
    ):
        assert run_follow_ups(app, moment) == 0, moment
    assert run_follow_ups(app, datetime(2026, 12, 6, 7, 0, tzinfo=UTC)) == 1
    assert run_follow_ups(app, datetime(2026, 12, 7, 7, 0, tzinfo=UTC)) == 0
    assert follow_up_recipients(app) == sorted([people["annie"].email, people["bob"].email])
    # The email says what was agreed, and for which day.
    assert follow_up_text(app, people["annie"].email) == (
        'Je hebt op 1 december 2026 met Bob afgesproken over "Hulp bij de boodschappen". '
        "De hulp was gepland op zaterdag 5 december 2026. Is de hulp doorgegaan?"
    )


def test_a_match_saved_after_the_agreed_day_is_asked_about_the_next_morning(
    app, client_for, people, ask
):
    set_listing(app, ask, timing=Timing.ON_DATE, needed_on=date(2026, 12, 5))
    annie = signed_in(client_for, people["annie"])
    with time_machine.travel(datetime(2026, 12, 8, 12, 0, tzinfo=UTC), tick=False):
        annie.post(f"/vraag-en-aanbod/{ask}/match", data={"partner": people["bob"].id})
    assert run_follow_ups(app, datetime(2026, 12, 8, 12, 5, tzinfo=UTC)) == 0
    assert run_follow_ups(app, datetime(2026, 12, 9, 7, 0, tzinfo=UTC)) == 1


def test_without_an_agreed_day_the_follow_up_comes_a_few_days_after_the_match(
    app, client_for, people, ask
):
    annie = signed_in(client_for, people["annie"])
    matched = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(matched, tick=False):
        annie.post(f"/vraag-en-aanbod/{ask}/match", data={"partner": people["bob"].id})
    assert run_follow_ups(app, matched + timedelta(days=2, hours=23)) == 0
    assert run_follow_ups(app, matched + timedelta(days=3)) == 1
    assert run_follow_ups(app, matched + timedelta(days=4)) == 0
    assert follow_up_text(app, people["bob"].email) == (
        'Je hebt op 1 december 2026 met Annie afgesproken over "Hulp bij de boodschappen". '
        "Is de hulp doorgegaan?"
    )


def test_the_page_asks_how_it_went_when_the_follow_up_is_due(app, client_for, people, ask):
    """The listing's page asks "Is de hulp doorgegaan?" at the same moment as the email, and
    until then says after which day we will ask."""
    set_listing(app, ask, timing=Timing.ON_DATE, needed_on=date(2026, 12, 5))
    annie = signed_in(client_for, people["annie"])
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False):
        annie.post(f"/vraag-en-aanbod/{ask}/match", data={"partner": people["bob"].id})
    [match] = matches(app)
    question = f'action="/matches/{match.id}/uitkomst"'
    with time_machine.travel(datetime(2026, 12, 6, 6, 59, tzinfo=UTC), tick=False):
        detail = page(annie.get(f"/vraag-en-aanbod/{ask}"))
        assert question not in detail
        assert "Na zaterdag 5 december 2026 vragen we jullie of de hulp is doorgegaan." in detail
        assert run_follow_ups(app, datetime(2026, 12, 6, 6, 59, tzinfo=UTC)) == 0
    with time_machine.travel(datetime(2026, 12, 6, 7, 0, tzinfo=UTC), tick=False):
        assert question in page(annie.get(f"/vraag-en-aanbod/{ask}"))
        assert run_follow_ups(app, datetime(2026, 12, 6, 7, 0, tzinfo=UTC)) == 1
