"""The werkbank: the open asks staff must act on, with filters that each show their own
situation; notes only staff see; the people a coordinator acts for, reused and removed on
request; and never another municipality's asks, notes or people."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from buurtplatform.accounts.models import Role, User
from buurtplatform.activities.models import Signup, SignupStatus
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.conversations.services import start_or_continue
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Kind, Listing, OfflinePerson, Status
from buurtplatform.matches.models import Match, Outcome
from buurtplatform.matches.services import record_match
from buurtplatform.notifications.models import EscalationStep, LadderStep
from buurtplatform.timestamps import utcnow
from buurtplatform.werkbank.models import StaffNote
from jobs.periods import LOCAL
from tenants.scoping import ALL_TENANTS, tenant_context
from tests.activity_helpers import new_activity, next_weekday
from tests.helpers import tenant_by_slug
from tests.listing_helpers import (
    counting_queries,
    in_english,
    new_listing,
    page,
    signed_in,
    village_ids,
)

WERKBANK = "/werkbank/"


@dataclass
class Cuijk:
    """One ask per situation, and the people around them."""

    coordinator: User
    connector: User
    asker: User
    helper: User
    asks: dict[str, int]


def _ask(app, author: User, title: str, **fields: object) -> Listing:
    """An ask of `author`, added inside the municipality's `tenant_context`."""
    shopping = db.session.scalar(sa.select(Category.id).where(Category.key == "shopping"))
    listing = new_listing(author.id, shopping, title=title, **fields)
    db.session.add(listing)
    db.session.flush()
    return listing


@pytest.fixture
def cuijk(app, make_user) -> Cuijk:
    coordinator = make_user(role=Role.COORDINATOR, first_name="Wendy")
    connector = make_user(role=Role.CONNECTOR, first_name="Henk")
    asker = make_user(first_name="Annie")
    helper = make_user(first_name="Daan")
    villages = village_ids(app)
    beers, other = villages["Beers"], next(v for n, v in villages.items() if n != "Beers")
    now = utcnow()
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        annie, daan = db.session.get(User, asker.id), db.session.get(User, helper.id)
        waiting = _ask(
            app, annie, "Nog niemand", village_id=beers, created_at=now - timedelta(days=5)
        )
        db.session.add(EscalationStep(listing_id=waiting.id, step=LadderStep.CONNECTORS))
        replied = _ask(app, annie, "Wel een reactie", village_id=other)
        start_or_continue(replied, annie, daan, "Ik kan helpen.")
        agreed = _ask(app, annie, "Afgesproken", village_id=beers)
        record_match(agreed, annie, partner=daan)
        went_well = _ask(app, annie, "Is gelukt")
        record_match(went_well, annie, partner=daan)
        db.session.flush()
        went_well.matches[0].author_outcome = Outcome.DONE
        _ask(app, annie, "Verlopen", expires_at=now - timedelta(days=1))
        _ask(app, annie, "Verborgen", hidden_at=now)
        _ask(app, annie, "Een aanbod", kind=Kind.OFFER)
        db.session.commit()
        asks = {"waiting": waiting.id, "replied": replied.id, "agreed": agreed.id}
    grave_asker = make_user("grave", first_name="Ans")
    with app.app_context(), tenant_context(tenant_by_slug("grave")):
        _ask(app, db.session.get(User, grave_asker.id), "Uit Grave")
        db.session.commit()
    return Cuijk(coordinator, connector, asker, helper, asks)


def titles(html: str) -> set[str]:
    shown = re.findall(r'<h3><a href="/vraag-en-aanbod/\d+">([^<]+)</a></h3>', html)
    return set(shown)


def test_each_filter_shows_the_asks_in_its_situation_and_nothing_else(app, client_for, cuijk):
    wendy = signed_in(client_for, cuijk.coordinator)
    expected = {
        "open": {"Nog niemand", "Wel een reactie"},
        "no_reply": {"Nog niemand"},
        "no_match": {"Wel een reactie"},
        "no_outcome": {"Afgesproken"},
    }
    for situation, shown in expected.items():
        response = wendy.get(WERKBANK, query_string={"situation": situation})
        assert response.status_code == 200
        assert titles(page(response)) == shown, situation
    beers = village_ids(app)["Beers"]
    in_beers = wendy.get(WERKBANK, query_string={"village": beers})
    assert titles(page(in_beers)) == {"Nog niemand"}


def test_an_ask_shows_its_age_replies_and_place_on_the_reminder_ladder(app, client_for, cuijk):
    henk = in_english(signed_in(client_for, cuijk.connector))
    html = page(henk.get(WERKBANK))
    waiting = html.split('id="vraag-{}"'.format(cuijk.asks["waiting"]))[1].split("</li>\n")[0]
    assert "5 days" in waiting
    assert "Last: email to the neighbourhood connectors." in waiting
    # Posted 5 days ago, the social workers hear after 4 days: due, so today's sweep sends it.
    today = format_date(datetime.now(LOCAL).date(), "EEEE d MMMM", locale="en")
    assert f"Next: email to the social workers on {today}." in waiting
    replied = html.split('id="vraag-{}"'.format(cuijk.asks["replied"]))[1].split("</li>\n")[0]
    assert "since today" in replied
    assert "<dt>Replies</dt><dd>1</dd>" in replied
    assert "None yet." in replied and "Next:" not in replied


def test_the_menu_leads_staff_to_the_werkbank(client_for, make_user):
    # A coordinator follows it in the browser test (tests/browser/test_werkbank.py).
    for role, shown in ((Role.CONNECTOR, True), (Role.RESIDENT, False)):
        home = page(signed_in(client_for, make_user(role=role)).get("/"))
        assert ('<a href="/werkbank/">Werkbank</a>' in home) is shown, role
    admin = signed_in(client_for, make_user(None, admin=True))
    assert '<a href="/werkbank/">Werkbank</a>' in page(admin.get("/"))


def test_an_empty_filter_says_what_that_means(app, client_for, make_user):
    wendy = signed_in(client_for, make_user(role=Role.COORDINATOR))
    html = page(wendy.get(WERKBANK, query_string={"situation": "no_reply"}))
    assert "Alle hulpvragen hebben een reactie." in html


def test_the_werkbank_costs_the_same_queries_for_two_asks_or_twenty(app, client_for, cuijk):
    wendy = signed_in(client_for, cuijk.coordinator)

    def queries() -> int:
        wendy.get(WERKBANK)  # after a change the municipality is read again, once
        with counting_queries(app) as statements:
            assert wendy.get(WERKBANK).status_code == 200
        return len(statements)

    queries()  # the first visit of the day is counted (buurtplatform.accounts.visits)
    before = queries()
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        annie = db.session.get(User, cuijk.asker.id)
        daan = db.session.get(User, cuijk.helper.id)
        person = OfflinePerson(
            name="Mevrouw Jansen", phone="0485 1", consent_note="x", recorded_by_id=annie.id
        )
        for n in range(18):
            ask = _ask(app, annie, f"Vraag {n}", offline_person=person if n % 3 else None)
            start_or_continue(ask, annie, daan, "Ik help.")
            db.session.add(StaffNote(listing_id=ask.id, author_id=annie.id, body="Gebeld."))
            db.session.add(EscalationStep(listing_id=ask.id, step=LadderStep.CONNECTORS))
        db.session.commit()
    assert queries() == before


def test_notes_are_for_staff_only_and_the_author_alone_deletes_one(app, client_for, cuijk):
    waiting = cuijk.asks["waiting"]
    wendy = signed_in(client_for, cuijk.coordinator)
    filtered = page(wendy.get(WERKBANK, query_string={"situation": "no_reply"}))
    action = f"/werkbank/vraag/{waiting}/notitie?situation=no_reply"
    assert f'action="{action}"' in filtered
    saved = wendy.post(action, data={"body": "Gebeld: zoon helpt niet meer.", "back": "werkbank"})
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/werkbank/?situation=no_reply#vraag-{waiting}")
    assert "Gebeld: zoon helpt niet meer." in page(wendy.get(WERKBANK))
    henk = signed_in(client_for, cuijk.connector)
    assert "Gebeld: zoon helpt niet meer." in page(henk.get(f"/vraag-en-aanbod/{waiting}"))
    for someone in (
        signed_in(client_for, cuijk.asker),
        signed_in(client_for, cuijk.helper),
        client_for("cuijk"),
    ):
        listing_page = someone.get(f"/vraag-en-aanbod/{waiting}")
        assert listing_page.status_code == 200
        assert "Gebeld" not in page(listing_page)
        assert "notitie" not in page(listing_page)
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        note_id = db.session.scalar(sa.select(StaffNote.id))
    assert henk.post(f"/werkbank/notities/{note_id}/verwijderen").status_code == 403
    deleted = wendy.post(f"/werkbank/notities/{note_id}/verwijderen", data={"back": "listing"})
    assert deleted.headers["Location"].endswith(f"/vraag-en-aanbod/{waiting}#notes-title")
    assert "Gebeld" not in page(wendy.get(WERKBANK))


def test_a_note_that_is_too_long_is_not_saved(app, client_for, cuijk):
    wendy = signed_in(client_for, cuijk.coordinator)
    waiting = cuijk.asks["waiting"]
    wendy.post(f"/werkbank/vraag/{waiting}/notitie", data={"body": "x" * 1001})
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert db.session.scalar(sa.select(sa.func.count(StaffNote.id))) == 0


def test_another_municipality_sees_neither_the_asks_nor_the_notes(
    app, client_for, cuijk, make_user
):
    wendy = signed_in(client_for, cuijk.coordinator)
    wendy.post(f"/werkbank/vraag/{cuijk.asks['waiting']}/notitie", data={"body": "Geheim"})
    assert "Uit Grave" not in page(wendy.get(WERKBANK))
    grave = signed_in(client_for, make_user("grave", Role.COORDINATOR), "grave")
    html = page(grave.get(WERKBANK))
    assert titles(html) == {"Uit Grave"}
    assert "Geheim" not in html
    foreign = grave.post(f"/werkbank/vraag/{cuijk.asks['waiting']}/notitie", data={"body": "x"})
    assert foreign.status_code == 404


def test_one_click_to_act_on_an_ask(app, client_for, cuijk):
    waiting = cuijk.asks["waiting"]
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        wendy_user = db.session.get(User, cuijk.coordinator.id)
        person = OfflinePerson(
            name="Mevrouw Jansen",
            phone="0485 12-34 56",
            consent_note="Telefonisch",
            recorded_by_id=wendy_user.id,
        )
        for_her = _ask(app, wendy_user, "Voor mevrouw Jansen", offline_person=person)
        db.session.commit()
        for_her_id = for_her.id
    wendy = signed_in(client_for, cuijk.coordinator)
    html = page(wendy.get(WERKBANK))
    assert f'href="/vraag-en-aanbod/{waiting}/reageren"' in html
    assert f'href="/vraag-en-aanbod/{waiting}#suggestions-title"' in html
    assert f'href="/vraag-en-aanbod/{waiting}#match-title"' in html
    assert 'href="tel:0485123456">0485 12-34 56</a>' in html
    assert f'href="/vraag-en-aanbod/{for_her_id}/reageren"' not in html
    # The anchors lead to the panels they name.
    listing_page = page(wendy.get(f"/vraag-en-aanbod/{waiting}"))
    assert 'id="suggestions-title"' in listing_page and 'id="match-title"' in listing_page
    # At the top: the figures, the week on screen and (coordinators) their people.
    for link in ('href="/cijfers"', 'href="/werkbank/week"', 'href="/werkbank/mensen"'):
        assert link in html
    # A connector sees no phone number, no recording of an agreement made by phone, and no
    # list of people.
    henk_page = page(signed_in(client_for, cuijk.connector).get(WERKBANK))
    assert 'href="/werkbank/mensen"' not in henk_page
    assert "12-34 56" not in henk_page and "#match-title" not in henk_page


def _person_data(app, **changes: str) -> dict[str, object]:
    return {
        "name": "Mevrouw Jansen",
        "phone": "0485 999 888",
        "village": village_ids(app)["Beers"],
        "consent_note": "Telefonisch op 3 maart.",
        **changes,
    }


def test_a_coordinator_keeps_the_people_they_act_for_and_reuses_them(app, client_for, make_user):
    wendy = signed_in(client_for, make_user(role=Role.COORDINATOR))
    refused = wendy.post("/werkbank/mensen/nieuw", data=_person_data(app, phone="bel me"))
    assert refused.status_code == 200
    assert "Schrijf het telefoonnummer in cijfers" in page(refused)
    assert wendy.post("/werkbank/mensen/nieuw", data=_person_data(app)).status_code == 302
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        person_id = db.session.scalar(sa.select(OfflinePerson.id))
    people_page = page(wendy.get("/werkbank/mensen"))
    assert "Mevrouw Jansen" in people_page and 'href="tel:0485999888"' in people_page
    edited = wendy.post(
        f"/werkbank/mensen/{person_id}/bewerken", data=_person_data(app, phone="0485 111 222")
    )
    assert edited.status_code == 302
    assert "0485 111 222" in page(wendy.get("/werkbank/mensen"))
    # "New ask" opens the on-behalf form with her chosen.
    form = page(wendy.get(f"/coordinatie/namens-iemand?persoon={person_id}"))
    assert re.search(rf'<option selected value="{person_id}">Mevrouw Jansen', form)
    unknown = page(wendy.get("/coordinatie/namens-iemand?persoon=999"))
    assert '<option selected value="0">' in unknown
    # "Sign up for an activity" lists the coming activities, each opening the agenda's form.
    organiser = make_user()
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        activity = new_activity(organiser.id, next_weekday(2, after=utcnow().date()))
        db.session.add(activity)
        db.session.commit()
        activity_id = activity.id
    choose = page(wendy.get(f"/werkbank/mensen/{person_id}/activiteit"))
    link = re.search(rf'href="(/agenda/{activity_id}/namens-iemand\?[^"]+)"', choose).group(1)
    signup_form = page(wendy.get(link.replace("&amp;", "&")))
    assert re.search(rf'<option selected value="{person_id}">Mevrouw Jansen', signup_form)


def test_removing_a_person_on_request_deletes_their_details_everywhere(app, client_for, make_user):
    coordinator = make_user(role=Role.COORDINATOR)
    daan = make_user(first_name="Daan")
    wendy = signed_in(client_for, coordinator)
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        person = OfflinePerson(
            name="Mevrouw Jansen",
            phone="0485 999 888",
            consent_note="Telefonisch",
            recorded_by_id=coordinator.id,
        )
        ask = _ask(app, db.session.get(User, coordinator.id), "Boodschappen", offline_person=person)
        activity = new_activity(coordinator.id, next_weekday(1), capacity=1)
        db.session.add(activity)
        db.session.flush()
        day = next_weekday(1)
        db.session.add(
            Signup(
                activity_id=activity.id,
                occurs_on=day,
                status=SignupStatus.GOING,
                offline_person_id=person.id,
            )
        )
        db.session.add(
            Signup(
                activity_id=activity.id, occurs_on=day, status=SignupStatus.WAITING, user_id=daan.id
            )
        )
        db.session.commit()
        person_id, ask_id = person.id, ask.id
    confirm = page(wendy.get(f"/werkbank/mensen/{person_id}/verwijderen"))
    assert "Je kunt ze niet terughalen." in confirm
    assert wendy.post(f"/werkbank/mensen/{person_id}/verwijderen").status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(OfflinePerson.id))
                .where(OfflinePerson.phone == "0485 999 888")
                .execution_options(**ALL_TENANTS)
            )
            == 0
        )
        with tenant_context(tenant_by_slug("cuijk")):
            assert db.session.get(Listing, ask_id).status == Status.CLOSED
            signups = db.session.scalars(sa.select(Signup)).all()
            assert [(s.user_id, s.status) for s in signups] == [(daan.id, SignupStatus.GOING)]
            entry = db.session.scalar(
                sa.select(AuditEntry).where(AuditEntry.action == "members.person_removed")
            )
            assert entry is not None and entry.actor_id == coordinator.id
            assert "Jansen" not in f"{entry.subject} {entry.reason} {entry.link}"
            assert "0485" not in f"{entry.subject} {entry.reason} {entry.link}"
    assert "Mevrouw Jansen" not in page(wendy.get("/werkbank/mensen"))


def test_matches_without_outcome_count_either_side(app, client_for, cuijk):
    """An agreement leaves "no outcome" once either side told how it went."""
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        match = db.session.scalar(sa.select(Match).where(Match.listing_id == cuijk.asks["agreed"]))
        match.partner_outcome = Outcome.NOT_DONE
        db.session.commit()
    wendy = signed_in(client_for, cuijk.coordinator)
    html = page(wendy.get(WERKBANK, query_string={"situation": "no_outcome"}))
    assert titles(html) == set()


def test_the_people_page_costs_the_same_queries_for_one_person_or_ten(app, client_for, make_user):
    coordinator = make_user(role=Role.COORDINATOR)
    wendy = signed_in(client_for, coordinator)

    def add_people(count: int) -> None:
        with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
            author = db.session.get(User, coordinator.id)
            for n in range(count):
                person = OfflinePerson(
                    name=f"Persoon {n}", phone="0485 1", consent_note="x", recorded_by_id=author.id
                )
                _ask(app, author, f"Vraag {n}", offline_person=person)
            db.session.commit()

    def queries() -> int:
        wendy.get("/werkbank/mensen")  # after a change the municipality is read again, once
        with counting_queries(app) as statements:
            assert wendy.get("/werkbank/mensen").status_code == 200
        return len(statements)

    add_people(1)
    queries()  # the first visit of the day is counted (buurtplatform.accounts.visits)
    before = queries()
    add_people(9)
    assert queries() == before
    assert page(wendy.get("/werkbank/mensen")).count("<dt>Open hulpvragen</dt><dd>1</dd>") == 10
