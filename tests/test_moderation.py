"""Moderation: reports with reason codes reach the connectors at once and wait in a queue;
connectors hide, show again or approve what was posted, with a reason the author is told and
may answer once; enough reports from different members hide content until reviewed; a new
member's first ask or offer can wait for approval; every decision is in the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from buurtplatform.accounts.models import Role, User
from buurtplatform.beheer.models import AuditEntry, Decision
from buurtplatform.conversations.models import Message, Report
from buurtplatform.extensions import db
from buurtplatform.listings.models import HelperCategory, Kind, Listing
from buurtplatform.notifications.models import Frequency, Topic
from buurtplatform.notifications.services import membership_of, set_frequency
from buurtplatform.timestamps import utcnow
from jobs.digests import covered_week, municipality_section
from jobs.periods import current_week
from jobs.reminders import unanswered_asks
from tenants.models import Tenant
from tenants.scoping import tenant_context
from tests.helpers import all_emails, tenant_by_slug
from tests.listing_helpers import (
    add_listing,
    category_id,
    in_english,
    listing_row,
    page,
    signed_in,
    village_ids,
)

SPAM = {"reason_code": "spam", "reason": "Hij verkoopt zonnepanelen."}


def rows(app, model, slug: str = "cuijk") -> list:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        found = db.session.scalars(sa.select(model).order_by(model.id)).all()
        db.session.expunge_all()
        return found


def set_tenant(app, slug: str = "cuijk", **values: object) -> None:
    with app.app_context():
        tenant = tenant_by_slug(slug)
        for name, value in values.items():
            setattr(tenant, name, value)
        db.session.commit()


def emails_of(app, kind: str) -> list:
    return [email for email in all_emails(app) if email.kind == kind]


@pytest.fixture
def annie(make_user) -> User:
    return make_user(email="annie@example.nl", first_name="Annie")


@pytest.fixture
def bob(make_user) -> User:
    return make_user(email="bob@example.nl", first_name="Bob")


@pytest.fixture
def henk(make_user) -> User:
    """The connector of Cuijk, who reads Dutch."""
    return make_user(role=Role.CONNECTOR, email="henk@example.nl", first_name="Henk")


@pytest.fixture
def connie(app, make_user) -> User:
    """Another connector of Cuijk, who reads English."""
    user = make_user(role=Role.CONNECTOR, email="connie@example.nl", first_name="Connie")
    with app.app_context():
        db.session.get(User, user.id).locale = "en"
        db.session.commit()
    return user


@pytest.fixture
def ask(app, annie) -> int:
    return add_listing(app, annie, title="Zonnepanelen met korting", description="Bel mij.")


@pytest.fixture
def connector(client_for, henk):
    return signed_in(client_for, henk)


@pytest.fixture
def conversation(app, client_for, annie, bob, ask) -> tuple[int, list[int]]:
    """Bob replied to Annie's ask twice: (conversation id, his message ids)."""
    bob_client = signed_in(client_for, bob)
    bob_client.post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": "Ik help je graag."})
    bob_client.post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": "Stuur mij je pincode."})
    messages = rows(app, Message)
    return messages[0].conversation_id, [m.id for m in messages]


def report_listing(client, listing_id: int, data: dict | None = None):
    return client.post(f"/vraag-en-aanbod/{listing_id}/melden", data=data or SPAM)


def hide(client, url: str, reason: str = "Dit is reclame, dat mag hier niet."):
    return client.post(url, data={"decision": "hide", "reason": reason})


# Reporting


def test_a_report_needs_a_reason_and_words_for_something_else(app, client_for, bob, ask):
    client = signed_in(client_for, bob)
    form = page(client.get(f"/vraag-en-aanbod/{ask}/melden"))
    for label in ("Spam of reclame", "Onaardig of kwetsend", "Iets anders"):
        assert label in form
    nothing = page(report_listing(client, ask, {"reason": ""}))
    assert "Kies wat er niet klopt." in nothing
    other = page(report_listing(client, ask, {"reason_code": "other", "reason": " "}))
    assert "vertel kort wat er niet klopt." in other
    made_up = page(report_listing(client, ask, {"reason_code": "boos"}))
    assert "error-summary" in made_up
    assert rows(app, Report) == []

    response = report_listing(client, ask, {"reason_code": "rude"})
    assert response.location == f"/vraag-en-aanbod/{ask}"
    [report] = rows(app, Report)
    assert (report.reason_code, report.reason) == ("rude", "")


def test_a_report_emails_each_connector_once_in_their_language(
    app, client_for, make_user, outbox, bob, ask, henk, connie
):
    make_user(role=Role.COORDINATOR, email="wendy@example.nl")
    make_user(role=Role.CONNECTOR, slug="grave", email="grave@example.nl")
    client = signed_in(client_for, bob)
    response = report_listing(client, ask)
    assert "Een buurtverbinder gaat ernaar kijken." in page(client.get(response.location))

    emails = {m.recipient: m for m in outbox()}
    assert set(emails) == {"henk@example.nl", "connie@example.nl"}
    dutch, english = emails["henk@example.nl"], emails["connie@example.nl"]
    assert dutch.subject.startswith("Gemeld op ")
    assert dutch.subject.endswith(": Zonnepanelen met korting")
    assert "Wat er niet klopt: Spam of reclame" in dutch.text
    assert "Hij verkoopt zonnepanelen." in dutch.text
    assert english.subject.startswith("Reported on")
    assert "Bob" not in dutch.text + english.text  # who reported it is not in the email
    assert f"http://cuijk.buurt.test/beheer/meldingen/vraag-en-aanbod/{ask}" in dutch.links
    # Exactly once: one recorded email per connector for this report.
    assert len(emails_of(app, "report_received")) == 2


def test_the_queue_groups_reports_per_item_oldest_first(
    app, client_for, make_user, annie, ask, connector, conversation
):
    newer = add_listing(app, annie, title="Nog een bericht")
    first, second = (signed_in(client_for, make_user()) for _ in range(2))
    report_listing(first, ask)
    report_listing(second, ask, {"reason_code": "unsafe"})
    report_listing(second, newer)
    assert connector.get("/beheer/").status_code == 200
    assert 'href="/beheer/meldingen"' in page(connector.get("/beheer/"))

    queue = page(connector.get("/beheer/meldingen"))
    assert "2 meldingen" in queue
    assert "1 melding</strong>" in queue
    assert queue.index("Zonnepanelen met korting") < queue.index("Nog een bericht")
    assert "Spam of reclame" in queue and "Onveilig, of oplichting" in queue


def test_a_connector_sees_only_the_one_reported_message(
    app, client_for, annie, connector, conversation
):
    conversation_id, (_kind, rude) = conversation
    annie_client = signed_in(client_for, annie)
    response = annie_client.post(
        f"/berichten/{rude}/melden", data={"reason_code": "unsafe", "reason": "Geld"}
    )
    assert response.location == f"/gesprekken/{conversation_id}"

    queue = page(connector.get("/beheer/meldingen"))
    assert "Stuur mij je pincode." in queue
    review = page(connector.get(f"/beheer/meldingen/bericht/{rude}"))
    assert "Stuur mij je pincode." in review
    assert "Ik help je graag." not in review
    assert "Bericht van Bob" in review
    # The conversation itself stays closed to the connector.
    assert connector.get(f"/gesprekken/{conversation_id}").status_code == 404


# Hiding, telling the author, answering once


def test_hiding_a_listing_takes_it_off_every_list_and_tells_the_author(
    app, client_for, outbox, make_user, annie, bob, ask, connector
):
    offer = add_listing(app, annie, kind=Kind.OFFER, title="Ik verkoop zonnepanelen")
    report_listing(signed_in(client_for, bob), offer)
    visitor = client_for("cuijk")
    assert "Ik verkoop zonnepanelen" in page(visitor.get("/vraag-en-aanbod?q=zonnepanelen"))

    review_url = f"/beheer/meldingen/vraag-en-aanbod/{offer}"
    assert f'href="{review_url}"' in page(connector.get(f"/vraag-en-aanbod/{offer}"))
    assert f'href="{review_url}"' not in page(
        signed_in(client_for, bob).get(f"/vraag-en-aanbod/{offer}")
    )
    form = page(connector.get(review_url))
    assert "Niets aan de hand: laten staan" in form and "Verbergen" in form
    assert "Schrijf kort waarom je dit besluit." in page(hide(connector, review_url, ""))
    assert listing_row(app, offer).hidden_at is None
    assert hide(connector, review_url).location == "/beheer/meldingen"

    for path in ("/vraag-en-aanbod", "/vraag-en-aanbod?q=zonnepanelen", "/", "/wie-helpt"):
        assert "Ik verkoop zonnepanelen" not in page(visitor.get(path)), path
    assert "Zonnepanelen met korting" in page(visitor.get("/vraag-en-aanbod"))
    assert visitor.get(f"/vraag-en-aanbod/{offer}").status_code == 404
    assert signed_in(client_for, bob).get(f"/vraag-en-aanbod/{offer}").status_code == 404
    annie_client = signed_in(client_for, annie)
    own = page(annie_client.get(f"/vraag-en-aanbod/{offer}"))
    assert "Verborgen door een buurtverbinder" in own
    assert "Dit is reclame, dat mag hier niet." in own
    assert "Verborgen door een buurtverbinder" in page(annie_client.get("/mijn/vraag-en-aanbod"))

    [told] = [m for m in outbox() if m.recipient == "annie@example.nl"]
    assert told.subject == "Je hulpaanbod is verborgen: Ik verkoop zonnepanelen"
    assert "Waarom: Dit is reclame, dat mag hier niet." in told.text
    assert "Bob" not in told.text
    [decision] = rows(app, Decision)
    assert f"http://cuijk.buurt.test/beheer/besluit/{decision.id}" in told.links
    assert all(report.handled_at for report in rows(app, Report))
    [entry] = [e for e in rows(app, AuditEntry) if e.action == "moderation.hidden"]
    assert (entry.subject, entry.reason) == (
        "Ik verkoop zonnepanelen",
        "Dit is reclame, dat mag hier niet.",
    )
    assert "Er is niets gemeld." in page(connector.get("/beheer/meldingen"))


def test_a_hidden_message_is_hidden_for_both_sides(
    app, client_for, annie, bob, connector, conversation
):
    conversation_id, (_kind, rude) = conversation
    hide(connector, f"/beheer/meldingen/bericht/{rude}", "Vraag nooit om een pincode.")
    hidden = "Dit bericht is verborgen door een buurtverbinder."
    for person in (annie, bob):
        thread = page(signed_in(client_for, person).get(f"/gesprekken/{conversation_id}"))
        assert hidden in thread
        assert "Stuur mij je pincode." not in thread
        assert "Ik help je graag." in thread
    [decision] = rows(app, Decision)
    assert decision.author_id == bob.id


def test_the_author_answers_a_decision_once(
    app, client_for, outbox, make_user, annie, bob, ask, connector, henk
):
    hide(connector, f"/beheer/meldingen/vraag-en-aanbod/{ask}")
    [decision] = rows(app, Decision)
    url = f"/beheer/besluit/{decision.id}"
    for someone in (bob, henk):
        assert signed_in(client_for, someone).get(url).status_code == 404
    assert client_for("cuijk").get(url).location.startswith("/inloggen")

    annie_client = signed_in(client_for, annie)
    assert "Ben je het er niet mee eens?" in page(annie_client.get(url))
    assert "Schrijf eerst je reactie." in page(annie_client.post(url, data={"reply": ""}))
    before = len(outbox())
    response = annie_client.post(url, data={"reply": "Het is een gratis aanbod."})
    assert response.location == url
    # A second answer changes nothing: the page shows the first.
    answered = page(annie_client.post(url, data={"reply": "Nog iets."}))
    assert "Het is een gratis aanbod." in answered and "Nog iets." not in answered
    assert "textarea" not in answered

    [told] = outbox()[: len(outbox()) - before]
    assert told.recipient == "henk@example.nl"
    assert "Het is een gratis aanbod." in told.text
    assert [d.reply for d in rows(app, Decision)] == ["Het is een gratis aanbod."]
    queue = page(connector.get("/beheer/meldingen"))
    assert "Het is een gratis aanbod." in queue
    # Showing it again deals with the answer.
    connector.post(
        f"/beheer/meldingen/vraag-en-aanbod/{ask}",
        data={"decision": "show", "reason": "Het is inderdaad gratis."},
    )
    assert "Het is een gratis aanbod." not in page(connector.get("/beheer/meldingen"))
    assert "Zonnepanelen met korting" in page(client_for("cuijk").get("/vraag-en-aanbod"))
    shown = outbox()[0]
    assert (shown.recipient, shown.subject) == (
        "annie@example.nl",
        "Je hulpvraag is weer te zien: Zonnepanelen met korting",
    )
    assert "Waarom: Het is inderdaad gratis." in shown.text
    assert f"http://cuijk.buurt.test/vraag-en-aanbod/{ask}" in shown.links
    actions = [e.action for e in rows(app, AuditEntry)]
    assert actions == ["moderation.hidden", "moderation.restored"]


def test_nothing_wrong_keeps_it_and_closes_the_reports(
    app, client_for, outbox, bob, ask, henk, connector
):
    report_listing(signed_in(client_for, bob), ask)
    url = f"/beheer/meldingen/vraag-en-aanbod/{ask}"
    connector.post(url, data={"decision": "show", "reason": "Gewoon een vraag."})
    assert listing_row(app, ask).is_public
    assert all(report.handled_at for report in rows(app, Report))
    [entry] = rows(app, AuditEntry)
    assert (entry.action, entry.reason, entry.actor_id) == (
        "moderation.dismissed",
        "Gewoon een vraag.",
        henk.id,
    )
    assert rows(app, Decision) == []
    assert "annie@example.nl" not in {m.recipient for m in outbox()}


# Hidden automatically


def test_reports_from_enough_different_members_hide_until_reviewed(
    app, client_for, outbox, make_user, annie, ask, henk, connector
):
    set_tenant(app, report_hide_threshold=2)
    first, second = (signed_in(client_for, make_user()) for _ in range(2))
    report_listing(first, ask)
    report_listing(first, ask, {"reason_code": "rude"})  # the same person counts once
    assert listing_row(app, ask).is_public
    report_listing(second, ask)
    assert listing_row(app, ask).hidden_at is not None
    assert client_for("cuijk").get(f"/vraag-en-aanbod/{ask}").status_code == 404
    own = page(signed_in(client_for, annie).get(f"/vraag-en-aanbod/{ask}"))
    assert "Verborgen na meldingen" in own

    [entry] = rows(app, AuditEntry)
    assert (entry.action, entry.actor_id) == ("moderation.hidden_automatically", None)
    newest = next(m for m in outbox() if m.recipient == "henk@example.nl")
    assert "daarom is het nu verborgen" in newest.text
    assert not [m for m in outbox() if m.recipient == "annie@example.nl"]
    log = page(connector.get("/beheer/logboek"))
    assert "Het platform" in log

    # Keeping it hidden tells the author now, with the reason.
    hide(connector, f"/beheer/meldingen/vraag-en-aanbod/{ask}", "Oplichting.")
    assert [m.subject for m in outbox() if m.recipient == "annie@example.nl"] == [
        "Je hulpvraag is verborgen: Zonnepanelen met korting"
    ]


# First posts that wait


def post_ask(client, title: str = "Wie doet mijn boodschappen?", app=None):
    return client.post(
        "/vraag-en-aanbod/nieuw",
        data={
            "kind": "ask",
            "category": category_id(app),
            "village": village_ids(app)["Beers"],
            "title": title,
            "description": "Eens per week.",
            "timing": "flexible",
        },
    )


def listings_by_title(app) -> dict[str, Listing]:
    return {listing.title: listing for listing in rows(app, Listing)}


@pytest.fixture
def helper(app, make_user) -> User:
    """Someone who wants an email at once about every new shopping ask."""
    user = make_user(email="helper@example.nl", first_name="Hans")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        member = membership_of(user.id)
        member.offers_help, member.village_id = True, village_ids(app)["Beers"]
        db.session.add(HelperCategory(membership_id=member.id, category_id=category_id(app)))
        set_frequency(member.id, Topic.NEW_ASKS, Frequency.IMMEDIATELY)
        db.session.commit()
    return user


def test_without_the_setting_a_first_ask_is_on_the_site_at_once(
    app, client_for, outbox, annie, henk, helper
):
    post_ask(signed_in(client_for, annie), app=app)
    assert "Wie doet mijn boodschappen?" in page(client_for("cuijk").get("/vraag-en-aanbod"))
    assert {m.recipient for m in outbox()} == {"helper@example.nl"}


def test_a_new_members_first_ask_waits_for_approval(
    app, client_for, outbox, make_user, annie, henk, helper, connector
):
    set_tenant(app, approve_first_posts=True)
    annie_client = signed_in(client_for, annie)
    response = post_ask(annie_client, app=app)
    assert "kijkt eerst naar je eerste bericht" in page(annie_client.get(response.location))
    waiting = listings_by_title(app)["Wie doet mijn boodschappen?"]
    assert waiting.awaiting_approval
    assert "Wie doet mijn boodschappen?" not in page(client_for("cuijk").get("/vraag-en-aanbod"))
    assert client_for("cuijk").get(f"/vraag-en-aanbod/{waiting.id}").status_code == 404
    assert "Wacht op goedkeuring" in page(annie_client.get(f"/vraag-en-aanbod/{waiting.id}"))
    assert "Wacht op goedkeuring" in page(annie_client.get("/mijn/vraag-en-aanbod"))
    assert [m.recipient for m in outbox()] == ["henk@example.nl"]  # helpers hear nothing yet
    assert "Wacht op jouw goedkeuring" in outbox()[0].subject
    assert "Wie doet mijn boodschappen?" in page(connector.get("/beheer/meldingen"))

    # Approving needs no reason; then the helpers hear of the ask.
    url = f"/beheer/meldingen/vraag-en-aanbod/{waiting.id}"
    assert "Goedkeuren: op de site zetten" in page(connector.get(url))
    connector.post(url, data={"decision": "show", "reason": ""})
    assert "Wie doet mijn boodschappen?" in page(client_for("cuijk").get("/vraag-en-aanbod"))
    assert "helper@example.nl" in {m.recipient for m in outbox()}
    [approval] = [m for m in outbox() if m.recipient == "annie@example.nl"]
    assert approval.subject == "Je hulpvraag staat op de site: Wie doet mijn boodschappen?"
    assert [e.action for e in rows(app, AuditEntry)] == ["moderation.approved"]

    # Her next ask does not wait; nor does a coordinator's first.
    post_ask(annie_client, "Wie helpt met de tuin?", app=app)
    wendy = signed_in(client_for, make_user(role=Role.COORDINATOR))
    post_ask(wendy, "Vraag van de sociaal werker", app=app)
    found = listings_by_title(app)
    assert not found["Wie helpt met de tuin?"].awaiting_approval
    assert not found["Vraag van de sociaal werker"].awaiting_approval


def test_a_first_ask_that_is_not_approved_is_hidden_with_a_reason(
    app, client_for, outbox, annie, henk, helper, connector
):
    set_tenant(app, approve_first_posts=True)
    post_ask(signed_in(client_for, annie), app=app)
    waiting = listings_by_title(app)["Wie doet mijn boodschappen?"]
    url = f"/beheer/meldingen/vraag-en-aanbod/{waiting.id}"
    assert "Schrijf kort waarom" in page(connector.post(url, data={"decision": "hide"}))
    hide(connector, url, "Zet je telefoonnummer niet in je bericht.")
    row = listing_row(app, waiting.id)
    assert (row.awaiting_approval, row.hidden_reason) == (
        False,
        "Zet je telefoonnummer niet in je bericht.",
    )
    told = [m for m in outbox() if m.recipient == "annie@example.nl"]
    assert [m.subject for m in told] == [
        "Je hulpvraag staat niet op de site: Wie doet mijn boodschappen?"
    ]
    assert "helper@example.nl" not in {m.recipient for m in outbox()}
    assert [e.action for e in rows(app, AuditEntry)] == ["moderation.rejected"]


def test_the_coordinators_digest_leaves_hidden_listings_out(app, annie, ask):
    shown = add_listing(app, annie, title="Wie helpt in de tuin?")
    now = utcnow()
    span = covered_week(current_week(now))  # the week the digest is about
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        db.session.get(Listing, ask).hidden_at = now
        for listing in db.session.scalars(sa.select(Listing)):
            listing.created_at = span.start + timedelta(days=1)
        db.session.commit()
        section = municipality_section(span, now)
        assert [listing.id for listing in section.new_listings] == [shown]


def test_hidden_asks_are_not_in_reminders(app, annie, ask):
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        listing = db.session.get(Listing, ask)
        listing.created_at = utcnow() - timedelta(days=5)
        db.session.commit()
        later = utcnow() + timedelta(days=1)
        assert [row.id for row in db.session.scalars(unanswered_asks(later, utcnow()))] == [ask]
        listing.hidden_at = utcnow()
        db.session.commit()
        assert db.session.scalars(unanswered_asks(later, utcnow())).all() == []


# Settings


def test_moderation_settings(app, client_for, connector):
    queue = page(connector.get("/beheer/meldingen"))
    assert 'name="report_hide_threshold"' in queue and 'value="3"' in queue
    for bad in ("0", "11", "drie", ""):
        response = connector.post(
            "/beheer/meldingen/instellingen", data={"report_hide_threshold": bad}
        )
        assert response.status_code == 200
        assert "Vul een getal van 1 tot 10 in." in page(response)
    with app.app_context():
        assert tenant_by_slug("cuijk").report_hide_threshold == 3

    response = connector.post(
        "/beheer/meldingen/instellingen",
        data={"report_hide_threshold": "5", "approve_first_posts": "y"},
    )
    assert response.location == "/beheer/meldingen"
    with app.app_context():
        tenant = tenant_by_slug("cuijk")
        assert (tenant.report_hide_threshold, tenant.approve_first_posts) == (5, True)
        assert (
            db.session.scalar(sa.select(Tenant.report_hide_threshold).where(Tenant.slug == "grave"))
            == 3
        )
    [entry] = rows(app, AuditEntry)
    assert entry.action == "moderation.settings_changed"


# Who may


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.ORGANISATION, Role.COORDINATOR])
def test_only_connectors_and_platform_admins_moderate(app, client_for, make_user, ask, role):
    client = signed_in(client_for, make_user(role=role))
    review = f"/beheer/meldingen/vraag-en-aanbod/{ask}"
    assert client.get("/beheer/meldingen").status_code == 403
    assert client.get(review).status_code == 403
    assert hide(client, review).status_code == 403
    assert (
        client.post(
            "/beheer/meldingen/instellingen", data={"report_hide_threshold": "1"}
        ).status_code
        == 403
    )
    assert listing_row(app, ask).is_public

    admin = signed_in(client_for, make_user(None, admin=True))
    assert admin.get("/beheer/meldingen").status_code == 200
    assert hide(admin, review).location == "/beheer/meldingen"
    assert listing_row(app, ask).hidden_at is not None


def test_another_municipalitys_content_is_not_found(app, client_for, make_user, annie):
    grave_ask = add_listing(app, annie, "grave")
    cuijk_connector = signed_in(client_for, make_user(role=Role.CONNECTOR))
    url = f"/beheer/meldingen/vraag-en-aanbod/{grave_ask}"
    assert cuijk_connector.get(url).status_code == 404
    assert hide(cuijk_connector, url).status_code == 404
    assert listing_row(app, grave_ask, "grave").is_public


def test_the_queue_in_english(client_for, connector):
    queue = page(in_english(connector).get("/beheer/meldingen"))
    assert "Nothing is reported." in queue
