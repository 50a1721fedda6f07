"""`flask demo load` gives each municipality its own demo: its own people, asks and offers in
its own villages, texts and logo, so that the four sites do not look like copies; a second run
keeps what is there, also what a connector changed."""

from __future__ import annotations

import io

import sqlalchemy as sa
from PIL import Image

from buurtplatform import storage
from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.demo import load_demo
from buurtplatform.demo.logos import initials
from buurtplatform.demo.municipalities import DEMO_MUNICIPALITIES
from buurtplatform.extensions import db
from buurtplatform.listings.models import Listing
from tenants.branding import color_problem
from tenants.models import Village
from tenants.scoping import tenant_context
from tenants.seed import LAND_VAN_CUIJK
from tests.helpers import tenant_by_slug

SLUGS = [seed.slug for seed in LAND_VAN_CUIJK]


def loaded(app) -> None:
    with app.app_context():
        load_demo()


def in_each(app, read) -> dict[str, object]:
    """`read()` inside each municipality."""
    found = {}
    with app.app_context():
        for slug in SLUGS:
            with tenant_context(tenant_by_slug(slug)):
                found[slug] = read()
    return found


def test_every_municipality_has_a_demo_of_its_own():
    assert set(DEMO_MUNICIPALITIES) == set(SLUGS)


def test_the_four_demos_share_no_people_and_no_listings(app):
    loaded(app)

    def first_names() -> frozenset[str]:
        return frozenset(db.session.scalars(sa.select(User.first_name).join(Membership.user)).all())

    def titles() -> frozenset[str]:
        return frozenset(db.session.scalars(sa.select(Listing.title)).all())

    names, listings = in_each(app, first_names), in_each(app, titles)
    for slug in SLUGS:
        for other in SLUGS:
            if other != slug:
                assert not names[slug] & names[other], (slug, other)
                assert not listings[slug] & listings[other], (slug, other)


def test_listings_are_in_the_municipalitys_own_villages(app):
    loaded(app)

    def villages_used() -> tuple[set[str], set[str]]:
        used = set(
            db.session.scalars(
                sa.select(Village.name).join(Listing, Listing.village_id == Village.id)
            )
        )
        return used, set(db.session.scalars(sa.select(Village.name)))

    for slug, (used, villages) in in_each(app, villages_used).items():
        assert used <= villages, slug
        assert len(used) >= 4, f"{slug}: the demo should show several villages"


def test_the_sites_look_and_read_differently(app, client_for):
    loaded(app)
    seen = set()
    for seed in LAND_VAN_CUIJK:
        assert not color_problem(seed.primary_color)
        assert not color_problem(seed.accent_color)
        seen.add(seed.primary_color)
        about = client_for(seed.slug).get("/over-ons").get_data(as_text=True)
        assert seed.villages[1] in about  # its own villages, named
        rules = client_for(seed.slug).get("/huisregels").get_data(as_text=True)
        assert f"Op {seed.site_name} helpen we elkaar" in rules
    assert len(seen) == len(LAND_VAN_CUIJK)


def test_each_site_shows_its_demo_logo_and_favicon(app, client_for):
    loaded(app)
    keys = set()
    for seed in LAND_VAN_CUIJK:
        with app.app_context():
            tenant = tenant_by_slug(seed.slug)
            logo_key, favicon_key = tenant.logo_key, tenant.favicon_key
        keys |= {logo_key, favicon_key}
        site = client_for(seed.slug)
        assert f'src="/logo/{logo_key}"' in site.get("/").get_data(as_text=True)
        logo = Image.open(io.BytesIO(site.get(f"/logo/{logo_key}").data))
        assert logo.format == "PNG"
        assert logo.width == 4 * logo.height
        favicon = Image.open(io.BytesIO(site.get(f"/logo/{favicon_key}").data))
        assert favicon.size == (64, 64)
        # The badge is the municipality's primary colour.
        assert favicon.convert("RGB").getpixel((6, 32)) == _rgb(seed.primary_color)
    assert len(keys) == 2 * len(LAND_VAN_CUIJK)


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def test_initials_are_the_capitals_of_the_name():
    assert initials("Cuijk") == "C"
    assert initials("Mill en Sint Hubert") == "MSH"
    assert initials("Sint Anthonis") == "SA"
    assert initials("s-hertogenbosch") == "S"


def test_a_second_run_keeps_what_is_there_and_what_connectors_changed(app):
    loaded(app)
    with app.app_context():
        grave = tenant_by_slug("grave")
        grave.about_text = "Onze eigen tekst."
        keys = (grave.logo_key, grave.favicon_key)
        db.session.commit()
    loaded(app)
    with app.app_context():
        grave = tenant_by_slug("grave")
        assert grave.about_text == "Onze eigen tekst."
        assert (grave.logo_key, grave.favicon_key) == keys
        assert len(list((app.config["UPLOAD_FOLDER"]).iterdir())) == 2 * len(SLUGS)


def test_a_lost_logo_file_is_drawn_again(app):
    loaded(app)
    with app.app_context():
        storage.delete(tenant_by_slug("mill").logo_key)
    loaded(app)
    with app.app_context():
        assert storage.read(tenant_by_slug("mill").logo_key) is not None
        assert len(list((app.config["UPLOAD_FOLDER"]).iterdir())) == 2 * len(SLUGS)


def test_each_demo_account_has_its_municipalitys_own_first_name(app):
    loaded(app)
    with app.app_context():
        for slug, demo in DEMO_MUNICIPALITIES.items():
            for role, first_name in demo.people.items():
                email = f"{role.value}.{slug}@demo.buurtplatform.nl"
                user = db.session.scalar(sa.select(User).where(User.email == email))
                assert user.first_name == first_name
        assert {demo.people[Role.CONNECTOR] for demo in DEMO_MUNICIPALITIES.values()} == {
            "Henk",
            "Ingrid",
            "Gerrit",
            "Piet",
        }
