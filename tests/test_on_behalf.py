"""A coordinator acting for someone who is not online: picking a person entered before, a form
that speaks about that person, and conversations that say who is writing."""

from __future__ import annotations

import re

import sqlalchemy as sa

from buurtplatform.accounts.models import Role
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing, OfflinePerson
from tenants.scoping import tenant_context
from tests.helpers import tenant_by_slug
from tests.listing_helpers import category_id, page, signed_in, village_ids

ON_BEHALF = "/coordinatie/namens-iemand"


def ask(app, slug: str = "cuijk", **changes: object) -> dict[str, object]:
    data = {
        "kind": "ask",
        "category": category_id(app, slug),
        "title": "Hulp bij de boodschappen",
        "description": "Wie doet op dinsdag boodschappen?",
        "village": next(iter(village_ids(app, slug).values())),
        "timing": "flexible",
        "consent": "y",
        **changes,
    }
    return {name: value for name, value in data.items() if value is not None}


NEW_PERSON = {
    "person": "0",
    "person_name": "Mevrouw Jansen",
    "person_phone": "0485 999 888",
    "consent_note": "Telefonisch op 3 maart.",
}


def posted_id(response) -> int:
    assert response.status_code == 302, page(response)
    return int(re.fullmatch(r"/vraag-en-aanbod/(\d+)", response.headers["Location"]).group(1))


def people(app, slug: str = "cuijk") -> list[OfflinePerson]:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        found = db.session.scalars(sa.select(OfflinePerson)).all()
        db.session.expunge_all()
        return found


def person_of(app, listing_id: int) -> int:
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        return db.session.get(Listing, listing_id).offline_person_id


def test_a_coordinator_picks_someone_entered_before_instead_of_retyping(app, client_for, make_user):
    wendy = signed_in(client_for, make_user(role=Role.COORDINATOR, first_name="Wendy"))
    first = posted_id(wendy.post(ON_BEHALF, data=ask(app, **NEW_PERSON)))
    [jansen] = people(app)

    form = page(wendy.get(ON_BEHALF))
    assert "Heb je deze persoon al eerder ingevoerd?" in form
    assert f'<option value="{jansen.id}">Mevrouw Jansen, ' in form
    assert "0485 999 888</option>" in form
    # The form speaks about the other person: it does not ask "for whom?".
    assert 'name="on_behalf_of"' not in form
    assert "wanneer komt het de persoon goed uit?" in form

    # Only the person and consent for this ask: no name, phone or consent note again.
    second = posted_id(wendy.post(ON_BEHALF, data=ask(app, person=jansen.id)))
    assert person_of(app, second) == person_of(app, first) == jansen.id
    assert len(people(app)) == 1

    # Consent for each ask is still asked.
    refused = wendy.post(ON_BEHALF, data=ask(app, person=jansen.id, consent=None))
    assert refused.status_code == 200
    assert "Vraag de persoon eerst om toestemming." in page(refused)


def test_a_new_person_needs_name_phone_and_consent_note(app, client_for, make_user):
    wendy = signed_in(client_for, make_user(role=Role.COORDINATOR))
    refused = wendy.post(ON_BEHALF, data=ask(app, person="0"))
    assert refused.status_code == 200
    for message in ("Vul de naam van de persoon in.", "Schrijf op hoe de persoon toestemming gaf."):
        assert message in page(refused)
    assert people(app) == []


def test_a_person_of_another_municipality_cannot_be_picked(app, client_for, make_user):
    grave = signed_in(client_for, make_user("grave", Role.COORDINATOR), "grave")
    posted_id(grave.post(ON_BEHALF, data=ask(app, "grave", **NEW_PERSON)))
    [theirs] = people(app, "grave")

    cuijk = signed_in(client_for, make_user(role=Role.COORDINATOR))
    assert "Mevrouw Jansen" not in page(cuijk.get(ON_BEHALF))
    refused = cuijk.post(ON_BEHALF, data=ask(app, person=theirs.id))
    assert refused.status_code == 200
    assert people(app) == []


def test_the_conversation_says_the_coordinator_acts_for_a_neighbour(
    app, client_for, make_user, outbox
):
    wendy = signed_in(client_for, make_user(role=Role.COORDINATOR, first_name="Wendy"))
    listing_id = posted_id(wendy.post(ON_BEHALF, data=ask(app, **NEW_PERSON)))
    piet = signed_in(client_for, make_user(first_name="Piet", email="piet@example.nl"))
    started = piet.post(f"/vraag-en-aanbod/{listing_id}/reageren", data={"body": "Ik help!"})
    thread = started.headers["Location"]

    # Replies come to the coordinator, who sees the neighbour's own name, and can go
    # straight to recording the match.
    seen_by_wendy = page(wendy.get(thread))
    assert "Gesprek met Piet" in seen_by_wendy
    assert f'<a href="/vraag-en-aanbod/{listing_id}#match-title">Leg de afspraak vast</a>' in (
        seen_by_wendy
    )
    wendy.post(thread, data={"body": "Fijn, ik bel haar."})

    label = "Wendy, sociaal werker, namens een buur"
    seen_by_piet = page(piet.get(thread))
    assert f"<h1>Gesprek met {label}</h1>" in seen_by_piet
    assert f"{label}, " in seen_by_piet  # above Wendy's message
    assert "Leg de afspraak vast" not in seen_by_piet
    [email] = [m for m in outbox() if m.recipient == "piet@example.nl"]
    assert email.subject.startswith(label)
    assert "Fijn, ik bel haar." in email.text


def test_an_ordinary_conversation_names_people_by_first_name(app, client_for, make_user):
    from tests.listing_helpers import add_listing

    annie = make_user(first_name="Annie")
    listing_id = add_listing(app, annie)
    piet = signed_in(client_for, make_user(first_name="Piet"))
    thread = piet.post(
        f"/vraag-en-aanbod/{listing_id}/reageren", data={"body": "Ik help!"}
    ).headers["Location"]
    assert "<h1>Gesprek met Annie</h1>" in page(piet.get(thread))


def test_the_conversation_list_says_the_coordinator_acts_for_a_neighbour(
    app, client_for, make_user
):
    wendy = signed_in(client_for, make_user(role=Role.COORDINATOR, first_name="Wendy"))
    listing_id = posted_id(wendy.post(ON_BEHALF, data=ask(app, **NEW_PERSON)))
    piet = signed_in(client_for, make_user(first_name="Piet", email="piet@example.nl"))
    piet.post(f"/vraag-en-aanbod/{listing_id}/reageren", data={"body": "Ik help!"})

    label = "Met Wendy, sociaal werker, namens een buur"
    assert label in page(piet.get("/gesprekken"))
    assert label in page(piet.get("/mijn/reacties"))
    # The coordinator sees the neighbour by first name, as in the conversation itself.
    seen_by_wendy = page(wendy.get("/gesprekken"))
    assert "Met Piet<" in seen_by_wendy
    assert "namens een buur" not in seen_by_wendy


def test_a_person_entered_before_is_helped_in_their_own_village(app, client_for, make_user):
    """'De hele gemeente' for someone entered before means: where that person lives."""
    wendy = signed_in(client_for, make_user(role=Role.COORDINATOR, first_name="Wendy"))
    home, other_village = list(village_ids(app).values())[:2]
    posted_id(wendy.post(ON_BEHALF, data=ask(app, village=home, **NEW_PERSON)))
    [jansen] = people(app)
    assert jansen.village_id == home
    assert "Dan betekent &#39;De hele gemeente&#39;: het dorp van die persoon." in page(
        wendy.get(ON_BEHALF)
    )

    whole_municipality = posted_id(
        wendy.post(ON_BEHALF, data=ask(app, person=jansen.id, village=0))
    )
    elsewhere = posted_id(
        wendy.post(ON_BEHALF, data=ask(app, person=jansen.id, village=other_village))
    )
    someone_new = posted_id(
        wendy.post(ON_BEHALF, data=ask(app, village=0, **{**NEW_PERSON, "person_name": "Piet"}))
    )
    assert village_of(app, whole_municipality) == home
    assert village_of(app, elsewhere) == other_village
    assert village_of(app, someone_new) is None


def village_of(app, listing_id: int) -> int | None:
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        return db.session.get(Listing, listing_id).village_id
