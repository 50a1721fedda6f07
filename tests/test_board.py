"""The prikbord: members share tips, experiences, questions and things wanted or on offer,
with a village and an optional photo; neighbours comment; authors keep their own posts;
connectors pin, close and moderate with the tools of Beheer; reports and first-post approval
work as for asks and offers."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from PIL import Image

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.beheer.models import AuditEntry
from buurtplatform.board.models import BoardComment, BoardPost, PostKind
from buurtplatform.conversations.models import Report
from buurtplatform.demo import load_demo
from buurtplatform.extensions import db
from buurtplatform.notifications.models import Frequency, Topic
from buurtplatform.notifications.services import membership_of, set_frequency
from buurtplatform.timestamps import utcnow
from tenants.scoping import tenant_context
from tests.helpers import all_emails, tenant_by_slug
from tests.listing_helpers import counting_queries, page, signed_in, village_ids
from tests.test_images import UNUSABLE, photo_with_gps, picture

BOARD = "/prikbord"
NEW = "/prikbord/nieuw"
HIDE = {"decision": "hide", "reason": "Dit hoort niet op het prikbord."}
SPAM = {"reason_code": "spam", "reason": "Reclame voor zonnepanelen."}


def rows(app, model, slug: str = "cuijk") -> list:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        found = db.session.scalars(sa.select(model).order_by(model.id)).all()
        db.session.expunge_all()
        return found


def set_tenant(app, slug: str = "cuijk", **values: object) -> None:
    with app.app_context():
        tenant = tenant_by_slug(slug)
        for name, value in values.items():
            setattr(tenant, name, value)
        db.session.commit()


def uploads(tmp_path) -> set[str]:
    folder = tmp_path / "uploads"
    return {path.name for path in folder.iterdir()} if folder.exists() else set()


def post_form(app, slug: str = "cuijk", **fields: object) -> dict:
    return {
        "kind": "tip",
        "title": "Goede fysiotherapeut in Beers",
        "body": "Bij *Fysio Beers* helpen ze je **snel**. Ook aan huis.",
        "village": village_ids(app, slug)["Beers"] if slug == "cuijk" else 0,
        **fields,
    }


def with_photo(data: bytes, name: str = "foto.jpg") -> tuple:
    return (io.BytesIO(data), name, "image/jpeg")


def add_post(app, author: User, slug: str = "cuijk", **fields: object) -> int:
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        values = {"kind": PostKind.TIP, "title": "Een tip", "body": "Handig om te weten."}
        post = BoardPost(author_id=author.id, **(values | fields))
        db.session.add(post)
        db.session.commit()
        return post.id


def add_comment(app, author: User, post_id: int, slug: str = "cuijk", body: str = "Dank je!"):
    with app.app_context(), tenant_context(tenant_by_slug(slug)):
        comment = BoardComment(post_id=post_id, author_id=author.id, body=body)
        db.session.add(comment)
        db.session.commit()
        return comment.id


def titles(html: str) -> list[str]:
    return re.findall(r'class="listing-card__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def annie(make_user) -> User:
    return make_user(email="annie@example.nl", first_name="Annie")


@pytest.fixture
def bob(make_user) -> User:
    return make_user(email="bob@example.nl", first_name="Bob")


@pytest.fixture
def henk(make_user) -> User:
    return make_user(role=Role.CONNECTOR, email="henk@example.nl", first_name="Henk")


# Sharing, with a photo


def test_a_resident_shares_a_tip_with_a_photo_and_a_neighbour_sees_it(
    app, client_for, annie, tmp_path
):
    client = signed_in(client_for, annie)
    form_page = page(client.get(NEW))
    assert "Wat wil je delen?" in form_page and "In een paar woorden" in form_page
    assert 'enctype="multipart/form-data"' in form_page
    response = client.post(
        NEW,
        data=post_form(app, photo=with_photo(photo_with_gps())),
        content_type="multipart/form-data",
    )
    [post] = rows(app, BoardPost)
    assert response.location == f"/prikbord/{post.id}"
    assert post.photo_key in uploads(tmp_path)
    assert post.author_id == annie.id and post.kind == PostKind.TIP

    anonymous = client_for("cuijk")
    detail = page(anonymous.get(f"/prikbord/{post.id}"))
    assert "Goede fysiotherapeut in Beers" in detail
    assert "<em>Fysio Beers</em>" in detail and "<strong>snel</strong>" in detail
    assert "Annie, Beers" in detail and "annie@example.nl" not in detail
    photo_url = f"/prikbord/{post.id}/foto/{post.photo_key}"
    assert photo_url in detail
    photo = anonymous.get(photo_url)
    assert photo.status_code == 200
    # Re-encoded: the position where the photo was taken is gone.
    assert not Image.open(io.BytesIO(photo.data)).getexif()
    listed = page(anonymous.get(BOARD))
    assert titles(listed) == ["Goede fysiotherapeut in Beers"]
    assert "met een foto" in listed and "0 reacties" in listed


def test_bad_input_gets_dutch_errors_and_keeps_what_was_typed(app, client_for, annie):
    client = signed_in(client_for, annie)
    response = client.post(
        NEW, data=post_form(app, kind="", title="  ", body="Mijn tekst blijft staan.")
    )
    shown = page(response)
    assert response.status_code == 200
    assert "Kies wat je wilt delen." in shown
    assert "Schrijf in een paar woorden waar het over gaat." in shown
    assert "Mijn tekst blijft staan." in shown
    too_long = page(client.post(NEW, data=post_form(app, title="x" * 101, body="y" * 4001)))
    assert "Dit mag niet langer zijn dan 100 tekens." in too_long
    assert "Dit mag niet langer zijn dan 4000 tekens." in too_long
    with_photo_chosen = page(
        client.post(
            NEW,
            data=post_form(app, title="", photo=with_photo(picture("JPEG"))),
            content_type="multipart/form-data",
        )
    )
    assert "Kies je foto opnieuw" in with_photo_chosen
    made_up = page(client.post(NEW, data=post_form(app, kind="reclame", village=999_999)))
    assert "error-summary" in made_up
    assert rows(app, BoardPost) == []


@pytest.mark.parametrize("kind", ["text", "svg", "gif", "bomb", "broken", "oversized", "empty"])
def test_an_unusable_photo_gets_a_clear_reason_and_nothing_is_placed(
    app, client_for, annie, tmp_path, kind
):
    data, reason = UNUSABLE[kind]
    client = signed_in(client_for, annie)
    response = client.post(
        NEW,
        data=post_form(app, photo=(io.BytesIO(data), "foto.png", "image/png")),
        content_type="multipart/form-data",
    )
    shown = page(response)
    assert reason in shown
    assert 'aria-invalid="true"' in shown
    assert "Goede fysiotherapeut in Beers" in shown  # the rest is kept
    assert rows(app, BoardPost) == []
    assert uploads(tmp_path) == set()


def test_only_the_current_photo_of_a_visible_post_is_served(app, client_for, annie):
    client = signed_in(client_for, annie)
    for _ in range(2):
        client.post(
            NEW,
            data=post_form(app, photo=with_photo(picture("JPEG"))),
            content_type="multipart/form-data",
        )
    first, second = rows(app, BoardPost)
    anonymous = client_for("cuijk")
    assert anonymous.get(f"/prikbord/{first.id}/foto/{second.photo_key}").status_code == 404
    assert anonymous.get(f"/prikbord/{first.id}/foto/..%2Fgeheim.png").status_code == 404
    assert client_for("grave").get(f"/prikbord/{first.id}/foto/{first.photo_key}").status_code == (
        404
    )


# The list: filters, pinned first, pages


def test_the_board_filters_by_kind_and_village_newest_first(app, client_for, annie):
    villages = village_ids(app)
    add_post(app, annie, kind=PostKind.TIP, title="Tip in Beers", village_id=villages["Beers"])
    add_post(app, annie, kind=PostKind.WANTED, title="Gezocht: rollator", village_id=None)
    add_post(app, annie, kind=PostKind.QUESTION, title="Wie kent een klusser?")
    client = client_for("cuijk")
    assert titles(page(client.get(BOARD))) == [
        "Wie kent een klusser?",
        "Gezocht: rollator",
        "Tip in Beers",
    ]
    assert titles(page(client.get(f"{BOARD}?kind=wanted"))) == ["Gezocht: rollator"]
    assert titles(page(client.get(f"{BOARD}?village={villages['Beers']}"))) == ["Tip in Beers"]
    nothing = page(client.get(f"{BOARD}?kind=offered"))
    assert "Niets gevonden met deze filters." in nothing
    # Nonsense in the address is ignored, not an error page.
    assert client.get(f"{BOARD}?kind=reclame&village=abc&page=-1").status_code == 200


def test_an_empty_board_says_what_to_do(client_for):
    shown = page(client_for("grave").get(BOARD))
    assert "Er staat nog niets op het prikbord." in shown
    assert "/prikbord/nieuw" in shown


def test_the_board_costs_the_same_queries_for_10_or_1000_posts(app, client_for, annie, bob):
    reader = signed_in(client_for, bob)
    anonymous = client_for("cuijk")

    def add(count: int) -> None:
        villages = list(village_ids(app).values())
        with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
            posts = [
                BoardPost(
                    author_id=(annie.id, bob.id)[n % 2],
                    kind=list(PostKind)[n % len(PostKind)],
                    title=f"Bericht {n}",
                    body="Tekst",
                    village_id=villages[n % len(villages)] if n % 3 else None,
                    pinned_at=utcnow() if n % 50 == 0 else None,
                    photo_key="0" * 32 + ".jpg" if n % 4 == 0 else None,
                )
                for n in range(count)
            ]
            db.session.add_all(posts)
            db.session.flush()
            db.session.add_all(
                BoardComment(post_id=post.id, author_id=bob.id, body="Goed!") for post in posts
            )
            db.session.commit()

    def queries(client, url: str) -> int:
        assert client.get(url).status_code == 200
        with counting_queries(app) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    counts = []
    for added in (10, 990):
        add(added)
        counts.append(
            [
                queries(client, url)
                for client in (reader, anonymous)
                for url in (BOARD, f"{BOARD}?kind=tip", "/")
            ]
        )
    assert counts[0] == counts[1]
    assert queries(anonymous, f"{BOARD}?page=50") == counts[1][3]  # the last page
    assert "1000 berichten" in page(anonymous.get(BOARD))


def test_pinned_posts_come_first_and_connectors_pin_and_unpin(app, client_for, annie, henk):
    old = add_post(app, annie, title="Oud nieuws")
    add_post(app, annie, title="Nieuwer")
    connector = signed_in(client_for, henk)
    assert "Bovenaan het prikbord zetten" in page(connector.get(f"/prikbord/{old}"))
    assert connector.post(f"/prikbord/{old}/vastzetten").location == f"/prikbord/{old}"
    connector.post(f"/prikbord/{old}/vastzetten")  # a second click changes nothing
    shown = page(client_for("cuijk").get(BOARD))
    assert titles(shown) == ["Oud nieuws", "Nieuwer"]
    assert "Staat bovenaan" in shown
    connector.post(f"/prikbord/{old}/losmaken")
    assert titles(page(client_for("cuijk").get(BOARD))) == ["Nieuwer", "Oud nieuws"]
    assert [entry.action for entry in rows(app, AuditEntry)] == [
        "community.board_pinned",
        "community.board_unpinned",
    ]
    log = page(connector.get("/beheer/logboek"))
    assert "Zette een bericht bovenaan op het prikbord" in log


def test_residents_neither_pin_nor_close_and_see_no_such_buttons(app, client_for, annie, bob):
    post_id = add_post(app, annie)
    for person in (annie, bob):
        client = signed_in(client_for, person)
        assert "Bovenaan het prikbord zetten" not in page(client.get(f"/prikbord/{post_id}"))
        for action in ("vastzetten", "reacties-stoppen"):
            assert client.post(f"/prikbord/{post_id}/{action}").status_code == 403
    assert client_for("cuijk").post(f"/prikbord/{post_id}/vastzetten").status_code == 302
    [post] = rows(app, BoardPost)
    assert post.pinned_at is None and post.closed_at is None
    assert rows(app, AuditEntry) == []


# Comments


def test_a_neighbour_comments_and_the_author_of_the_comment_edits_and_deletes_it(
    app, client_for, annie, bob
):
    post_id = add_post(app, annie)
    client = signed_in(client_for, bob)
    empty = page(client.post(f"/prikbord/{post_id}/reageren", data={"body": "  "}))
    assert "Schrijf eerst je reactie." in empty
    response = client.post(f"/prikbord/{post_id}/reageren", data={"body": "Goede tip, dank je!"})
    [comment] = rows(app, BoardComment)
    assert response.location == f"/prikbord/{post_id}#reactie-{comment.id}"
    detail = page(client_for("cuijk").get(f"/prikbord/{post_id}"))
    assert "Goede tip, dank je!" in detail and "<strong>Bob</strong>" in detail
    assert "1 reactie" in page(client_for("cuijk").get(BOARD))

    edit = f"/prikbord/reactie/{comment.id}/bewerken"
    annie_client = signed_in(client_for, annie)
    assert annie_client.get(edit).status_code == 403
    assert annie_client.post(edit, data={"body": "Gekaapt"}).status_code == 403
    assert annie_client.post(f"/prikbord/reactie/{comment.id}/verwijderen").status_code == 403
    assert "Goede tip, dank je!" in page(client.get(edit))
    client.post(edit, data={"body": "Heel goede tip!"})
    assert rows(app, BoardComment)[0].body == "Heel goede tip!"
    assert "Wil je je reactie op" in page(client.get(f"/prikbord/reactie/{comment.id}/verwijderen"))
    client.post(f"/prikbord/reactie/{comment.id}/verwijderen")
    assert rows(app, BoardComment) == []


def test_a_closed_post_takes_no_more_comments(app, client_for, annie, bob, henk):
    post_id = add_post(app, annie)
    connector = signed_in(client_for, henk)
    connector.post(f"/prikbord/{post_id}/reacties-stoppen")
    client = signed_in(client_for, bob)
    detail = page(client.get(f"/prikbord/{post_id}"))
    assert "Een buurtverbinder heeft de reacties op dit bericht gestopt." in detail
    assert 'name="body"' not in detail
    client.post(f"/prikbord/{post_id}/reageren", data={"body": "Toch nog even"})
    assert rows(app, BoardComment) == []
    connector.post(f"/prikbord/{post_id}/reacties-toestaan")
    client.post(f"/prikbord/{post_id}/reageren", data={"body": "Toch nog even"})
    assert len(rows(app, BoardComment)) == 1
    assert [entry.action for entry in rows(app, AuditEntry)] == [
        "community.board_closed",
        "community.board_reopened",
    ]


def test_visitors_are_asked_to_sign_in_to_comment(app, client_for, annie):
    post_id = add_post(app, annie)
    detail = page(client_for("cuijk").get(f"/prikbord/{post_id}"))
    assert "Log in om te reageren" in detail and 'name="body"' not in detail
    response = client_for("cuijk").post(f"/prikbord/{post_id}/reageren", data={"body": "Hoi"})
    assert response.location.startswith("/inloggen")
    assert rows(app, BoardComment) == []


# The author's own post


def test_only_the_author_edits_and_deletes_a_post(app, client_for, annie, bob, henk, tmp_path):
    client = signed_in(client_for, annie)
    client.post(
        NEW,
        data=post_form(app, photo=with_photo(picture("JPEG"))),
        content_type="multipart/form-data",
    )
    [post] = rows(app, BoardPost)
    for person in (bob, henk):
        other = signed_in(client_for, person)
        assert other.get(f"/prikbord/{post.id}/bewerken").status_code == 403
        assert other.post(f"/prikbord/{post.id}/bewerken", data=post_form(app)).status_code == 403
        assert other.post(f"/prikbord/{post.id}/verwijderen").status_code == 403
        assert "/bewerken" not in page(other.get(f"/prikbord/{post.id}"))

    form_page = page(client.get(f"/prikbord/{post.id}/bewerken"))
    assert 'value="Goede fysiotherapeut in Beers"' in form_page
    assert re.search(r'<input checked[^>]*value="tip"', form_page)
    assert "Verwijder de foto" in form_page
    # A new photo replaces the old one, which is gone from storage.
    client.post(
        f"/prikbord/{post.id}/bewerken",
        data=post_form(app, title="Fysio in Beers", photo=with_photo(picture("JPEG"))),
        content_type="multipart/form-data",
    )
    [edited] = rows(app, BoardPost)
    assert edited.title == "Fysio in Beers"
    assert edited.photo_key != post.photo_key and uploads(tmp_path) == {edited.photo_key}
    # Without a new photo, the photo stays; removing it removes it.
    client.post(f"/prikbord/{post.id}/bewerken", data=post_form(app, kind="experience"))
    assert rows(app, BoardPost)[0].photo_key == edited.photo_key
    client.post(f"/prikbord/{post.id}/bewerken", data=post_form(app, remove_photo="y"))
    assert rows(app, BoardPost)[0].photo_key is None and uploads(tmp_path) == set()

    add_comment(app, bob, post.id)
    assert "niet terugdraaien" in page(client.get(f"/prikbord/{post.id}/verwijderen"))
    assert client.post(f"/prikbord/{post.id}/verwijderen").location == BOARD
    assert rows(app, BoardPost) == [] and rows(app, BoardComment) == []


def test_blocked_members_cannot_post_or_comment(app, client_for, annie, bob):
    post_id = add_post(app, annie)
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        member = db.session.scalar(sa.select(Membership).where(Membership.user_id == bob.id))
        member.blocked_at = utcnow()
        member.blocked_reason = "Steeds reclame."
        db.session.commit()
    client = signed_in(client_for, bob)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, data=post_form(app)).status_code == 403
    assert client.post(f"/prikbord/{post_id}/reageren", data={"body": "Hoi"}).status_code == 403
    assert 'name="body"' not in page(client.get(f"/prikbord/{post_id}"))
    assert len(rows(app, BoardPost)) == 1 and rows(app, BoardComment) == []


def test_markdown_is_cleaned_and_links_are_marked(app, client_for, annie):
    client = signed_in(client_for, annie)
    client.post(
        NEW,
        data=post_form(
            app, body="<script>alert(1)</script> [klik](javascript:alert(1)) [KBO](https://kbo.nl)"
        ),
    )
    [post] = rows(app, BoardPost)
    shown = page(client_for("cuijk").get(f"/prikbord/{post.id}"))
    assert "<script>alert(1)</script>" not in shown
    assert 'href="javascript' not in shown
    assert re.search(r'<a href="https://kbo.nl" rel="nofollow[^"]*">KBO</a>', shown)


# Moderation


def test_a_hidden_post_is_gone_for_others_and_its_author_is_told(app, client_for, annie, bob, henk):
    post_id = add_post(app, annie, title="Zonnepanelen met korting")
    comment_id = add_comment(app, bob, post_id)
    connector = signed_in(client_for, henk)
    review = f"/beheer/meldingen/prikbord/{post_id}"
    assert "Zonnepanelen met korting" in page(connector.get(review))
    assert connector.post(review, data=HIDE).location == "/beheer/meldingen"

    for client in (client_for("cuijk"), signed_in(client_for, bob)):
        assert client.get(f"/prikbord/{post_id}").status_code == 404
        assert "Zonnepanelen" not in page(client.get(BOARD))
        assert client.get(f"/prikbord/reactie/{comment_id}/melden").status_code in (302, 404)
    own = page(signed_in(client_for, annie).get(f"/prikbord/{post_id}"))
    assert "Dit hoort niet op het prikbord." in own
    [told] = [email for email in all_emails(app) if email.kind == "content_hidden"]
    assert told.recipient == "annie@example.nl"
    assert "bericht op het prikbord" in told.subject


def test_a_hidden_comment_is_gone_for_others(app, client_for, annie, bob, henk):
    post_id = add_post(app, annie)
    comment_id = add_comment(app, bob, post_id, body="Koop mijn zonnepanelen!")
    connector = signed_in(client_for, henk)
    review = f"/beheer/meldingen/prikbord/reactie/{comment_id}"
    assert "Koop mijn zonnepanelen!" in page(connector.get(review))
    connector.post(review, data=HIDE)
    assert "Koop mijn zonnepanelen!" not in page(client_for("cuijk").get(f"/prikbord/{post_id}"))
    assert "Koop mijn zonnepanelen!" not in page(
        signed_in(client_for, annie).get(f"/prikbord/{post_id}")
    )
    assert "0 reacties" in page(client_for("cuijk").get(BOARD))
    own = page(signed_in(client_for, bob).get(f"/prikbord/{post_id}"))
    assert "Koop mijn zonnepanelen!" in own and "Dit hoort niet op het prikbord." in own


def test_members_report_posts_and_comments_and_enough_reports_hide_a_post(
    app, client_for, make_user, annie, bob, henk
):
    set_tenant(app, report_hide_threshold=2)
    post_id = add_post(app, annie, title="Zonnepanelen met korting")
    comment_id = add_comment(app, annie, post_id, body="Bel mij snel!")
    client = signed_in(client_for, bob)
    assert 'Je meldt: "Zonnepanelen met korting".' in page(
        client.get(f"/prikbord/{post_id}/melden")
    )
    assert "Kies wat er niet klopt." in page(client.post(f"/prikbord/{post_id}/melden", data={}))
    assert client.post(f"/prikbord/{post_id}/melden", data=SPAM).location == f"/prikbord/{post_id}"
    assert "Je meldt een reactie van Annie." in page(
        client.get(f"/prikbord/reactie/{comment_id}/melden")
    )
    client.post(f"/prikbord/reactie/{comment_id}/melden", data=SPAM)
    reports = rows(app, Report)
    assert [(r.board_post_id, r.board_comment_id) for r in reports] == [
        (post_id, None),
        (None, comment_id),
    ]
    told = [email for email in all_emails(app) if email.kind == "report_received"]
    assert {email.recipient for email in told} == {"henk@example.nl"} and len(told) == 2
    queue = page(signed_in(client_for, henk).get("/beheer/meldingen"))
    assert "Zonnepanelen met korting" in queue and "Bel mij snel!" in queue
    assert f"/beheer/meldingen/prikbord/reactie/{comment_id}" in queue

    assert client_for("cuijk").get(f"/prikbord/{post_id}").status_code == 200
    signed_in(client_for, make_user(first_name="Carla")).post(
        f"/prikbord/{post_id}/melden", data=SPAM
    )
    assert client_for("cuijk").get(f"/prikbord/{post_id}").status_code == 404


def test_a_new_members_first_post_waits_for_approval(app, client_for, annie, bob, henk):
    set_tenant(app, approve_first_posts=True)
    client = signed_in(client_for, annie)
    response = client.post(NEW, data=post_form(app), follow_redirects=True)
    assert "Een buurtverbinder kijkt eerst naar je eerste bericht." in page(response)
    [post] = rows(app, BoardPost)
    assert post.awaiting_approval
    assert signed_in(client_for, bob).get(f"/prikbord/{post.id}").status_code == 404
    assert "Goede fysiotherapeut" not in page(client_for("cuijk").get(BOARD))
    [waiting] = [email for email in all_emails(app) if email.kind == "awaiting_approval"]
    assert waiting.recipient == "henk@example.nl"
    connector = signed_in(client_for, henk)
    queue = page(connector.get("/beheer/meldingen"))
    assert "Goede fysiotherapeut in Beers" in queue and "Bericht op het prikbord" in queue
    connector.post(f"/beheer/meldingen/prikbord/{post.id}", data={"decision": "show"})
    assert titles(page(client_for("cuijk").get(BOARD))) == ["Goede fysiotherapeut in Beers"]
    # Once one is on the site, the next goes on at once.
    client.post(NEW, data=post_form(app, title="Tweede tip"))
    assert not rows(app, BoardPost)[1].awaiting_approval


# Municipalities


def test_another_municipalitys_posts_and_comments_are_not_found(app, client_for, annie, make_user):
    grave_author = make_user("grave", first_name="Gerda")
    post_id = add_post(app, grave_author, "grave", title="Tip uit Grave")
    comment_id = add_comment(app, grave_author, post_id, "grave")
    client = signed_in(client_for, annie)
    for url in (
        f"/prikbord/{post_id}",
        f"/prikbord/{post_id}/melden",
        f"/prikbord/reactie/{comment_id}/melden",
        f"/prikbord/reactie/{comment_id}/bewerken",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/prikbord/{post_id}/reageren", data={"body": "Hoi"}).status_code == 404
    assert "Tip uit Grave" not in page(client.get(BOARD))
    assert "Tip uit Grave" in page(client_for("grave").get(BOARD))


# The home page


def test_the_home_page_shows_recent_tips_and_experiences(app, client_for, annie):
    empty = page(client_for("cuijk").get("/"))
    assert "Nog geen tips." in empty
    add_post(app, annie, kind=PostKind.TIP, title="Tip over de bieb")
    add_post(app, annie, kind=PostKind.EXPERIENCE, title="Mijn ervaring met de dagbesteding")
    add_post(app, annie, kind=PostKind.WANTED, title="Gezocht: rollator")
    home = page(client_for("cuijk").get("/"))
    assert "Tip over de bieb" in home and "Mijn ervaring met de dagbesteding" in home
    assert "Gezocht: rollator" not in home
    assert "Tip over de bieb" not in page(client_for("grave").get("/"))


def test_the_board_finds_words_in_dutch(app, client_for, annie):
    add_post(app, annie, title="Boodschappenhulp gezocht", body="Wie weet iets?")
    add_post(app, annie, title="Fietsenmaker", body="Goede fietsenmaker aan de Grotestraat.")
    client = client_for("cuijk")
    assert titles(page(client.get(f"{BOARD}?q=boodschap"))) == ["Boodschappenhulp gezocht"]
    assert titles(page(client.get(f"{BOARD}?q=grotestraat"))) == ["Fietsenmaker"]
    assert "Niets gevonden met deze filters." in page(client.get(f"{BOARD}?q=zwembad"))


def test_each_demo_municipality_has_a_board_of_its_own(app):
    with app.app_context():
        load_demo()
        load_demo()  # a second run adds nothing
    boards = {
        slug: {post.title for post in rows(app, BoardPost, slug)}
        for slug in ("cuijk", "grave", "mill", "sint-anthonis")
    }
    assert all(boards.values())
    assert len(set.union(*boards.values())) == sum(len(titles) for titles in boards.values())
    assert rows(app, BoardComment, "mill")
    assert sum(post.pinned_at is not None for post in rows(app, BoardPost, "grave")) == 1


def test_the_author_hears_of_a_comment_as_of_a_message(app, client_for, annie, bob):
    post_id = add_post(app, annie, title="Goede fietsenmaker")
    signed_in(client_for, bob).post(
        f"/prikbord/{post_id}/reageren", data={"body": "Ik ga er ook heen."}
    )
    [told] = [email for email in all_emails(app) if email.kind == "board_comment"]
    assert told.recipient == "annie@example.nl"
    assert told.subject == "Bob reageerde op je bericht op Samen Cuijk"
    assert "Ik ga er ook heen." in told.body_text
    [comment] = rows(app, BoardComment)
    assert f"http://cuijk.buurt.test/prikbord/{post_id}#reactie-{comment.id}" in told.body_text
    # Her own comment, and comments when she chose no emails about messages, tell her nothing.
    annie_client = signed_in(client_for, annie)
    annie_client.post(f"/prikbord/{post_id}/reageren", data={"body": "Fijn!"})
    with app.app_context(), tenant_context(tenant_by_slug("cuijk")):
        set_frequency(membership_of(annie.id).id, Topic.MESSAGES, Frequency.NEVER)
        db.session.commit()
    signed_in(client_for, bob).post(f"/prikbord/{post_id}/reageren", data={"body": "Nog iets."})
    assert len([email for email in all_emails(app) if email.kind == "board_comment"]) == 1


def test_a_member_of_another_municipality_is_asked_to_join_to_comment(
    app, client_for, make_user, annie
):
    post_id = add_post(app, annie)
    from_grave = signed_in(client_for, make_user("grave"), "cuijk")
    detail = page(from_grave.get(f"/prikbord/{post_id}"))
    assert "Word dan eerst lid van Samen Cuijk." in detail and 'name="body"' not in detail
