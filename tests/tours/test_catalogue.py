"""Presenting tours to tourists: length estimates, search folding, audio choice, offline keys."""

from __future__ import annotations

from typing import Any

import pytest

from tours.catalogue import fold, narration_seconds, tour_view
from tours.offline import offline_media_keys


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Huế", "hue"),
        ("ĐẠI NỘI", "dai noi"),
        ("Cité Impériale", "cite imperiale"),
        ("顺化", "顺化"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("markdown", "seconds"),
    [
        ("word " * 150, 60.0),
        ("**Built** in *1833*.", 1.2),
        ("字" * 260, 60.0),
        ("", 0.0),
    ],
)
def test_narration_seconds(markdown: str, seconds: float) -> None:
    assert narration_seconds(markdown) == pytest.approx(seconds)


def _document(audio: dict[str, Any]) -> dict[str, Any]:
    stop = {
        "title": {"vi": "Cổng"},
        "narration": {"vi": "Lời kể."},
        "model_alt": {"vi": "Mô hình"},
        "camera": {"orbit": "", "target": "", "field_of_view": ""},
        "model": {
            "levels": {
                "thumb": {"key": "models/t.glb", "bytes": 10},
                "low": {"key": "models/l.glb", "bytes": 20},
                "high": {"key": "models/h.glb", "bytes": 90},
            },
            "poster": "posters/p.webp",
        },
        "audio": audio,
        "hotspots": [],
    }
    return {
        "slug": "t",
        "default_locale": "vi",
        "title": {"vi": "T"},
        "summary": {},
        "site_name": {"vi": "Huế"},
        "stops": [stop],
    }


@pytest.mark.parametrize(
    ("audio", "lang", "key"),
    [
        (
            {"en": {"key": "audio/en.mp3", "type": "audio/mpeg", "captions": None}},
            "en",
            "audio/en.mp3",
        ),
        (
            {"en-GB": {"key": "audio/gb.mp3", "type": "audio/mpeg", "captions": None}},
            "en",
            "audio/gb.mp3",
        ),
        ({"en": {"key": "audio/en.mp3", "type": "audio/mpeg", "captions": None}}, "fr", None),
        ({}, "vi", None),
    ],
)
def test_audio_only_in_the_visitors_language(
    audio: dict[str, Any], lang: str, key: str | None
) -> None:
    stop = tour_view(_document(audio), 1, lang).stops[0]
    assert (stop.audio.key if stop.audio else None) == key


def test_offline_keys_are_poster_thumb_low_audio_and_captions() -> None:
    audio = {"vi": {"key": "audio/a.mp3", "type": "audio/mpeg", "captions": "captions/c.vtt"}}
    view = tour_view(_document(audio), 1, "vi")
    assert offline_media_keys(view) == [
        "posters/p.webp",
        "models/t.glb",
        "models/l.glb",
        "audio/a.mp3",
        "captions/c.vtt",
    ]
    assert view.site_key == "hue"


@pytest.mark.backends
def test_a_revision_is_presented_once_per_language(
    db: Any, published_tour: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Narration is rendered once per revision and language, and publishing shows at once."""
    import tours.catalogue as catalogue
    from tours.publishing import publish_tour

    rendered: list[str] = []
    original = catalogue.render_narration

    def counting(markdown: str, images: Any) -> str:
        rendered.append(markdown)
        return original(markdown, images)

    monkeypatch.setattr(catalogue, "render_narration", counting)
    first = catalogue.published_tour(db, "citadel", "en")
    assert first is not None and rendered
    count = len(rendered)
    assert catalogue.published_tour(db, "citadel", "en") is first
    assert len(rendered) == count
    french = catalogue.published_tour(db, "citadel", "fr", ["en"])
    assert french is not first and len(rendered) == 2 * count
    english = next(text for text in published_tour.stops[0].texts if text.locale == "en")
    english.narration = "A new narration."
    db.commit()
    assert catalogue.published_tour(db, "citadel", "en") is first  # the draft changed only
    publish_tour(db, published_tour)
    fresh = catalogue.published_tour(db, "citadel", "en")
    assert fresh is not None and fresh.revision == 2
    assert fresh.stops[0].narration_html == "<p>A new narration.</p>\n"
