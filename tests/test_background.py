"""Periodic work on a real Redis with a real worker: the coordinators' digest, the escalation
ladder, the follow-up after a match. Each sent once, caught up after downtime, on time in
Amsterdam summer and winter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from buurtplatform.accounts.models import Membership, Role
from buurtplatform.conversations.services import start_or_continue
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Kind, Listing, Status
from buurtplatform.matches.models import Match
from buurtplatform.matches.services import record_match
from buurtplatform.notifications.models import EscalationStep
from jobs.schedule import tick
from tenants.models import Village
from tenants.scoping import tenant_context
from tests.conftest import REDIS_URL
from tests.helpers import all_emails, run_worker, tenant_by_slug

pytestmark = pytest.mark.redis

# Monday 30 November 2026, 08:00 in Amsterdam (winter time: UTC+1).
MONDAY_0800 = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


@pytest.fixture
def app(make_app, clean_redis):
    return make_app(REDIS_URL=REDIS_URL)


def in_cuijk(app):
    class _Context:
        def __enter__(self):
            self.app_ctx = app.app_context()
            self.app_ctx.push()
            self.tenant_ctx = tenant_context(tenant_by_slug("cuijk"))
            self.tenant_ctx.__enter__()
            return self

        def __exit__(self, *exc):
            self.tenant_ctx.__exit__(*exc)
            self.app_ctx.pop()

    return _Context()


def post_ask(app, author, village="Beers", created=None, title="Wie doet mijn boodschappen?"):
    with in_cuijk(app):
        category = db.session.scalar(sa.select(Category).where(Category.key == "shopping"))
        place = db.session.scalar(sa.select(Village).where(Village.name == village))
        created = created or datetime.now(UTC)
        listing = Listing(
            kind=Kind.ASK,
            category_id=category.id,
            title=title,
            description="Eén keer per week.",
            village_id=place.id,
            author_id=author.id,
            created_at=created,
            expires_at=created + timedelta(days=30),
        )
        db.session.add(listing)
        db.session.commit()
        return listing.id


def move_to_village(app, user, village):
    with in_cuijk(app):
        place = db.session.scalar(sa.select(Village).where(Village.name == village))
        member = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
        member.village_id = place.id
        db.session.commit()


def tick_at(app, moment):
    with time_machine.travel(moment, tick=False), app.app_context():
        tick()
    with time_machine.travel(moment, tick=False):
        run_worker(app)


def sent(app, kind):
    return [e for e in all_emails(app) if e.kind == kind and e.status == "sent"]


def test_digest_goes_out_monday_0800_once_per_coordinator(app, make_user, outbox):
    wendy = make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl", first_name="Wendy")
    annie = make_user("cuijk")
    post_ask(app, annie, created=MONDAY_0800 - timedelta(days=3))

    tick_at(app, MONDAY_0800 - timedelta(minutes=1))
    before = [m for m in outbox() if m.recipient == wendy.email]
    tick_at(app, MONDAY_0800)
    tick_at(app, MONDAY_0800 + timedelta(minutes=5))  # a doubled tick sends nothing new
    digests = [m for m in outbox() if m.recipient == wendy.email and m not in before]
    assert len(digests) == 1
    [digest] = digests
    # The week before the Monday it is sent on, in words (Dutch: the coordinator's language).
    assert "week van maandag 23 tot en met zondag 29 november" in digest.subject
    assert "2026-W49" not in digest.subject and "week 48" not in digest.subject
    assert "Wie doet mijn boodschappen?" in digest.text
    assert any(link.startswith("http://cuijk.buurt.test/vraag-en-aanbod/") for link in digest.links)


def test_digest_after_downtime_is_caught_up_once(app, make_user, outbox):
    make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl")
    # The scheduler was down from Sunday until Tuesday afternoon.
    tick_at(app, MONDAY_0800 + timedelta(days=1, hours=7))
    tick_at(app, MONDAY_0800 + timedelta(days=2))
    assert [m.recipient for m in outbox()].count("wendy@example.nl") == 1


def test_one_digest_covers_every_municipality_a_coordinator_coordinates(app, make_user, outbox):
    wendy = make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl")
    with app.app_context(), tenant_context(tenant_by_slug("grave")):
        db.session.add(Membership(user_id=wendy.id, role=Role.COORDINATOR))
        db.session.commit()
    tick_at(app, MONDAY_0800)
    [digest] = [m for m in outbox() if m.recipient == wendy.email]
    assert "Samen Cuijk" in digest.text and "Samen Grave" in digest.text


@pytest.mark.parametrize(
    ("monday_0800_utc", "label"),
    [
        (datetime(2026, 3, 30, 6, 0, tzinfo=UTC), "first Monday of summer time (UTC+2)"),
        (datetime(2026, 10, 26, 7, 0, tzinfo=UTC), "first Monday of winter time (UTC+1)"),
    ],
)
def test_digest_is_at_0800_amsterdam_across_daylight_saving(
    app, make_user, outbox, monday_0800_utc, label
):
    make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl")
    tick_at(app, monday_0800_utc - timedelta(days=6))  # the week before: its digest
    count = len(outbox())
    tick_at(app, monday_0800_utc - timedelta(minutes=1))
    assert len(outbox()) == count, label
    tick_at(app, monday_0800_utc)
    assert len(outbox()) == count + 1, label


def test_escalation_ladder_steps_happen_once_and_in_order(app, make_user, outbox):
    annie = make_user("cuijk", email="annie@example.nl")
    henk = make_user("cuijk", Role.CONNECTOR, email="henk@example.nl")  # lives in Beers
    move_to_village(app, henk, "Beers")
    other_connector = make_user("cuijk", Role.CONNECTOR, email="els@example.nl")
    move_to_village(app, other_connector, "Haps")
    wendy = make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl")
    grave_connector = make_user("grave", Role.CONNECTOR, email="piet@example.nl")
    posted = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    post_ask(app, annie, "Beers", created=posted)

    def recipients():
        ladder = [e for e in all_emails(app) if e.kind in ("reminder_staff", "still_needed")]
        assert all(e.status == "sent" for e in ladder)
        return sorted(e.recipient for e in ladder)

    tick_at(app, posted + timedelta(days=1, hours=23))
    assert recipients() == []
    tick_at(app, posted + timedelta(days=2, minutes=5))
    tick_at(app, posted + timedelta(days=2, minutes=10))
    assert recipients() == ["henk@example.nl"]  # the connector of Beers, once
    tick_at(app, posted + timedelta(days=4, minutes=5))
    assert recipients() == ["henk@example.nl", wendy.email]
    tick_at(app, posted + timedelta(days=7, minutes=5))
    tick_at(app, posted + timedelta(days=8))
    assert recipients() == ["annie@example.nl", "henk@example.nl", wendy.email]
    assert grave_connector.email not in [m.recipient for m in outbox()]
    still_needed = next(m for m in outbox() if m.recipient == "annie@example.nl")
    assert "0485 - 700 100" in still_needed.text  # the social worker's number


def test_a_reply_stops_the_ladder(app, make_user, outbox):
    annie = make_user("cuijk", email="annie@example.nl")
    make_user("cuijk", Role.CONNECTOR, email="henk@example.nl")
    helper = make_user("cuijk", email="helper@example.nl")
    posted = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    listing_id = post_ask(app, annie, created=posted)
    with time_machine.travel(posted + timedelta(days=1), tick=False), in_cuijk(app):
        listing = db.session.get(Listing, listing_id)
        start_or_continue(
            listing, listing.author, db.session.get(type(listing.author), helper.id), "Ik help!"
        )
        db.session.commit()
    tick_at(app, posted + timedelta(days=8))
    assert "henk@example.nl" not in [m.recipient for m in outbox()]


def test_the_ladder_follows_the_municipality_s_own_days(app, make_user, outbox):
    annie = make_user("cuijk", email="annie@example.nl")
    make_user("cuijk", Role.CONNECTOR, email="henk@example.nl")
    with app.app_context():
        tenant_by_slug("cuijk").remind_connectors_after_days = 1
        db.session.commit()
    posted = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    post_ask(app, annie, created=posted)
    tick_at(app, posted + timedelta(days=1, minutes=5))
    assert "henk@example.nl" in [m.recipient for m in outbox()]


def test_follow_up_asks_both_sides_once_a_few_days_after_a_match(app, make_user, outbox):
    annie = make_user("cuijk", email="annie@example.nl")
    helper = make_user("cuijk", email="helper@example.nl", first_name="Joop")
    matched = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    listing_id = post_ask(app, annie, created=matched - timedelta(days=1))
    with time_machine.travel(matched, tick=False), in_cuijk(app):
        listing = db.session.get(Listing, listing_id)
        author = listing.author
        partner = db.session.get(type(author), helper.id)
        start_or_continue(listing, author, partner, "Ik help!")
        record_match(listing, author, partner=partner)
        db.session.commit()

    def follow_ups():
        return sorted(e.recipient for e in all_emails(app) if e.kind == "follow_up")

    tick_at(app, matched + timedelta(days=2))
    assert follow_ups() == []
    tick_at(app, matched + timedelta(days=3, minutes=5))
    tick_at(app, matched + timedelta(days=4))
    assert follow_ups() == ["annie@example.nl", "helper@example.nl"]
    with in_cuijk(app):
        match_id = db.session.scalar(sa.select(Match.id))
    # The link leads to the question for this match.
    link = f"http://cuijk.buurt.test/matches/{match_id}/uitkomst"
    asked = [m for m in outbox() if m.recipient == "annie@example.nl" and link in m.links]
    assert len(asked) == 1
    assert "Joop" in asked[0].text


def release_scheduled_retries(app) -> int:
    """Let the backoff pass: move jobs waiting for a retry back onto the queue."""
    from rq.registry import ScheduledJobRegistry

    from buurtplatform.extensions import rq

    with app.app_context():
        registry = ScheduledJobRegistry(queue=rq.queue)
        job_ids = registry.get_job_ids()
        for job_id in job_ids:
            registry.remove(job_id)
            rq.queue.enqueue_job(rq.queue.fetch_job(job_id))
        return len(job_ids)


def test_smtp_down_retries_with_backoff_then_fails_and_can_be_retried(make_app, make_user, outbox):
    from rq.registry import FailedJobRegistry

    from buurtplatform.extensions import rq
    from jobs.cli import jobs_cli

    broken = make_app(
        REDIS_URL=REDIS_URL, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1
    )
    make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl")
    tick_at(broken, MONDAY_0800)
    attempts = 1
    while release_scheduled_retries(broken):
        run_worker(broken)
        attempts += 1
    [digest] = [e for e in all_emails(broken) if e.kind == "coordinator_digest"]
    assert attempts == 5  # the first try and four retries, with backoff between them
    assert (digest.status, digest.attempts) == ("failed", 5)
    with broken.app_context():
        assert FailedJobRegistry(queue=rq.queue).count == 1
    listed = broken.test_cli_runner().invoke(jobs_cli, ["failed"]).output
    assert "wendy@example.nl" in listed and "ConnectionRefusedError" in listed
    assert outbox() == []

    fixed = make_app(REDIS_URL=REDIS_URL)
    result = fixed.test_cli_runner().invoke(jobs_cli, ["retry", "--all"])
    assert result.exit_code == 0, result.output
    run_worker(fixed)
    assert [m.recipient for m in outbox()] == ["wendy@example.nl"]
    assert [e.status for e in all_emails(fixed) if e.kind == "coordinator_digest"] == ["sent"]


def test_a_sweep_that_crashes_midway_is_retried_without_doubles(
    app, make_user, outbox, monkeypatch
):
    from jobs import reminders

    annie = make_user("cuijk", email="annie@example.nl")
    make_user("cuijk", Role.CONNECTOR, email="henk@example.nl")
    make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl")
    posted = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    post_ask(app, annie, created=posted)

    real_take_step = reminders.take_step
    calls = []

    def crash_on_second_step(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real_take_step(*args, **kwargs)

    monkeypatch.setattr(reminders, "take_step", crash_on_second_step)
    tick_at(app, posted + timedelta(days=4, minutes=5))  # connectors and coordinators are due
    assert [e.recipient for e in all_emails(app) if e.kind == "reminder_staff"] == [
        "henk@example.nl"
    ]
    release_scheduled_retries(app)  # RQ retries the failed sweep
    with time_machine.travel(posted + timedelta(days=4, minutes=10), tick=False):
        run_worker(app)
    ladder = sorted(e.recipient for e in all_emails(app) if e.kind == "reminder_staff")
    assert ladder == ["henk@example.nl", "wendy@example.nl"]


def test_digest_command_for_one_municipality(app, make_user, outbox):
    from jobs.cli import jobs_cli

    make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl")
    make_user("grave", Role.COORDINATOR, email="marjo@example.nl")
    runner = app.test_cli_runner()
    with time_machine.travel(MONDAY_0800 + timedelta(hours=1), tick=False):
        result = runner.invoke(jobs_cli, ["digest", "--municipality", "grave"])
        again = runner.invoke(jobs_cli, ["digest", "--municipality", "grave"])
        run_worker(app)
    assert "recorded 1 digest(s)" in result.output
    assert "recorded 0 digest(s)" in again.output
    assert [m.recipient for m in outbox()] == ["marjo@example.nl"]


def close(app, listing_id):
    with in_cuijk(app):
        db.session.get(Listing, listing_id).status = Status.CLOSED
        db.session.commit()


@pytest.mark.parametrize(
    ("monday_0800_utc", "moments"),
    [
        # Spring: the covered week runs from Monday 23 March 00:00 winter time (22 March
        # 23:00 UTC) to Monday 30 March 00:00 summer time (29 March 22:00 UTC): 167 hours.
        (
            datetime(2026, 3, 30, 6, 0, tzinfo=UTC),
            {
                "Zondag ervoor": (datetime(2026, 3, 22, 22, 30, tzinfo=UTC), False),
                "Maandag vroeg": (datetime(2026, 3, 22, 23, 30, tzinfo=UTC), True),
                "Zondag laat": (datetime(2026, 3, 29, 21, 30, tzinfo=UTC), True),
                "Maandag erna": (datetime(2026, 3, 29, 22, 30, tzinfo=UTC), False),
            },
        ),
        # Autumn: from Monday 19 October 00:00 summer time (18 October 22:00 UTC) to Monday
        # 26 October 00:00 winter time (25 October 23:00 UTC): 169 hours.
        (
            datetime(2026, 10, 26, 7, 0, tzinfo=UTC),
            {
                "Zondag ervoor": (datetime(2026, 10, 18, 21, 30, tzinfo=UTC), False),
                "Maandag vroeg": (datetime(2026, 10, 18, 22, 30, tzinfo=UTC), True),
                "Zondag laat": (datetime(2026, 10, 25, 22, 30, tzinfo=UTC), True),
                "Maandag erna": (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), False),
            },
        ),
    ],
)
def test_the_digest_s_week_is_the_calendar_week_before_across_a_change_of_clock(
    app, make_user, outbox, monday_0800_utc, moments
):
    """Monday 00:00 to Sunday 24:00 local time, as the figures count it (it used to run from
    Monday 08:00 to Monday 08:00)."""
    make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl")
    annie = make_user("cuijk")
    for title, (created, _inside) in moments.items():
        close(app, post_ask(app, annie, created=created, title=title))
    tick_at(app, monday_0800_utc)
    [digest] = [m for m in outbox() if m.recipient == "wendy@example.nl"]
    for title, (_created, inside) in moments.items():
        assert (title in digest.text) is inside, title


def test_the_digest_ledger_is_read_through_its_index(app, make_user):
    from jobs.digests import recorded_keys

    with app.app_context():
        statement = recorded_keys(["digest:1:2026-W49", "digest:2:2026-W49"])
        sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
        assert " LIKE " not in sql.upper()
        if db.engine.dialect.name == "sqlite":
            plan = str(db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")).all())
            assert "INDEX" in plan and "(ledger_key=?)" in plan, plan
        else:
            db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
            plan = str(db.session.execute(sa.text(f"EXPLAIN {sql}")).all())
            assert "Index" in plan and "uq_emails_ledger_key" in plan, plan


def test_a_deactivated_municipality_s_coordinators_get_no_digest_for_it(app, make_user, outbox):
    wendy = make_user("cuijk", Role.COORDINATOR, email="wendy@example.nl")
    make_user("grave", Role.COORDINATOR, email="marjo@example.nl")
    with app.app_context(), tenant_context(tenant_by_slug("grave")):
        db.session.add(Membership(user_id=wendy.id, role=Role.COORDINATOR))
        tenant_by_slug("grave").is_active = False
        db.session.commit()
    tick_at(app, MONDAY_0800)
    assert [m.recipient for m in outbox()] == ["wendy@example.nl"]
    [digest] = outbox()
    assert "Samen Cuijk" in digest.text and "Samen Grave" not in digest.text


def test_a_ladder_step_whose_emails_fail_is_not_recorded_and_is_taken_later(
    app, make_user, outbox, monkeypatch
):
    """The step and its emails are one transaction, on SQLite too: releasing the step's
    savepoint must not commit it on its own."""
    from jobs import reminders
    from jobs.reminders import run_ladder

    annie = make_user("cuijk", email="annie@example.nl")
    make_user("cuijk", Role.CONNECTOR, email="henk@example.nl")
    posted = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    post_ask(app, annie, created=posted)

    def broken(*args, **kwargs):
        raise RuntimeError("the template could not be rendered")

    monkeypatch.setattr(reminders, "queue_email", broken)
    with time_machine.travel(posted + timedelta(days=2, minutes=5), tick=False), in_cuijk(app):
        with pytest.raises(RuntimeError):
            run_ladder()
        db.session.rollback()
    with in_cuijk(app):
        assert db.session.scalar(sa.select(sa.func.count(EscalationStep.id))) == 0
    monkeypatch.undo()
    tick_at(app, posted + timedelta(days=2, minutes=10))
    assert [m.recipient for m in outbox()] == ["henk@example.nl"]
