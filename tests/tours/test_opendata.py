"""Open data dumps made from published revisions: every published tour and nothing else, read
a few at a time, written piece by piece, as JSON and as a CSV of stops that no spreadsheet
runs as formulas."""

from __future__ import annotations

import copy
import csv
import io
import json
from datetime import datetime
from typing import Any

import pytest

from tours.opendata import (
    PublishedRevision,
    csv_dump,
    csv_header,
    json_dump,
    published_languages,
    published_revisions,
    safe_cell,
    stop_languages,
    stop_rows,
)


def _media(key: str) -> str:
    return f"https://tours.example/media/{key}"


def _publish_copies(db: Any, tour: Any, slugs: list[str]) -> None:
    """Publish a copy of ``tour`` under each slug (same stops, same texts)."""
    from tours.models import Stop, StopText, Tour, TourText
    from tours.publishing import publish_tour

    for slug in slugs:
        copy_ = Tour(slug=slug, default_locale=tour.default_locale)
        copy_.texts = [TourText(locale=t.locale, title=f"{t.title} {slug}") for t in tour.texts]
        stop = Stop(position=0, model_asset_id=tour.stops[0].model_asset_id)
        stop.texts = [
            StopText(locale=t.locale, title=t.title, narration=t.narration)
            for t in tour.stops[0].texts
        ]
        copy_.stops.append(stop)
        db.add(copy_)
        db.commit()
        publish_tour(db, copy_)


def test_published_revisions_are_every_published_tour_by_slug_in_batches(
    db: Any, draft_tour: Any
) -> None:
    _publish_copies(db, draft_tour, ["delta", "alpha", "charlie", "bravo", "echo"])
    revisions = published_revisions(db, batch=2)
    first = next(revisions)
    assert (first.slug, first.number) == ("alpha", 1)
    assert [r.slug for r in revisions] == ["bravo", "charlie", "delta", "echo"]
    assert "citadel" not in [r.slug for r in published_revisions(db)]  # a draft is not shown
    assert published_languages(db) == ["en", "vi"]


def test_a_taken_down_tour_leaves_the_dumps(db: Any, published_tour: Any) -> None:
    from tours.publishing import unpublish_tour

    assert [r.slug for r in published_revisions(db)] == ["citadel"]
    unpublish_tour(db, published_tour)
    assert list(published_revisions(db)) == []
    assert published_languages(db) == []


def _revision(document: dict[str, Any], slug: str = "citadel") -> PublishedRevision:
    return PublishedRevision(slug, 3, datetime(2026, 5, 1, 8, 30), document)


DOCUMENT: dict[str, Any] = {
    "slug": "citadel",
    "default_locale": "vi",
    "location": {"latitude": 16.47, "longitude": -107.5},
    "title": {"vi": "Kinh thành"},
    "rights": {"statement": "https://creativecommons.org/licenses/by/4.0/", "attribution": "T"},
    "stops": [
        {
            "title": {"vi": "Cổng", "en": '=HYPERLINK("http://evil")'},
            "narration": {"vi": "Lời kể **Cổng**.", "en": ""},
            "model": {
                "levels": {"thumb": {"key": "models/t.glb"}, "high": {"key": "models/h.glb"}},
                "poster": "posters/m.webp",
                "rights": {"statement": "http://rightsstatements.org/vocab/InC/1.0/"},
            },
            "poster": None,
            "audio": {"vi": {"key": "audio/c.mp3", "captions": "captions/c.vtt"}},
        },
        {
            "title": {"vi": "Sân", "de": "Hof"},
            "narration": {"fr": "La cour."},
            "model": None,
            "poster": "posters/p.webp",
            "panorama": {"equirect": {"key": "panoramas/e.jpg"}, "rights": {"statement": "x"}},
        },
        {"title": {}, "narration": {}, "model": None, "poster": None},
    ],
}


def test_csv_rows_one_per_stop_and_language_with_texts_rights_and_addresses() -> None:
    rows = [
        dict(zip(csv_header(), row, strict=True)) for row in stop_rows(_revision(DOCUMENT), _media)
    ]
    assert [(row["stop"], row["language"]) for row in rows] == [
        (1, "en"),
        (1, "vi"),
        (2, "de"),
        (2, "fr"),
        (2, "vi"),
        (3, "vi"),  # no text at all: one row, in the tour's default language
    ]
    english, vietnamese = rows[0], rows[1]
    assert vietnamese == {
        "tour": "citadel",
        "revision": 3,
        "stop": 1,
        "language": "vi",
        "title": "Cổng",
        "narration": "Lời kể **Cổng**.",
        "latitude": 16.47,
        "longitude": -107.5,  # numbers are not text: never prefixed
        "media": "model",
        "media_statement": "http://rightsstatements.org/vocab/InC/1.0/",
        "media_attribution": "",
        "media_source": "",
        "media_digitised": "",
        "tour_statement": "https://creativecommons.org/licenses/by/4.0/",
        "tour_attribution": "T",
        "tour_source": "",
        "tour_digitised": "",
        "model_url": "https://tours.example/media/models/h.glb",
        "poster_url": "https://tours.example/media/posters/m.webp",
        "panorama_url": "",
        "audio_url": "https://tours.example/media/audio/c.mp3",
        "captions_url": "https://tours.example/media/captions/c.vtt",
    }
    assert (english["title"], english["narration"]) == ('\'=HYPERLINK("http://evil")', "")
    assert (english["audio_url"], english["captions_url"]) == ("", "")
    german, french = rows[2], rows[3]
    assert (german["title"], german["narration"]) == ("Hof", "")
    assert (french["title"], french["narration"]) == ("", "La cour.")
    assert (french["media"], french["model_url"]) == ("panorama", "")
    assert french["panorama_url"] == "https://tours.example/media/panoramas/e.jpg"
    assert french["poster_url"] == "https://tours.example/media/posters/p.webp"
    assert (rows[5]["title"], rows[5]["media"]) == ("", "")


def test_stop_languages_ignore_empty_texts_and_fall_back_to_the_default() -> None:
    stop = {"title": {"en": "", "ko": "문"}, "narration": {"ja": "門"}}
    assert stop_languages(stop, "vi") == ["ja", "ko"]
    assert stop_languages({"title": "not a map"}, "vi") == ["vi"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1", "'+33 1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Huế", "Huế"),
        (-2.5, -2.5),
        ("", ""),
    ],
)
def test_safe_cell(value: Any, expected: Any) -> None:
    assert safe_cell(value) == expected


def test_csv_dump_is_written_a_tour_at_a_time() -> None:
    other = copy.deepcopy(DOCUMENT)
    other["stops"] = other["stops"][:1]
    pieces = list(csv_dump(iter([_revision(DOCUMENT), _revision(other, "hue")]), _media))
    assert len(pieces) == 3  # the header, then one piece per tour
    rows = list(csv.reader(io.StringIO("".join(pieces))))
    assert rows[0][:6] == ["tour", "revision", "stop", "language", "title", "narration"]
    assert [(row[0], row[2], row[3], row[4]) for row in rows[1:]] == [
        ("citadel", "1", "en", '\'=HYPERLINK("http://evil")'),
        ("citadel", "1", "vi", "Cổng"),
        ("citadel", "2", "de", "Hof"),
        ("citadel", "2", "fr", ""),
        ("citadel", "2", "vi", "Sân"),
        ("citadel", "3", "vi", ""),
        ("hue", "1", "en", '\'=HYPERLINK("http://evil")'),
        ("hue", "1", "vi", "Cổng"),
    ]
    assert pieces[0].endswith("\r\n")


def test_json_dump_is_one_valid_document_written_a_tour_at_a_time() -> None:
    head = {"media": "https://tours.example/media/{key}"}

    def links(slug: str) -> dict[str, str]:
        return {"manifest": f"https://tours.example/iiif/{slug}/manifest.json"}

    revisions = [_revision(DOCUMENT), _revision(DOCUMENT, "hue")]
    pieces = list(json_dump(iter(revisions), head, links))
    assert len(pieces) == 4
    dump = json.loads("".join(pieces))
    assert (dump["format"], dump["version"]) == ("heritour.opendata", 1)
    assert dump["media"] == head["media"]
    assert [tour["slug"] for tour in dump["tours"]] == ["citadel", "hue"]
    first = dump["tours"][0]
    assert first["document"] == DOCUMENT and first["rights"] == DOCUMENT["rights"]
    assert (first["revision"], first["published_at"]) == (3, "2026-05-01T08:30:00")
    assert first["manifest"] == "https://tours.example/iiif/citadel/manifest.json"
    assert json.loads("".join(json_dump(iter([]), head, links)))["tours"] == []
