"""`flask tenants …`: add and list municipalities without a code change."""

from __future__ import annotations

import re

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from buurtplatform.extensions import db
from tenants.models import Tenant, TenantDomain
from tenants.provisioning import ProvisioningError, create_tenant
from tenants.scoping import tenant_context

tenants_cli = AppGroup("tenants", help="Add and list municipalities.")

# A host name as DNS allows it: labels of letters, digits and inner hyphens, a dot between.
HOST = re.compile(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$"
)


@tenants_cli.command("create")
@click.argument("slug")
@click.argument("name")
@click.option("--village", "villages", multiple=True, required=True, help="Repeat per village.")
@click.option("--site-name", help="The site's name, e.g. 'Samen Boxmeer'.")
@click.option("--primary-color", default="#1d4f91", show_default=True)
@click.option("--accent-color", default="#a8431b", show_default=True)
@click.option("--welcome-text", default="", help="In Dutch.")
@click.option("--welcome-text-en", default=None, help="In English (optional).")
@click.option("--help-contact-name", default="", help="Who to call for help offline.")
@click.option("--help-phone", default="", help="The social worker's phone number.")
@click.option("--help-hours", default="", help="When to call, in Dutch.")
@click.option("--help-hours-en", default=None, help="When to call, in English (optional).")
@click.option("--domain", "domains", multiple=True, help="Custom host; the first is canonical.")
def create_command(slug: str, name: str, villages: tuple[str, ...], **options) -> None:
    """Add the municipality SLUG (its subdomain) called NAME."""
    try:
        tenant = create_tenant(slug, name, villages, **options)
    except ProvisioningError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {tenant.name}: {tenant.url()} with {len(villages)} villages.")


@tenants_cli.command("grant")
@click.argument("slug")
@click.argument("email")
@click.argument("role", type=click.Choice(["resident", "organisation", "connector", "coordinator"]))
def grant_command(slug: str, email: str, role: str) -> None:
    """Give the account EMAIL the ROLE in municipality SLUG (e.g. its first connectors)."""
    from buurtplatform.accounts.models import Membership, Role, User

    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"no municipality with slug {slug!r}")
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no account for {email}: let them sign up on {tenant.url()}")
    with tenant_context(tenant):
        member = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
        if member is None:
            member = Membership(user_id=user.id)
            db.session.add(member)
        member.role = Role(role)
        db.session.commit()
    click.echo(f"{email} is now {role} in {tenant.name}.")


@tenants_cli.command("platform-admin")
@click.argument("email")
def platform_admin_command(email: str) -> None:
    """Make the account EMAIL a platform admin, who adds municipalities on the portal's
    /platformbeheer/ (the first one is made here; there is no page for it)."""
    from buurtplatform.accounts.models import User

    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_verified:
        raise click.ClickException(
            f"no account with a confirmed address for {email}: let them sign up on a "
            "municipality's site first"
        )
    user.is_platform_admin = True
    db.session.commit()
    click.echo(f"{email} is now a platform admin: they sign in on the portal's /platformbeheer/.")


@tenants_cli.command("list")
def list_command() -> None:
    """Show every municipality with its address."""
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.name)):
        state = "" if tenant.is_active else " (inactive)"
        click.echo(f"{tenant.slug:<20} {tenant.name:<28} {tenant.url()}{state}")


@tenants_cli.command("add-domain")
@click.argument("slug")
@click.argument("host")
@click.option("--canonical", is_flag=True, help="Serve the site here; its other hosts redirect.")
def add_domain_command(slug: str, host: str, canonical: bool) -> None:
    """Let municipality SLUG answer on its own domain HOST (e.g. samenboxmeer.nl). Without
    --canonical HOST is an alias that redirects to the site's address."""
    tenant = _tenant(slug)
    host = host.strip().lower().rstrip(".")
    platform = current_app.config["PLATFORM_DOMAIN"].split(":")[0]
    if not HOST.match(host):
        raise click.ClickException(f"{host!r} is not a host name such as samenboxmeer.nl")
    if host == platform or host.endswith(f".{platform}"):
        raise click.ClickException(f"{host} is part of the platform's own domain {platform}")
    if db.session.scalar(sa.select(TenantDomain.id).where(TenantDomain.host == host)):
        raise click.ClickException(f"{host} belongs to a municipality already")
    if canonical:
        for domain in tenant.domains:
            domain.is_canonical = False
    tenant.domains.append(TenantDomain(host=host, is_canonical=canonical))
    db.session.commit()
    role = "its address" if canonical else f"an alias that redirects to {tenant.canonical_host}"
    click.echo(
        f"{host} is now {role} for {tenant.name}. Point its DNS at the proxy and add it to "
        "the certificate and to nginx's custom-domain server block (docs/deploy.md)."
    )


@tenants_cli.command("remove-domain")
@click.argument("host")
def remove_domain_command(host: str) -> None:
    """Stop answering on HOST; a municipality without its own domain is on its subdomain."""
    domain = db.session.scalar(
        sa.select(TenantDomain).where(TenantDomain.host == host.strip().lower())
    )
    if domain is None:
        raise click.ClickException(f"no municipality answers on {host}")
    tenant = domain.tenant
    tenant.domains.remove(domain)
    db.session.commit()
    click.echo(f"{host} is removed; {tenant.name} is at {tenant.url()}")


def _tenant(slug: str) -> Tenant:
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"no municipality with slug {slug!r}")
    return tenant
