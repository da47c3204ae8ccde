"""Authoring services: tours, languages, stops and their order, camera, hotspots, matrix, media."""

from __future__ import annotations

import io
from collections.abc import Callable
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
from tours.stopmedia import check_captions, set_audio, store_poster


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
    ("kind", "expected"),
    [("mp3", "audio/mpeg"), ("aac", "audio/aac"), ("m4a", "audio/mp4"), ("ogg", "audio/ogg")],
)
def test_audio_is_recognised_by_decoding_it(narration_audio: Any, kind: str, expected: str) -> None:
    from tours.narrationaudio import check_audio

    audio = io.BytesIO(narration_audio(kind))
    assert check_audio(audio) == expected
    assert audio.tell() == 0  # left at its start, to be stored


def _damaged(good: bytes, keep_end: int = 0) -> bytes:
    """``good`` with its sound scrambled: all but its first 200 and last ``keep_end`` bytes
    (an M4A's index is at its end)."""
    end = len(good) - keep_end
    return good[:200] + bytes((byte * 7 + 13) % 256 for byte in good[200:end]) + good[end:]


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda audio: b"ID3\x04\x00" + bytes(2000), "unsupported_audio"),  # right first bytes
        (lambda audio: b"OggS\x00\x02" + bytes(2000), "unsupported_audio"),
        (lambda audio: b"\x00\x00\x00\x20ftypM4A " + bytes(2000), "unsupported_audio"),
        (lambda audio: b"<script>alert(1)</script>", "unsupported_audio"),
        (lambda audio: b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(2000), "unsupported_audio"),
        (lambda audio: _damaged(audio("ogg")), "unsupported_audio"),  # its pages break
        (lambda audio: audio("aac", 2.0)[:300], "audio_undecodable"),  # cut in its first frame
        (lambda audio: _damaged(audio("aac", 2.0)), "audio_undecodable"),
        (lambda audio: _damaged(audio("m4a", 2.0), keep_end=3000), "audio_undecodable"),
    ],
)
def test_audio_that_does_not_decode_is_refused(
    narration_audio: Any, make: Callable[[Any], bytes], code: str
) -> None:
    from tours.narrationaudio import check_audio

    assert _code(lambda: check_audio(io.BytesIO(make(narration_audio)))) == code


def test_audio_longer_than_the_limit_is_refused(
    narration_audio: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tours import narrationaudio

    monkeypatch.setattr(narrationaudio, "MAX_AUDIO_SECONDS", 2)
    assert narrationaudio.check_audio(io.BytesIO(narration_audio("mp3", 1.5))) == "audio/mpeg"
    long = io.BytesIO(narration_audio("mp3", 3.0))
    assert _code(lambda: narrationaudio.check_audio(long)) == "audio_too_long"


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


def test_audio_is_stored_and_replaced(
    db: Any, store: Any, draft_tour: Any, narration_audio: Any
) -> None:
    stop = draft_tour.stops[0]
    ogg = narration_audio("ogg")
    row = set_audio(db, store, stop, "vi", io.BytesIO(ogg), b"WEBVTT\n", 100_000)
    assert (row.content_type, store.read(row.audio_key)) == ("audio/ogg", ogg)
    assert store.read(row.captions_key) == b"WEBVTT\n"
    mp3 = narration_audio("mp3")
    set_audio(db, store, stop, "vi", io.BytesIO(mp3), None, 100_000)
    assert [(a.locale, a.content_type, a.captions_key) for a in stop.audio] == [
        ("vi", "audio/mpeg", None)
    ]
    fake = io.BytesIO(b"<script>alert(1)</script>")
    assert _code(lambda: set_audio(db, store, stop, "vi", fake, None, 1000)) == "unsupported_audio"
    big = io.BytesIO(narration_audio("ogg", 3.0))
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
