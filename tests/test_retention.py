"""How long data is kept: asks and offers archived and removed after the municipality's period,
unconfirmed accounts removed, email bodies blanked; and the privacy page that says so, from the
same periods the jobs use."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from dateutil.relativedelta import relativedelta
from sqlalchemy.exc import OperationalError

from buurtplatform import retention
from buurtplatform.accounts.models import Invitation, Membership, Role, User
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.conversations.models import Conversation
from buurtplatform.conversations.services import start_or_continue
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing, Status
from buurtplatform.mail.models import Email, EmailStatus
from buurtplatform.retention.jobs import (
    apply_platform_periods,
    archive_and_remove_listings,
    remove_archived_listings,
)
from buurtplatform.timestamps import utcnow
from jobs.periods import LOCAL
from jobs.schedule import municipality_sweep, tick
from tenants.scoping import ALL_TENANTS, tenant_context
from tests.helpers import sign_in, tenant_by_slug
from tests.listing_helpers import add_listing

# The day an ask went off the list (it expired); the periods count from here.
ENDED = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
PAGE_TEXT = {"Accept-Language": "nl"}


def ended_ask(app, author, slug: str = "cuijk", **fields) -> int:
    return add_listing(
        app,
        author,
        slug,
        created_at=ENDED - timedelta(days=30),
        expires_at=ENDED,
        **fields,
    )


def sweep_listings(app, moment: datetime, slug: str = "cuijk") -> None:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        archive_and_remove_listings(moment)


def listing(app, listing_id: int) -> Listing | None:
    with app.app_context():
        found = db.session.get(Listing, listing_id, execution_options=ALL_TENANTS)
        if found is not None:
            db.session.expunge(found)
        return found


def set_period(app, slug: str, months: int) -> None:
    with app.app_context():
        tenant_by_slug(slug).listing_retention_months = months
        db.session.commit()


def emails(app) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count(Email.id)).execution_options(**ALL_TENANTS)
        )


# Asks and offers


def test_an_ask_is_archived_after_the_period_and_not_a_day_before(app, make_user):
    ask_id = ended_ask(app, make_user("cuijk"))
    sweep_listings(app, ENDED + relativedelta(months=12) - timedelta(days=1))
    assert listing(app, ask_id).archived_at is None
    moment = ENDED + relativedelta(months=12) + timedelta(minutes=5)
    sweep_listings(app, moment)
    assert listing(app, ask_id).archived_at == moment


def test_a_closed_or_matched_ask_counts_from_the_day_it_ended(app, make_user):
    closed_on = ENDED - timedelta(days=20)
    closed_id = ended_ask(app, make_user("cuijk"), status=Status.CLOSED, closed_at=closed_on)
    open_id = ended_ask(app, make_user("cuijk"))
    sweep_listings(app, closed_on + relativedelta(months=12) + timedelta(days=1))
    assert listing(app, closed_id).archived_at is not None
    assert listing(app, open_id).archived_at is None


def test_a_conversation_that_goes_on_keeps_the_ask_active(app, make_user):
    annie, piet = make_user("cuijk"), make_user("cuijk", first_name="Piet")
    ask_id = ended_ask(app, annie)
    talked = ENDED + relativedelta(months=5)
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        conversation = start_or_continue(db.session.get(Listing, ask_id), annie, piet, "Nog nodig?")
        conversation.last_message_at = talked
        db.session.commit()
    sweep_listings(app, ENDED + relativedelta(months=13))
    assert listing(app, ask_id).archived_at is None
    sweep_listings(app, talked + relativedelta(months=12) + timedelta(days=1))
    assert listing(app, ask_id).archived_at is not None


def test_a_period_set_in_cuijk_does_not_touch_grave(app, make_user):
    set_period(app, "cuijk", 6)
    in_cuijk = ended_ask(app, make_user("cuijk"))
    in_grave = ended_ask(app, make_user("grave"), "grave")
    moment = ENDED + relativedelta(months=7)
    for slug in ("cuijk", "grave"):
        sweep_listings(app, moment, slug)
    assert listing(app, in_cuijk).archived_at == moment
    assert listing(app, in_grave).archived_at is None


def test_the_municipality_sweep_archives_with_the_municipality_s_own_period(app, make_user):
    set_period(app, "grave", 24)
    in_grave = ended_ask(app, make_user("grave"), "grave")
    with app.app_context():
        grave_id = tenant_by_slug("grave").id
    moment = ENDED + relativedelta(months=13)
    with app.app_context():
        municipality_sweep(grave_id, moment.timestamp())
    assert listing(app, in_grave).archived_at is None
    moment = ENDED + relativedelta(months=25)
    with app.app_context():
        municipality_sweep(grave_id, moment.timestamp())
    assert listing(app, in_grave).archived_at is not None


def test_an_archived_ask_is_seen_only_by_its_poster_who_can_bring_it_back(
    app, make_user, client_for
):
    annie, piet = make_user("cuijk"), make_user("cuijk", first_name="Piet")
    ask_id = ended_ask(app, annie, title="Hulp bij de boodschappen")
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        start_or_continue(db.session.get(Listing, ask_id), annie, piet, "Ik kan helpen.")
        db.session.get(Listing, ask_id).archived_at = utcnow() - timedelta(days=1)
        db.session.commit()
        conversation_id = db.session.scalar(sa.select(Conversation.id))

    assert client_for("cuijk").get(f"/vraag-en-aanbod/{ask_id}").status_code == 404
    piet_client = client_for("cuijk")
    sign_in(piet_client, piet)
    assert piet_client.get(f"/vraag-en-aanbod/{ask_id}").status_code == 404
    # The conversation stays, for both.
    assert piet_client.get(f"/gesprekken/{conversation_id}").status_code == 200

    poster = client_for("cuijk")
    sign_in(poster, annie)
    # The day in Amsterdam, as the page shows it (after 23:00 UTC it is already the next day).
    removal = (utcnow() - timedelta(days=1) + relativedelta(months=3)).astimezone(LOCAL).date()
    mine = poster.get("/mijn/vraag-en-aanbod", headers=PAGE_TEXT).get_data(True)
    assert "Gearchiveerd: alleen jij ziet dit." in mine
    assert format_date(removal, "long", locale="nl") in mine
    detail = poster.get(f"/vraag-en-aanbod/{ask_id}", headers=PAGE_TEXT).get_data(True)
    assert "Gearchiveerd" in detail

    poster.post(f"/vraag-en-aanbod/{ask_id}/verlengen")
    assert listing(app, ask_id).archived_at is None
    assert "Hulp bij de boodschappen" in client_for("cuijk").get("/vraag-en-aanbod").get_data(True)


def test_an_archived_ask_is_removed_three_months_later_with_its_conversations(app, make_user):
    annie, piet = make_user("cuijk"), make_user("cuijk", first_name="Piet")
    ask_id = ended_ask(app, annie)
    archived = ENDED + relativedelta(months=12, days=1)
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        conversation = start_or_continue(db.session.get(Listing, ask_id), annie, piet, "Ik help.")
        conversation.last_message_at = ENDED
        db.session.commit()
    sweep_listings(app, archived)
    assert listing(app, ask_id).archived_at == archived

    sweep_listings(app, archived + relativedelta(months=3) - timedelta(days=1))
    assert listing(app, ask_id) is not None
    sweep_listings(app, archived + relativedelta(months=3) + timedelta(minutes=5))
    assert listing(app, ask_id) is None
    with app.app_context():
        left = db.session.scalar(
            sa.select(sa.func.count(Conversation.id)).execution_options(**ALL_TENANTS)
        )
    assert left == 0


def test_a_removed_ask_leaves_no_words_in_the_search(app, make_user):
    ask_id = ended_ask(app, make_user("cuijk"), title="Zeldzaamwoord gezocht")
    moment = ENDED + relativedelta(months=16)
    sweep_listings(app, moment)  # archived
    sweep_listings(app, moment + relativedelta(months=4))  # removed
    assert listing(app, ask_id) is None
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL keeps no copy of the words")
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT rowid FROM listings_fts")).all()
    assert (ask_id,) not in rows


def test_two_sweeps_at_once_remove_once_and_send_nothing(app, make_user):
    ask_id = ended_ask(app, make_user("cuijk"))
    other_id = add_listing(app, make_user("cuijk"))  # still open
    sweep_listings(app, ENDED + relativedelta(months=12, days=1))
    before = emails(app)
    moment = ENDED + relativedelta(months=16)
    both_ready = threading.Barrier(2, timeout=10)
    removed: list[int] = []
    failures: list[Exception] = []

    def sweep_in_thread() -> None:
        with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
            both_ready.wait()
            try:
                removed.append(remove_archived_listings(moment))
                db.session.commit()
            except OperationalError as error:  # SQLite: the other sweep holds the write lock
                failures.append(error)

    threads = [threading.Thread(target=sweep_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(failures) <= 1
    assert sum(removed) == 1
    sweep_listings(app, moment)  # and once more: nothing left to do
    assert listing(app, ask_id) is None
    assert listing(app, other_id) is not None
    assert emails(app) == before


# Accounts and emails


def person(
    app, make_user, slug: str | None = "cuijk", *, days_ago: int, verified: bool = False, **options
) -> int:
    user = make_user(slug, verified=verified, **options)
    with app.app_context():
        db.session.get(User, user.id).created_at = utcnow() - timedelta(days=days_ago)
        db.session.commit()
    return user.id


def users_left(app) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(sa.select(User.id)))


def test_unconfirmed_accounts_go_after_30_days_but_confirmed_ones_and_staff_stay(app, make_user):
    gone = person(app, make_user, days_ago=31)
    young = person(app, make_user, days_ago=29)
    confirmed = person(app, make_user, days_ago=400, verified=True)
    connector = person(app, make_user, days_ago=400, role=Role.CONNECTOR)
    coordinator = person(app, make_user, "grave", days_ago=400, role=Role.COORDINATOR)
    admin = person(app, make_user, None, days_ago=400, admin=True)
    with app.app_context():
        apply_platform_periods(utcnow())
    left = users_left(app)
    assert gone not in left
    assert {young, confirmed, connector, coordinator, admin} <= left
    with app.app_context():
        memberships = db.session.scalars(
            sa.select(Membership.user_id).execution_options(**ALL_TENANTS)
        ).all()
    assert gone not in memberships


def add_email(app, *, days_ago: int, status: EmailStatus, slug: str = "cuijk") -> int:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        email = Email(
            kind="reply",
            recipient="annie@example.nl",
            subject="Piet reageerde op je vraag",
            body_text="Piet schreef: ik kom dinsdag.",
            body_html="<p>Piet schreef: ik kom dinsdag.</p>",
            status=status,
            created_at=utcnow() - timedelta(days=days_ago),
        )
        db.session.add(email)
        db.session.commit()
        return email.id


def email_row(app, email_id: int) -> Email:
    with app.app_context():
        found = db.session.get(Email, email_id, execution_options=ALL_TENANTS)
        db.session.expunge(found)
        return found


def test_email_bodies_are_blanked_after_90_days_and_not_before(app):
    old = add_email(app, days_ago=91, status=EmailStatus.SENT)
    old_in_grave = add_email(app, days_ago=91, status=EmailStatus.FAILED, slug="grave")
    recent = add_email(app, days_ago=89, status=EmailStatus.SENT)
    waiting = add_email(app, days_ago=91, status=EmailStatus.QUEUED)
    with app.app_context():
        apply_platform_periods(utcnow())
        apply_platform_periods(utcnow())  # twice: harmless
    for email_id in (old, old_in_grave):
        row = email_row(app, email_id)
        assert (row.body_text, row.body_html) == ("", "")
        assert row.subject == "Piet reageerde op je vraag"
        assert row.status in (EmailStatus.SENT, EmailStatus.FAILED)
    assert email_row(app, recent).body_text == "Piet schreef: ik kom dinsdag."
    assert email_row(app, waiting).body_text == "Piet schreef: ik kom dinsdag."


def add_invitation(app, slug: str, email: str, expired_days_ago: int, **fields) -> int:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        now = utcnow()
        invitation = Invitation(
            email=email,
            role=Role.COORDINATOR,
            token_hash=email.ljust(64, "0")[:64],
            expires_at=now - timedelta(days=expired_days_ago),
            **fields,
        )
        db.session.add(invitation)
        db.session.commit()
        return invitation.id


def test_invitations_nobody_accepted_go_30_days_after_they_ran_out(app):
    old = add_invitation(app, "cuijk", "nooit@example.nl", expired_days_ago=31)
    old_in_grave = add_invitation(app, "grave", "ook.nooit@example.nl", expired_days_ago=31)
    recent = add_invitation(app, "cuijk", "net.verlopen@example.nl", expired_days_ago=29)
    accepted = add_invitation(
        app, "cuijk", "ja@example.nl", expired_days_ago=90, accepted_at=utcnow()
    )
    with app.app_context():
        apply_platform_periods(utcnow())
        apply_platform_periods(utcnow())  # twice: harmless
        left = set(db.session.scalars(sa.select(Invitation.id).execution_options(**ALL_TENANTS)))
    assert old not in left and old_in_grave not in left
    assert {recent, accepted} <= left


def test_the_tick_applies_the_periods_that_span_municipalities(app, make_user):
    gone = person(app, make_user, days_ago=31)
    old = add_email(app, days_ago=91, status=EmailStatus.SENT)
    with app.app_context():
        tick()  # without Redis the jobs run in-process
    assert gone not in users_left(app)
    assert email_row(app, old).body_text == ""


# The privacy page and the setting


def test_the_privacy_page_and_the_job_follow_the_connector_s_setting(app, make_user, client_for):
    page = client_for("cuijk").get("/privacy", headers=PAGE_TEXT).get_data(True)
    assert "Hoe lang we gegevens bewaren" in page
    assert "12 maanden nadat ze voor het laatst actief waren" in page
    assert "3 maanden nadat we ze archiveerden" in page
    assert "30 dagen nadat je een account maakte" in page
    assert "90 dagen na het versturen" in page
    assert "30 dagen nadat ze verlopen zijn" in page

    henk = client_for("cuijk")
    sign_in(henk, make_user("cuijk", Role.CONNECTOR, first_name="Henk"))
    henk.post(
        "/beheer/herinneringen",
        data={
            "remind_connectors_after_days": 2,
            "remind_coordinators_after_days": 4,
            "remind_asker_after_days": 7,
            "follow_up_after_days": 3,
            "listing_lifetime_days": 30,
            "listing_retention_months": 24,
        },
    )
    page = client_for("cuijk").get("/privacy", headers=PAGE_TEXT).get_data(True)
    assert "24 maanden nadat ze voor het laatst actief waren" in page
    grave = client_for("grave").get("/privacy", headers=PAGE_TEXT).get_data(True)
    assert "12 maanden nadat ze voor het laatst actief waren" in grave
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        (entry,) = db.session.scalars(sa.select(AuditEntry)).all()
    assert entry.action == "lists.reminders_changed"
    assert "12 → 24" in entry.subject

    ask_id = ended_ask(app, make_user("cuijk"))
    sweep_listings(app, ENDED + relativedelta(months=13))
    assert listing(app, ask_id).archived_at is None
    sweep_listings(app, ENDED + relativedelta(months=24, days=1))
    assert listing(app, ask_id).archived_at is not None


def test_a_period_that_is_not_a_choice_is_refused(app, make_user, client_for):
    henk = client_for("cuijk")
    sign_in(henk, make_user("cuijk", Role.CONNECTOR))
    response = henk.post(
        "/beheer/herinneringen",
        data={
            "remind_connectors_after_days": 2,
            "remind_coordinators_after_days": 4,
            "remind_asker_after_days": 7,
            "follow_up_after_days": 3,
            "listing_lifetime_days": 30,
            "listing_retention_months": 1,
        },
    )
    assert response.status_code == 200
    with app.app_context():
        assert tenant_by_slug("cuijk").listing_retention_months == 12


def test_every_period_the_jobs_use_is_on_the_privacy_page(app, client_for):
    page = client_for("cuijk").get("/privacy", headers=PAGE_TEXT).get_data(True)
    with app.test_request_context(headers=PAGE_TEXT):
        for period in retention.retention_periods(tenant_by_slug("cuijk")):
            assert str(period.what) in page
            assert period.in_words in page
