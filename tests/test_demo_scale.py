"""`flask demo scale` fills a database as sixty municipalities after years of use: here at a
tiny factor. Every municipality gets its share, every row belongs to its parent's
municipality, search finds what people wrote, and the accounts can sign in."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from markupsafe import escape

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.activities.models import Activity, Signup
from buurtplatform.board.models import BoardComment, BoardPost
from buurtplatform.conversations.models import Conversation, Message
from buurtplatform.demo.people import DEMO_PASSWORD
from buurtplatform.demo.scale import resident_email
from buurtplatform.directory.models import Offering, OfferingTheme, OfferingVillage, Organisation
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Listing, Status
from buurtplatform.matches.models import Match
from buurtplatform.news.models import NewsItem
from buurtplatform.search import matches
from buurtplatform.timestamps import utcnow
from tenants.models import Tenant, Village
from tenants.scoping import ALL_TENANTS, tenant_context
from tests.helpers import sign_in

FACTOR = "0.002"  # 400 asks and offers, 1,000 messages, 100 members (at least 8 each)


@pytest.fixture
def scaled(app):
    result = app.test_cli_runner().invoke(args=["demo", "scale", "--factor", FACTOR])
    assert result.exit_code == 0, result.output
    return result


def all_rows(statement):
    return db.session.execute(statement.execution_options(**ALL_TENANTS)).all()


def test_sixty_municipalities_each_with_people_and_content(app, scaled):
    with app.app_context():
        tenants = db.session.scalars(sa.select(Tenant)).all()
        assert len(tenants) == 60
        slugs = {t.slug for t in tenants}
        assert {"cuijk", "grave", "mill", "sint-anthonis", "bernheze", "leudal"} <= slugs
        for model in (Village, Membership, Listing, Activity, BoardPost, Organisation, NewsItem):
            per_tenant = dict(
                all_rows(sa.select(model.tenant_id, sa.func.count()).group_by(model.tenant_id))
            )
            assert set(per_tenant) == {t.id for t in tenants}, model
        staff = dict(
            all_rows(
                sa.select(Membership.role, sa.func.count())
                .where(Membership.role.in_([Role.CONNECTOR, Role.COORDINATOR]))
                .group_by(Membership.role)
            )
        )
        assert staff == {Role.CONNECTOR: 180, Role.COORDINATOR: 120}
        listings = all_rows(sa.select(sa.func.count(Listing.id)))[0][0]
        assert 380 <= listings <= 440
        assert all_rows(sa.select(sa.func.count(Message.id)))[0][0] == 1000
        # Years of history: old asks and offers were matched or closed, recent ones are open.
        now = utcnow()
        rows = all_rows(sa.select(Listing.status, Listing.created_at))
        old = [status for status, created in rows if now - created > timedelta(days=60)]
        recent = [status for status, created in rows if now - created < timedelta(days=20)]
        assert old.count(Status.OPEN) < len(old) * 0.15
        assert old.count(Status.MATCHED) > len(old) * 0.3
        assert old.count(Status.CLOSED) > len(old) * 0.2
        assert recent.count(Status.OPEN) > len(recent) * 0.5
    assert "1,000 messages" in scaled.output


def test_every_row_belongs_to_its_parents_municipality(app, scaled):
    pairs = [
        (Message, Conversation, Message.conversation_id == Conversation.id),
        (Conversation, Listing, Conversation.listing_id == Listing.id),
        (Match, Listing, Match.listing_id == Listing.id),
        (Listing, Category, Listing.category_id == Category.id),
        (Listing, Village, Listing.village_id == Village.id),
        (Membership, Village, Membership.village_id == Village.id),
        (Signup, Activity, Signup.activity_id == Activity.id),
        (Activity, Village, Activity.village_id == Village.id),
        (BoardComment, BoardPost, BoardComment.post_id == BoardPost.id),
        (Offering, Organisation, Offering.organisation_id == Organisation.id),
        (OfferingTheme, Offering, OfferingTheme.offering_id == Offering.id),
        (OfferingVillage, Offering, OfferingVillage.offering_id == Offering.id),
    ]
    with app.app_context():
        for child, parent, joined in pairs:
            rows = all_rows(sa.select(child.tenant_id, parent.tenant_id).join(parent, joined))
            assert rows, child
            assert all(mine == theirs for mine, theirs in rows), (child, parent)
        # A message's sender, a listing's author: members of that municipality.
        for model, person in ((Message, Message.sender_id), (Listing, Listing.author_id)):
            outsiders = all_rows(
                sa.select(model.id)
                .outerjoin(
                    Membership,
                    sa.and_(Membership.user_id == person, Membership.tenant_id == model.tenant_id),
                )
                .where(Membership.id.is_(None))
            )
            assert outsiders == [], model


def test_search_finds_what_people_wrote_and_residents_can_sign_in(app, scaled, client_for):
    with app.app_context():
        # The search interface finds "boodschap" in "boodschappen", "boodschappenhulp" …
        cuijk = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "cuijk"))
        with tenant_context(cuijk):
            found = db.session.scalars(
                sa.select(Listing).where(matches(Listing, "boodschap"))
            ).all()
            assert found
            assert all("boodschap" in f"{x.title} {x.description}".lower() for x in found)
        # The site-wide search page lists open asks and offers: look for the longest word
        # of the newest one's title.
        slug, title = db.session.execute(
            sa.select(Tenant.slug, Listing.title)
            .join(Tenant, Tenant.id == Listing.tenant_id)
            .where(Listing.status == Status.OPEN, Listing.expires_at > utcnow())
            .order_by(Listing.created_at.desc())
            .limit(1)
            .execution_options(**ALL_TENANTS)
        ).one()
    word = max(title.split(), key=len).strip("?:,.")
    page = client_for(slug).get(f"/zoeken?q={word}").get_data(as_text=True)
    assert escape(title) in page
    nothing = client_for(slug).get("/zoeken?q=xylofoon").get_data(as_text=True)
    assert escape(title) not in nothing

    cuijk, grave = client_for("cuijk"), client_for("grave")
    assert cuijk.get("/profiel").status_code == 302
    response = sign_in(cuijk, resident_email("cuijk"), DEMO_PASSWORD)
    assert response.status_code == 302
    assert cuijk.get("/profiel").status_code == 200
    # A resident of Cuijk only: Grave does not know them.
    assert sign_in(grave, resident_email("grave"), "wrong password").status_code == 200
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == resident_email("cuijk")))
        homes = all_rows(sa.select(Membership.tenant_id).where(Membership.user_id == user.id))
        cuijk_id = db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == "cuijk"))
        assert homes == [(cuijk_id,)]


def test_refuses_a_database_that_holds_content(app, scaled):
    again = app.test_cli_runner().invoke(args=["demo", "scale", "--factor", FACTOR])
    assert again.exit_code != 0
    assert "holds municipalities or content already" in again.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Tenant.id))) == 60


def test_refuses_to_run_in_production(app):
    app.config["ENV_NAME"] = "production"
    refused = app.test_cli_runner().invoke(args=["demo", "scale", "--factor", FACTOR])
    assert refused.exit_code != 0
    assert "development only" in refused.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Tenant.id))) == 4
