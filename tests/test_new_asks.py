"""The email about a new ask is prepared by a job, not in the request that posts the ask:
the request costs the same however many helpers there are; a doubled job tells each helper
once; an ask whose job never reached the worker is caught up by the sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from buurtplatform.accounts.models import Membership
from buurtplatform.extensions import db
from buurtplatform.listings.models import HelperCategory
from buurtplatform.notifications.models import Frequency, Topic
from buurtplatform.notifications.services import set_frequency
from buurtplatform.timestamps import utcnow
from jobs import enqueue
from jobs.new_asks import announce_new_ask
from jobs.schedule import tick
from tenants.scoping import tenant_context
from tests.conftest import REDIS_URL
from tests.helpers import all_emails, run_worker, sign_in, tenant_by_slug
from tests.listing_helpers import category_id, counting_queries, signed_in, village_ids
from tests.test_jobs import UNREACHABLE_REDIS
from tests.test_suggestions import post_ask

pytestmark = pytest.mark.redis


@pytest.fixture
def app(make_app, clean_redis):
    return make_app(REDIS_URL=REDIS_URL)


def add_helpers(app, make_user, count: int) -> list[str]:
    """Members of Cuijk who help with shopping in Beers and want an email at once."""
    people = [make_user("cuijk") for _ in range(count)]
    shopping, beers = category_id(app, key="shopping"), village_ids(app)["Beers"]
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        members = db.session.scalars(
            sa.select(Membership).where(Membership.user_id.in_([p.id for p in people]))
        ).all()
        for member in members:
            member.village_id, member.offers_help = beers, True
            db.session.add(HelperCategory(membership_id=member.id, category_id=shopping))
            set_frequency(member.id, Topic.NEW_ASKS, Frequency.IMMEDIATELY)
        db.session.commit()
    return sorted(p.email for p in people)


def posting_costs(app, client) -> int:
    with counting_queries(app) as statements:
        response = post_ask(
            client, category=category_id(app, key="shopping"), village=village_ids(app)["Beers"]
        )
    assert response.status_code == 302
    return len(statements)


def new_ask_recipients(app) -> list[str]:
    return sorted(e.recipient for e in all_emails(app) if e.kind == "new_ask")


def test_posting_an_ask_costs_the_same_whatever_the_number_of_helpers(app, client_for, make_user):
    asker = make_user("cuijk", first_name="Truus")
    client = signed_in(client_for, asker)
    helpers = add_helpers(app, make_user, 3)
    with_three = posting_costs(app, client)
    helpers += add_helpers(app, make_user, 40)
    with_forty_three = posting_costs(app, client)
    assert with_forty_three == with_three
    assert new_ask_recipients(app) == []  # nothing was prepared in the request
    run_worker(app)
    # The jobs run after all 43 joined: each helper hears of both asks, once each.
    assert new_ask_recipients(app) == sorted(helpers * 2)


def test_a_doubled_announcement_tells_each_helper_once(app, client_for, make_user):
    helpers = add_helpers(app, make_user, 3)
    client = signed_in(client_for, make_user("cuijk", first_name="Truus"))
    response = post_ask(
        client, category=category_id(app, key="shopping"), village=village_ids(app)["Beers"]
    )
    listing_id = int(response.location.rsplit("/", 1)[1])
    with app.app_context():
        enqueue(announce_new_ask, listing_id, job_id="the-same-ask-again")
    run_worker(app)
    assert new_ask_recipients(app) == helpers


def test_an_ask_whose_announcement_never_ran_is_caught_up_by_the_sweep(
    app, make_app, client_for, make_user
):
    back = app
    down = make_app(REDIS_URL=UNREACHABLE_REDIS)
    helpers = add_helpers(down, make_user, 2)
    down.test_client_class = type(client_for("cuijk"))
    client = down.test_client()
    client.host = "cuijk.buurt.test"
    assert sign_in(client, make_user("cuijk", first_name="Truus")).status_code == 302
    post_ask(client, category=category_id(down, key="shopping"), village=village_ids(down)["Beers"])
    assert new_ask_recipients(down) == []
    with time_machine.travel(utcnow() + timedelta(minutes=5), tick=False):
        with back.app_context():
            tick()
        run_worker(back)
    assert new_ask_recipients(back) == []  # it may still be on its way
    with time_machine.travel(utcnow() + timedelta(minutes=15), tick=False):
        with back.app_context():
            tick()
        run_worker(back)
    assert new_ask_recipients(back) == helpers
