"""The prikbord in Chromium: Dinie (Oploo) shares a tip with a photo on her phone, her
neighbour Koen comments on his computer, and she reads it; every page of the board, in Dutch
and in English, with axe-core on each and no sideways scrolling on a phone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.board.models import BoardComment, BoardPost, PostKind
from buurtplatform.extensions import db
from buurtplatform.timestamps import utcnow
from tenants.models import Village
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_help_journeys import in_municipality
from tests.browser.test_journeys import DESKTOP, PASSWORD, submit, visit
from tests.test_images import photo_with_gps

pytestmark = pytest.mark.browser

# A municipality whose board the other journeys leave alone.
SLUG = "sint-anthonis"
PHONE = {"width": 390, "height": 844}


def _person(email: str, first_name: str, role: Role, village: str) -> None:
    user = User(email=email, first_name=first_name, email_verified_at=utcnow())
    user.set_password(PASSWORD)
    village_id = db.session.scalar(sa.select(Village.id).where(Village.name == village))
    db.session.add(Membership(user=user, role=role, village_id=village_id))


@pytest.fixture(scope="module")
def people(live_server: LiveServer) -> None:
    with in_municipality(live_server, SLUG):
        _person("dinie.prikbord@example.nl", "Dinie", Role.RESIDENT, "Oploo")
        _person("koen.prikbord@example.nl", "Koen", Role.RESIDENT, "Landhorst")
        _person("toos.prikbord@example.nl", "Toos", Role.CONNECTOR, "Sint Anthonis")
        db.session.commit()


@pytest.fixture
def signed_in(browser: Browser, live_server: LiveServer, people) -> Iterator:
    """`signed_in(email, viewport)`: a page of a new browser, signed in on Sint Anthonis."""
    contexts = []

    def open_as(email: str, viewport: dict = DESKTOP) -> Page:
        context = browser.new_context(locale="nl-NL", viewport=viewport)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url(SLUG, "/inloggen"))
        page.locator("#email").fill(email)
        page.locator("#password").fill(PASSWORD)
        submit(page)
        return page

    yield open_as
    for context in contexts:
        context.close()


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_a_resident_shares_a_tip_with_a_photo_and_a_neighbour_comments(
    live_server: LiveServer, signed_in: Callable[..., Page]
) -> None:
    dinie = signed_in("dinie.prikbord@example.nl", PHONE)
    visit(dinie, live_server.url(SLUG, "/prikbord"))
    fits_the_phone(dinie)
    dinie.locator("main a[href='/prikbord/nieuw']").first.click()
    dinie.wait_for_load_state()
    assert_accessible(dinie)
    fits_the_phone(dinie)
    # Her own village comes chosen.
    expect(dinie.locator("#village option:checked")).to_have_text("Oploo")
    dinie.locator("label[for='kind-0']").click()  # Tip
    dinie.locator("#title").fill("Hulp bij je telefoon in het dorpshuis")
    dinie.locator("#body").fill("Op donderdag helpen scholieren met je **telefoon**.")
    # Forgetting a field keeps the rest, the photo is chosen again.
    dinie.locator("#title").fill("")
    submit(dinie)
    expect(dinie.locator(".error-summary")).to_be_visible()
    assert_accessible(dinie)
    expect(dinie.locator("#body")).to_have_value(
        "Op donderdag helpen scholieren met je **telefoon**."
    )
    dinie.locator("#title").fill("Hulp bij je telefoon in het dorpshuis")
    dinie.locator("#photo").set_input_files(
        {"name": "dorpshuis.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}
    )
    submit(dinie)
    expect(dinie.locator("h1")).to_have_text("Hulp bij je telefoon in het dorpshuis")
    expect(dinie.locator("main strong").first).to_have_text("telefoon")
    photo = dinie.locator("figure.board-photo img")
    expect(photo).to_be_visible()
    assert dinie.evaluate("img => img.naturalWidth", photo.element_handle()) > 0
    assert_accessible(dinie)
    fits_the_phone(dinie)
    post_path = dinie.url.split(str(live_server.port))[1]

    koen = signed_in("koen.prikbord@example.nl")
    visit(koen, live_server.url(SLUG, "/prikbord"))
    expect(koen.locator("main")).to_contain_text("Dinie, Oploo")
    koen.locator(f"main a[href='{post_path}']").click()
    koen.wait_for_load_state()
    koen.locator("#body").fill("Mijn moeder is geweest. Heel fijn!")
    submit(koen)
    expect(koen.locator("main")).to_contain_text("Je reactie is geplaatst.")
    assert_accessible(koen)

    visit(dinie, live_server.url(SLUG, post_path))
    expect(dinie.locator("main .card-list")).to_contain_text("Mijn moeder is geweest.")
    expect(dinie.locator("main .card-list")).to_contain_text("Koen")
    fits_the_phone(dinie)


@pytest.fixture(scope="module")
def board(live_server: LiveServer, people) -> tuple[int, int]:
    """Koen's post (pinned) with Dinie's comment: (post id, comment id)."""
    with in_municipality(live_server, SLUG):
        koen, dinie = (
            db.session.scalar(sa.select(User.id).where(User.email == email))
            for email in ("koen.prikbord@example.nl", "dinie.prikbord@example.nl")
        )
        post = BoardPost(
            kind=PostKind.WANTED,
            title="Gezocht: puzzels voor de soos",
            body="Legpuzzels van 500 of 1000 stukjes.",
            author_id=koen,
            pinned_at=utcnow(),
        )
        comment = BoardComment(post=post, author_id=dinie, body="Ik heb er drie.")
        db.session.add(comment)
        db.session.commit()
        return post.id, comment.id


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_board_page_is_accessible(
    live_server: LiveServer, signed_in: Callable[..., Page], board: tuple[int, int], language
) -> None:
    post_id, comment_id = board
    pages = {
        "koen.prikbord@example.nl": (
            "/prikbord",
            "/prikbord?kind=wanted",
            "/prikbord?q=zwembad",
            "/prikbord/nieuw",
            f"/prikbord/{post_id}",
            f"/prikbord/{post_id}/bewerken",
            f"/prikbord/{post_id}/verwijderen",
            f"/prikbord/reactie/{comment_id}/melden",
        ),
        "dinie.prikbord@example.nl": (
            f"/prikbord/reactie/{comment_id}/bewerken",
            f"/prikbord/reactie/{comment_id}/verwijderen",
            f"/prikbord/{post_id}/melden",
        ),
        "toos.prikbord@example.nl": (
            f"/prikbord/{post_id}",
            f"/beheer/meldingen/prikbord/{post_id}",
            f"/beheer/meldingen/prikbord/reactie/{comment_id}",
        ),
    }
    for email, paths in pages.items():
        person = signed_in(email, PHONE)
        person.goto(live_server.url(SLUG))
        switch = person.locator(f"header button[name='language-locale'][value='{language}']")
        if switch.count():
            switch.click()
        expect(person.locator("html")).to_have_attribute("lang", language)
        for path in paths:
            visit(person, live_server.url(SLUG, path))
            fits_the_phone(person)
    # An empty comment: the error, as a screen reader meets it.
    visit(person, live_server.url(SLUG, f"/prikbord/{post_id}"))
    submit(person)
    expect(person.locator(".error-summary")).to_be_visible()
    assert_accessible(person)
