"""The municipality's own lists in Beheer: villages and neighbourhoods, kinds of help and their
order, examples of asks and offers, and the days of the reminder ladder. Renaming keeps what
uses a row linked; removing what is used asks where it goes and loses nothing; bad input gives a
Dutch error and changes nothing; each change is in the audit log."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from buurtplatform.accounts.models import Membership, Role
from buurtplatform.beheer.lists import uses_of_a_village
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.directory.models import Offering, OfferingVillage, Organisation
from buurtplatform.extensions import db
from buurtplatform.listings.helping import HelpSettings, save_help_settings
from buurtplatform.listings.manage import USES_OF_A_CATEGORY
from buurtplatform.listings.models import (
    Category,
    HelperCategory,
    Kind,
    Listing,
    ListingTemplate,
    OfflinePerson,
)
from buurtplatform.listings.services import categories
from tenants.models import Tenant, Village
from tenants.scoping import tenant_context
from tests.helpers import all_emails, tenant_by_slug
from tests.listing_helpers import (
    add_listing,
    category_id,
    in_english,
    page,
    signed_in,
    template_id,
    village_ids,
)
from tests.test_background import post_ask, tick_at


@pytest.fixture
def henk(client_for, make_user):
    """Henk, a connector of Cuijk, signed in there."""
    return signed_in(client_for, make_user("cuijk", Role.CONNECTOR, first_name="Henk"))


def rows(app, statement: sa.Select, slug: str = "cuijk") -> list:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        return list(db.session.execute(statement).all())


def audit_log(app, slug: str = "cuijk") -> list[tuple[str, str]]:
    return [
        (row.action, row.subject)
        for row in rows(app, sa.select(AuditEntry).order_by(AuditEntry.id), slug)
        for row in row
    ]


def error_of(response) -> str:
    """The first message in the page's error summary."""
    found = re.search(
        r'<div class="error-summary".*?<li>(?:<a [^>]*>)?([^<]*)', page(response), re.S
    )
    assert found, page(response)
    return html.unescape(found.group(1))


def category_names(app, slug: str = "cuijk") -> list[str]:
    """The kinds of help as the ask form offers them, in their order."""
    with app.test_request_context(), tenant_context(tenant_by_slug(slug)):
        return [category.label for category in categories()]


def options_of(html_text: str, select_id: str) -> list[str]:
    select = re.search(rf'<select\b[^>]*\bid="{select_id}"[^>]*>(.*?)</select>', html_text, re.S)
    assert select, select_id
    return [
        html.unescape(text)
        for text in re.findall(r"<option [^>]*>([^<]*)</option>", select.group(1))
    ]


# Who may


BEHEER_PAGES = (
    "/beheer/dorpen-en-wijken",
    "/beheer/soorten-hulp",
    "/beheer/voorbeelden",
    "/beheer/voorbeelden/nieuw",
    "/beheer/herinneringen",
)


def test_connectors_and_platform_admins_reach_the_lists_and_others_do_not(client_for, make_user):
    for user, status in (
        (make_user("cuijk", Role.CONNECTOR), 200),
        (make_user(None, admin=True), 200),
        (make_user("cuijk", Role.COORDINATOR), 403),
        (make_user("cuijk", Role.RESIDENT), 403),
        (make_user("grave", Role.CONNECTOR), 403),
    ):
        client = signed_in(client_for, user)
        for path in BEHEER_PAGES:
            assert client.get(path).status_code == status, (user.email, path)
    start = page(signed_in(client_for, make_user("cuijk", Role.CONNECTOR)).get("/beheer/"))
    for path in ("/beheer/dorpen-en-wijken", "/beheer/soorten-hulp", "/beheer/voorbeelden"):
        assert f'href="{path}"' in start


def test_a_resident_changes_nothing(app, client_for, make_user):
    client = signed_in(client_for, make_user("cuijk"))
    beers = village_ids(app)["Beers"]
    assert client.post("/beheer/dorpen-en-wijken", data={"name": "Nieuw"}).status_code == 403
    assert client.post(f"/beheer/dorpen-en-wijken/{beers}", data={"name": "X"}).status_code == 403
    assert "Nieuw" not in village_ids(app) and "Beers" in village_ids(app)


def test_another_municipalitys_rows_are_not_found(app, henk):
    grave_village = village_ids(app, "grave")["Velp"]
    grave_category = category_id(app, "grave")
    grave_template = template_id(app, Kind.ASK, "hospital", slug="grave")
    for path in (
        f"/beheer/dorpen-en-wijken/{grave_village}",
        f"/beheer/dorpen-en-wijken/{grave_village}/verwijderen",
        f"/beheer/soorten-hulp/{grave_category}",
        f"/beheer/soorten-hulp/{grave_category}/verwijderen",
        f"/beheer/voorbeelden/{grave_template}",
    ):
        assert henk.get(path).status_code == 404, path
        assert henk.post(path, data={"name": "Van Cuijk"}).status_code == 404, path
    for path in (
        f"/beheer/soorten-hulp/{grave_category}/verplaatsen",
        f"/beheer/voorbeelden/{grave_template}/verplaatsen",
        f"/beheer/voorbeelden/{grave_template}/verwijderen",
    ):
        assert henk.post(path, data={"direction": "up"}).status_code == 404, path
    assert "Velp" in village_ids(app, "grave")
    assert audit_log(app) == []


def test_everything_that_names_a_village_or_a_category_moves_when_it_goes(app):
    """A new column pointing at a village or a category must be moved too, or a removal
    would lose it (SET NULL) or fail: it has to join the list in beheer or listings."""
    with app.app_context():
        for table, uses in (("villages", uses_of_a_village()), ("categories", USES_OF_A_CATEGORY)):
            pointing = {
                foreign_key.parent.table.name
                for other in db.metadata.sorted_tables
                for foreign_key in other.foreign_keys
                if foreign_key.column.table.name == table
            }
            assert pointing == {model.__tablename__ for model in uses}, table


# Villages and neighbourhoods


def test_a_connector_adds_a_village_and_people_can_choose_it(app, client_for, make_user, henk):
    response = henk.post("/beheer/dorpen-en-wijken", data={"name": "  De Valuwe "})
    assert response.status_code == 302
    assert "Toegevoegd: De Valuwe." in page(henk.get(response.headers["Location"]))
    annie = signed_in(client_for, make_user("cuijk"))
    assert "De Valuwe" in options_of(page(annie.get("/vraag-en-aanbod/nieuw")), "village")
    assert "De Valuwe" not in village_ids(app, "grave")
    assert audit_log(app) == [("lists.village_added", "De Valuwe")]


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "Vul een naam in."),
        ("   ", "Vul een naam in."),
        ("x" * 121, "Dit mag niet langer zijn dan 120 tekens."),
        ("beers", "Er is al een dorp of wijk met deze naam."),
    ],
)
def test_a_bad_village_name_is_refused_in_dutch(app, henk, name, error):
    before = village_ids(app)
    response = henk.post("/beheer/dorpen-en-wijken", data={"name": name})
    assert response.status_code == 200
    assert error_of(response) == error
    haps = before["Haps"]
    assert error_of(henk.post(f"/beheer/dorpen-en-wijken/{haps}", data={"name": name})) == error
    assert village_ids(app) == before
    assert audit_log(app) == []


def test_renaming_a_village_keeps_its_listings_and_members(app, client_for, make_user, henk):
    annie = make_user("cuijk", first_name="Annie")
    beers = village_ids(app)["Beers"]
    listing_id = add_listing(app, annie, village_id=beers, title="Boodschappen in Beers")
    response = henk.post(f"/beheer/dorpen-en-wijken/{beers}", data={"name": "Beers aan de Maas"})
    assert response.headers["Location"] == "/beheer/dorpen-en-wijken"
    assert village_ids(app)["Beers aan de Maas"] == beers
    assert "Beers aan de Maas" in page(henk.get(f"/vraag-en-aanbod/{listing_id}"))
    filtered = page(henk.get(f"/vraag-en-aanbod?village={beers}"))
    assert f"/vraag-en-aanbod/{listing_id}" in filtered
    assert audit_log(app) == [("lists.village_renamed", "Beers → Beers aan de Maas")]
    # Saving the name unchanged changes and logs nothing.
    henk.post(f"/beheer/dorpen-en-wijken/{beers}", data={"name": "Beers aan de Maas"})
    assert len(audit_log(app)) == 1


def add_village_users(app, village: str) -> dict[str, int]:
    """An ask, a member and a person without an account, all in `village` of Cuijk."""
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        village_id = db.session.scalar(sa.select(Village.id).where(Village.name == village))
        member = db.session.scalar(sa.select(Membership).order_by(Membership.id))
        member.village_id = village_id
        person = OfflinePerson(
            name="Mevrouw Smits",
            phone="0485 111 222",
            village_id=village_id,
            consent_note="Telefonisch",
            recorded_by_id=member.user_id,
        )
        db.session.add(person)
        db.session.commit()
        ids = {"membership": member.id, "person": person.id}
    ids["listing"] = add_listing(
        app, member_user(app, ids["membership"]), village_id=village_id, title="In Haps"
    )
    return ids


def member_user(app, membership_id: int):
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        member = db.session.get(Membership, membership_id)
        user = member.user
        db.session.expunge(user)
        return user


def villages_of(app, ids: dict[str, int]) -> set[int | None]:
    return {
        row[0]
        for model, key in (
            (Listing, "listing"),
            (Membership, "membership"),
            (OfflinePerson, "person"),
        )
        for row in rows(app, sa.select(model.village_id).where(model.id == ids[key]))
    }


def test_removing_a_used_village_asks_where_everything_goes_and_moves_it(app, henk, make_user):
    make_user("cuijk")
    ids = add_village_users(app, "Haps")
    haps, vianen = village_ids(app)["Haps"], village_ids(app)["Vianen"]
    question = page(henk.get(f"/beheer/dorpen-en-wijken/{haps}/verwijderen"))
    assert "1 hulpvraag of hulpaanbod" in question
    assert "1 lid woont er" in question
    assert "1 persoon zonder account" in question
    assert "Geen dorp of wijk" in question
    # Without a choice nothing happens.
    response = henk.post(f"/beheer/dorpen-en-wijken/{haps}/verwijderen", data={})
    assert error_of(response) == "Kies waar ze heen gaan."
    assert "Haps" in village_ids(app)
    # Grave's village is no choice here.
    grave = village_ids(app, "grave")["Velp"]
    response = henk.post(f"/beheer/dorpen-en-wijken/{haps}/verwijderen", data={"move_to": grave})
    assert response.status_code == 200 and "Haps" in village_ids(app)

    response = henk.post(f"/beheer/dorpen-en-wijken/{haps}/verwijderen", data={"move_to": vianen})
    assert response.headers["Location"] == "/beheer/dorpen-en-wijken"
    assert "Haps" not in village_ids(app)
    assert villages_of(app, ids) == {vianen}
    assert audit_log(app) == [("lists.village_removed", "Haps → Vianen")]


def test_a_removed_village_can_leave_everything_without_a_village(app, henk, make_user):
    make_user("cuijk")
    ids = add_village_users(app, "Linden")
    linden = village_ids(app)["Linden"]
    henk.post(f"/beheer/dorpen-en-wijken/{linden}/verwijderen", data={"move_to": 0})
    assert "Linden" not in village_ids(app)
    assert villages_of(app, ids) == {None}
    # The ask is still there, for the whole municipality.
    assert "De hele gemeente" in page(henk.get(f"/vraag-en-aanbod/{ids['listing']}"))


def test_an_unused_village_goes_after_a_confirmation(app, henk):
    katwijk = village_ids(app)["Katwijk"]
    question = page(henk.get(f"/beheer/dorpen-en-wijken/{katwijk}/verwijderen"))
    assert "Je kunt het veilig verwijderen." in question
    assert 'name="move_to"' not in question
    henk.post(f"/beheer/dorpen-en-wijken/{katwijk}/verwijderen", data={})
    assert "Katwijk" not in village_ids(app)


def test_the_last_village_stays(app, client_for, make_user):
    client = signed_in(client_for, make_user("grave", Role.CONNECTOR), "grave")
    villages = village_ids(app, "grave")
    for name in ("Escharen", "Gassel", "Velp"):
        client.post(f"/beheer/dorpen-en-wijken/{villages[name]}/verwijderen", data={"move_to": 0})
    assert list(village_ids(app, "grave")) == ["Grave"]
    response = client.post(f"/beheer/dorpen-en-wijken/{villages['Grave']}/verwijderen", data={})
    assert response.status_code == 302
    assert "Dit is het enige dorp of de enige wijk." in page(client.get("/beheer/dorpen-en-wijken"))
    assert list(village_ids(app, "grave")) == ["Grave"]


# Kinds of help


def test_a_new_kind_of_help_comes_last_on_the_form_and_in_the_filter(
    app, client_for, make_user, henk
):
    henk.post("/beheer/soorten-hulp", data={"name": "Huisdieren"})
    assert category_names(app)[-1] == "Huisdieren"
    annie = signed_in(client_for, make_user("cuijk"))
    assert options_of(page(annie.get("/vraag-en-aanbod/nieuw")), "category")[-1] == "Huisdieren"
    assert options_of(page(annie.get("/vraag-en-aanbod")), "category")[-1] == "Huisdieren"
    assert "Huisdieren" not in category_names(app, "grave")
    assert audit_log(app) == [("lists.category_added", "Huisdieren")]


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "Vul een naam in."),
        ("x" * 61, "Dit mag niet langer zijn dan 60 tekens."),
        ("TUIN", "Er is al een soort hulp met deze naam."),
    ],
)
def test_a_bad_name_for_a_kind_of_help_is_refused_in_dutch(app, henk, name, error):
    before = category_names(app)
    assert error_of(henk.post("/beheer/soorten-hulp", data={"name": name})) == error
    shopping = category_id(app)
    assert error_of(henk.post(f"/beheer/soorten-hulp/{shopping}", data={"name": name})) == error
    assert category_names(app) == before
    assert audit_log(app) == []


def test_renaming_a_kind_of_help_keeps_its_listings_and_shows_its_new_name_everywhere(
    app, client_for, make_user, henk
):
    annie = make_user("cuijk")
    shopping = category_id(app)
    listing_id = add_listing(app, annie, category_id=shopping)
    english = in_english(signed_in(client_for, annie))
    assert "Shopping" in page(english.get(f"/vraag-en-aanbod/{listing_id}"))

    rename = page(henk.get(f"/beheer/soorten-hulp/{shopping}"))
    assert 'value="Boodschappen"' in rename
    henk.post(f"/beheer/soorten-hulp/{shopping}", data={"name": "Boodschappen doen"})
    assert "Boodschappen doen" in page(henk.get(f"/vraag-en-aanbod/{listing_id}"))
    # A renamed default is shown as written, also in English.
    assert "Boodschappen doen" in page(english.get(f"/vraag-en-aanbod/{listing_id}"))
    assert rows(app, sa.select(Category.key).where(Category.id == shopping)) == [(None,)]
    assert rows(app, sa.select(Listing.category_id).where(Listing.id == listing_id)) == [
        (shopping,)
    ]
    assert audit_log(app) == [("lists.category_renamed", "Boodschappen → Boodschappen doen")]


def test_the_order_of_the_kinds_of_help_shows_on_the_ask_form_and_the_filter(
    app, client_for, make_user, henk
):
    assert category_names(app)[-2:] == ["Mantelzorgondersteuning", "Overig"]
    other = category_id(app, key="other")
    response = henk.post(f"/beheer/soorten-hulp/{other}/verplaatsen", data={"direction": "up"})
    assert response.headers["Location"] == f"/beheer/soorten-hulp#category-{other}"
    annie = signed_in(client_for, make_user("cuijk"))
    for path in ("/vraag-en-aanbod/nieuw", "/vraag-en-aanbod", "/profiel/hulp"):
        shown = page(annie.get(path))
        assert shown.index("Overig") < shown.index("Mantelzorgondersteuning"), path
    shopping = category_id(app)
    henk.post(f"/beheer/soorten-hulp/{shopping}/verplaatsen", data={"direction": "down"})
    assert category_names(app)[:2] == ["Vervoer", "Boodschappen"]
    # The first cannot go up, nor the last down, and a made-up direction does nothing.
    first = category_id(app, key="transport")
    henk.post(f"/beheer/soorten-hulp/{first}/verplaatsen", data={"direction": "up"})
    henk.post(f"/beheer/soorten-hulp/{first}/verplaatsen", data={"direction": "sideways"})
    assert category_names(app)[:2] == ["Vervoer", "Boodschappen"]
    assert category_names(app, "grave")[:2] == ["Boodschappen", "Vervoer"]
    assert [action for action, _ in audit_log(app)] == ["lists.category_moved"] * 2


def test_removing_a_used_kind_of_help_asks_where_its_listings_go_and_moves_them(
    app, make_user, henk
):
    annie = make_user("cuijk")
    garden, odd_jobs = category_id(app, key="garden"), category_id(app, key="odd_jobs")
    listing_id = add_listing(app, annie, category_id=garden)
    helpers = [make_user("cuijk"), make_user("cuijk")]
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        members = [
            db.session.scalar(sa.select(Membership).where(Membership.user_id == helper.id))
            for helper in helpers
        ]
        # One helps with the garden only, the other with both: they keep one row.
        for member, helps_with in zip(members, ({garden}, {garden, odd_jobs}), strict=True):
            save_help_settings(member, HelpSettings(True, helps_with, "", False))
        db.session.commit()
        member_ids = [member.id for member in members]

    question = page(henk.get(f"/beheer/soorten-hulp/{garden}/verwijderen"))
    assert "1 hulpvraag of hulpaanbod" in question
    assert "2 leden die ermee helpen" in question
    assert "2 voorbeelden" in question  # the garden ask and the garden offer
    response = henk.post(f"/beheer/soorten-hulp/{garden}/verwijderen", data={})
    assert error_of(response) == "Kies welke soort hulp ze in de plaats krijgen."
    assert "Tuin" in category_names(app)

    henk.post(f"/beheer/soorten-hulp/{garden}/verwijderen", data={"move_to": odd_jobs})
    assert "Tuin" not in category_names(app)
    assert rows(app, sa.select(Listing.category_id).where(Listing.id == listing_id)) == [
        (odd_jobs,)
    ]
    helping = rows(app, sa.select(HelperCategory.membership_id, HelperCategory.category_id))
    assert sorted(helping) == sorted((member_id, odd_jobs) for member_id in member_ids)
    templates = rows(
        app, sa.select(ListingTemplate.category_id).where(ListingTemplate.key == "garden")
    )
    assert templates == [(odd_jobs,), (odd_jobs,)]
    assert audit_log(app) == [("lists.category_removed", "Tuin → Klussen")]
    assert "Tuin" in category_names(app, "grave")


def test_the_last_kind_of_help_stays(app, client_for, make_user):
    client = signed_in(client_for, make_user("mill", Role.CONNECTOR), "mill")
    with app.app_context(), tenant_context(tenant_by_slug("mill")):
        ids = db.session.scalars(sa.select(Category.id).order_by(Category.position)).all()
    for category in ids[1:]:
        client.post(f"/beheer/soorten-hulp/{category}/verwijderen", data={"move_to": ids[0]})
    assert category_names(app, "mill") == ["Boodschappen"]
    client.post(f"/beheer/soorten-hulp/{ids[0]}/verwijderen", data={})
    assert category_names(app, "mill") == ["Boodschappen"]
    assert "Dit is de enige soort hulp." in page(client.get("/beheer/soorten-hulp"))


# Examples of asks and offers


def template_titles(html_text: str) -> list[str]:
    """The examples above the listing form, in order."""
    section = html_text.split('class="templates"', 1)[1]
    return [html.unescape(title) for title in re.findall(r'sjabloon=\d+">([^<]*)</a>', section)]


def test_every_municipality_starts_with_its_own_examples(app, client_for, make_user):
    for slug in ("cuijk", "grave"):
        client = signed_in(client_for, make_user(slug), slug)
        titles = template_titles(page(client.get("/vraag-en-aanbod/nieuw?soort=vraag")))
        assert titles[:2] == [
            "Hulp bij de boodschappen van de week",
            "Een lift naar het ziekenhuis",
        ]
    assert template_id(app, Kind.ASK, "hospital") != template_id(app, Kind.ASK, "hospital", "grave")


def test_grave_edits_an_example_and_cuijk_keeps_its_own(app, client_for, make_user):
    connector = signed_in(client_for, make_user("grave", Role.CONNECTOR), "grave")
    hospital = template_id(app, Kind.ASK, "hospital", slug="grave")
    edit = page(connector.get(f"/beheer/voorbeelden/{hospital}"))
    assert "Een lift naar het ziekenhuis" in edit
    transport = category_id(app, "grave", key="transport")
    response = connector.post(
        f"/beheer/voorbeelden/{hospital}",
        data={
            "category": transport,
            "title": "Vervoer naar het Maasziekenhuis",
            "description": "Ik moet naar het Maasziekenhuis in Boxmeer.",
        },
    )
    assert response.headers["Location"] == "/beheer/voorbeelden"

    resident = in_english(signed_in(client_for, make_user("grave"), "grave"))
    form = page(resident.get("/vraag-en-aanbod/nieuw?soort=vraag"))
    # Edited, it reads as written in every language; the others stay translated.
    assert "Vervoer naar het Maasziekenhuis" in template_titles(form)
    assert "Help with the weekly shopping" in template_titles(form)
    filled = page(resident.get(f"/vraag-en-aanbod/nieuw?soort=vraag&sjabloon={hospital}"))
    assert "Ik moet naar het Maasziekenhuis in Boxmeer." in filled

    cuijk = signed_in(client_for, make_user("cuijk"))
    cuijk_form = page(cuijk.get("/vraag-en-aanbod/nieuw?soort=vraag"))
    assert "Een lift naar het ziekenhuis" in template_titles(cuijk_form)
    assert "Vervoer naar het Maasziekenhuis" not in cuijk_form
    assert audit_log(app, "grave") == [
        ("lists.template_changed", "Vervoer naar het Maasziekenhuis")
    ]


def test_an_example_added_for_offers_is_offered_on_the_offer_form(app, client_for, make_user, henk):
    form = page(henk.get("/beheer/voorbeelden/nieuw?soort=aanbod"))
    assert re.search(r"<input checked id=\"kind-1\" [^>]*value=\"offer\">", form)
    data = {
        "kind": "offer",
        "category": category_id(app, key="company"),
        "title": "Ik lees voor",
        "description": "Ik lees graag voor uit de krant of een boek.",
    }
    assert henk.post("/beheer/voorbeelden/nieuw", data=data).status_code == 302
    annie = signed_in(client_for, make_user("cuijk"))
    assert (
        template_titles(page(annie.get("/vraag-en-aanbod/nieuw?soort=aanbod")))[-1]
        == "Ik lees voor"
    )
    assert "Ik lees voor" not in page(annie.get("/vraag-en-aanbod/nieuw?soort=vraag"))
    assert audit_log(app) == [("lists.template_added", "Ik lees voor")]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"title": ""}, "Vul een paar woorden in."),
        ({"title": "x" * 101}, "Dit mag niet langer zijn dan 100 tekens."),
        ({"description": " "}, "Vertel er iets meer over."),
        ({"description": "x" * 2001}, "Dit mag niet langer zijn dan 2000 tekens."),
        ({"category": 0}, "Kies welke soort hulp het is."),
        ({"kind": "both"}, "Ongeldige keuze."),
    ],
)
def test_a_bad_example_is_refused_in_dutch(app, henk, change, error):
    data = {
        "kind": "ask",
        "category": category_id(app),
        "title": "Boodschappen",
        "description": "Wie doet boodschappen?",
        **change,
    }
    assert error_of(henk.post("/beheer/voorbeelden/nieuw", data=data)).startswith(error)
    hospital = template_id(app, Kind.ASK, "hospital")
    if "kind" not in change:
        assert error_of(henk.post(f"/beheer/voorbeelden/{hospital}", data=data)).startswith(error)
    stored = rows(
        app,
        sa.select(ListingTemplate.title, ListingTemplate.key).where(ListingTemplate.id == hospital),
    )
    assert stored == [("Een lift naar het ziekenhuis", "hospital")]
    assert audit_log(app) == []


def test_examples_are_reordered_within_their_kind_and_removed(app, client_for, make_user, henk):
    hospital = template_id(app, Kind.ASK, "hospital")
    henk.post(f"/beheer/voorbeelden/{hospital}/verplaatsen", data={"direction": "up"})
    respite = template_id(app, Kind.ASK, "respite")
    henk.post(f"/beheer/voorbeelden/{respite}/verplaatsen", data={"direction": "down"})  # last
    shopping = template_id(app, Kind.ASK, "shopping")
    henk.post(f"/beheer/voorbeelden/{shopping}/verwijderen", data={})
    annie = signed_in(client_for, make_user("cuijk"))
    titles = template_titles(page(annie.get("/vraag-en-aanbod/nieuw?soort=vraag")))
    assert titles[0] == "Een lift naar het ziekenhuis"
    assert "Hulp bij de boodschappen van de week" not in titles
    offers = template_titles(page(annie.get("/vraag-en-aanbod/nieuw?soort=aanbod")))
    assert offers[0] == "Ik help met boodschappen"
    assert audit_log(app) == [
        ("lists.template_moved", "Een lift naar het ziekenhuis"),
        ("lists.template_removed", "Hulp bij de boodschappen van de week"),
    ]


def test_without_examples_the_form_still_works(app, client_for, make_user, henk):
    for key in ("shopping", "odd_jobs", "company", "computer", "garden", "transport"):
        henk.post(f"/beheer/voorbeelden/{template_id(app, Kind.OFFER, key)}/verwijderen")
    overview = page(henk.get("/beheer/voorbeelden"))
    assert "Er zijn geen voorbeelden van deze soort." in overview
    annie = signed_in(client_for, make_user("cuijk"))
    form = page(annie.get("/vraag-en-aanbod/nieuw?soort=aanbod"))
    assert 'class="templates"' not in form and 'name="title"' in form


# The reminder ladder


LADDER = {
    "remind_connectors_after_days": 1,
    "remind_coordinators_after_days": 3,
    "remind_asker_after_days": 10,
    "follow_up_after_days": 5,
    "listing_lifetime_days": 60,
    "listing_retention_months": 12,
}


def ladder(app, slug: str = "cuijk") -> dict[str, int]:
    with app.app_context():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        return {name: getattr(tenant, name) for name in LADDER}


def test_the_ladder_explains_each_step_and_saves_new_days(app, henk):
    form = page(henk.get("/beheer/herinneringen"))
    assert "eerst de buurtverbinders, dan de sociaal werkers" in form
    assert 'value="2"' in form and 'value="30"' in form
    response = henk.post("/beheer/herinneringen", data=LADDER)
    assert response.headers["Location"] == "/beheer/herinneringen"
    assert ladder(app) == LADDER
    assert ladder(app, "grave")["remind_connectors_after_days"] == 2
    (entry,) = audit_log(app)
    assert entry[0] == "lists.reminders_changed"
    assert entry[1].startswith("E-mail aan de buurtverbinders na 2 → 1; ")
    # Saving the same days again logs nothing.
    henk.post("/beheer/herinneringen", data=LADDER)
    assert len(audit_log(app)) == 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            {"remind_coordinators_after_days": 1},
            "De sociaal werkers komen na de buurtverbinders: kies meer dagen dan voor de "
            "buurtverbinders.",
        ),
        (
            {"remind_asker_after_days": 3},
            "De persoon die om hulp vraagt komt na de sociaal werkers: kies meer dagen dan voor "
            "de sociaal werkers.",
        ),
        (
            {"listing_lifetime_days": 9},
            "De hulpvraag moet nog op de lijst staan als we de persoon die om hulp vraagt mailen: "
            "kies meer dagen dan voor die e-mail.",
        ),
        ({"remind_connectors_after_days": 0}, "Vul een getal van 1 tot 30 in."),
        ({"listing_lifetime_days": 366}, "Vul een getal van 1 tot 365 in."),
        ({"follow_up_after_days": ""}, "Vul een aantal dagen in."),
        ({"follow_up_after_days": "drie"}, "Ongeldig getal."),
    ],
)
def test_a_ladder_out_of_order_or_bounds_is_refused_in_dutch(app, henk, change, error):
    before = ladder(app)
    response = henk.post("/beheer/herinneringen", data={**LADDER, **change})
    assert response.status_code == 200
    assert error_of(response) == error
    assert ladder(app) == before
    assert audit_log(app) == []


def test_the_ladder_runs_on_the_days_a_connector_chose(app, make_user, outbox, henk):
    """The social workers' email says how long ago the connectors were told, by the ladder."""
    henk.post("/beheer/herinneringen", data=LADDER)  # connectors 1, social workers 3, asker 10
    wendy = make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl")
    posted = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    post_ask(app, make_user("cuijk"), created=posted)

    def ladder() -> list[str]:
        return [e.recipient for e in all_emails(app) if e.kind == "reminder_staff"]

    tick_at(app, posted + timedelta(days=1, minutes=5))
    assert ladder() == [henk_email(app)]
    tick_at(app, posted + timedelta(days=3, minutes=5))
    assert ladder() == [henk_email(app), wendy.email]
    to_wendy = " ".join(m.text for m in outbox() if m.recipient == wendy.email)
    assert "De buurtverbinders kregen 2 dagen geleden een bericht." in to_wendy


def henk_email(app) -> str:
    """The connector of Cuijk (made by the `henk` fixture)."""
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        member = db.session.scalar(sa.select(Membership).where(Membership.role == Role.CONNECTOR))
        return member.user.email


def test_an_offer_of_the_sociale_kaart_moves_with_its_village_once(app, henk):
    """One offer serves Haps only, another Haps and Vianen: after Haps moves to Vianen both
    serve Vianen, the second once; nothing becomes "the whole municipality" by accident."""
    haps, vianen = village_ids(app)["Haps"], village_ids(app)["Vianen"]
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        organisation = Organisation(name="Zonnebloem Haps")
        db.session.add(organisation)
        db.session.flush()
        only_haps, both = (
            Offering(organisation_id=organisation.id, title=title) for title in ("Een", "Twee")
        )
        db.session.add_all([only_haps, both])
        db.session.flush()
        db.session.add_all(
            OfferingVillage(offering_id=offering.id, village_id=village)
            for offering, village in ((only_haps, haps), (both, haps), (both, vianen))
        )
        db.session.commit()
        offerings = {"only_haps": only_haps.id, "both": both.id}
    question = page(henk.get(f"/beheer/dorpen-en-wijken/{haps}/verwijderen"))
    assert "2 keer aanbod op de sociale kaart" in question
    henk.post(f"/beheer/dorpen-en-wijken/{haps}/verwijderen", data={"move_to": vianen})
    served = rows(app, sa.select(OfferingVillage.offering_id, OfferingVillage.village_id))
    assert sorted(served) == sorted([(offerings["only_haps"], vianen), (offerings["both"], vianen)])
