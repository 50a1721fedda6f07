"""`flask demo load`: the four municipalities with demo accounts, for development only. Each
has its own people, asks and offers in its own villages, "over ons" page, house rules and
logo, so that the four sites do not look like copies.

Idempotent: a second run keeps what the first made (and what people did since, such as a
connector's own texts or logo).
"""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from buurtplatform.accounts.models import Membership, Role
from buurtplatform.demo.activities import load_demo_activities
from buurtplatform.demo.board import load_demo_board
from buurtplatform.demo.directory import load_demo_directory
from buurtplatform.demo.listings import load_demo_listings
from buurtplatform.demo.logos import give_demo_logo
from buurtplatform.demo.municipalities import (
    DEMO_MUNICIPALITIES,
    DemoMunicipality,
    house_rules,
    house_rules_en,
)
from buurtplatform.demo.news import load_demo_news
from buurtplatform.demo.people import DEMO_PASSWORD, PLATFORM_ADMIN_EMAIL, demo_email, ensure_user
from buurtplatform.extensions import db
from tenants.models import Tenant, Village
from tenants.provisioning import create_seeded_tenant
from tenants.scoping import tenant_context
from tenants.seed import LAND_VAN_CUIJK

demo_cli = AppGroup("demo", help="Demo data for development.")


def load_demo() -> list[Tenant]:
    """Create what is missing of the demo municipalities and accounts."""
    tenants = []
    for seed in LAND_VAN_CUIJK:
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == seed.slug))
        tenant = tenant or create_seeded_tenant(seed)
        tenants.append(tenant)
        demo = DEMO_MUNICIPALITIES[seed.slug]
        _fill_own_pages(tenant, demo)
        give_demo_logo(tenant)
        with tenant_context(tenant):
            first_village = db.session.scalar(sa.select(Village).order_by(Village.id))
            people = {}
            for role, first_name in demo.people.items():
                user = ensure_user(demo_email(seed.slug, role), first_name)
                people[role] = user
                member = db.session.scalar(
                    sa.select(Membership).where(Membership.user_id == user.id)
                )
                if member is None:
                    db.session.add(Membership(user=user, role=role, village=first_village))
            db.session.flush()
            load_demo_listings(tenant, demo, people[Role.ORGANISATION], people[Role.COORDINATOR])
            load_demo_board(tenant, demo)
            load_demo_directory(tenant, people[Role.ORGANISATION])
            load_demo_news(tenant.slug, people[Role.CONNECTOR].id)
            load_demo_activities(tenant.slug, people[Role.ORGANISATION], people[Role.RESIDENT])
    ensure_user(PLATFORM_ADMIN_EMAIL, "Beheer", admin=True)
    db.session.commit()
    return tenants


def _fill_own_pages(tenant: Tenant, demo: DemoMunicipality) -> None:
    """The "over ons" page and the house rules, where the connectors wrote none yet."""
    if not tenant.about_text:
        tenant.about_text, tenant.about_text_en = demo.about_text, demo.about_text_en
    if not tenant.house_rules:
        tenant.house_rules = house_rules(tenant.site_name)
        tenant.house_rules_en = house_rules_en(tenant.site_name)


@demo_cli.command("load")
def load_command() -> None:
    """Load the demo municipalities and accounts (development only)."""
    if current_app.config["ENV_NAME"] not in ("development", "testing"):
        raise click.ClickException("Demo data is for development only (BUURTPLATFORM_ENV).")
    tenants = load_demo()
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    portal = f"{scheme}://{current_app.config['PLATFORM_DOMAIN']}/"
    click.echo("\nBuurtplatform is ready. Open in your browser:")
    click.echo(f"  portal:  {portal}")
    for tenant in tenants:
        click.echo(f"  {tenant.name + ':':<21}{tenant.url()}")
    click.echo(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
    for tenant in tenants:
        for role, first_name in DEMO_MUNICIPALITIES[tenant.slug].people.items():
            click.echo(
                f"  {demo_email(tenant.slug, role):<52}{role.value} in {tenant.name} ({first_name})"
            )
    click.echo(f"  {PLATFORM_ADMIN_EMAIL:<52}platform admin: {portal}platformbeheer/")
    click.echo(
        f"\nEmails land in the outbox: {scheme}://"
        f"cuijk.{current_app.config['PLATFORM_DOMAIN']}/ontwikkeling/outbox\n"
    )


@demo_cli.command("scale")
@click.option(
    "--factor",
    type=click.FloatRange(min=0.0001, max=10.0),
    default=1.0,
    show_default=True,
    help="Share of the full volumes (1.0: 50,000 members, 200,000 asks and offers, "
    "500,000 messages, 20,000 activities).",
)
@click.option(
    "--municipalities",
    type=click.IntRange(4, 180),
    default=60,
    show_default=True,
    help="The four of the Land van Cuijk and generated ones.",
)
def scale_command(factor: float, municipalities: int) -> None:
    """Fill an empty database with years of use by many municipalities (development only).

    For benchmarks (bench/pages.py): accounts, asks and offers, conversations, activities,
    prikbord, sociale kaart and news, with Dutch texts. Refuses a database that holds
    content or municipalities other than the four of the Land van Cuijk. Every account has
    the demo password; inwoner.<slug>@scale.buurtplatform.nl is a resident of each.
    """
    if current_app.config["ENV_NAME"] not in ("development", "testing"):
        raise click.ClickException("Demo data is for development only (BUURTPLATFORM_ENV).")
    from buurtplatform.demo.scale import fill_scale

    fill_scale(factor, municipalities)
