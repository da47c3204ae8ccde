"""Choosing a text along the fallback chain: requested, tour default, en, vi, anything."""

from __future__ import annotations

import pytest

from tours.locales import Picked, fallback_chain, is_language_tag, normalize_tag, pick


@pytest.mark.parametrize(
    ("texts", "requested", "default", "expected"),
    [
        ({"vi": "Cổng", "en": "Gate"}, "en", "vi", Picked("Gate", "en", False)),
        ({"vi": "Cổng", "en": "Gate"}, "ko", "vi", Picked("Cổng", "vi", True)),
        ({"vi": "Cổng", "en": "Gate"}, "ko", "fr", Picked("Gate", "en", True)),
        ({"vi": "Cổng"}, "ja", "fr", Picked("Cổng", "vi", True)),
        ({"de": "Tor"}, "ja", "fr", Picked("Tor", "de", True)),
        ({"zh-Hant": "門", "en": "Gate"}, "zh", "vi", Picked("門", "zh-Hant", False)),
        ({"fr": "Porte"}, "fr-CA", "vi", Picked("Porte", "fr", False)),
        ({"vi": "", "en": "Gate"}, "vi", "vi", Picked("Gate", "en", True)),
        ({}, "ko", "vi", Picked("", "ko", False)),
    ],
)
def test_pick(texts: dict[str, str], requested: str, default: str, expected: Picked) -> None:
    assert pick(texts, requested, default) == expected


@pytest.mark.parametrize(
    ("texts", "preferences", "expected"),
    [
        # A Japanese visitor who also reads English gets English, not the tour's Vietnamese.
        ({"vi": "Cổng", "en": "Gate"}, ["ja-JP", "ja", "en-US", "en"], Picked("Gate", "en", True)),
        ({"vi": "Cổng", "en": "Gate", "fr": "Porte"}, ["ja", "fr"], Picked("Porte", "fr", True)),
        ({"vi": "Cổng", "ja": "門"}, ["ja", "en"], Picked("門", "ja", False)),
        ({"vi": "Cổng", "en": "Gate"}, ["ja", "de"], Picked("Cổng", "vi", True)),
        ({"vi": "Cổng", "en": "Gate"}, ["*"], Picked("Cổng", "vi", True)),
    ],
)
def test_pick_follows_the_visitors_preferences_before_the_default(
    texts: dict[str, str], preferences: list[str], expected: Picked
) -> None:
    assert pick(texts, "ja", "vi", preferences) == expected


def test_fallback_chain_has_no_repeats() -> None:
    assert fallback_chain("ja", "vi", ["ja", "en-US", "*", "vi"]) == ["ja", "en-US", "vi", "en"]
    assert fallback_chain("en", "vi") == ["en", "vi"]
    assert fallback_chain("ko", "fr") == ["ko", "fr", "en", "vi"]


@pytest.mark.parametrize(
    ("tag", "valid"),
    [
        ("vi", True),
        ("zh-Hant-TW", True),
        ("yue", True),
        ("x", False),
        ("en_US", False),
        ("../etc", False),
        ("en-", False),
        ("", False),
    ],
)
def test_is_language_tag(tag: str, valid: bool) -> None:
    assert is_language_tag(tag) is valid


@pytest.mark.parametrize(
    ("raw", "canonical"), [("zh-hant-tw", "zh-Hant-TW"), ("EN", "en"), ("pt_br", "pt-BR")]
)
def test_normalize_tag(raw: str, canonical: str) -> None:
    assert normalize_tag(raw) == canonical
