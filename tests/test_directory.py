"""The sociale kaart: entries and their offerings, filters, keeping an entry (invited owners and
connectors), the check every six months with its reminder, and the limits of each role."""

from __future__ import annotations

import io
import re
import threading
from datetime import timedelta

import sqlalchemy as sa
import time_machine
from PIL import Image
from sqlalchemy.exc import OperationalError

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.demo import load_demo
from buurtplatform.directory.models import Offering, Organisation, Owner, Theme
from buurtplatform.directory.services import REVIEW_AFTER, save_offering
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from jobs import directory_reviews
from jobs.schedule import municipality_sweep
from tenants.scoping import tenant_context
from tests.directory_helpers import add_organisation, new_organisation, village_id
from tests.helpers import PASSWORD, sign_in, tenant_by_slug
from tests.listing_helpers import counting_queries, in_english, page, signed_in

GOOD_ENTRY = {
    "name": "Centrum Mantelzorg Cuijk",
    "type": "carer_support",
    "description": "Wij steunen **mantelzorgers**.",
    "phone": "0485 123 456",
    "email": "info@mantelzorg.example.nl",
    "website": "https://www.mantelzorg.example.nl",
    "address": "Markt 1, Cuijk",
}


def offering_form(**fields: object) -> dict[str, object]:
    return {
        "title": "Respijtzorg",
        "description": "Een vrijwilliger neemt de zorg een middag over.",
        "for_whom": "Mantelzorgers",
        "cost": "Gratis",
        "access": "direct",
        "opening_hours": "Maandag tot vrijdag",
        "contact": "Els, 0485 123 456",
        "themes": ["carers"],
        **fields,
    }


def entry(app, organisation_id: int, slug: str = "cuijk") -> Organisation | None:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        found = db.session.get(Organisation, organisation_id)
        if found is not None:
            db.session.expunge(found)
        return found


def organisation_names(html: str) -> list[str]:
    return re.findall(r'class="listing-card__title"><a href="[^"]+">([^<]+)</a>', html)


# Making and changing an entry


def test_a_connector_adds_an_organisation_with_an_offering(app, client_for, make_user):
    henk = make_user(role=Role.CONNECTOR, first_name="Henk")
    client = signed_in(client_for, henk)
    response = client.post("/sociale-kaart/nieuw", data=GOOD_ENTRY)
    assert response.status_code == 302
    organisation_id = int(re.search(r"/sociale-kaart/(\d+)/aanbod/nieuw", response.location)[1])
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        beers = village_id("Beers")
    response = client.post(
        f"/sociale-kaart/{organisation_id}/aanbod/nieuw",
        data=offering_form(villages=[beers], themes=["carers", "care"]),
    )
    assert response.location.endswith(f"/sociale-kaart/{organisation_id}")

    shown = page(client_for("cuijk").get(f"/sociale-kaart/{organisation_id}"))
    assert "Centrum Mantelzorg Cuijk" in shown
    assert "<strong>mantelzorgers</strong>" in shown  # the description's Markdown
    assert "Respijtzorg" in shown and "Beers" in shown and "Gratis" in shown
    assert "Direct: zelf contact opnemen" in shown
    assert 'href="tel:0485123456"' in shown
    assert "Laatst nagekeken op" in shown
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["directory.organisation_added", "directory.offering_added"]


def test_bad_details_get_a_dutch_error_keep_the_input_and_change_nothing(
    app, client_for, make_user
):
    client = signed_in(client_for, make_user(role=Role.CONNECTOR))
    response = client.post(
        "/sociale-kaart/nieuw",
        data={
            **GOOD_ENTRY,
            "website": "javascript:alert(1)",
            "phone": "bel me",
            "email": "info@",
        },
    )
    assert response.status_code == 200
    shown = page(response)
    assert "Geef een webadres dat begint met https:// (of http://)." in shown
    assert "Schrijf het telefoonnummer in cijfers, zoals 0485 123 456." in shown
    assert "Dit is geen geldig e-mailadres" in shown
    assert 'value="Centrum Mantelzorg Cuijk"' in shown
    assert 'value="bel me"' in shown
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 0

    missing = page(client.post("/sociale-kaart/nieuw", data={**GOOD_ENTRY, "name": " "}))
    assert "Vul de naam van de organisatie in." in missing
    add_organisation(app, "Centrum Mantelzorg Cuijk")
    twice = page(client.post("/sociale-kaart/nieuw", data=GOOD_ENTRY))
    assert "De sociale kaart heeft al een organisatie met deze naam." in twice


def test_an_offering_needs_a_theme_and_keeps_what_was_typed(app, client_for, make_user):
    organisation_id = add_organisation(app, "KBO Cuijk")
    client = signed_in(client_for, make_user(role=Role.CONNECTOR))
    response = client.post(
        f"/sociale-kaart/{organisation_id}/aanbod/nieuw",
        data=offering_form(themes=[], title="Koffieochtend"),
    )
    shown = page(response)
    assert "Kies minstens één thema, zodat mensen het aanbod vinden." in shown
    assert 'value="Koffieochtend"' in shown
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert db.session.scalar(sa.select(sa.func.count(Offering.id))) == 1  # the helper's


def test_changing_an_offering_keeps_its_themes_and_villages_as_chosen(app, client_for, make_user):
    organisation_id = add_organisation(
        app, "KBO Cuijk", themes=(Theme.MEETING,), villages=("Beers",)
    )
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        offering_id = db.session.scalar(sa.select(Offering.id))
        beers, haps = village_id("Beers"), village_id("Haps")
    client = signed_in(client_for, make_user(role=Role.CONNECTOR))
    url = f"/sociale-kaart/{organisation_id}/aanbod/{offering_id}/bewerken"
    form = page(client.get(url))
    assert re.search(r'value="meeting"[^>]*checked|checked[^>]*value="meeting"', form)
    client.post(url, data=offering_form(themes=["loneliness", "meeting"], villages=[haps]))
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        offering = db.session.get(Offering, offering_id)
        assert sorted(offering.themes) == [Theme.LONELINESS, Theme.MEETING]
        assert [v.id for v in offering.villages] == [haps] != [beers]

    client.post(f"/sociale-kaart/{organisation_id}/aanbod/{offering_id}/verwijderen")
    assert "Koffie" not in page(client.get(f"/sociale-kaart/{organisation_id}"))
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert db.session.get(Offering, offering_id) is None


def png(size: tuple[int, int] = (600, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 80, 140)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_logo_is_checked_re_encoded_and_served_under_its_key(app, client_for, make_user):
    organisation_id = add_organisation(app, "Bibliotheek Cuijk")
    client = signed_in(client_for, make_user(role=Role.CONNECTOR))
    url = f"/sociale-kaart/{organisation_id}/bewerken"
    details = {**GOOD_ENTRY, "name": "Bibliotheek Cuijk", "type": "library"}
    refused = client.post(url, data={**details, "logo": (io.BytesIO(b"<svg></svg>"), "logo.png")})
    assert "Dit is geen afbeelding die we kunnen gebruiken." in page(refused)
    assert entry(app, organisation_id).logo_key is None

    client.post(url, data={**details, "logo": (io.BytesIO(png()), "logo.png")})
    key = entry(app, organisation_id).logo_key
    assert key and entry(app, organisation_id).type.value == "library"
    served = client_for("cuijk").get(f"/sociale-kaart/{organisation_id}/logo/{key}")
    assert served.status_code == 200 and served.mimetype in ("image/png", "image/jpeg")
    assert (
        client_for("cuijk").get(f"/sociale-kaart/{organisation_id}/logo/x{key}").status_code == 404
    )

    client.post(url, data={**details, "remove_logo": "y"})
    assert entry(app, organisation_id).logo_key is None
    assert (
        client_for("cuijk").get(f"/sociale-kaart/{organisation_id}/logo/{key}").status_code == 404
    )


def test_what_organisations_write_is_shown_safely(app, client_for):
    organisation_id = add_organisation(
        app,
        "<script>alert(1)</script>",
        description='<img src=x onerror="alert(2)"> [klik](javascript:alert(3))',
        offering="<b>Hulp</b>",
    )
    for url in ("/sociale-kaart", f"/sociale-kaart/{organisation_id}", "/"):
        shown = page(client_for("cuijk").get(url))
        assert "<script>alert(1)</script>" not in shown, url
        assert "<b>Hulp</b>" not in shown, url
        assert 'href="javascript' not in shown, url
        assert "<img src=x" not in shown, url


# Finding an offer


def test_filters_by_theme_and_village_and_the_whole_municipality_counts_everywhere(app, client_for):
    add_organisation(app, "Dagbesteding De Linde", themes=(Theme.CARE,), villages=("Beers",))
    add_organisation(app, "Respijt Haps", themes=(Theme.CARERS,), villages=("Haps",))
    add_organisation(app, "Steunpunt Mantelzorg", themes=(Theme.CARERS, Theme.CARE))
    add_organisation(app, "Respijt Grave", slug="grave", themes=(Theme.CARERS,))
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        beers, haps = village_id("Beers"), village_id("Haps")
    client = client_for("cuijk")

    def names(query: str) -> list[str]:
        return organisation_names(page(client.get(f"/sociale-kaart?{query}")))

    assert names("") == ["Dagbesteding De Linde", "Respijt Haps", "Steunpunt Mantelzorg"]
    assert names("theme=carers") == ["Respijt Haps", "Steunpunt Mantelzorg"]
    assert names(f"theme=carers&village={beers}") == ["Steunpunt Mantelzorg"]
    assert names(f"village={haps}") == ["Respijt Haps", "Steunpunt Mantelzorg"]
    assert names(f"theme=care&village={beers}") == [
        "Dagbesteding De Linde",
        "Steunpunt Mantelzorg",
    ]
    # Nonsense in the address is ignored, not an error.
    assert names("theme=nonsense&village=abc&page=-3") == names("")
    empty = page(client.get(f"/sociale-kaart?theme=money&village={beers}"))
    assert "Nog geen organisatie biedt dit hier aan." in empty
    assert "0 organisaties" in empty


def test_the_list_pages_through_many_organisations(app, client_for):
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        for number in range(25):
            new_organisation(f"Organisatie {number:02d}")
        db.session.commit()
    client = client_for("cuijk")
    first = page(client.get("/sociale-kaart"))
    assert len(organisation_names(first)) == 20 and "Pagina 1 van 2" in first
    second = organisation_names(page(client.get("/sociale-kaart?page=2")))
    assert second == [f"Organisatie {number}" for number in range(20, 25)]


def add_many(app, count: int) -> None:
    """`count` more organisations, half of them in two villages, written in one flush."""
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        start = db.session.scalar(sa.select(sa.func.count(Organisation.id)))
        villages = [village_id("Beers"), village_id("Haps")]
        with db.session.no_autoflush:
            for number in range(start, start + count):
                organisation = Organisation(name=f"Organisatie {number:04d}")
                offering = Offering()
                organisation.offerings.append(offering)
                save_offering(
                    offering, ["carers", "care"], villages if number % 2 else [], title="Hulp"
                )
                db.session.add(organisation)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # As autovacuum does soon after a table grows: without statistics PostgreSQL
            # takes the freshly filled tables for empty, and joins them row by row.
            db.session.execute(
                sa.text("ANALYZE organisations, offerings, offering_themes, offering_villages")
            )
            db.session.commit()


def test_the_list_costs_the_same_queries_for_10_or_1000_organisations(app, client_for, make_user):
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        beers = village_id("Beers")
    urls = ["/sociale-kaart", f"/sociale-kaart?theme=carers&village={beers}&page=2", "/"]
    reader = signed_in(client_for, make_user(role=Role.ORGANISATION))
    anonymous = client_for("cuijk")

    def costs() -> list[int]:
        found = []
        for client in (reader, anonymous):
            for url in urls:
                assert client.get(url).status_code == 200
                with counting_queries(app) as statements:
                    assert client.get(url).status_code == 200
                found.append(len(statements))
        return found

    add_many(app, 30)
    few = costs()
    add_many(app, 970)
    assert "1000 organisaties" in page(anonymous.get("/sociale-kaart"))
    assert costs() == few


# Keeping an entry: invited owners and connectors


def accept_invitation(client_for, outbox, email: str) -> None:
    message = next(m for m in outbox() if m.recipient == email)
    link = next(link for link in message.links if "/uitnodiging/" in link)
    path = re.sub(r"^https?://[^/]+", "", link)
    client = client_for("cuijk")
    response = client.post(
        path,
        data={
            "first_name": "Els",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "consent": "y",
        },
    )
    assert response.status_code == 302


def test_an_invited_organisation_keeps_its_own_entry_and_only_that(
    app, client_for, make_user, outbox
):
    mine = add_organisation(app, "Centrum Mantelzorg Cuijk")
    other = add_organisation(app, "KBO Cuijk")
    henk = signed_in(client_for, make_user(role=Role.CONNECTOR, first_name="Henk"))
    form = page(henk.get(f"/sociale-kaart/{mine}/uitnodigen"))
    assert "Nodig Centrum Mantelzorg Cuijk uit" in form
    assert (
        "Dan houd je de pagina van Centrum Mantelzorg Cuijk op de sociale kaart zelf bij." in form
    )
    refused = page(henk.post(f"/sociale-kaart/{mine}/uitnodigen", data={"email": "els@"}))
    assert "Dit is geen geldig e-mailadres" in refused
    response = henk.post(
        f"/sociale-kaart/{mine}/uitnodigen",
        data={"email": "Els@Mantelzorg.example.nl", "personal_note": "Fijn dat je meedoet!"},
    )
    assert response.status_code == 302
    [message] = outbox()
    assert "Fijn dat je meedoet!" in message.text
    assert "Uitgenodigd: els@mantelzorg.example.nl" in page(henk.get("/beheer/sociale-kaart"))

    accept_invitation(client_for, outbox, "els@mantelzorg.example.nl")
    overview = page(henk.get("/beheer/sociale-kaart"))
    assert "Els (els@mantelzorg.example.nl)" in overview and "Uitgenodigd:" not in overview
    els = client_for("cuijk")
    assert sign_in(els, "els@mantelzorg.example.nl").status_code == 302
    assert "Je houdt de pagina van Centrum Mantelzorg Cuijk bij." in page(els.get("/sociale-kaart"))
    own = page(els.get(f"/sociale-kaart/{mine}"))
    assert "Alles klopt nog" in own
    edited = els.post(
        f"/sociale-kaart/{mine}/bewerken",
        data={**GOOD_ENTRY, "phone": "0485 999 999"},
    )
    assert edited.status_code == 302
    assert entry(app, mine).phone == "0485 999 999"
    added = els.post(f"/sociale-kaart/{mine}/aanbod/nieuw", data=offering_form(title="Lotgenoten"))
    assert added.status_code == 302

    assert "Alles klopt nog" not in page(els.get(f"/sociale-kaart/{other}"))
    assert els.get(f"/sociale-kaart/{other}/bewerken").status_code == 403
    assert els.post(f"/sociale-kaart/{other}/aanbod/nieuw", data=offering_form()).status_code == 403
    assert els.post(f"/sociale-kaart/{other}/nagekeken").status_code == 403
    assert els.get(f"/sociale-kaart/{mine}/uitnodigen").status_code == 403  # connectors invite
    assert els.get("/sociale-kaart/nieuw").status_code == 403

    # Without the organisation role (taken away by a connector) the entry is no longer theirs.
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        membership = db.session.scalar(
            sa.select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(User.email == "els@mantelzorg.example.nl")
        )
        assert db.session.scalar(sa.select(Owner.organisation_id)) == mine
        membership.role = Role.RESIDENT
        db.session.commit()
    assert els.get(f"/sociale-kaart/{mine}/bewerken").status_code == 403


def test_residents_and_visitors_read_but_do_not_edit(app, client_for, make_user):
    organisation_id = add_organisation(app, "KBO Cuijk")
    resident = signed_in(client_for, make_user())
    assert "Alles klopt nog" not in page(resident.get(f"/sociale-kaart/{organisation_id}"))
    for url in (
        f"/sociale-kaart/{organisation_id}/bewerken",
        f"/sociale-kaart/{organisation_id}/aanbod/nieuw",
        f"/sociale-kaart/{organisation_id}/nagekeken",
        f"/sociale-kaart/{organisation_id}/verwijderen",
    ):
        assert resident.post(url, data=GOOD_ENTRY).status_code == 403, url
        assert client_for("cuijk").post(url).status_code == 302, url  # to sign in
    assert entry(app, organisation_id).phone == ""


def test_a_blocked_owner_cannot_change_the_entry(app, client_for, make_user):
    organisation_id = add_organisation(app, "KBO Cuijk")
    owner = make_user(role=Role.ORGANISATION)
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == owner.id))
        membership.blocked_at = utcnow()
        db.session.add(Owner(organisation_id=organisation_id, membership_id=membership.id))
        db.session.commit()
    client = signed_in(client_for, owner)
    assert client.get(f"/sociale-kaart/{organisation_id}/bewerken").status_code == 403
    assert client.post(f"/sociale-kaart/{organisation_id}/nagekeken").status_code == 403


def test_a_connector_removes_an_organisation_with_its_offers(app, client_for, make_user):
    organisation_id = add_organisation(app, "Oud initiatief")
    client = signed_in(client_for, make_user(role=Role.CONNECTOR))
    assert "Oud initiatief" in page(client.get(f"/sociale-kaart/{organisation_id}/verwijderen"))
    assert client.post(f"/sociale-kaart/{organisation_id}/verwijderen").status_code == 302
    assert entry(app, organisation_id) is None
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert db.session.scalar(sa.select(sa.func.count(Offering.id))) == 0
        assert db.session.scalar(sa.select(AuditEntry.action)) == "directory.organisation_removed"


def test_another_municipality_s_entry_is_a_404(app, client_for, make_user):
    grave_id = add_organisation(app, "KBO Grave", slug="grave")
    client = signed_in(client_for, make_user(role=Role.CONNECTOR))
    for url in (
        f"/sociale-kaart/{grave_id}",
        f"/sociale-kaart/{grave_id}/bewerken",
        f"/sociale-kaart/{grave_id}/aanbod/nieuw",
        f"/sociale-kaart/{grave_id}/uitnodigen",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/sociale-kaart/{grave_id}/nagekeken").status_code == 404
    assert "KBO Grave" not in page(client.get("/sociale-kaart"))


# Checking an entry every six months


def test_an_entry_not_checked_for_six_months_says_so_until_someone_checks_it(
    app, client_for, make_user
):
    organisation_id = add_organisation(
        app, "KBO Cuijk", reviewed_at=utcnow() - REVIEW_AFTER - timedelta(days=1)
    )
    shown = page(client_for("cuijk").get(f"/sociale-kaart/{organisation_id}"))
    assert "Dat is meer dan een half jaar geleden" in shown
    connector = signed_in(client_for, make_user(role=Role.CONNECTOR))
    overview = page(connector.get("/beheer/sociale-kaart"))
    assert "1 pagina is een half jaar niet nagekeken." in overview
    response = connector.post(f"/sociale-kaart/{organisation_id}/nagekeken")
    assert response.status_code == 302
    shown = page(client_for("cuijk").get(f"/sociale-kaart/{organisation_id}"))
    assert "Dat is meer dan een half jaar geleden" not in shown
    assert entry(app, organisation_id).reviewed_at > utcnow() - timedelta(minutes=1)


def add_owner(app, make_user, organisation_id: int, email: str) -> User:
    owner = make_user(role=Role.ORGANISATION, email=email, first_name="Els")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        membership_id = db.session.scalar(
            sa.select(Membership.id).where(Membership.user_id == owner.id)
        )
        db.session.add(Owner(organisation_id=organisation_id, membership_id=membership_id))
        db.session.commit()
    return owner


def sweep(app, moment) -> None:
    with time_machine.travel(moment, tick=False), app.app_context():
        municipality_sweep(tenant_by_slug("cuijk").id, moment.timestamp())


def reminders(outbox) -> list[str]:
    return [m.recipient for m in outbox() if m.subject.startswith("Klopt de pagina van")]


def test_owners_are_reminded_once_per_period_also_after_downtime(app, make_user, outbox):
    start = utcnow()
    organisation_id = add_organisation(app, "KBO Cuijk", reviewed_at=start)
    add_owner(app, make_user, organisation_id, "els@kbo.example.nl")
    add_owner(app, make_user, organisation_id, "piet@kbo.example.nl")
    add_organisation(app, "Zonder eigenaar", reviewed_at=start)  # the connectors' overview shows it

    sweep(app, start + REVIEW_AFTER - timedelta(hours=1))
    assert reminders(outbox) == []
    # Two ticks in the period (the second after a week of downtime): one reminder each.
    sweep(app, start + REVIEW_AFTER + timedelta(minutes=5))
    sweep(app, start + REVIEW_AFTER + timedelta(days=7))
    assert sorted(reminders(outbox)) == ["els@kbo.example.nl", "piet@kbo.example.nl"]
    [message] = [m for m in outbox() if m.recipient == "els@kbo.example.nl"]
    assert message.subject == "Klopt de pagina van KBO Cuijk nog?"
    assert f"/sociale-kaart/{organisation_id}" in message.text

    # Still not checked six months later: a new period, one more reminder each.
    sweep(app, start + 2 * REVIEW_AFTER + timedelta(days=1))
    sweep(app, start + 2 * REVIEW_AFTER + timedelta(days=2))
    assert len(reminders(outbox)) == 4


def test_two_sweeps_at_once_remind_each_owner_once(app, make_user, outbox, monkeypatch):
    """Both sweeps find the reminder not yet recorded before either records it. The email's
    unique ledger key lets one of them record it; the other records nothing (PostgreSQL: the
    key's unique index refuses it) or fails to write and is retried later (SQLite allows one
    writer), when the ledger has it."""
    start = utcnow()
    organisation_id = add_organisation(app, "KBO Cuijk", reviewed_at=start)
    add_owner(app, make_user, organisation_id, "els@kbo.example.nl")
    both_looked = threading.Barrier(2, timeout=10)
    real_queue_email = directory_reviews.queue_email

    def after_both_looked(*args, **kwargs):
        both_looked.wait()
        return real_queue_email(*args, **kwargs)

    monkeypatch.setattr(directory_reviews, "queue_email", after_both_looked)
    moment = start + REVIEW_AFTER + timedelta(days=1)
    failures: list[Exception] = []

    def sweep_in_thread() -> None:
        with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
            try:
                directory_reviews.remind_to_review(moment)
            except OperationalError as error:  # SQLite: the other sweep holds the write lock
                failures.append(error)

    threads = [threading.Thread(target=sweep_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not both_looked.broken  # both got as far as recording the email
    assert len(failures) <= 1
    monkeypatch.setattr(directory_reviews, "queue_email", real_queue_email)
    sweep(app, moment + timedelta(minutes=5))  # the retry
    assert reminders(outbox) == ["els@kbo.example.nl"]


def test_after_a_check_the_next_reminder_waits_six_months(app, client_for, make_user, outbox):
    start = utcnow()
    organisation_id = add_organisation(app, "KBO Cuijk", reviewed_at=start)
    owner = add_owner(app, make_user, organisation_id, "els@kbo.example.nl")
    sweep(app, start + REVIEW_AFTER + timedelta(days=1))
    assert len(reminders(outbox)) == 1

    checked = start + REVIEW_AFTER + timedelta(days=2)
    with time_machine.travel(checked, tick=False):
        client = signed_in(client_for, owner)
        assert client.post(f"/sociale-kaart/{organisation_id}/nagekeken").status_code == 302
    sweep(app, checked + timedelta(days=30))
    assert len(reminders(outbox)) == 1
    sweep(app, checked + REVIEW_AFTER + timedelta(hours=1))
    assert len(reminders(outbox)) == 2


def test_the_reminder_is_in_the_owner_s_language(app, make_user, outbox):
    start = utcnow()
    organisation_id = add_organisation(app, "KBO Cuijk", reviewed_at=start)
    owner = add_owner(app, make_user, organisation_id, "els@kbo.example.nl")
    with app.app_context():
        db.session.get(User, owner.id).locale = "en"
        db.session.commit()
    sweep(app, start + REVIEW_AFTER + timedelta(days=1))
    [message] = outbox()
    assert message.subject == "Is the page of KBO Cuijk still right?"


# The home page and Beheer


def test_the_home_page_shows_organisations_to_know(app, client_for):
    assert "Organisaties om te kennen" not in page(client_for("cuijk").get("/"))
    add_organisation(app, "Centrum Mantelzorg Cuijk", phone="0485 123 456")
    home = page(client_for("cuijk").get("/"))
    assert "Organisaties om te kennen" in home and "Centrum Mantelzorg Cuijk" in home
    assert "Centrum Mantelzorg Cuijk" not in page(client_for("grave").get("/"))
    english = page(in_english(client_for("cuijk")).get("/"))
    assert "Organisations to know" in english


def test_beheer_lists_the_sociale_kaart_for_connectors_only(app, client_for, make_user):
    connector = signed_in(client_for, make_user(role=Role.CONNECTOR))
    assert "/beheer/sociale-kaart" in page(connector.get("/beheer/"))
    empty = page(connector.get("/beheer/sociale-kaart"))
    assert "Er staan nog geen organisaties op de sociale kaart." in empty
    coordinator = signed_in(client_for, make_user(role=Role.COORDINATOR))
    assert coordinator.get("/beheer/sociale-kaart").status_code == 403


def test_the_demo_gives_each_municipality_its_own_sociale_kaart(app, client_for):
    with app.app_context():
        load_demo()
        load_demo()  # a second run adds nothing
    found = {}
    with app.app_context():
        for slug in ("cuijk", "grave", "mill", "sint-anthonis"):
            with tenant_context(tenant_by_slug(slug)):
                names = set(db.session.scalars(sa.select(Organisation.name)))
                kept = db.session.scalars(
                    sa.select(Organisation.name).join(Owner).order_by(Organisation.name)
                ).all()
                assert db.session.scalar(sa.select(sa.func.count(Offering.id))) >= len(names)
                found[slug] = (names, kept)
    assert all(len(names) >= 3 for names, _kept in found.values())
    everything = [name for names, _kept in found.values() for name in names]
    assert len(everything) == len(set(everything))  # no copies across municipalities
    assert found["cuijk"][1] == ["Bibliotheek Cuijk"]  # the demo organisation keeps its own
    assert "Dagbesteding De Linde" in organisation_names(
        page(client_for("cuijk").get("/sociale-kaart"))
    )


def test_a_search_finds_an_organisation_by_what_it_offers_here_and_on_the_whole_site(
    app, client_for, make_user
):
    kbo = add_organisation(app, "KBO Cuijk", offering="Ouderenadviseur", themes=(Theme.MONEY,))
    add_organisation(app, "Centrum Mantelzorg", offering="Respijtzorg voor mantelzorgers")
    add_organisation(app, "Respijt Grave", slug="grave", offering="Respijtzorg")
    client = client_for("cuijk")
    assert organisation_names(page(client.get("/sociale-kaart?q=respijtzorg"))) == [
        "Centrum Mantelzorg"
    ]
    assert organisation_names(page(client.get("/sociale-kaart?q=ouderenadviseurs"))) == [
        "KBO Cuijk"
    ]
    assert organisation_names(page(client.get("/sociale-kaart?q=kbo&theme=money"))) == ["KBO Cuijk"]
    everywhere = page(client.get("/zoeken?q=respijtzorg"))
    assert "Centrum Mantelzorg" in everywhere and "Respijt Grave" not in everywhere

    # What an offering says after a change is what the search finds.
    connector = signed_in(client_for, make_user(role=Role.CONNECTOR))
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        offering_id = db.session.scalar(
            sa.select(Offering.id).where(Offering.organisation_id == kbo)
        )
    connector.post(
        f"/sociale-kaart/{kbo}/aanbod/{offering_id}/bewerken",
        data=offering_form(title="Belastinghulp", themes=["money"]),
    )
    assert organisation_names(page(client.get("/sociale-kaart?q=belastinghulp"))) == ["KBO Cuijk"]
    assert organisation_names(page(client.get("/sociale-kaart?q=ouderenadviseur"))) == []
    connector.post(f"/sociale-kaart/{kbo}/aanbod/{offering_id}/verwijderen")
    assert organisation_names(page(client.get("/sociale-kaart?q=belastinghulp"))) == []
