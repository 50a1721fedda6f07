"""Visitors' pages without a cookie, public and kept; a change shows at once; signed-in pages
private. See buurtplatform/page_cache.py and tenants/hosts.py."""

from __future__ import annotations

import time

import redis
import sqlalchemy as sa

from buurtplatform import page_cache
from buurtplatform.accounts.models import Membership, Role
from buurtplatform.extensions import cache, db
from buurtplatform.timestamps import utcnow
from tenants.models import Tenant
from tenants.scoping import tenant_context
from tests.conftest import REDIS_URL, HostClient
from tests.helpers import (
    DOMAIN,
    sign_in,
    sign_in_with_form_key,
    tenant_by_slug,
    without_form_key,
)
from tests.listing_helpers import add_listing, counting_queries, set_listing

VISITORS_PAGES = ["/", "/vraag-en-aanbod", "/prikbord", "/agenda", "/sociale-kaart", "/nieuws"]


def _client(app, slug: str | None = "cuijk") -> HostClient:
    app.test_client_class = HostClient
    client = app.test_client()
    client.host = f"{slug}.{DOMAIN}" if slug else DOMAIN
    return client


def _page_statements(statements: list[str]) -> list[str]:
    """What a page itself asked the database: not the visit counter's own note."""
    return [s for s in statements if "visit_" not in s]


def _rename(app, slug: str, site_name: str) -> None:
    with app.app_context():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        tenant.site_name = site_name
        db.session.commit()


def test_a_visitor_gets_no_cookie_and_public_pages_with_an_etag(app):
    visitor = _client(app)
    for url in VISITORS_PAGES:
        response = visitor.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert response.cache_control.public and response.cache_control.max_age == 60, url
        etag = response.headers["ETag"]
        again = visitor.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.get_data() == b"", url


def test_the_language_and_text_size_need_no_session(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    visitor = _client(app)
    page = visitor.get("/vraag-en-aanbod").get_data(as_text=True)
    assert "csrf_token" not in page
    response = visitor.post(
        "/taal", data={"language-locale": "en", "language-next": "/vraag-en-aanbod"}
    )
    assert response.status_code == 302
    assert [c.split("=")[0] for c in response.headers.getlist("Set-Cookie")] == ["taal"]
    english = visitor.get("/vraag-en-aanbod")
    assert 'lang="en"' in english.get_data(as_text=True)
    assert english.cache_control.public

    larger = visitor.post("/tekstgrootte", data={"textsize-next": "/"})
    assert [c.split("=")[0] for c in larger.headers.getlist("Set-Cookie")] == ["grote_letters"]


def test_another_site_cannot_change_a_visitors_language(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    visitor = _client(app)
    for headers in (
        {"Origin": "https://evil.example.com"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": f"http://grave.{DOMAIN}"},
    ):
        for url, data in (
            ("/taal", {"language-locale": "en"}),
            ("/tekstgrootte", {}),
        ):
            response = visitor.post(url, data=data, headers=headers)
            assert response.status_code == 403, (url, headers)
            assert "Set-Cookie" not in response.headers
    same = visitor.post(
        "/taal", data={"language-locale": "en"}, headers={"Origin": f"http://cuijk.{DOMAIN}"}
    )
    assert same.status_code == 302


def test_signed_in_pages_and_forms_are_private(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    visitor = _client(app)
    for url in ("/inloggen", "/aanmelden", "/bel-mij-terug"):
        response = visitor.get(url)
        assert response.cache_control.private and response.cache_control.no_store, url
        assert "ETag" not in response.headers, url
    for url in VISITORS_PAGES:  # kept for visitors first
        assert _client(app).get(url).cache_control.public, url
    member = _client(app)
    sign_in_with_form_key(member, make_user())
    for url in VISITORS_PAGES:
        response = member.get(url)
        assert response.cache_control.private and response.cache_control.no_store, url


def test_a_page_reached_with_a_token_from_an_email_is_never_kept(app):
    response = _client(app).get("/uitnodiging/een-geheim-uit-een-email")
    assert response.cache_control.private and response.cache_control.no_store


def test_the_call_back_form_is_never_served_from_the_cache(app):
    """Its page carries a one-time key (tested with form keys off, as in the other tests)."""
    first = _client(app).get("/bel-mij-terug").get_data(as_text=True)
    second = _client(app).get("/bel-mij-terug").get_data(as_text=True)
    assert first != second


def test_a_kept_page_costs_no_query_and_a_change_shows_at_once(app, make_user):
    author = make_user()
    add_listing(app, author, title="Hulp bij de boodschappen")
    visitor = _client(app)
    assert "Hulp bij de boodschappen" in visitor.get("/vraag-en-aanbod").get_data(as_text=True)
    with counting_queries(app) as statements:
        kept = visitor.get("/vraag-en-aanbod")
    assert kept.status_code == 200
    assert _page_statements(statements) == []

    listing_id = add_listing(app, author, title="Wie rijdt mee naar Boxmeer")
    with counting_queries(app) as statements:
        fresh = visitor.get("/vraag-en-aanbod").get_data(as_text=True)
    assert "Wie rijdt mee naar Boxmeer" in fresh
    assert _page_statements(statements) != []

    set_listing(app, listing_id, title="Wie rijdt mee naar Cuijk")
    assert "Wie rijdt mee naar Cuijk" in visitor.get("/vraag-en-aanbod").get_data(as_text=True)


def test_a_change_in_one_municipality_keeps_the_others_pages(app, make_user):
    cuijk, grave = _client(app, "cuijk"), _client(app, "grave")
    cuijk.get("/vraag-en-aanbod")
    grave.get("/vraag-en-aanbod")
    add_listing(app, make_user("grave"), slug="grave", title="Een ladder lenen")
    with counting_queries(app) as statements:
        cuijk.get("/vraag-en-aanbod")
    assert _page_statements(statements) == []
    assert "Een ladder lenen" in grave.get("/vraag-en-aanbod").get_data(as_text=True)


def test_a_kept_page_is_per_language_and_text_size(app):
    def page(**cookies: str) -> str:
        visitor = _client(app)
        for name, value in cookies.items():
            visitor.set_cookie(name, value, domain=visitor.host)
        return visitor.get("/vraag-en-aanbod").get_data(as_text=True)

    dutch, english, larger = page(), page(taal="en"), page(grote_letters="1")
    assert '<html lang="nl">' in dutch and 'aria-pressed="false"' in dutch
    assert '<html lang="en">' in english
    assert '<html lang="nl">' in larger and 'aria-pressed="true"' in larger
    assert '<html lang="en">' in page(taal="en")


def test_the_municipality_lookup_is_remembered_until_its_settings_change(app):
    visitor = _client(app)
    visitor.get("/vraag-en-aanbod")
    with counting_queries(app) as statements:
        visitor.get("/prikbord")
    assert not any("FROM tenants" in s for s in statements)
    _rename(app, "cuijk", "Samen in Cuijk")
    assert "Samen in Cuijk" in visitor.get("/prikbord").get_data(as_text=True)
    assert "Samen in Cuijk" in visitor.get("/vraag-en-aanbod").get_data(as_text=True)


def test_on_redis_a_change_on_one_app_server_shows_on_the_other(make_app, clean_redis):
    """Two app servers (two apps, as two gunicorn processes) sharing one Redis."""
    settings = {"REDIS_URL": REDIS_URL, "CACHE_REDIS_URL": REDIS_URL, "RQ_ASYNC": False}
    first, second = make_app(**settings), make_app(**settings)
    assert first.config["CACHE_TYPE"] == "RedisCache"
    on_first, on_second = _client(first), _client(second)
    assert "Buurtplatform Cuijk" not in on_second.get("/prikbord").get_data(as_text=True)
    on_first.get("/prikbord")
    with counting_queries(second) as statements:
        kept = on_second.get("/prikbord")
    assert kept.status_code == 200 and _page_statements(statements) == []

    _rename(first, "cuijk", "Buurtplatform Cuijk")
    assert "Buurtplatform Cuijk" in on_second.get("/prikbord").get_data(as_text=True)
    keys = redis.Redis.from_url(REDIS_URL).keys("buurtplatform:page:*")
    assert keys


def test_pages_are_served_when_redis_is_away(make_app):
    app = make_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL="redis://127.0.0.1:1/0")
    visitor = _client(app)
    for url in VISITORS_PAGES:
        assert visitor.get(url).status_code == 200, url


def test_a_kept_page_still_counts_each_new_visitor(app):
    visitor = _client(app)
    visitor.get("/agenda", environ_base={"REMOTE_ADDR": "192.0.2.1"})
    with counting_queries(app) as statements:
        kept = visitor.get("/agenda", environ_base={"REMOTE_ADDR": "192.0.2.2"})
    assert kept.status_code == 200 and kept.cache_control.public
    # Only the second person's visit is written: the page itself asks nothing.
    assert [s for s in _page_statements(statements) if s != "BEGIN"] == []
    assert any("visit_traces" in s for s in statements)
    with app.app_context():
        traces = db.session.scalar(sa.text("SELECT count(*) FROM visit_traces"))
    assert traces == 2


def test_a_kept_page_is_served_as_it_was_made(app):
    visitor = _client(app)
    made = visitor.get("/prikbord")
    kept = visitor.get("/prikbord")
    assert kept.get_data() == made.get_data()
    for name in ("Content-Type", "Content-Security-Policy", "Vary", "ETag", "Cache-Control"):
        assert kept.headers[name] == made.headers[name], name
    assert kept.headers["Content-Length"] == str(len(made.get_data()))


def test_an_alias_host_redirects_also_when_the_page_is_kept(app):
    from tests.test_tenant_domains import get, run

    run(app, "add-domain", "cuijk", "samencuijk.nl", "--canonical")
    run(app, "add-domain", "cuijk", "www.samencuijk.nl")
    assert get(app, "samencuijk.nl", "/agenda").status_code == 200
    assert get(app, "www.samencuijk.nl", "/agenda").status_code == 301
    assert get(app, "samencuijk.nl", "/agenda").status_code == 200  # kept
    assert get(app, "www.samencuijk.nl", "/agenda").status_code == 301


def test_someone_with_a_session_never_gets_a_kept_page(app):
    """Only a browser without a session cookie is served by the middleware; with one, Flask
    decides (and a signed-in person gets their own page)."""
    visitor = _client(app)
    visitor.get("/nieuws")
    with_session = _client(app)
    with_session.set_cookie("session", "anything", domain=with_session.host)
    with counting_queries(app) as statements:
        page = with_session.get("/nieuws")
    assert page.status_code == 200
    assert _page_statements(statements) != []  # made afresh, not served from the cache


# Pages shared with members, with the query strings their filters and pages make.
SHARED_QUERIES = {"listings.browse": "?soort=vraag&pagina=1", "site_search.results": "?q=hulp"}


def _shared_urls(app) -> list[str]:
    endpoints = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "shared_with_members", False)
    ]
    assert len(endpoints) >= 5  # asks and offers, agenda (and past), prikbord, search
    with app.test_request_context(base_url=f"http://cuijk.{DOMAIN}"):
        from flask import url_for

        urls = [url_for(endpoint) for endpoint in sorted(endpoints)]
    return urls + [url_for_query for url_for_query in _with_queries(app, endpoints)]


def _with_queries(app, endpoints: list[str]) -> list[str]:
    with app.test_request_context(base_url=f"http://cuijk.{DOMAIN}"):
        from flask import url_for

        return [url_for(e) + SHARED_QUERIES[e] for e in endpoints if e in SHARED_QUERIES]


def _shared_as_made(app, member: HostClient, url: str, who: str) -> list[str]:
    """Asserts that `member`'s page at `url` from the cache (private to them) is the page the
    view makes for them with the cache off; returns the statements of the cached one."""
    app.config["PAGE_CACHE"] = False
    made = member.get(url)
    app.config["PAGE_CACHE"] = True
    with counting_queries(app) as statements:
        shared = member.get(url)
    assert shared.status_code == made.status_code == 200, (who, url)
    assert shared.cache_control.private and shared.cache_control.no_store, (who, url)
    assert without_form_key(shared.get_data(as_text=True)) == without_form_key(
        made.get_data(as_text=True)
    ), (who, url)
    return statements


def test_a_member_gets_a_shared_page_exactly_as_if_it_were_made_for_them(app, make_user):
    """For every view that says `shared_with_members`: the visitors' kept page with the
    member's own menu and notices is the page the view makes for that member, for a resident
    with an unread message and a notice, a blocked resident, a connector, a coordinator and
    someone with an account who is no member here (the home page invites them to join)."""
    author = make_user(first_name="Bert")
    listing_id = add_listing(app, author, title="Hulp bij de boodschappen")
    resident, blocked = make_user(), make_user(first_name="Cor")
    staff = [make_user(role=Role.CONNECTOR), make_user(role=Role.COORDINATOR)]
    replier = _client(app)
    sign_in(replier, resident)
    replier.post(f"/vraag-en-aanbod/{listing_id}/reageren", data={"body": "Ik help graag."})
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        membership = db.session.scalar(
            sa.select(Membership).where(Membership.user_id == blocked.id)
        )
        membership.blocked_at = utcnow()
        db.session.commit()
    urls = _shared_urls(app)
    for url in urls:  # a visitor's visit keeps each page
        assert _client(app).get(url).cache_control.public, url

    elsewhere = make_user("grave", first_name="Dirk")  # an account, no member of Cuijk
    for person in (author, blocked, *staff, elsewhere):
        member = _client(app)
        sign_in(member, person)
        assert member.get("/profiel").status_code == 200, person.first_name  # signed in
        for url in urls:
            statements = _shared_as_made(app, member, url, person.first_name)
            assert not any("FROM listings" in s for s in statements), url
    author_page = _client(app)
    sign_in(author_page, author)
    assert '<span class="count">(1 nieuw)</span>' in author_page.get("/vraag-en-aanbod").get_data(
        as_text=True
    )


def test_a_shared_page_shows_a_members_message_once(app, make_user):
    """A notice (a flash) shows on the shared page, and only once."""
    member = _client(app)
    sign_in(member, make_user())
    _client(app).get("/vraag-en-aanbod")
    # As an action that changes nothing a visitor sees (and so keeps the page) would leave it.
    with member.session_transaction(base_url=f"http://{member.host}") as session:
        session["_flashes"] = [("success", "Je vraag staat erop.")]
    with counting_queries(app) as statements:
        page = member.get("/vraag-en-aanbod").get_data(as_text=True)
    assert "Je vraag staat erop." in page
    assert not any("FROM listings" in s for s in statements)  # the shared page
    assert "Je vraag staat erop." not in member.get("/vraag-en-aanbod").get_data(as_text=True)


def test_a_members_page_made_afresh_is_kept_as_the_visitors_page(app, make_user):
    """So that members are served quickly also when no visitor came by in their language:
    the kept page is exactly the page made for a visitor, without the member's menu or
    messages (an author with an unread reply, a coordinator)."""
    author = make_user(first_name="Bert")
    listing_id = add_listing(app, author, title="Hulp bij de boodschappen")
    replier = _client(app)
    sign_in(replier, make_user())
    replier.post(f"/vraag-en-aanbod/{listing_id}/reageren", data={"body": "Ik help graag."})
    urls = _shared_urls(app)
    for person in (author, make_user(role=Role.COORDINATOR)):
        member = _client(app)
        sign_in(member, person)
        for url in urls:
            _rename(app, "cuijk", f"Samen Cuijk {person.id}")  # nothing kept from before
            app.config["PAGE_CACHE"] = False
            made_for_a_visitor = _client(app).get(url).get_data()
            app.config["PAGE_CACHE"] = True
            assert "Samen Cuijk" in member.get(url).get_data(as_text=True)
            with counting_queries(app) as statements:
                kept = _client(app).get(url)
            assert [s for s in _page_statements(statements) if s != "BEGIN"] == [], url
            assert kept.cache_control.public and "Set-Cookie" not in kept.headers, url
            assert kept.get_data() == made_for_a_visitor, (person.first_name, url)


def test_the_figures_page_is_shared_among_staff_exactly_as_made_for_each(app, make_user):
    """Kept for staff only: a connector, a coordinator and a platform admin each get the page
    the view makes for them; a resident and a visitor still get no figures."""
    staff = [
        make_user(role=Role.CONNECTOR),
        make_user(role=Role.COORDINATOR),
        make_user(slug=None, admin=True),
    ]
    urls = ["/cijfers", "/cijfers?per=maand"]
    clients = []
    for person in staff:  # each visits first: visits of today raise no generation number
        clients.append(_client(app))
        sign_in(clients[-1], person)
        clients[-1].get("/")
    for url in urls:
        assert clients[1].get(url).status_code == 200  # made and kept
    for person, member in zip(staff, clients, strict=True):
        for url in urls:
            statements = _shared_as_made(app, member, url, person.email)
            assert len(statements) < 8, (person.email, url, len(statements))
    resident = _client(app)
    sign_in(resident, make_user())
    assert resident.get("/cijfers").status_code in (302, 403)
    assert _client(app).get("/cijfers").status_code in (302, 403)


def test_the_home_pages_blocks_are_kept_and_a_change_shows_at_once(app, make_user):
    """The blocks are the same for everyone; the start ("Hallo Annie") is the member's own."""
    author = make_user(first_name="Bert")
    add_listing(app, author, title="Hulp bij de boodschappen")
    member = _client(app)
    sign_in(member, make_user(first_name="Annie"))
    app.config["PAGE_CACHE"] = False
    with counting_queries(app) as statements:
        made = member.get("/").get_data(as_text=True)
    made_queries = len(_page_statements(statements))
    app.config["PAGE_CACHE"] = True
    member.get("/")
    with counting_queries(app) as statements:
        kept = member.get("/").get_data(as_text=True)
    assert without_form_key(kept) == without_form_key(made)
    assert "Hallo Annie" in kept and "Hulp bij de boodschappen" in kept
    assert len(_page_statements(statements)) <= made_queries - 5

    add_listing(app, author, title="Wie rijdt mee naar Boxmeer")
    assert "Wie rijdt mee naar Boxmeer" in member.get("/").get_data(as_text=True)
    bert = _client(app)
    sign_in(bert, author)
    assert "Hallo Bert" in bert.get("/").get_data(as_text=True)


def test_a_page_past_its_time_is_made_by_one_request_while_the_others_get_the_kept_one(
    app, make_user, monkeypatch
):
    """When a kept page's time is up, the first request takes the turn to make it anew; the
    requests that come while it is being made get the kept one, rather than all making the
    same page at once (a figures page takes a tenth of a second with sixty municipalities).
    For a visitor (the middleware) and for a member (a shared page)."""
    visitor, member = _client(app), _client(app)
    sign_in(member, make_user())
    pages = ((visitor, "/vraag-en-aanbod", "FROM listings"), (member, "/prikbord", "FROM board"))
    for client, url, _ in pages:
        assert client.get(url).status_code == 200  # made and kept
    later = time.time() + app.config["CACHE_DEFAULT_TIMEOUT"] + 1
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    backend = app.extensions["cache"][cache]
    for client, url, made in pages:
        with monkeypatch.context() as meanwhile:
            meanwhile.setattr(backend, "add", lambda *_: False)  # another request has the turn
            with counting_queries(app) as statements:
                assert client.get(url).status_code == 200
            assert not any(made in s for s in statements), url  # the kept one
        with counting_queries(app) as statements:
            assert client.get(url).status_code == 200  # this one takes the turn
        assert any(made in s for s in statements), url
        with counting_queries(app) as statements:
            assert client.get(url).status_code == 200  # made just now
        assert not any(made in s for s in statements), url


def test_a_member_gets_the_shared_page_in_their_own_language_whatever_the_browser_says(
    app, make_user
):
    """The middleware reads the kept page in the browser's language along with the request; a
    member whose saved language is another gets the page in theirs all the same."""
    english = make_user(first_name="Eve")
    with app.app_context():
        db.session.get(type(english), english.id).locale = "en"
        db.session.commit()
    _client(app).get("/vraag-en-aanbod")  # the Dutch page, kept
    member = _client(app)
    sign_in(member, english)
    member.set_cookie("taal", "nl", domain=DOMAIN)  # another device said Dutch
    page = member.get("/vraag-en-aanbod").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert _shared_as_made(app, member, "/vraag-en-aanbod", "Eve") is not None
