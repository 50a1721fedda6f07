"""The main menu, kept per shape (buurtplatform/menu.py): for every person, language and page
it is the menu the template makes; the sign-out button carries each person's own form key;
the count of unread messages follows what the person reads."""

from __future__ import annotations

import re

from buurtplatform.accounts.models import Role
from tests.helpers import PASSWORD, sign_in, sign_in_with_form_key, without_form_key
from tests.listing_helpers import add_listing

MENU = re.compile(r"<!--personal:nav-->(.*?)<!--/personal:nav-->", re.S)
FORM_KEY = re.compile(r'name="csrf_token" value="([^"]*)"')


def _menu(response) -> str:
    assert response.status_code == 200, response.request.path
    return MENU.search(response.get_data(as_text=True)).group(1)


def _kept_and_made(app, client, url: str) -> tuple[str, str]:
    """The menu of `url` from the kept shapes (asked twice: the first keeps it), and the menu
    the template makes afresh (as it does while a developer edits templates)."""
    client.get(url)
    kept = _menu(client.get(url))
    app.jinja_env.auto_reload = True
    try:
        made = _menu(client.get(url))
    finally:
        app.jinja_env.auto_reload = False
    return kept, made


def _links(menu: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', menu)


def test_every_shape_of_the_menu_is_the_menu_the_template_makes(app, make_user, client_for):
    app.config["PAGE_CACHE"] = False  # every page made, so that each menu is rendered
    author = make_user(first_name="Bert")
    listing_id = add_listing(app, author, title="Hulp bij de boodschappen")
    replier = client_for("cuijk")
    sign_in(replier, make_user())
    replier.post(f"/vraag-en-aanbod/{listing_id}/reageren", data={"body": "Ik help graag."})
    people = {
        "a visitor": None,
        "a resident with an unread reply": author,
        **{f"a {role.value}": make_user(role=role) for role in Role if role != Role.RESIDENT},
    }
    for who, person in people.items():
        for language in ("nl", "en"):
            client = client_for("cuijk")
            if person is not None:
                sign_in(client, person)
            client.post("/taal", data={"language-locale": language, "language-next": "/"})
            start, _ = _kept_and_made(app, client, "/")
            assert _links(start), who
            for url in _links(start):
                kept, made = _kept_and_made(app, client, url)
                assert without_form_key(kept) == without_form_key(made), (who, language, url)
                current = re.search(r'<a href="([^"]+)" aria-current="page"', kept)
                assert current and url.startswith(current.group(1)), (who, language, url)
            if person is author:
                assert ("(1 nieuw)" if language == "nl" else "(1 new)") in start

    admin = make_user(None, admin=True)
    portal = client_for(None)
    portal.post("/platformbeheer/inloggen", data={"email": admin.email, "password": PASSWORD})
    for url in ("/", "/platformbeheer/"):
        kept, made = _kept_and_made(app, portal, url)
        assert "Platformbeheer" in kept
        assert without_form_key(kept) == without_form_key(made), url


def test_the_sign_out_button_of_a_kept_menu_carries_each_persons_own_key(
    app, make_user, client_for
):
    app.config.update(PAGE_CACHE=False, WTF_CSRF_ENABLED=True)
    keys = []
    for person in (make_user(), make_user()):  # the same shape of menu
        client = client_for("cuijk")
        sign_in_with_form_key(client, person)
        client.get("/vraag-en-aanbod")
        key = FORM_KEY.search(_menu(client.get("/vraag-en-aanbod"))).group(1)
        keys.append(key)
        assert client.get("/profiel").status_code == 200
        assert client.post("/uitloggen", data={"csrf_token": key}).status_code == 302
        assert client.get("/profiel").status_code == 302  # signed out: sent to sign in
    assert keys[0] != keys[1]


def test_the_menus_count_of_unread_messages_follows_reading(app, make_user, client_for):
    author = make_user(first_name="Bert")
    listing_id = add_listing(app, author, title="Hulp in de tuin")
    replier = client_for("cuijk")
    sign_in(replier, make_user())
    replier.post(f"/vraag-en-aanbod/{listing_id}/reageren", data={"body": "Ik kom zaterdag."})
    client = client_for("cuijk")
    sign_in(client, author)
    assert "(1 nieuw)" in _menu(client.get("/vraag-en-aanbod"))
    inbox = client.get("/gesprekken").get_data(as_text=True)
    thread = re.search(r'href="(/gesprekken/\d+)"', inbox).group(1)
    # The page that shows the message no longer counts it, nor do the pages after it.
    assert "nieuw)" not in _menu(client.get(thread))
    assert "nieuw)" not in _menu(client.get("/vraag-en-aanbod"))
    replier.post(thread, data={"body": "Of liever zondag?"})
    assert "(1 nieuw)" in _menu(client.get("/vraag-en-aanbod"))
