"""The portal: every municipality with its villages, and "In welk dorp woon je?" to find
the right site without knowing which municipality a village belongs to."""

from __future__ import annotations

import pytest

from buurtplatform.site.presence import searchable


def test_portal_lists_each_municipality_with_its_villages(client_for):
    page = client_for(None).get("/").get_data(True)
    assert "In welk dorp woon je?" in page
    for village in ("Beers", "Escharen", "Langenboom", "Rijkevoort-De Walsert"):
        assert village in page


@pytest.mark.parametrize(
    ("typed", "village", "municipality"),
    [
        ("Beers", "Beers", "Cuijk"),
        ("beers", "Beers", "Cuijk"),
        ("  BEE ", "Beers", "Cuijk"),  # part of a name, any case
        ("Gässel", "Gassel", "Grave"),  # accents do not matter
        ("st agatha", "Sint Agatha", "Cuijk"),  # nor the abbreviation
        ("rijkevoort de walsert", "Rijkevoort-De Walsert", "Sint Anthonis"),
    ],
)
def test_village_search_finds_the_municipality(client_for, typed, village, municipality):
    response = client_for(None).get("/", query_string={"dorp": typed})
    assert response.status_code == 200
    page = response.get_data(True)
    assert f"{village} hoort bij de gemeente {municipality}" in page


def test_village_search_leads_to_the_site(client_for):
    page = client_for(None).get("/?dorp=Beers").get_data(True)
    result = page.split('class="search-result"')[1].split("</section>")[0]
    assert 'href="http://cuijk.buurt.test/"' in result
    assert "Naar Samen Cuijk" in result
    assert "grave.buurt.test" not in result


def test_village_search_without_a_match_says_so_and_keeps_the_list(client_for):
    page = client_for(None).get("/?dorp=Amsterdam").get_data(True)
    assert 'We kunnen "Amsterdam" niet vinden' in page
    assert "Samen Grave" in page


def test_village_search_escapes_what_was_typed(client_for):
    page = client_for(None).get("/?dorp=<script>x</script>").get_data(True)
    assert "<script>x" not in page


def test_portal_search_sets_no_cookie(client_for):
    assert "Set-Cookie" not in client_for(None).get("/?dorp=Beers").headers


def test_searchable_text_ignores_case_accents_and_punctuation():
    assert searchable("Sint-Agatha") == searchable("st. agatha") == "sint agatha"
    assert searchable("Ëscharen") == "escharen"
