"""Partners carry the platform: the Atom feeds of a municipality and of each village, and the
page that explains them to partners.

Every feed is validated against RFC 4287's RELAX NG schema (tests/schemas/atom.rnc, converted
with rnc2rng and checked by lxml, all offline) and parsed back with ElementTree. The data is
made once for the module: the tests only read it.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta
from functools import cache
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import rnc2rng
import sqlalchemy as sa
from lxml import etree

from buurtplatform.accounts.models import Role
from buurtplatform.activities.occurrences import from_local
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Kind, OfflinePerson, Status
from buurtplatform.news.models import NewsItem
from buurtplatform.partners.atom import shortened
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tenants.provisioning import create_seeded_tenant
from tenants.scoping import tenant_context
from tenants.seed import LAND_VAN_CUIJK
from tests.activity_helpers import new_activity, next_weekday
from tests.conftest import HostClient, _empty_database, build_app
from tests.helpers import DOMAIN, tenant_by_slug
from tests.listing_helpers import new_listing

SCHEMA = Path(__file__).parent / "schemas" / "atom.rnc"
A = "{http://www.w3.org/2005/Atom}"
# What Cuijk's data holds and no feed may carry: a phone number and an email address typed into
# an ask, the account's email, whom an ask is for, the name and phone of someone without an
# account.
SECRETS = ("12345678", "annie.smit@example.nl", "henk@cuijk.nl", "moeder", "Jansen", "0485-999")


@cache
def atom_schema() -> etree.RelaxNG:
    """The RFC's schema in the XML syntax; rnc2rng declares `local = ""` as a prefix, which
    XML namespaces do not allow, and RELAX NG does not need (it writes ns="")."""
    grammar = rnc2rng.dumps(rnc2rng.load(str(SCHEMA))).replace('xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(grammar.encode()))


def valid_feed(response) -> ET.Element:
    """The feed, after checking it against the schema and the RFC's two rules that the
    schema cannot express; parsed back with ElementTree."""
    assert response.status_code == 200, response.get_data(True)[:500]
    body = response.get_data()
    schema = atom_schema()
    assert schema.validate(etree.fromstring(body)), schema.error_log
    feed = ET.fromstring(body)  # noqa: S314 - our own app's answer, just validated
    for entry in feed.findall(f"{A}entry"):
        assert entry.find(f"{A}link[@rel='alternate']") is not None
        assert entry.find(f"{A}author/{A}name").text
    return feed


def titles(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{A}title") for entry in feed.findall(f"{A}entry")]


def client(app, slug: str) -> HostClient:
    app.test_client_class = HostClient
    made = app.test_client()
    made.host = f"{slug}.{DOMAIN}"
    return made


def _people(slug: str) -> dict[str, int]:
    from buurtplatform.accounts.models import Membership, User

    made = {}
    for name, email in (("Annie", "annie.smit@example.nl"), ("Henk", f"henk@{slug}.nl")):
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = User(email=email, first_name=name, email_verified_at=utcnow())
            user.set_password("een goed wachtwoord")
            db.session.add(user)
            db.session.flush()
        db.session.add(Membership(user_id=user.id, role=Role.RESIDENT))
        made[name] = user.id
    db.session.flush()
    return made


def _fill_cuijk() -> None:
    people = _people("cuijk")
    annie, henk = people["Annie"], people["Henk"]
    villages = {v.name: v for v in db.session.scalars(sa.select(Village))}
    category = db.session.scalar(sa.select(Category.id).where(Category.key == "shopping"))
    beers, haps = villages["Beers"], villages["Haps"]
    older = utcnow() - timedelta(days=1)
    person = OfflinePerson(
        name="Mevrouw Jansen",
        phone="0485-999111",
        village_id=beers.id,
        consent_note="Mondeling",
        recorded_by_id=henk,
    )
    db.session.add(person)
    db.session.flush()
    db.session.add_all(
        [
            new_listing(
                annie,
                category,
                title="Boodschappen in Beers",
                description="Bel me op 06-12345678 of mail annie.smit@example.nl",
                village_id=beers.id,
                on_behalf_of="mijn moeder",
                created_at=older,
            ),
            new_listing(henk, category, kind=Kind.OFFER, title="Ik maai je gras <snel> & goed"),
            new_listing(henk, category, title="Vraag in Haps", village_id=haps.id),
            new_listing(
                henk,
                category,
                title="Namens iemand",
                village_id=beers.id,
                offline_person_id=person.id,
            ),
            new_listing(henk, category, title="Al gesloten", status=Status.CLOSED),
            new_listing(henk, category, title="Verborgen vraag", hidden_at=utcnow()),
            new_listing(henk, category, title="Wacht op goedkeuring", awaiting_approval=True),
            new_listing(henk, category, title="Verlopen vraag", expires_at=older),
        ]
    )
    soon = next_weekday(1)
    db.session.add_all(
        [
            new_activity(annie, soon, title="Koffie in Beers", village_id=beers.id),
            new_activity(annie, soon, title="Wandelen in Haps", village_id=haps.id),
            new_activity(annie, soon, title="Afgelast", cancelled_at=utcnow()),
            new_activity(
                annie,
                soon + timedelta(weeks=6),
                title="Veel later",
                starts_at=from_local(
                    soon + timedelta(weeks=6), new_activity(0, soon).starts_at.time()
                ),
            ),
        ]
    )
    db.session.add_all(
        [
            NewsItem(title="Nieuws voor iedereen", body="Welkom " * 100),
            NewsItem(title="Nieuws uit Haps", body="Tekst", village_id=haps.id),
            NewsItem(title="Oud nieuws", body="Tekst", last_day=older.date() - timedelta(days=2)),
        ]
    )


def _fill_grave() -> None:
    henk = _people("grave")["Henk"]
    category = db.session.scalar(sa.select(Category.id).where(Category.key == "shopping"))
    db.session.add(new_listing(henk, category, title="Vraag uit Grave"))
    db.session.add(new_activity(henk, next_weekday(1), title="Koffie in Grave"))
    db.session.add(NewsItem(title="Nieuws uit Grave", body="Tekst"))


@pytest.fixture(scope="module")
def app(tmp_path_factory, database_url):
    """The four municipalities: Cuijk with every kind of item (and some that must never be
    in a feed), Grave with one of each, Mill with nothing."""
    made = build_app(tmp_path_factory.mktemp("partners"), database_url)
    with made.app_context():
        _empty_database()
        for seed in LAND_VAN_CUIJK:
            create_seeded_tenant(seed)
        db.session.commit()
        for slug, fill in (("cuijk", _fill_cuijk), ("grave", _fill_grave)):
            with tenant_context(tenant_by_slug(slug)):
                fill()
                db.session.commit()
    yield made
    with made.app_context():
        db.session.remove()
        db.engine.dispose()


def village_id(app, slug: str, name: str) -> int:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        return db.session.scalar(sa.select(Village.id).where(Village.name == name))


def test_the_municipality_feed_of_asks_and_offers_holds_what_the_list_shows(app):
    response = client(app, "cuijk").get("/atom/vraag-en-aanbod.xml")
    feed = valid_feed(response)
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "Set-Cookie" not in response.headers
    assert sorted(titles(feed)) == [
        "Hulpaanbod: Ik maai je gras <snel> & goed",
        "Hulpvraag: Boodschappen in Beers",
        "Hulpvraag: Namens iemand",
        "Hulpvraag: Vraag in Haps",
    ]
    assert feed.findtext(f"{A}title") == "Samen Cuijk: Vraag en aanbod"
    entry = next(e for e in feed.findall(f"{A}entry") if "Beers" in e.findtext(f"{A}title"))
    assert entry.find(f"{A}author/{A}name").text == "Annie"
    assert entry.find(f"{A}category").get("term") == "Beers"
    link = entry.find(f"{A}link").get("href")
    assert re.fullmatch(r"http://cuijk\.buurt\.test/vraag-en-aanbod/\d+", link), link
    assert entry.findtext(f"{A}id").startswith("urn:uuid:")
    on_behalf = next(e for e in feed.findall(f"{A}entry") if "Namens" in e.findtext(f"{A}title"))
    assert on_behalf.findtext(f"{A}author/{A}name") == "een buur, via de sociaal werker"


def test_no_feed_carries_personal_details_beyond_a_first_name_and_village(app):
    cuijk = client(app, "cuijk")
    for kind in ("vraag-en-aanbod", "agenda", "nieuws"):
        body = cuijk.get(f"/atom/{kind}.xml").get_data(True)
        for secret in SECRETS:
            assert secret not in body, (kind, secret)
    feed = valid_feed(cuijk.get("/atom/vraag-en-aanbod.xml"))
    beers = next(e for e in feed.findall(f"{A}entry") if "Beers" in e.findtext(f"{A}title"))
    assert beers.findtext(f"{A}summary") == "Bel me op … of mail …"


def test_a_village_feed_holds_that_village_and_the_whole_municipality(app):
    beers = village_id(app, "cuijk", "Beers")
    cuijk = client(app, "cuijk")
    listings = valid_feed(cuijk.get(f"/atom/{beers}/vraag-en-aanbod.xml"))
    assert sorted(titles(listings)) == [
        "Hulpaanbod: Ik maai je gras <snel> & goed",
        "Hulpvraag: Boodschappen in Beers",
        "Hulpvraag: Namens iemand",
    ]
    assert listings.findtext(f"{A}title") == "Samen Cuijk, Beers: Vraag en aanbod"
    self_link = listings.find(f"{A}link[@rel='self']").get("href")
    assert self_link == f"http://cuijk.buurt.test/atom/{beers}/vraag-en-aanbod.xml"
    agenda = valid_feed(cuijk.get(f"/atom/{beers}/agenda.xml"))
    assert [t.split(",")[0] for t in titles(agenda)] == ["Koffie in Beers"]
    news = valid_feed(cuijk.get(f"/atom/{beers}/nieuws.xml"))
    assert titles(news) == ["Nieuws voor iedereen"]


def test_the_agenda_feed_holds_coming_occurrences_only(app):
    feed = valid_feed(client(app, "cuijk").get("/atom/agenda.xml"))
    names = titles(feed)
    assert sorted(name.split(",")[0] for name in names) == ["Koffie in Beers", "Wandelen in Haps"]
    assert all("10:00" in name for name in names)
    link = feed.find(f"{A}entry/{A}link").get("href")
    assert "?datum=" in link


def test_the_news_feed_holds_current_news_with_a_short_summary(app):
    feed = valid_feed(client(app, "cuijk").get("/atom/nieuws.xml"))
    assert sorted(titles(feed)) == ["Nieuws uit Haps", "Nieuws voor iedereen"]
    summary = next(
        e.findtext(f"{A}summary")
        for e in feed.findall(f"{A}entry")
        if "iedereen" in e.findtext(f"{A}title")
    )
    assert len(summary) <= 201 and summary.endswith("…")
    assert feed.findtext(f"{A}entry/{A}author/{A}name") == "Samen Cuijk"


def test_another_municipalitys_items_and_villages_never_show(app):
    cuijk, grave = client(app, "cuijk"), client(app, "grave")
    for kind in ("vraag-en-aanbod", "agenda", "nieuws"):
        assert "Grave" not in cuijk.get(f"/atom/{kind}.xml").get_data(True)
        grave_titles = titles(valid_feed(grave.get(f"/atom/{kind}.xml")))
        assert len(grave_titles) == 1 and "Grave" in grave_titles[0]
    velp = village_id(app, "grave", "Velp")
    assert cuijk.get(f"/atom/{velp}/nieuws.xml").status_code == 404


def test_feeds_of_an_empty_municipality_validate(app):
    mill = client(app, "mill")
    for kind in ("vraag-en-aanbod", "agenda", "nieuws"):
        feed = valid_feed(mill.get(f"/atom/{kind}.xml"))
        assert titles(feed) == []
        assert feed.findtext(f"{A}updated")
    assert mill.get("/atom/iets-anders.xml").status_code == 404


def test_entry_ids_stay_the_same_and_differ_per_item(app):
    cuijk = client(app, "cuijk")

    def entry_ids() -> list[str]:
        feed = valid_feed(cuijk.get("/atom/vraag-en-aanbod.xml"))
        return [entry.findtext(f"{A}id") for entry in feed.findall(f"{A}entry")]

    first = entry_ids()
    assert first == entry_ids() and len(set(first)) == len(first) == 4


def test_the_partner_page_lists_the_addresses_and_a_piece_of_html(app):
    cuijk = client(app, "cuijk")
    response = cuijk.get("/voor-partners")
    page = response.get_data(True)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    beers = village_id(app, "cuijk", "Beers")
    assert f"http://cuijk.buurt.test/atom/{beers}/agenda.xml" in page
    assert "http://cuijk.buurt.test/atom/nieuws.xml" in page
    # A newsletter tool given the page's address finds the lists of the whole municipality.
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Nieuws"'
        ' href="http://cuijk.buurt.test/atom/nieuws.xml">'
    ) in page
    snippet = html.unescape(page.split('id="partner-snippet"')[1].split("</textarea>")[0])
    assert "Boodschappen in Beers" in snippet
    assert "<script" not in snippet and "<img" not in snippet
    # What someone typed is text in the HTML, in the box and in the preview alike.
    assert "Ik maai je gras &lt;snel&gt; &amp; goed</a> (heel Cuijk)" in snippet
    assert "<snel>" not in page
    chosen = cuijk.get(f"/voor-partners?village={beers}&kind=agenda").get_data(True)
    preview = chosen.split('class="partner-preview"')[1]
    assert "Koffie in Beers" in preview and "Wandelen in Haps" not in preview
    # The footer of every municipality page links to it.
    assert 'href="/voor-partners"' in cuijk.get("/").get_data(True)


def test_the_partner_page_is_in_english_too(app):
    cuijk = client(app, "cuijk")
    cuijk.set_cookie("taal", "en", domain=f"cuijk.{DOMAIN}")
    page = cuijk.get("/voor-partners").get_data(True)
    assert "<h1>For partners</h1>" in page


@pytest.mark.parametrize(
    ("typed", "in_the_feed"),
    [
        ("Bel 06-12345678 of 0485 999 111", "Bel … of …"),
        ("Of bel +31 6 1234 5678.", "Of bel …."),
        ("Mail a.de.vries@example.nl gerust", "Mail … gerust"),
        ("Op 12-12-2026 van 10.00 - 12.00 uur", "Op 12-12-2026 van 10.00 - 12.00 uur"),
    ],
)
def test_a_summary_leaves_out_phone_numbers_and_email_addresses_but_not_dates(typed, in_the_feed):
    assert shortened(typed) == in_the_feed
