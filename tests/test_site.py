"""A municipality's home page: what it leads with, and how search engines and link previews
see it (meta description, Open Graph, favicon)."""

from __future__ import annotations

import re

from buurtplatform.extensions import db
from tenants.scoping import tenant_context
from tests.helpers import sign_in, tenant_by_slug


def test_home_leads_with_asking_offering_and_the_phone_number(client_for):
    page = client_for("cuijk").get("/").get_data(True)
    main = page.split('<main id="inhoud"')[1]
    ask, offer, call = (
        main.index(text) for text in ("Vraag om hulp", "Bied hulp aan", "Liever bellen?")
    )
    latest = main.index("Nieuwste vraag en aanbod")
    assert ask < offer < call < latest
    assert 'href="tel:0485700100"' in main[:latest]


def test_a_visitors_ask_button_explains_the_account_first(client_for):
    page = client_for("cuijk").get("/").get_data(True)
    assert 'href="/account-nodig?next=/vraag-en-aanbod/nieuw?soort%3Dvraag"' in page
    assert 'href="/account-nodig?next=/vraag-en-aanbod/nieuw?soort%3Daanbod"' in page


def test_a_members_ask_button_opens_the_ask_form(client_for, make_user):
    cuijk = client_for("cuijk")
    sign_in(cuijk, make_user("cuijk"))
    page = cuijk.get("/").get_data(True)
    assert 'href="/vraag-en-aanbod/nieuw?soort=vraag"' in page
    assert 'href="/vraag-en-aanbod/nieuw?soort=aanbod"' in page


def test_every_page_describes_itself_in_the_municipalitys_own_words(client_for):
    cuijk = client_for("cuijk")
    for path in ("/", "/privacy", "/inloggen", "/vraag-en-aanbod"):
        page = cuijk.get(path).get_data(True)
        assert '<meta name="description" content="Welkom op Samen Cuijk. Hier vraag' in page, path
    portal = client_for(None).get("/").get_data(True)
    assert '<meta name="description" content="Elke gemeente' in portal


def test_a_long_welcome_text_is_shortened_at_a_word(app, client_for):
    with app.app_context():
        tenant = tenant_by_slug("grave")
        tenant.welcome_text = "Welkom " + "bij de buren " * 30
        db.session.commit()
    page = client_for("grave").get("/").get_data(True)
    description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
    assert len(description) <= 155
    assert description.endswith(" bij…")  # cut between words, never inside one


def test_home_page_has_open_graph_title_and_description(client_for):
    page = client_for("grave").get("/").get_data(True)
    assert '<meta property="og:title" content="Samen Grave">' in page
    assert '<meta property="og:description" content="Welkom op Samen Grave.' in page
    assert '<meta property="og:url" content="http://grave.buurt.test/">' in page


def test_each_municipality_has_a_favicon_in_its_own_colour(app, client_for):
    for slug, color in (("cuijk", "#1d4f91"), ("grave", "#7a2048")):
        client = client_for(slug)
        page = client.get("/").get_data(True)
        assert re.search(
            r'<link rel="icon" href="/favicon.svg\?v=\d+" type="image/svg\+xml">', page
        )
        for path in ("/favicon.svg", "/favicon.ico"):
            icon = client.get(path)
            assert icon.status_code == 200
            assert icon.mimetype == "image/svg+xml"
            assert f'fill="{color}"' in icon.get_data(True)
            assert "public" in icon.headers["Cache-Control"]
    assert client_for(None).get("/favicon.ico").status_code == 200


def test_favicon_never_puts_a_malformed_colour_into_markup(app, client_for):
    with app.app_context(), tenant_context(tenant_by_slug("mill")):
        tenant = tenant_by_slug("mill")
        tenant.primary_color = '#1"/><a'  # seven characters, as the column holds
        db.session.commit()
    icon = client_for("mill").get("/favicon.svg").get_data(True)
    assert "<a" not in icon
    assert 'fill="#1d4f91"' in icon  # the default colour instead
