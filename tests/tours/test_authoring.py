"""Authoring services: tours, languages, stops and their order, camera, hotspots, matrix, media."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tours.authoring import (
    AuthoringError,
    add_hotspot,
    add_language,
    add_stop,
    create_tour,
    move_stop,
    parse_location,
    remove_hotspot,
    remove_stop,
    reorder_stops,
    save_stop_text,
    save_tour_text,
    set_camera,
    set_hotspot_view,
    set_lighting,
    tour_languages,
    translation_matrix,
)
from tours.document import tour_document
from tours.stopmedia import check_captions, set_audio, sniff_audio, store_poster


def _code(call: Any) -> str:
    with pytest.raises(AuthoringError) as raised:
        call()
    return raised.value.code


def test_create_tour_checks_slug_language_title(db: Any) -> None:
    tour = create_tour(db, "Hue-Citadel", "vi", " Kinh thành ")
    assert (tour.slug, tour.default_locale, tour.texts[0].title) == (
        "hue-citadel",
        "vi",
        "Kinh thành",
    )
    assert _code(lambda: create_tour(db, "hue-citadel", "vi", "x")) == "slug_taken"
    assert _code(lambda: create_tour(db, "a--b", "vi", "x")) == "invalid_slug"
    assert _code(lambda: create_tour(db, "../x", "vi", "x")) == "invalid_slug"
    assert _code(lambda: create_tour(db, "ok", "not a tag", "x")) == "invalid_language"
    assert _code(lambda: create_tour(db, "ok", "en", "  ")) == "missing_title"


def test_any_bcp47_language(db: Any) -> None:
    tour = create_tour(db, "t", "vi", "Tour")
    assert add_language(db, tour, "zh-hant-tw") == "zh-Hant-TW"
    assert add_language(db, tour, "en") == "en"
    assert tour_languages(tour) == ["vi", "en", "zh-Hant-TW"]
    save_tour_text(db, tour, "en", "Tour", "Summary", "Site")
    assert tour_document(tour)["title"] == {"en": "Tour", "vi": "Tour"}


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [("16.4698", "107.5786", (16.4698, 107.5786)), ("", "", (None, None))],
)
def test_parse_location(lat: str, lon: str, expected: Any) -> None:
    assert parse_location(lat, lon) == expected


@pytest.mark.parametrize(("lat", "lon"), [("91", "0"), ("x", "1"), ("1", "")])
def test_parse_location_refuses(lat: str, lon: str) -> None:
    assert _code(lambda: parse_location(lat, lon)) == "invalid_location"


def test_stops_add_move_reorder_remove(db: Any, ready_asset: Any) -> None:
    tour = create_tour(db, "t", "vi", "Tour")
    a, b, c = (add_stop(db, tour, ready_asset.id) for _ in range(3))
    order = lambda: [s.id for s in tour.stops]  # noqa: E731
    assert order() == [a.id, b.id, c.id]
    move_stop(db, c, -1)
    assert order() == [a.id, c.id, b.id]
    move_stop(db, a, -1)  # already first: nothing moves
    assert order() == [a.id, c.id, b.id]
    reorder_stops(db, tour, [b.id, a.id, c.id])
    assert order() == [b.id, a.id, c.id]
    assert [s.position for s in tour.stops] == [0, 1, 2]
    assert _code(lambda: reorder_stops(db, tour, [a.id, b.id])) == "invalid_order"
    remove_stop(db, a)
    db.expire_all()
    assert order() == [b.id, c.id] and [s.position for s in tour.stops] == [0, 1]
    assert _code(lambda: add_stop(db, tour, 99999)) == "model_not_found"


def test_camera_and_hotspots(db: Any, ready_asset: Any) -> None:
    tour = create_tour(db, "t", "vi", "Tour")
    stop = add_stop(db, tour, ready_asset.id)
    set_camera(db, stop, "30.00deg 75.50deg 2.1000m", "0.0000m 0.5000m -0.1000m", "30.00deg")
    assert tour_document(tour)["stops"][0]["camera"] == {
        "orbit": "30.00deg 75.50deg 2.1000m",
        "target": "0.0000m 0.5000m -0.1000m",
        "field_of_view": "30.00deg",
    }
    assert (
        _code(lambda: set_camera(db, stop, "30deg; drop", "0m 0m 0m", "30deg")) == "invalid_camera"
    )
    framed = {"half_width": 1.25, "half_height": 0.5}
    set_camera(db, stop, "30deg 75deg 2m", "0m 0m 0m", "30deg", framing=framed)
    assert tour_document(tour)["stops"][0]["camera"]["framing"] == framed
    for bad in ({"half_width": 0, "half_height": 1}, {"half_width": "1", "half_height": 1}, {}):
        assert (
            _code(
                lambda bad=bad: set_camera(
                    db, stop, "0deg 0deg 1m", "0m 0m 0m", "30deg", framing=bad
                )
            )
            == "invalid_camera"
        )
    assert stop.framing == framed  # a refused camera changes nothing
    set_lighting(db, stop, "clay")
    assert tour_document(tour)["stops"][0]["lighting"] == "clay"
    assert _code(lambda: set_lighting(db, stop, "disco")) == "invalid_lighting"
    set_lighting(db, stop, "")
    assert stop.lighting is None and "lighting" not in tour_document(tour)["stops"][0]
    spot = add_hotspot(db, stop, "0.1m  0.2m 0.3m", "0 1 0")
    assert spot.surface_position == "0.1m 0.2m 0.3m"
    assert _code(lambda: add_hotspot(db, stop, "<b>", "0 1 0")) == "invalid_hotspot"
    second = add_hotspot(db, stop, "1m 1m 1m", "")
    set_hotspot_view(db, second, "10deg 60deg 1.5m", "1m 1m 1m", "20deg")
    assert tour_document(tour)["stops"][0]["hotspots"][-1]["view"] == {
        "orbit": "10deg 60deg 1.5m",
        "target": "1m 1m 1m",
        "field_of_view": "20deg",
    }
    assert _code(lambda: set_hotspot_view(db, second, "near", "1m 1m 1m", "20deg")) == (
        "invalid_camera"
    )
    set_hotspot_view(db, spot, "", "", "")
    assert spot.view is None
    remove_hotspot(db, spot)
    assert [(h.id, h.position) for h in stop.hotspots] == [(second.id, 0)]


def test_translation_matrix(db: Any, draft_tour: Any) -> None:
    add_language(db, draft_tour, "ko")
    languages, rows = translation_matrix(draft_tour)
    assert languages == ["vi", "en", "ko"]
    first = {(r.kind, r.stop, r.hotspot): r.done for r in rows}
    assert first[("title", None, None)] == {"vi": True, "en": True, "ko": False}
    assert first[("narration", 1, None)] == {"vi": True, "en": True, "ko": False}
    assert first[("audio", 2, None)] == {"vi": False, "en": False, "ko": False}
    assert first[("label", 1, 1)] == {"vi": True, "en": True, "ko": False}
    save_stop_text(db, draft_tour.stops[0], "ko", "문", "이야기", "")
    _, rows = translation_matrix(draft_tour)
    done = {(r.kind, r.stop, r.hotspot): r.done for r in rows}
    assert done[("narration", 1, None)]["ko"] and not done[("model_alt", 1, None)]["ko"]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"ID3\x04\x00", "audio/mpeg"),
        (b"\xff\xfb\x90\x00", "audio/mpeg"),
        (b"\xff\xf1\x50\x80", "audio/aac"),
        (b"\x00\x00\x00\x20ftypM4A \x00", "audio/mp4"),
        (b"OggS\x00\x02", "audio/ogg"),
        (b"RIFF\x00\x00WAVE", None),
        (b"<html>", None),
    ],
)
def test_sniff_audio(head: bytes, expected: str | None) -> None:
    assert sniff_audio(head) == expected


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        (b"WEBVTT\n\n00:00.000 --> 00:01.000\nXin chao", True),
        (b"\xef\xbb\xbfWEBVTT - title\n", True),
        (b"WEBVTTX\n", False),
        (b"1\n00:00:00,000 --> 00:00:01,000\nSRT", False),
    ],
)
def test_check_captions(data: bytes, ok: bool) -> None:
    if ok:
        check_captions(data)
    else:
        assert _code(lambda: check_captions(data)) == "invalid_captions"


def test_audio_is_stored_and_replaced(db: Any, store: Any, draft_tour: Any) -> None:
    stop = draft_tour.stops[0]
    ogg = b"OggS" + b"\x00" * 100
    row = set_audio(db, store, stop, "vi", io.BytesIO(ogg), b"WEBVTT\n", 1000)
    assert (row.content_type, store.read(row.audio_key)) == ("audio/ogg", ogg)
    assert store.read(row.captions_key) == b"WEBVTT\n"
    mp3 = b"ID3" + b"\x01" * 50
    set_audio(db, store, stop, "vi", io.BytesIO(mp3), None, 1000)
    assert [(a.locale, a.content_type, a.captions_key) for a in stop.audio] == [
        ("vi", "audio/mpeg", None)
    ]
    fake = io.BytesIO(b"<script>alert(1)</script>")
    assert _code(lambda: set_audio(db, store, stop, "vi", fake, None, 1000)) == "unsupported_audio"
    big = io.BytesIO(b"OggS" + b"\x00" * 2000)
    assert _code(lambda: set_audio(db, store, stop, "vi", big, None, 1000)) == "audio_too_large"


def test_poster_is_decoded_and_stored_as_webp(store: Any) -> None:
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGBA", (2048, 1024), (10, 20, 30, 255)).save(png, "PNG")
    key = store_poster(store, png.getvalue())
    assert key.startswith("posters/") and key.endswith(".webp")
    with Image.open(io.BytesIO(store.read(key))) as poster:
        assert (poster.format, poster.size) == ("WEBP", (1024, 512))
    assert _code(lambda: store_poster(store, b"GIF89a not really")) == "invalid_poster"


def test_stop_poster_is_preferred_in_the_document(db: Any, store: Any, draft_tour: Any) -> None:
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (64, 64)).save(png, "PNG")
    stop = draft_tour.stops[0]
    model_poster = stop.model.poster_key
    key = store_poster(store, png.getvalue())
    set_camera(db, stop, "0deg 75deg 2m", "0m 0m 0m", "30deg", key)
    document = tour_document(draft_tour)
    assert document["stops"][0]["poster"] == key
    assert document["stops"][0]["model"]["poster"] == key
    assert document["stops"][1]["poster"] is None
    assert document["stops"][1]["model"]["poster"] == model_poster
