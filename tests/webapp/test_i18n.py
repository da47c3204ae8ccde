"""Languages: choosing one at /, the language in the URL, the switcher and hreflang."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tours.locales import INTERFACE_LOCALES


@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [
        (None, None, "/vi/"),
        (None, "ko-KR,ko;q=0.9,en;q=0.5", "/ko/"),
        (None, "de-DE,fr;q=0.8", "/fr/"),
        (None, "de-DE", "/vi/"),
        ("ja", "ko", "/ja/"),
        ("xx", "en-GB", "/en/"),
        (None, "zh-Hant-TW,en;q=0.5", "/zh/"),
        (None, "FR-ca", "/fr/"),
        (None, "ja;q=0,en;q=0.2", "/en/"),
        (None, "*", "/vi/"),
    ],
)
def test_root_redirects_to_chosen_language(
    client: Any, cookie: str | None, accept: str | None, expected: str
) -> None:
    if cookie:
        client.set_cookie("lang", cookie)
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_unknown_language_is_404(client: Any) -> None:
    assert client.get("/xx/").status_code == 404


def test_visiting_a_language_remembers_it(client: Any) -> None:
    client.get("/fr/")
    response = client.get("/")
    assert response.headers["Location"] == "/fr/"
    # The answer depends on the visitor: a shared cache must not give it to someone else.
    assert {"Accept-Language", "Cookie"} <= set(response.vary)
    assert "private" in response.headers["Cache-Control"]


@pytest.mark.parametrize("lang", INTERFACE_LOCALES)
def test_pages_carry_lang_switcher_and_hreflang(
    client: Any, published_tour: Any, lang: str
) -> None:
    html = client.get(f"/{lang}/tours/citadel/2").get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    for other in INTERFACE_LOCALES:
        absolute = f"http://localhost/{other}/tours/citadel/2"
        assert f'<link rel="alternate" hreflang="{other}" href="{absolute}">' in html
        assert re.search(rf'<a href="/{other}/tours/citadel/2" hreflang="{other}"', html)
    default = (
        '<link rel="alternate" hreflang="x-default" href="http://localhost/vi/tours/citadel/2">'
    )
    assert default in html
    assert (
        f'href="/{lang}/tours/citadel/2" hreflang="{lang}" lang="{lang}" aria-current="true"'
        in html
    )


def test_language_switch_keeps_the_search_and_text_mode(client: Any, published_tour: Any) -> None:
    catalogue = client.get("/en/?q=hue&site=").get_data(as_text=True)
    assert 'href="/ko/?q=hue&amp;site=" hreflang="ko"' in catalogue
    text_stop = client.get("/en/tours/citadel/1?mode=text").get_data(as_text=True)
    assert 'href="/fr/tours/citadel/1?mode=text" hreflang="fr"' in text_stop


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("vi", "Chuyến tham quan có hướng dẫn"),
        ("en", "Guided tours"),
        ("ko", "가이드 투어"),
        ("ja", "ガイドツアー"),
    ],
)
def test_interface_is_translated(client: Any, lang: str, text: str) -> None:
    assert text in client.get(f"/{lang}/").get_data(as_text=True)
