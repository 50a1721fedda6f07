"""Site settings and branding: a connector changes the name, texts, contact details, footer
links, colours and logo of their own municipality; bad input changes nothing; every change is
in the audit log; visitors see it at once."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from PIL import Image

from buurtplatform.accounts.models import Role
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.extensions import db
from buurtplatform.rich_text import render_markdown
from tenants.scoping import ALL_TENANTS, tenant_context
from tests.helpers import sign_in, tenant_by_slug
from tests.test_images import UNUSABLE, photo_with_gps, picture

TEXTS = "/beheer/instellingen/teksten"
CONTACT = "/beheer/instellingen/contact"
BRANDING = "/beheer/instellingen/kleuren-en-logo"
PREVIEW = BRANDING + "/voorbeeld"
PUBLISH = BRANDING + "/publiceren"
DISCARD = BRANDING + "/weggooien"


@pytest.fixture
def connector(client_for, make_user):
    """A signed-in connector of Cuijk."""
    client = client_for("cuijk")
    sign_in(client, make_user("cuijk", Role.CONNECTOR, first_name="Henk"))
    return client


def tenant(app, slug: str = "cuijk"):
    with app.app_context():
        found = tenant_by_slug(slug)
        db.session.expunge(found)
        return found


def audit(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [
            (entry.action, entry.subject)
            for entry in db.session.scalars(
                sa.select(AuditEntry).order_by(AuditEntry.id).execution_options(**ALL_TENANTS)
            )
        ]


def uploads(tmp_path) -> set[str]:
    folder = tmp_path / "uploads"
    return {path.name for path in folder.iterdir()} if folder.exists() else set()


TEXT_FIELDS = (
    "site_name",
    "welcome_text",
    "welcome_text_en",
    "about_text",
    "about_text_en",
    "house_rules",
    "house_rules_en",
)


def texts(app, **changes: str) -> dict[str, str]:
    """The texts form as the page fills it in for Cuijk, with `changes`."""
    current = tenant(app)
    return {name: getattr(current, name) or "" for name in TEXT_FIELDS} | changes


def english(client, path: str) -> str:
    client.post("/taal", data={"language-locale": "en", "language-next": path})
    return client.get(path).get_data(True)


def test_a_connector_writes_the_texts_in_dutch_and_english(app, connector, client_for):
    form = texts(
        app,
        welcome_text_en="",
        about_text="Wij zijn **vrijwilligers** uit Cuijk.",
        about_text_en="We are **volunteers** from Cuijk.",
        house_rules="- Wees aardig\n- Deel geen adressen",
    )
    response = connector.post(TEXTS, data=form, follow_redirects=True)
    assert "Opgeslagen. Iedereen ziet het nu." in response.get_data(True)

    visitor = client_for("cuijk")
    about = visitor.get("/over-ons").get_data(True)
    assert "Wij zijn <strong>vrijwilligers</strong> uit Cuijk." in about
    rules = visitor.get("/huisregels").get_data(True)
    assert "<li>Deel geen adressen</li>" in rules
    assert "We are <strong>volunteers</strong>" in english(visitor, "/over-ons")
    # Without an English text, English pages show the Dutch one.
    assert "<li>Deel geen adressen</li>" in visitor.get("/huisregels").get_data(True)
    subject = "Welkomsttekst in het Engels, Over ons, Over ons in het Engels, Huisregels"
    assert audit(app) == [("settings.texts_changed", subject)]
    # An English text left empty is no English text: English pages show the Dutch one.
    assert tenant(app).welcome_text_en is None
    assert "Welkom op Samen Cuijk." in english(client_for("cuijk"), "/")


def test_saving_unchanged_texts_logs_nothing(app, connector):
    response = connector.post(TEXTS, data=texts(app), follow_redirects=True)
    assert "Er is niets veranderd." in response.get_data(True)
    assert audit(app) == []


def test_a_site_without_a_name_is_refused_and_nothing_changes(app, connector):
    form = texts(app, site_name="  ", about_text="Over ons")
    page = connector.post(TEXTS, data=form).get_data(True)
    assert "Vul de naam van de site in." in page
    assert tenant(app).about_text == ""
    assert tenant(app).site_name == "Samen Cuijk"
    assert audit(app) == []


def test_formatting_cannot_carry_script(app, connector, client_for):
    dangerous = (
        "Hallo <script>alert(1)</script>\n\n"
        '<a href="https://x.nl" onclick="steal()">klik</a>\n\n'
        "[klik hier](javascript:alert(1)) en [ons](https://cuijk.nl)"
    )
    connector.post(TEXTS, data=texts(app, about_text=dangerous))
    page = client_for("cuijk").get("/over-ons").get_data(True)
    text = page.split('<div class="own-text">')[1].split("</div>")[0]
    assert "<script" not in text
    assert not re.search(r"<[^>]*\sonclick=", text)
    assert re.findall(r'<a href="([^"]*)"', text) == ["https://cuijk.nl"]
    assert '<a href="https://cuijk.nl" rel="nofollow ugc">ons</a>' in text


def test_own_pages_say_who_to_call_while_they_are_empty(client_for):
    for path in ("/over-ons", "/huisregels"):
        page = client_for("grave").get(path).get_data(True)
        assert "heeft deze pagina nog niet geschreven" in page
        assert 'href="tel:' in page


def test_the_footer_links_to_the_own_pages_and_the_connectors_links(app, connector, client_for):
    form = {
        "help_contact_name": "Wendy",
        "help_phone": "0485 123 456",
        "help_hours": "op werkdagen",
        "privacy_contact": "Gemeente Cuijk, privacy@cuijk.nl",
        "link_1_label": "Gemeente Cuijk",
        "link_1_label_en": "Municipality of Cuijk",
        "link_1_url": "https://www.cuijk.nl",
    }
    connector.post(CONTACT, data=form)
    visitor = client_for("cuijk")
    home = visitor.get("/").get_data(True)
    for link in ('href="/over-ons"', 'href="/huisregels"', 'href="/privacy"'):
        assert link in home
    assert '<a href="https://www.cuijk.nl">Gemeente Cuijk</a>' in home
    assert "Neem contact op met Gemeente Cuijk, privacy@cuijk.nl." in visitor.get(
        "/privacy"
    ).get_data(True)
    assert '<a href="https://www.cuijk.nl">Municipality of Cuijk</a>' in english(visitor, "/")
    assert [action for action, _ in audit(app)] == ["settings.contact_changed"]


@pytest.mark.parametrize(
    "row, message",
    [
        ({"link_1_label": "Klik", "link_1_url": "javascript:alert(1)"}, "begint met https://"),
        ({"link_1_label": "Klik", "link_1_url": "www.cuijk.nl"}, "begint met https://"),
        ({"link_1_label": "Gemeente"}, "Link 1: geef het webadres."),
        ({"link_2_url": "https://cuijk.nl"}, "Link 2: schrijf de tekst van de link."),
        ({"help_phone": "bel maar"}, "in cijfers"),
    ],
)
def test_bad_contact_details_are_refused_and_nothing_changes(app, connector, row, message):
    page = connector.post(CONTACT, data={"help_contact_name": "Wendy"} | row).get_data(True)
    assert message in page
    assert tenant(app).footer_links == []
    assert tenant(app).help_contact_name != "Wendy"
    assert audit(app) == []


def branding(primary="#1d4f91", accent="#a8431b", **extra) -> dict:
    return {"primary_color": primary, "accent_color": accent, **extra}


@pytest.mark.parametrize(
    "colours, message",
    [
        (branding(primary="#8a8a8a"), "verschilt te weinig van wit: het contrast is 3,4:1"),
        (branding(primary="#707070"), "lichtgrijs onder aan de pagina: het contrast is 4,4:1"),
        (branding(accent="#c0c0c0"), "verschilt te weinig van wit: het contrast is 1,8:1"),
        (branding(primary="rood"), "Kies een kleur, geschreven zoals #1d4f91."),
    ],
)
def test_colours_without_enough_contrast_are_refused_with_the_measured_ratio(
    app, connector, client_for, colours, message
):
    page = connector.post(BRANDING, data=colours).get_data(True)
    assert message in page
    assert "minstens" in page or "geschreven zoals" in page
    assert connector.get(PREVIEW).status_code == 302  # no draft
    assert "#1d4f91" in client_for("cuijk").get("/thema.css").get_data(True)
    assert audit(app) == []


def upload(data: bytes, name: str = "logo.png") -> tuple[io.BytesIO, str]:
    return (io.BytesIO(data), name)


def test_preview_shows_colours_and_logo_before_anyone_else_sees_them(
    app, connector, client_for, tmp_path
):
    before = tenant(app)
    response = connector.post(
        BRANDING,
        data=branding("#0b5e3c", "#7a2048", logo=upload(picture("JPEG"), "logo.jpg")),
        content_type="multipart/form-data",
    )
    assert response.headers["Location"].endswith(PREVIEW)
    preview = connector.get(PREVIEW).get_data(True)
    assert "Dit is een voorbeeld." in preview
    logo_url = re.search(r'<img class="site-logo" src="([^"]+)" alt="Samen Cuijk">', preview)[1]
    assert connector.get(logo_url).mimetype == "image/png"
    assert "#0b5e3c" in connector.get(BRANDING + "/voorbeeld/thema.css").get_data(True)

    visitor = client_for("cuijk")
    assert "#0b5e3c" not in visitor.get("/thema.css").get_data(True)
    assert "site-logo" not in visitor.get("/").get_data(True)
    assert visitor.get(logo_url).status_code in (302, 403)  # the draft is the connector's
    assert tenant(app).theme_version == before.theme_version

    published = connector.post(PUBLISH, follow_redirects=True).get_data(True)
    assert "Gepubliceerd." in published
    home = visitor.get("/").get_data(True)
    logo = re.search(
        r'<img class="site-logo" src="(/logo/[0-9a-f]{32}\.png)" alt="Samen Cuijk">', home
    )
    theme = re.search(r'href="(/thema\.css\?v=\d+)"', home)[1]
    assert "--color-primary: #0b5e3c;" in visitor.get(theme).get_data(True)
    assert theme != f"/thema.css?v={before.theme_version}"
    image = visitor.get(logo[1])
    assert image.mimetype == "image/png" and "immutable" in image.headers["Cache-Control"]
    icon = re.search(r'<link rel="icon" href="(/logo/[0-9a-f]{32}\.png)" type="image/png">', home)
    assert Image.open(io.BytesIO(visitor.get(icon[1]).data)).size == (64, 64)
    assert visitor.get("/favicon.ico").mimetype == "image/png"
    assert audit(app) == [("settings.branding_published", "Hoofdkleur, Tweede kleur, Logo")]
    assert len(uploads(tmp_path)) == 2  # the logo and its icon


def test_a_replaced_or_removed_logo_leaves_no_files_behind(app, connector, client_for, tmp_path):
    for _ in range(2):
        connector.post(
            BRANDING,
            data=branding(logo=upload(picture())),
            content_type="multipart/form-data",
        )
    assert len(uploads(tmp_path)) == 2  # the first draft's files went with it
    connector.post(PUBLISH)
    first = tenant(app).logo_key
    connector.post(
        BRANDING, data=branding(logo=upload(picture("WEBP"))), content_type="multipart/form-data"
    )
    connector.post(PUBLISH)
    assert first not in uploads(tmp_path) and len(uploads(tmp_path)) == 2
    assert client_for("cuijk").get(f"/logo/{first}").status_code == 404

    connector.post(BRANDING, data=branding(remove_logo="y"))
    connector.post(PUBLISH)
    assert uploads(tmp_path) == set()
    assert tenant(app).logo_key is None
    assert client_for("cuijk").get("/favicon.ico").mimetype == "image/svg+xml"
    assert "site-logo" not in client_for("cuijk").get("/").get_data(True)


def test_not_publishing_changes_nothing_and_deletes_the_draft_logo(
    app, connector, client_for, tmp_path
):
    connector.post(
        BRANDING,
        data=branding("#0b5e3c", logo=upload(picture())),
        content_type="multipart/form-data",
    )
    response = connector.post(DISCARD, follow_redirects=True)
    assert "Het voorbeeld is weg. Er is niets veranderd." in response.get_data(True)
    assert uploads(tmp_path) == set()
    assert tenant(app).primary_color == "#1d4f91"
    assert connector.post(PUBLISH).headers["Location"].endswith(BRANDING)
    assert tenant(app).primary_color == "#1d4f91"
    assert audit(app) == []


@pytest.mark.parametrize("kind", ["text", "svg", "gif", "bomb", "broken", "oversized"])
def test_unusable_logos_get_a_clear_reason_and_change_nothing(
    app, connector, client_for, tmp_path, kind
):
    data, reason = UNUSABLE[kind]
    # The name and the declared type are not believed: every file says it is a PNG.
    page = connector.post(
        BRANDING,
        data=branding("#0b5e3c", logo=(io.BytesIO(data), "logo.png", "image/png")),
        content_type="multipart/form-data",
    ).get_data(True)
    assert reason in page
    assert 'aria-invalid="true"' in page
    assert uploads(tmp_path) == set()
    assert connector.get(PREVIEW).status_code == 302
    assert tenant(app).logo_key is None
    assert audit(app) == []


def test_the_published_logo_carries_no_gps_position(app, connector, client_for):
    connector.post(
        BRANDING,
        data=branding(logo=upload(photo_with_gps(), "vakantie.jpg")),
        content_type="multipart/form-data",
    )
    connector.post(PUBLISH)
    logo = client_for("cuijk").get(f"/logo/{tenant(app).logo_key}").data
    assert not Image.open(io.BytesIO(logo)).getexif()


@pytest.mark.parametrize("path", [TEXTS, CONTACT, BRANDING])
def test_only_this_municipalitys_connectors_change_its_settings(app, client_for, make_user, path):
    resident, grave_connector = client_for("cuijk"), client_for("cuijk")
    sign_in(resident, make_user("cuijk", Role.RESIDENT))
    sign_in(grave_connector, make_user("grave", Role.CONNECTOR))
    for client in (resident, grave_connector):
        assert client.get(path).status_code == 403
        form = texts(app, site_name="Gekaapt") | branding("#0b5e3c")
        assert client.post(path, data=form).status_code == 403
    assert client_for("cuijk").get(path).headers["Location"].startswith("/inloggen")
    assert tenant(app).site_name == "Samen Cuijk"
    assert tenant(app).primary_color == "#1d4f91"
    assert audit(app) == []


def test_a_connector_changes_only_their_own_municipality(app, client_for, make_user):
    grave = client_for("grave")
    sign_in(grave, make_user("grave", Role.CONNECTOR))
    grave.post(TEXTS, data=texts(app, site_name="Grave Helpt"))
    grave.post(
        BRANDING,
        data=branding("#0b5e3c", logo=upload(picture())),
        content_type="multipart/form-data",
    )
    grave.post(PUBLISH)
    assert tenant(app, "grave").site_name == "Grave Helpt"
    assert tenant(app, "cuijk").site_name != "Grave Helpt"
    assert tenant(app, "cuijk").primary_color == "#1d4f91"
    # Grave's logo is not served on Cuijk's site.
    key = tenant(app, "grave").logo_key
    assert client_for("grave").get(f"/logo/{key}").status_code == 200
    assert client_for("cuijk").get(f"/logo/{key}").status_code == 404
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_a_texts_largest_heading_comes_right_below_the_pages_title(app):
    with app.test_request_context():
        assert render_markdown("## Wie wij zijn\n\n### Bestuur") == (
            "<h2>Wie wij zijn</h2>\n<h3>Bestuur</h3>\n"
        )
        assert str(render_markdown("# Welkom")).startswith("<h2>Welkom</h2>")


def test_a_file_far_too_large_is_refused_before_it_is_read(app, connector, tmp_path):
    huge = upload(b"\x89PNG" + b"0" * (9 * 1024 * 1024))
    response = connector.post(
        BRANDING, data=branding(logo=huge), content_type="multipart/form-data"
    )
    assert response.status_code == 413
    assert "Een afbeelding mag niet groter zijn dan 2 MB." in response.get_data(True)
    assert uploads(tmp_path) == set()
    assert tenant(app).logo_key is None


def test_the_form_shows_the_unpublished_drafts_colours(app, connector):
    connector.post(BRANDING, data=branding("#0b5e3c", "#7a2048"))
    page = connector.get(BRANDING).get_data(True)
    assert "Je hebt een voorbeeld dat nog niet gepubliceerd is." in page
    assert 'value="#0b5e3c"' in page and 'value="#7a2048"' in page
    assert tenant(app).primary_color == "#1d4f91"
