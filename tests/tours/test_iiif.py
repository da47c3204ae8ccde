"""The IIIF Presentation 3 manifest made from a tour document: valid against the IIIF JSON
Schema, every language kept, rights in IIIF's form, model, poster, audio and panorama."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tours.iiif import (
    ManifestLinks,
    best_level_key,
    iiif_rights,
    manifest,
    plain_summary,
    stop_poster,
)

SITE = "https://tours.example"
BY = "https://creativecommons.org/licenses/by/4.0/"
LABELS = {
    "attribution": {"en": "Attribution", "vi": "Ghi công"},
    "site": {"en": "Site", "vi": "Địa điểm"},
    "source": {"en": "Source", "vi": "Nguồn"},
    "digitised": {"en": "Digitised", "vi": "Số hóa"},
}
LINKS = ManifestLinks(
    manifest=f"{SITE}/iiif/citadel/manifest.json",
    media=lambda key: f"{SITE}/media/{key}",
    pages={"vi": f"{SITE}/vi/tours/citadel/", "en": f"{SITE}/en/tours/citadel/"},
    data=f"{SITE}/api/v1/tours/citadel",
    labels=LABELS,
)
MODEL_STOP: dict[str, Any] = {
    "title": {"vi": "Cổng", "en": "The gate", "ja": "門"},
    "narration": {"vi": "Lời kể **Cổng**.", "en": "The *gate*.", "ja": "門の話。"},
    "model_alt": {"en": "A gate", "vi": "Một cổng"},
    "camera": {"orbit": "0deg 75deg 2m", "target": "", "field_of_view": ""},
    "poster": None,
    "model": {
        "levels": {"low": {"key": "models/low.glb"}, "medium": {"key": "models/med.glb"}},
        "poster": "posters/model.webp",
        "rights": {"statement": "http://rightsstatements.org/vocab/InC/1.0/", "attribution": "M"},
    },
    "audio": {
        "vi": {
            "key": "audio/vi.mp3",
            "type": "audio/mpeg",
            "captions": "captions/vi.vtt",
            "rights": {"statement": "https://creativecommons.org/publicdomain/zero/1.0/"},
        },
        "en": {"key": "audio/en.ogg", "type": "audio/ogg", "captions": None},
    },
    "posters": {"phone-412": "posters/p1.webp", "wide-637": "posters/w1.webp", "og-1200": "x.jpg"},
    "hotspots": [],
}
# A stop that shows a panorama, as the panorama work writes it: no model, a poster, and the
# equirectangular picture (other fields of the panorama are ignored).
PANORAMA_STOP: dict[str, Any] = {
    "title": {"vi": "Sân"},
    "narration": {"vi": "Sân rộng."},
    "model_alt": {},
    "camera": {"orbit": "", "target": "", "field_of_view": ""},
    "poster": "posters/view.webp",
    "model": None,
    "panorama": {
        "equirect": {"key": "panoramas/court.jpg", "bytes": 10},
        "preview": {"key": "panoramas/small.jpg", "bytes": 5},
        "tiles": {"set": "0" * 64, "levels": []},
        "width": 8192,
        "height": 4096,
        "rights": {"statement": BY, "attribution": "Pano team"},
    },
    "view": {"yaw": 0, "pitch": 0, "fov": 75},
    "audio": {},
    "hotspots": [],
}
DOCUMENT: dict[str, Any] = {
    "format": "heritour.tour",
    "version": 1,
    "slug": "citadel",
    "default_locale": "vi",
    "location": {"latitude": 16.47, "longitude": 107.58},
    "title": {"vi": "Kinh thành", "en": "The Citadel", "ja": "王城"},
    "summary": {"vi": "Một chuyến đi.", "en": "A walk."},
    "site_name": {"vi": "Huế", "en": "Hue"},
    "stops": [MODEL_STOP, PANORAMA_STOP],
    "images": {},
    "rights": {
        "statement": BY,
        "attribution": "Hue Centre",
        "source": "Scans",
        "digitised": "2024",
    },
}


def _painting(canvas: dict[str, Any]) -> Any:
    return canvas["items"][0]["items"][0]["body"]


def test_manifest_validates_against_the_iiif_schema(iiif_errors: Any) -> None:
    bare = copy.deepcopy(DOCUMENT)
    bare.pop("rights")
    for stop in bare["stops"]:
        stop["audio"], stop["posters"] = {}, {}
    assert iiif_errors([manifest(DOCUMENT, LINKS), manifest(bare, LINKS)]) == [[], []]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("rights",), BY),  # IIIF wants http:// Creative Commons URIs
        (("items", 0, "width"), "wide"),
        (("items", 0, "type"), "Page"),
        (("label",), {"en": "not a list"}),
        (("id",), "urn:x"),
    ],
)
def test_the_schema_refuses_a_broken_manifest(iiif_errors: Any, path: tuple, value: Any) -> None:
    broken = manifest(DOCUMENT, LINKS)
    target = broken
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert iiif_errors([broken])[0] != []


def test_texts_are_language_maps_in_every_language_of_the_tour() -> None:
    result = manifest(DOCUMENT, LINKS)
    assert result["label"] == {"en": ["The Citadel"], "ja": ["王城"], "vi": ["Kinh thành"]}
    assert result["summary"] == {"en": ["A walk."], "vi": ["Một chuyến đi."]}
    model_canvas, panorama_canvas = result["items"]
    assert model_canvas["label"] == {"en": ["The gate"], "ja": ["門"], "vi": ["Cổng"]}
    assert model_canvas["summary"] == {
        "en": ["The gate."],
        "ja": ["門の話。"],
        "vi": ["Lời kể Cổng."],
    }
    assert panorama_canvas["label"] == {"vi": ["Sân"]}
    site = result["metadata"][0]
    assert site == {
        "label": {"en": ["Site"], "vi": ["Địa điểm"]},
        "value": {"en": ["Hue"], "vi": ["Huế"]},
    }
    assert [entry["value"] for entry in result["metadata"][1:]] == [
        {"none": ["Scans"]},
        {"none": ["2024"]},
    ]


def test_rights_and_attribution_of_the_tour_and_of_each_resource() -> None:
    result = manifest(DOCUMENT, LINKS)
    assert result["rights"] == "http://creativecommons.org/licenses/by/4.0/"
    assert result["requiredStatement"] == {
        "label": {"en": ["Attribution"], "vi": ["Ghi công"]},
        "value": {"none": ["Hue Centre"]},
    }
    model = _painting(result["items"][0])["items"][0]
    assert model["rights"] == "http://rightsstatements.org/vocab/InC/1.0/"
    assert model["requiredStatement"]["value"] == {"none": ["M"]}
    equirect = _painting(result["items"][1])["items"][1]
    assert equirect["rights"] == "http://creativecommons.org/licenses/by/4.0/"


def test_a_model_stop_offers_the_best_level_then_the_poster() -> None:
    canvas = manifest(DOCUMENT, LINKS)["items"][0]
    assert (canvas["width"], canvas["height"]) == (637, 420)  # the widest stop poster
    body = _painting(canvas)
    assert body["type"] == "Choice"
    model, poster = body["items"]
    assert model["id"] == f"{SITE}/media/models/med.glb"
    assert (model["type"], model["format"]) == ("Model", "model/gltf-binary")
    assert model["label"] == {"en": ["A gate"], "vi": ["Một cổng"]}
    assert poster == {
        "id": f"{SITE}/media/posters/w1.webp",
        "type": "Image",
        "format": "image/webp",
        "width": 637,
        "height": 420,
    }
    assert canvas["thumbnail"] == [poster]
    assert canvas["items"][0]["items"][0]["target"] == canvas["id"]


def test_audio_and_captions_are_annotations_per_language() -> None:
    canvas = manifest(DOCUMENT, LINKS)["items"][0]
    [page] = canvas["annotations"]
    bodies = [(a["motivation"], a["body"]["type"], a["body"]["language"]) for a in page["items"]]
    assert bodies == [
        ("describing", "Sound", "en"),
        ("describing", "Sound", "vi"),
        ("supplementing", "Text", "vi"),
    ]
    sound = page["items"][1]["body"]
    assert sound["id"] == f"{SITE}/media/audio/vi.mp3" and sound["format"] == "audio/mpeg"
    assert sound["rights"] == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert page["items"][2]["body"]["format"] == "text/vtt"


def test_a_panorama_stop_shows_its_poster_then_its_equirectangular_picture() -> None:
    canvas = manifest(DOCUMENT, LINKS)["items"][1]
    assert "annotations" not in canvas
    poster, equirect = _painting(canvas)["items"]
    assert poster["id"] == f"{SITE}/media/posters/view.webp"
    assert equirect == {
        "id": f"{SITE}/media/panoramas/court.jpg",
        "type": "Image",
        "format": "image/jpeg",
        "width": 8192,
        "height": 4096,
        "rights": "http://creativecommons.org/licenses/by/4.0/",
        "requiredStatement": {
            "label": {"en": ["Attribution"], "vi": ["Ghi công"]},
            "value": {"none": ["Pano team"]},
        },
    }


def test_a_stop_with_only_a_poster_paints_the_poster_alone(iiif_errors: Any) -> None:
    document = copy.deepcopy(DOCUMENT)
    document["stops"] = [{**PANORAMA_STOP, "panorama": {"width": 10}}]
    result = manifest(document, LINKS)
    assert _painting(result["items"][0])["id"] == f"{SITE}/media/posters/view.webp"
    assert iiif_errors([result]) == [[]]


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        (BY, "http://creativecommons.org/licenses/by/4.0/"),
        (
            "https://creativecommons.org/publicdomain/zero/1.0/",
            "http://creativecommons.org/publicdomain/zero/1.0/",
        ),
        (
            "http://rightsstatements.org/vocab/NKC/1.0/",
            "http://rightsstatements.org/vocab/NKC/1.0/",
        ),
    ],
)
def test_iiif_rights(uri: str, expected: str) -> None:
    assert iiif_rights(uri) == expected


def test_plain_summary_drops_markup_and_cuts_long_narrations() -> None:
    assert (
        plain_summary("A **bold** [link](https://x.example) & <b>x</b>") == "A bold link & <b>x</b>"
    )
    assert plain_summary("<b>x</b> & y") == "<p>&lt;b&gt;x&lt;/b&gt; &amp; y</p>"
    long = plain_summary("word " * 200)
    assert len(long) <= 300 and long.endswith("word…")


def test_best_level_and_poster_choice() -> None:
    assert best_level_key({"thumb": {"key": "t"}, "high": {"key": "h"}}) == "h"
    assert best_level_key({}) is None and best_level_key(None) is None
    assert stop_poster(MODEL_STOP) == ("posters/w1.webp", 637, 420)
    assert stop_poster({**MODEL_STOP, "posters": {}}) == ("posters/model.webp", None, None)
    assert stop_poster({"model": None}) is None
