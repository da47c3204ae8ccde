"""Texts have length limits, refused with stable codes in the editor's services and bundles."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from tours.authoring import (
    AuthoringError,
    create_tour,
    save_hotspot_text,
    save_stop_text,
    save_tour_text,
)
from tours.bundles import BundleLimits, bundle_bytes, check_manifest, import_bundle
from tours.models import Tour
from tours.textlimits import TEXT_LIMITS, TextTooLong, check_text, limit

LIMITS = BundleLimits(max_unpacked_bytes=50 * 1024 * 1024, max_files=100)


@pytest.mark.parametrize("field", sorted(TEXT_LIMITS))
def test_a_text_at_its_limit_fits_and_one_more_character_does_not(field: str) -> None:
    most, code = TEXT_LIMITS[field]
    assert check_text(field, "ế" * most) == "ế" * most
    with pytest.raises(TextTooLong) as raised:
        check_text(field, "ế" * (most + 1), locale="vi")
    assert raised.value.code == code
    assert raised.value.detail == {
        "field": field,
        "limit": most,
        "length": most + 1,
        "locale": "vi",
    }


def _code(action: Any) -> str:
    with pytest.raises(AuthoringError) as raised:
        action()
    return raised.value.code


@pytest.mark.backends
def test_the_editors_services_refuse_long_texts_and_keep_the_old_ones(
    db: Any, draft_tour: Any
) -> None:
    stop = draft_tour.stops[0]
    spot = stop.hotspots[0]
    long = lambda field: "x" * (limit(field) + 1)  # noqa: E731
    cases = [
        (lambda: save_tour_text(db, draft_tour, "en", long("title"), "", ""), "title_too_long"),
        (
            lambda: save_tour_text(db, draft_tour, "en", "T", long("summary"), ""),
            "summary_too_long",
        ),
        (
            lambda: save_tour_text(db, draft_tour, "en", "T", "", long("site_name")),
            "site_name_too_long",
        ),
        (lambda: save_stop_text(db, stop, "en", long("title"), "", ""), "title_too_long"),
        (
            lambda: save_stop_text(db, stop, "en", "T", long("narration"), ""),
            "stop_narration_too_long",
        ),
        (lambda: save_stop_text(db, stop, "en", "T", "", long("model_alt")), "model_alt_too_long"),
        (lambda: save_hotspot_text(db, spot, "en", long("label"), ""), "hotspot_label_too_long"),
        (lambda: save_hotspot_text(db, spot, "en", "L", long("body")), "hotspot_text_too_long"),
        (lambda: create_tour(db, "new-tour", "vi", long("title")), "title_too_long"),
    ]
    for action, code in cases:
        assert _code(action) == code
    db.expire_all()
    english = {text.locale: text for text in draft_tour.texts}["en"]
    assert (english.title, english.summary, english.site_name) == (
        "The Citadel",
        "A walk through.",
        "Hue",
    )
    assert {t.locale: t.narration for t in stop.texts}["en"] == "Narration of **The gate**."
    assert {t.locale: t.body for t in spot.texts}["en"] == "Tiled roof."
    assert db.query(Tour).filter_by(slug="new-tour").count() == 0
    save_stop_text(db, stop, "en", "T", "y" * limit("narration"), "")
    assert {t.locale: t.narration for t in stop.texts}["en"] == "y" * limit("narration")


def _bundle_with(store: Any, tour: Any, change: Any) -> io.BytesIO:
    source = zipfile.ZipFile(io.BytesIO(bundle_bytes(store, tour)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "bundle.json":
                manifest = json.loads(data)
                change(manifest["tour"])
                data = json.dumps(manifest).encode()
            target.writestr(info.filename, data)
    out.seek(0)
    return out


@pytest.mark.parametrize(
    ("change", "code", "where"),
    [
        (
            lambda t: t["stops"][1]["narration"].update(fr="n" * 20_001),
            "stop_narration_too_long",
            {"stop": 2, "locale": "fr"},
        ),
        (lambda t: t["summary"].update(en="s" * 2_001), "summary_too_long", {"locale": "en"}),
        (
            lambda t: t["stops"][0]["hotspots"][0]["body"].update(vi="b" * 5_001),
            "hotspot_text_too_long",
            {"stop": 1, "hotspot": 1, "locale": "vi"},
        ),
        (
            lambda t: t["stops"][0]["hotspots"][0]["label"].update(vi="l" * 121),
            "hotspot_label_too_long",
            {"stop": 1, "hotspot": 1, "locale": "vi"},
        ),
    ],
)
def test_bundles_with_long_texts_are_refused_with_the_fields_code(
    db: Any, store: Any, draft_tour: Any, change: Any, code: str, where: dict[str, Any]
) -> None:
    bundle = _bundle_with(store, draft_tour, change)
    with pytest.raises(AuthoringError) as raised:
        import_bundle(db, store, bundle, slug="copy", limits=LIMITS)
    assert raised.value.code == code
    assert where.items() <= raised.value.detail.items()
    assert db.query(Tour).filter_by(slug="copy").count() == 0


def test_the_bundle_schema_states_the_same_limits() -> None:
    from tours.bundles import bundle_schema

    defs = bundle_schema()["$defs"]
    stated = {
        "title": defs["shortTexts"],
        "site_name": defs["shortTexts"],
        "summary": defs["summaries"],
        "narration": defs["narrations"],
        "model_alt": defs["modelDescriptions"],
        "label": defs["labels"],
        "body": defs["hotspotTexts"],
    }
    for field, definition in stated.items():
        assert definition["additionalProperties"]["maxLength"] == limit(field), field


def test_a_malformed_document_is_left_to_the_schema() -> None:
    with pytest.raises(AuthoringError) as raised:
        check_manifest({"tour": {"title": "not a map", "stops": [None, {"hotspots": 3}]}})
    assert raised.value.code == "schema_invalid"
