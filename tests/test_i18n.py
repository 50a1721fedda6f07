"""Language: a complete Dutch catalogue, Dutch by default, English on request, and a signed-in
person's choice remembered."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from buurtplatform.accounts.models import User
from buurtplatform.extensions import db
from tests.helpers import sign_in

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


def read_catalogue(locale: str) -> Catalog:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def messages(catalogue: Catalog) -> list:
    """Every real message (not the header)."""
    return [message for message in catalogue if message.id]


def switch_language(client, locale: str, next_page: str = "/"):
    return client.post("/taal", data={"language-locale": locale, "language-next": next_page})


@pytest.fixture(scope="module")
def dutch() -> Catalog:
    return read_catalogue("nl")


# The catalogues


def test_dutch_catalogue_has_no_untranslated_messages(dutch):
    untranslated = [m.id for m in messages(dutch) if not m.string or not str(m.string).strip()]
    assert untranslated == []


def test_no_catalogue_has_fuzzy_messages(dutch):
    for catalogue in (dutch, read_catalogue("en")):
        assert not catalogue.fuzzy, f"the header of {catalogue.locale} is marked fuzzy"
        assert [m.id for m in messages(catalogue) if m.fuzzy] == []


def test_dutch_catalogue_header(dutch):
    assert str(dutch.locale) == "nl"
    assert dutch.num_plurals == 2
    assert dutch.plural_expr == "(n != 1)"


def test_every_msgid_in_code_and_templates_is_in_the_dutch_catalogue(dutch, tmp_path):
    """The same extraction as `make translations-update`: nothing may be left out."""
    extracted = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "-o",
            str(extracted),
            str(ROOT),
        ]
    )
    with extracted.open("rb") as pot:
        wanted = {m.id for m in messages(read_po(pot))}
    assert len(wanted) > 50, "extraction found (almost) nothing: is babel.cfg still right?"
    missing = sorted(str(msgid) for msgid in wanted if msgid not in dutch)
    assert missing == [], "run `make translations-update` and translate these"


def forms_of(text: str | tuple[str, ...]) -> tuple[str, ...]:
    """A message's singular and plural forms (a tuple for ngettext entries)."""
    return text if isinstance(text, tuple) else (text,)


def test_dutch_keeps_every_placeholder(dutch):
    wrong = []
    for m in messages(dutch):
        ids = forms_of(m.id)
        for i, translated in enumerate(forms_of(m.string)):
            english = ids[min(i, len(ids) - 1)]  # msgstr[0] ~ msgid, the rest ~ msgid_plural
            if sorted(PLACEHOLDER.findall(english)) != sorted(PLACEHOLDER.findall(translated)):
                wrong.append((english, translated))
    assert wrong == []


def test_catalogues_pass_babels_checks_and_compile():
    for locale in ("nl", "en"):
        catalogue = read_catalogue(locale)
        problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
        assert problems == [], locale
        write_mo(BytesIO(), catalogue)


@pytest.mark.parametrize(
    ("english", "dutch_text"),
    [
        ("Page not found", "Pagina niet gevonden"),
        ("You are a visitor here", "Je bent hier bezoeker"),
        ("Hello %(name)s", "Hallo %(name)s"),
        ("Sign in", "Inloggen"),
        ("Sign up", "Account maken"),
        ("Too many attempts", "Te veel pogingen"),
        ("Please fill in your email address.", "Vul je e-mailadres in."),
        ("Larger text", "Grotere letters"),
        ("Skip to main content", "Naar de inhoud"),
        ("neighbourhood connector", "buurtverbinder"),
        ("coordinator", "coördinator"),
        ("resident", "inwoner"),
        ("Match", "Afspraak"),
        ("Renew", "Langer laten staan"),
        ("Close", "Van de lijst halen"),
        ("Title", "In een paar woorden"),
        ("Flexible", "Wanneer het uitkomt"),
    ],
)
def test_agreed_dutch_words(dutch, english, dutch_text):
    assert dutch[english].string == dutch_text


# docs/glossary.md: words a 78-year-old does not use, or that people confuse.
AVOIDED = re.compile(
    r"\b(match|matches|matchen|verleng\w*|afsluit\w*|titel|in overleg|aanmeld\w*)\b"
)


def test_dutch_avoids_the_words_the_glossary_avoids(dutch):
    texts = [text for m in messages(dutch) for text in forms_of(m.string)]
    assert [text for text in texts if AVOIDED.search(text.lower())] == []


def test_dutch_speaks_to_people_with_je_not_u(dutch):
    formal = re.compile(r"\b(u|uw|U|Uw)\b")
    texts = [text for m in messages(dutch) for text in forms_of(m.string)]
    assert [text for text in texts if formal.search(text)] == []


# Pages


def test_pages_are_dutch_for_a_browser_that_asks_for_dutch_too(client_for):
    page = (
        client_for("cuijk")
        .get("/", headers={"Accept-Language": "en-GB,en;q=0.9,nl;q=0.5"})
        .get_data(as_text=True)
    )
    assert '<html lang="nl">' in page
    assert "Inloggen" in page
    assert "Account maken" in page
    assert "Naar de inhoud" in page
    assert "Sign in" not in page
    # The other language is offered, named in its own language.
    assert 'lang="en"' in page
    assert "English" in page


def test_a_visitor_can_switch_to_english_and_back(client_for):
    cuijk = client_for("cuijk")
    response = switch_language(cuijk, "en", "/privacy")
    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy"

    page = cuijk.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Sign in" in page
    assert "Skip to main content" in page
    assert "Inloggen" not in page
    assert "Nederlands" in page
    # Lazy strings (error pages) follow too.
    assert "Page not found" in cuijk.get("/bestaat-niet").get_data(as_text=True)

    switch_language(cuijk, "nl")
    page = cuijk.get("/").get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert "Inloggen" in page
    assert "Sign in" not in page


def test_an_unknown_language_is_ignored(client_for):
    cuijk = client_for("cuijk")
    assert switch_language(cuijk, "de").status_code == 302
    assert '<html lang="nl">' in cuijk.get("/").get_data(as_text=True)


def test_the_switch_never_redirects_to_another_site(client_for):
    response = switch_language(client_for("cuijk"), "en", "https://evil.example.com/")
    assert response.headers["Location"] == "/"


def test_a_signed_in_persons_choice_is_remembered(app, client_for, make_user):
    annie = make_user("cuijk")
    first = client_for("cuijk")
    assert sign_in(first, annie).status_code == 302
    assert "Hallo Annie" in first.get("/").get_data(as_text=True)

    switch_language(first, "en")
    assert "Hello Annie" in first.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, annie.id).locale == "en"

    assert first.post("/uitloggen").status_code == 302
    signed_out = first.get("/").get_data(as_text=True)
    assert "You are signed out." in signed_out
    assert '<html lang="en">' in signed_out

    # Another browser: nothing in its session, yet the account brings the language along.
    second = client_for("cuijk")
    assert '<html lang="nl">' in second.get("/").get_data(as_text=True)
    assert sign_in(second, annie).status_code == 302
    page = second.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Hello Annie" in page
    assert "Sign out" in page


def test_role_labels_are_translated(client_for, make_user):
    annie = make_user("cuijk")
    cuijk = client_for("cuijk")
    sign_in(cuijk, annie)
    assert "Je rol hier: inwoner." in cuijk.get("/profiel").get_data(as_text=True)
    switch_language(cuijk, "en")
    assert "Your role here: resident." in cuijk.get("/profiel").get_data(as_text=True)


def test_form_errors_are_translated(client_for):
    cuijk = client_for("cuijk")
    page = cuijk.post("/inloggen", data={}).get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert "Vul je e-mailadres in." in page
    assert "Vul je wachtwoord in." in page
    assert "Kijk dit nog even na" in page
    assert "Please fill in your email address." not in page

    switch_language(cuijk, "en", "/inloggen")
    page = cuijk.post("/inloggen", data={}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Please fill in your email address." in page
    assert "Please fill in your password." in page
    assert "Please check the following" in page
    assert "Vul je e-mailadres in." not in page


def test_emails_go_out_in_the_recipients_language(app, client_for, make_user, outbox):
    annie = make_user("cuijk", email="annie@example.nl")
    make_user("cuijk", email="bert@example.nl", first_name="Bert")
    with app.app_context():
        db.session.get(User, annie.id).locale = "en"
        db.session.commit()

    # Both ask from a Dutch page; each gets the email in their own language.
    cuijk = client_for("cuijk")
    cuijk.post("/wachtwoord-vergeten", data={"email": "annie@example.nl"})
    cuijk.post("/wachtwoord-vergeten", data={"email": "bert@example.nl"})
    by_recipient = {message.recipient: message for message in outbox()}
    assert by_recipient["annie@example.nl"].subject == "Choose a new password for Samen Cuijk"
    assert "Hello Annie," in by_recipient["annie@example.nl"].text
    assert by_recipient["bert@example.nl"].subject == "Kies een nieuw wachtwoord voor Samen Cuijk"
    assert "Hallo Bert," in by_recipient["bert@example.nl"].text
