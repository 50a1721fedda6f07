"""`flask tenants add-domain` / `remove-domain`: a municipality on a domain of its own, added
and removed by the IT supplier without a code change (docs/deploy.md)."""

from __future__ import annotations

import pytest

from tenants.cli import tenants_cli


def run(app, *arguments: str):
    return app.test_cli_runner().invoke(tenants_cli, list(arguments))


def get(app, host: str, path: str = "/"):
    return app.test_client().get(path, base_url=f"http://{host}")


def test_a_canonical_domain_serves_the_site_and_aliases_redirect_to_it(app):
    added = run(app, "add-domain", "cuijk", "SamenCuijk.nl", "--canonical")
    assert added.exit_code == 0, added.output
    assert "samencuijk.nl is now its address for Cuijk" in added.output
    alias = run(app, "add-domain", "cuijk", "www.samencuijk.nl")
    assert "an alias that redirects to samencuijk.nl" in alias.output

    page = get(app, "samencuijk.nl")
    assert page.status_code == 200
    assert "<h1>Samen Cuijk</h1>" in page.get_data(as_text=True)
    redirect = get(app, "www.samencuijk.nl", "/agenda?week=2")
    assert redirect.status_code == 301
    assert redirect.headers["Location"] == "http://samencuijk.nl/agenda?week=2"
    # The subdomain redirects to the site's own address too.
    assert get(app, "cuijk.buurt.test").headers["Location"] == "http://samencuijk.nl/"
    assert "samencuijk.nl" in run(app, "list").output


def test_a_new_canonical_domain_makes_the_old_one_an_alias(app):
    run(app, "add-domain", "grave", "samengrave.nl", "--canonical")
    run(app, "add-domain", "grave", "buurtgrave.nl", "--canonical")

    assert get(app, "buurtgrave.nl").status_code == 200
    assert get(app, "samengrave.nl").headers["Location"] == "http://buurtgrave.nl/"


def test_removing_a_domain_brings_the_site_back_to_its_subdomain(app):
    run(app, "add-domain", "mill", "samenmill.nl", "--canonical")
    removed = run(app, "remove-domain", "samenmill.nl")

    assert removed.exit_code == 0, removed.output
    assert "Mill en Sint Hubert is at http://mill.buurt.test/" in removed.output
    assert get(app, "mill.buurt.test").status_code == 200
    assert get(app, "samenmill.nl").status_code == 404
    assert run(app, "remove-domain", "samenmill.nl").exit_code == 1


@pytest.mark.parametrize(
    ("slug", "host", "message"),
    [
        ("boxmeer", "samenboxmeer.nl", "no municipality with slug 'boxmeer'"),
        ("cuijk", "samen cuijk.nl", "is not a host name"),
        ("cuijk", "https://samencuijk.nl/", "is not a host name"),
        ("cuijk", "grave.buurt.test", "part of the platform's own domain buurt.test"),
        ("cuijk", "buurt.test", "part of the platform's own domain"),
    ],
)
def test_a_wrong_domain_is_refused_with_the_reason(app, slug, host, message):
    result = run(app, "add-domain", slug, host)

    assert result.exit_code == 1
    assert message in result.output


def test_a_domain_serves_one_municipality_only(app):
    run(app, "add-domain", "cuijk", "samencuijk.nl", "--canonical")
    result = run(app, "add-domain", "grave", "samencuijk.nl")

    assert result.exit_code == 1
    assert "samencuijk.nl belongs to a municipality already" in result.output
    assert "<h1>Samen Cuijk</h1>" in get(app, "samencuijk.nl").get_data(as_text=True)
