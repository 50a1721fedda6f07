"""AVG self-service: a person downloads their data as a ZIP and deletes their account.

Annie lives in Cuijk and is a member of Grave too. In Cuijk she asked for help (Bob replied,
and they wrote to each other), put a photo on the prikbord, comes to a full coffee morning
(Carla waits for a place) and organises a walk; staff wrote a note on her ask. In Grave she
has an ask of her own. Bob has an ask in Cuijk too.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa

from buurtplatform import storage
from buurtplatform.accounts.models import Membership, Role, User, UserSession
from buurtplatform.activities.models import Activity, Signup, SignupStatus
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.board.models import BoardPost, PostKind
from buurtplatform.callbacks.models import CallbackRequest
from buurtplatform.callbacks.models import Outcome as CallbackOutcome
from buurtplatform.conversations.models import Conversation, Message, Report
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing, OfflinePerson, Status
from buurtplatform.matches.models import ASK_SLOT, Match
from buurtplatform.notifications.models import Frequency, NotificationPreference, Topic
from buurtplatform.own_data.data_export import COVERED
from buurtplatform.retention.jobs import remove_unverified_accounts
from buurtplatform.timestamps import utcnow
from buurtplatform.werkbank.models import StaffNote
from jobs.reminders import send_follow_ups
from tenants.models import Village
from tenants.scoping import ALL_TENANTS, tenant_context
from tests.activity_helpers import add_activity, next_weekday
from tests.helpers import PASSWORD, all_emails, sign_in, tenant_by_slug
from tests.listing_helpers import add_listing, page, signed_in

PHOTO = b"\x89PNG a photo of the garden"


@dataclass
class World:
    annie: User
    bob: User
    carla: User
    ask: int
    grave_ask: int
    bob_ask: int
    post: int
    photo_key: str
    coffee: int
    walk: int
    conversation: int


def _join(app, user: User, slug: str) -> None:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        village = db.session.scalar(sa.select(Village).order_by(Village.id))
        db.session.add(Membership(user_id=user.id, village_id=village.id))
        db.session.commit()


@pytest.fixture
def world(app, make_user, client_for) -> World:
    annie = make_user("cuijk", email="annie@example.nl", first_name="Annie")
    bob = make_user("cuijk", email="bob@example.nl", first_name="Bob")
    carla = make_user("cuijk", email="carla@example.nl", first_name="Carla")
    coordinator = make_user("cuijk", Role.COORDINATOR, first_name="Ria")
    _join(app, annie, "grave")
    ask = add_listing(app, annie, title="Boodschappen op vrijdag", description="Elke vrijdag.")
    grave_ask = add_listing(app, annie, "grave", title="Annie zoekt vervoer in Grave")
    bob_ask = add_listing(app, bob, title="Bob zoekt een tuinman")
    bob_client = signed_in(client_for, bob)
    bob_client.post(f"/vraag-en-aanbod/{ask}/reageren", data={"body": "Ik kan vrijdag, Bob"})
    day = next_weekday(2)
    coffee = add_activity(app, bob, day, capacity=1, title="Koffie bij Bob")
    walk = add_activity(app, annie, day, title="Wandeling met Annie")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        conversation = db.session.scalar(
            sa.select(Conversation).where(Conversation.listing_id == ask)
        )
        db.session.add(
            Message(conversation_id=conversation.id, sender_id=annie.id, body="Fijn, tot vrijdag!")
        )
        photo_key = storage.save(PHOTO, "png")
        post = BoardPost(
            kind=PostKind.TIP,
            title="Mooie tuin",
            body="Kijk eens naar *mijn* tuin.",
            author_id=annie.id,
            photo_key=photo_key,
        )
        db.session.add(post)
        db.session.add(StaffNote(listing_id=ask, author_id=coordinator.id, body="Annie gebeld."))
        db.session.add(Report(reporter_id=annie.id, listing_id=bob_ask, reason="Vreemd"))
        membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == annie.id))
        db.session.add(
            NotificationPreference(
                membership_id=membership.id, topic=Topic.NEW_ASKS, frequency=Frequency.WEEKLY
            )
        )
        db.session.add(
            Signup(activity_id=coffee, occurs_on=day, status=SignupStatus.GOING, user_id=annie.id)
        )
        db.session.add(
            Signup(activity_id=coffee, occurs_on=day, status=SignupStatus.WAITING, user_id=carla.id)
        )
        db.session.add(
            Signup(activity_id=walk, occurs_on=day, status=SignupStatus.GOING, user_id=carla.id)
        )
        db.session.commit()
        return World(
            annie,
            bob,
            carla,
            ask,
            grave_ask,
            bob_ask,
            post.id,
            photo_key,
            coffee,
            walk,
            conversation.id,
        )


def _download(client) -> tuple[zipfile.ZipFile, dict]:
    response = client.get("/profiel/mijn-gegevens.zip")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return archive, json.loads(archive.read("data.json"))


def test_every_column_that_points_at_a_person_is_in_the_export_or_says_why_not(app):
    pointing = {
        (table.name, fk.parent.name)
        for table in db.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name in ("users", "memberships")
    }
    assert pointing == set(COVERED)


def test_the_zip_holds_the_persons_data_here_and_nothing_of_others(app, client_for, world):
    client = signed_in(client_for, world.annie)
    assert "Jouw gegevens" in page(client.get("/profiel"))
    archive, data = _download(client)
    names = archive.namelist()
    assert {"data.json", "README.txt"} <= set(names)
    assert "ZIP" in archive.read("README.txt").decode()
    assert data["account"]["email"] == "annie@example.nl"
    assert data["account"]["first_name"] == "Annie"
    assert data["membership"]["role"] == "resident"
    assert [item["title"] for item in data["asks_and_offers"]] == ["Boodschappen op vrijdag"]
    text_file = data["asks_and_offers"][0]["text_file"]
    assert "Elke vrijdag." in archive.read(text_file).decode()
    [conversation] = data["conversations"]
    assert conversation["with"] == "Bob"
    assert [m["text"] for m in conversation["messages"]] == [
        "Ik kan vrijdag, Bob",
        "Fijn, tot vrijdag!",
    ]
    assert data["board_posts"][0]["title"] == "Mooie tuin"
    assert archive.read(data["board_posts"][0]["photo_file"]) == PHOTO
    assert [a["title"] for a in data["activities_organised"]] == ["Wandeling met Annie"]
    assert [s["activity"] for s in data["activity_signups"]] == ["Koffie bij Bob"]
    assert data["notification_settings"] == [
        {"topic": "new_asks", "frequency": "weekly", "with_text": True}
    ]
    assert len(data["reports_made"]) == 1
    # Bob's reply was emailed to her: the email is hers too.
    assert [e["text"] for e in data["emails_to_you"] if "Ik kan vrijdag" in (e["text"] or "")]
    everything = b"".join(archive.read(name) for name in names).decode(errors="replace")
    for foreign in ("bob@example.nl", "carla@example.nl", "Bob zoekt", "Annie zoekt vervoer"):
        assert foreign not in everything
    # Dates are ISO, in UTC.
    assert data["account"]["created_at"].endswith("+00:00")


def test_the_same_person_downloads_only_grave_on_grave(client_for, world):
    archive, data = _download(signed_in(client_for, world.annie, "grave"))
    assert [item["title"] for item in data["asks_and_offers"]] == ["Annie zoekt vervoer in Grave"]
    assert data["conversations"] == data["board_posts"] == data["activity_signups"] == []
    assert not [name for name in archive.namelist() if name.startswith("photos/")]


def test_the_download_needs_signing_in(client_for):
    response = client_for("cuijk").get("/profiel/mijn-gegevens.zip")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen")


def _delete(client, choice: str, password: str = PASSWORD):
    return client.post(
        "/profiel/account-verwijderen", data={"content": choice, "password": password}
    )


def _bob_reads_the_conversation(client_for, world: World) -> str:
    bob = signed_in(client_for, world.bob)
    text = page(bob.get(f"/gesprekken/{world.conversation}"))
    assert "Fijn, tot vrijdag!" in text
    assert "Oud lid" in text
    assert "Annie" not in text
    # Nobody answers any more: the conversation can be read, not written in.
    assert 'name="body"' not in text
    return text


def _audit_rows(app) -> list[AuditEntry]:
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        rows = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "members.account_deleted")
        ).all()
        db.session.expunge_all()
        return list(rows)


def _signups(app, activity_id: int) -> list[tuple[int, str]]:
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        rows = db.session.scalars(sa.select(Signup).where(Signup.activity_id == activity_id))
        return [(row.user_id, row.status.value) for row in rows]


def test_a_wrong_password_deletes_nothing(app, client_for, world):
    client = signed_in(client_for, world.annie)
    response = _delete(client, "remove", "niet mijn wachtwoord")
    assert response.status_code == 200
    assert "Dit wachtwoord klopt niet" in page(response)
    assert client.get("/profiel").status_code == 200
    assert _audit_rows(app) == []


def test_deleting_with_remove_takes_away_what_she_wrote_here_only(app, client_for, world, outbox):
    client = signed_in(client_for, world.annie)
    explanation = page(client.get("/profiel/account-verwijderen"))
    assert "Grave" in explanation  # her account stays for Grave, and the page says so
    response = _delete(client, "remove")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Je account blijft" in page(client.get("/"))
    assert client.get("/profiel").status_code == 302  # signed out here

    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert db.session.get(Listing, world.ask) is None
        assert db.session.get(BoardPost, world.post) is None
        assert db.session.get(Activity, world.walk) is None
        assert db.session.scalars(sa.select(StaffNote)).all() == []
        assert db.session.get(Listing, world.bob_ask) is not None
        assert (
            db.session.scalar(sa.select(Membership).where(Membership.user_id == world.annie.id))
            is None
        )
        conversation = db.session.get(Conversation, world.conversation)
        assert conversation.listing_id is None
        assert conversation.author_id != world.annie.id
        [report] = db.session.scalars(sa.select(Report)).all()
        assert report.reporter.first_name == "" and report.reporter.is_deleted
    with app.app_context():
        assert storage.read(world.photo_key) is None
    # Carla moved up from the waiting list, and was told.
    assert _signups(app, world.coffee) == [(world.carla.id, "going")]
    assert any(m.recipient == "carla@example.nl" and "plek" in m.subject for m in outbox())
    _bob_reads_the_conversation(client_for, world)
    # Grave: her membership and her ask there are untouched, and she can still sign in.
    grave = client_for("grave")
    assert sign_in(grave, world.annie).status_code == 302
    assert grave.get(f"/vraag-en-aanbod/{world.grave_ask}").status_code == 200
    [audit] = _audit_rows(app)
    assert audit.subject == "" and audit.actor_id != world.annie.id


def test_deleting_the_last_membership_with_anonymise_keeps_content_without_her_name(
    app, client_for, world, make_user
):
    grave = signed_in(client_for, world.annie, "grave")
    assert _delete(grave, "remove").status_code == 302
    client = signed_in(client_for, world.annie)
    assert "blijft" not in page(client.get("/profiel/account-verwijderen"))
    response = _delete(client, "anonymise")
    assert response.status_code == 302
    assert "Je account is verwijderd" in page(client.get("/"))

    with app.app_context():
        user = db.session.get(User, world.annie.id)
        assert user.is_deleted and user.first_name == ""
        assert user.email == f"verwijderd-{user.id}@invalid"
        assert (
            db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id)).all()
            == []
        )
        assert (
            db.session.scalars(
                sa.select(Membership)
                .where(Membership.user_id == user.id)
                .execution_options(**ALL_TENANTS)
            ).all()
            == []
        )
        with tenant_context(tenant_by_slug("cuijk")):
            ask = db.session.get(Listing, world.ask)
            assert ask.status == Status.CLOSED and ask.author_id == user.id
            assert db.session.get(BoardPost, world.post).author_id == user.id
            assert db.session.scalars(sa.select(StaffNote)).all() == []
            assert db.session.scalars(sa.select(NotificationPreference)).all() == []
    _bob_reads_the_conversation(client_for, world)
    board = page(client_for("cuijk").get(f"/prikbord/{world.post}"))
    assert "Mooie tuin" in board and "Oud lid" in board and "Annie" not in board
    assert _signups(app, world.coffee) == [(world.carla.id, "going")]
    [audit] = _audit_rows(app)
    assert audit.subject == "" and audit.actor_id == world.annie.id
    # Signing in is impossible, and the address is free to sign up again.
    assert sign_in(client_for("cuijk"), "annie@example.nl").status_code == 200
    again = make_user("cuijk", email="annie@example.nl", first_name="Annie")
    assert again.id != world.annie.id


def test_the_last_connector_and_a_platform_admin_cannot_delete_this_way(app, client_for, make_user):
    connector = make_user("cuijk", Role.CONNECTOR)
    client = signed_in(client_for, connector)
    text = page(client.get("/profiel/account-verwijderen"))
    assert "enige buurtverbinder" in text
    assert _delete(client, "remove").status_code == 200
    assert client.get("/profiel").status_code == 200
    make_user("cuijk", Role.CONNECTOR)
    assert _delete(client, "remove").status_code == 302

    admin = make_user(None, admin=True)
    client = signed_in(client_for, admin)
    assert "beheerder van het platform" in page(client.get("/profiel/account-verwijderen"))
    assert _delete(client, "remove").status_code == 200
    with app.app_context():
        assert not db.session.get(User, admin.id).is_deleted


def test_after_deletion_the_follow_up_asks_only_the_other_side_and_names_no_one(
    app, client_for, make_user
):
    bob = make_user("cuijk", email="bob@example.nl", first_name="Bob")
    dora = make_user("cuijk", email="dora@example.nl", first_name="Dora")
    bob_ask = add_listing(app, bob, title="Hulp in de tuin")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        db.session.add(
            Match(listing_id=bob_ask, slot=ASK_SLOT, partner_id=dora.id, recorded_by_id=bob.id)
        )
        db.session.commit()
    assert _delete(signed_in(client_for, dora), "anonymise").status_code == 302
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert send_follow_ups(utcnow() + timedelta(days=30)) == 1
    [email] = [e for e in all_emails(app) if e.kind == "follow_up"]
    assert email.recipient == "bob@example.nl"
    assert "met Oud lid afgesproken" in email.body_text


def test_someone_who_is_no_member_here_is_sent_to_their_own_municipality(
    app, client_for, make_user
):
    gerda = make_user("grave", first_name="Gerda")
    client = signed_in(client_for, gerda)  # on Cuijk, where she is a visitor
    text = page(client.get("/profiel/account-verwijderen"))
    assert "Je bent geen lid van Samen Cuijk" in text and 'name="password"' not in text
    assert _delete(client, "remove").status_code == 200
    with app.app_context():
        assert not db.session.get(User, gerda.id).is_deleted
    assert sign_in(client_for("grave"), gerda).status_code == 302


def test_the_clean_up_of_unconfirmed_accounts_leaves_the_tombstone_and_its_messages(
    app, client_for, world
):
    # Annie stays a member of Grave: what stays of her in Cuijk moves to a new tombstone.
    assert _delete(signed_in(client_for, world.annie), "anonymise").status_code == 302
    with app.app_context():
        removed = remove_unverified_accounts(utcnow() + timedelta(days=365))
        db.session.commit()
    assert removed == 0
    _bob_reads_the_conversation(client_for, world)


def test_a_coordinator_who_removes_everything_leaves_the_asks_of_neighbours_without_internet(
    app, client_for, make_user
):
    ria = make_user("cuijk", Role.COORDINATOR, first_name="Ria")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        person = OfflinePerson(
            name="Mevrouw Jansen",
            phone="0485 123 456",
            consent_note="Gebeld",
            recorded_by_id=ria.id,
        )
        db.session.add(person)
        db.session.commit()
        person_id = person.id
    for_her = add_listing(app, ria, title="Boodschappen voor mevrouw", offline_person_id=person_id)
    own = add_listing(app, ria, title="Ria zoekt een fiets")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        db.session.add(StaffNote(listing_id=for_her, author_id=ria.id, body="Mevrouw gebeld."))
        db.session.commit()
    assert _delete(signed_in(client_for, ria), "remove").status_code == 302
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert db.session.get(Listing, own) is None
        kept = db.session.get(Listing, for_her)
        assert kept.status == Status.CLOSED and kept.author.is_deleted
        assert [note.body for note in db.session.scalars(sa.select(StaffNote))] == [
            "Mevrouw gebeld."
        ]


def test_the_privacy_page_says_where_to_download_and_delete(client_for):
    text = page(client_for("cuijk").get("/privacy"))
    assert "al je gegevens van deze site downloaden" in text
    assert 'href="/profiel#own-data-title"' in text


def test_the_audit_log_shows_the_deletion_by_a_former_member(app, client_for, make_user, world):
    make_user("cuijk", Role.CONNECTOR, email="henk@example.nl", first_name="Henk")
    assert _delete(signed_in(client_for, world.annie), "anonymise").status_code == 302
    henk = signed_in(client_for, User(email="henk@example.nl"))
    log = page(henk.get("/beheer/logboek"))
    assert "Een lid heeft het eigen account verwijderd" in log
    assert log.count("Oud lid") >= 2  # in the table and in the "who" filter
    assert "Annie" not in log


def test_the_helper_asked_how_it_went_sees_oud_lid_for_a_deleted_asker(app, client_for, make_user):
    bob = make_user("cuijk", email="bob@example.nl", first_name="Bob")
    dora = make_user("cuijk", email="dora@example.nl", first_name="Dora")
    dora_ask = add_listing(app, dora, title="Hulp met de computer")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        match = Match(listing_id=dora_ask, slot=ASK_SLOT, partner_id=bob.id, recorded_by_id=dora.id)
        db.session.add(match)
        db.session.commit()
        match_id = match.id
    assert _delete(signed_in(client_for, dora), "anonymise").status_code == 302
    text = page(signed_in(client_for, bob).get(f"/matches/{match_id}/uitkomst"))
    assert "Oud lid" in text and "Dora" not in text


def test_a_call_back_a_deleted_coordinator_took_goes_back_to_the_colleagues(
    app, client_for, make_user
):
    ria = make_user("cuijk", Role.COORDINATOR, first_name="Ria")
    sanne = make_user("cuijk", Role.COORDINATOR, first_name="Sanne")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        waiting = CallbackRequest(
            form_key="een",
            first_name="Truus",
            phone="0485 111 111",
            claimed_by_id=ria.id,
            claimed_at=utcnow(),
        )
        done = CallbackRequest(
            form_key="twee",
            first_name="Kees",
            claimed_by_id=ria.id,
            claimed_at=utcnow(),
            closed_by_id=ria.id,
            closed_at=utcnow(),
            outcome=CallbackOutcome.HELPED_BY_PHONE,
        )
        db.session.add_all([waiting, done])
        db.session.commit()
        waiting_id = waiting.id
    assert _delete(signed_in(client_for, ria), "anonymise").status_code == 302
    text = page(signed_in(client_for, sanne).get("/werkbank/terugbellen"))
    assert f"/werkbank/terugbellen/{waiting_id}/oppakken" in text
    assert "Oud lid" in text and "Ria" not in text
