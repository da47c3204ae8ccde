"""The tour document: a versioned JSON snapshot of a whole tour.

Translated fields sit beside each other as ``{locale: text}`` maps. A published
revision stores this document, so what tourists see never depends on the draft tables.
"""

from __future__ import annotations

from typing import Any

from tours.images import images_document
from tours.models import ModelAsset, Stop, Tour
from tours.rights import rights_document

FORMAT = "heritour.tour"
VERSION = 1


def _by_locale(rows: list[Any], field: str) -> dict[str, str]:
    return {row.locale: getattr(row, field) for row in rows if getattr(row, field)}


def model_document(asset: ModelAsset) -> dict[str, Any]:
    """What a tour needs to know about a model asset to show it."""
    report = asset.report or {}
    return {
        "name": asset.name,
        "sha256": asset.sha256,
        "levels": asset.levels,
        "poster": asset.poster_key,
        "bounds": report.get("bounds"),
        **rights_document(asset),
        # glTF is in metres by definition; other formats when the curator gave the unit
        "units_known": report.get("format") in ("gltf", "glb") or "unit" in (asset.options or {}),
    }


def _camera(stop: Stop) -> dict[str, Any]:
    """The stop's camera in model-viewer's notation, with the framed region when known."""
    camera: dict[str, Any] = {
        "orbit": stop.camera_orbit,
        "target": stop.camera_target,
        "field_of_view": stop.field_of_view,
    }
    if stop.framing:
        camera["framing"] = stop.framing
    return camera


def stop_document(stop: Stop) -> dict[str, Any]:
    """One stop as a document fragment. A poster captured for the stop's camera view is
    preferred over the model's own poster; ``poster`` keeps the stop's own (or null)."""
    model = model_document(stop.model) if stop.model else None
    if model is not None and stop.poster_key:
        model["poster"] = stop.poster_key
    return {
        "title": _by_locale(stop.texts, "title"),
        "narration": _by_locale(stop.texts, "narration"),
        "model_alt": _by_locale(stop.texts, "model_alt"),
        "camera": _camera(stop),
        "poster": stop.poster_key,
        "model": model,
        "audio": {
            audio.locale: {
                "key": audio.audio_key,
                "type": audio.content_type,
                "captions": audio.captions_key,
                **rights_document(audio),
            }
            for audio in stop.audio
        },
        "hotspots": [
            {
                "position": hotspot.surface_position,
                "normal": hotspot.surface_normal,
                "label": _by_locale(hotspot.texts, "label"),
                "body": _by_locale(hotspot.texts, "body"),
                **({"view": hotspot.view} if hotspot.view else {}),
            }
            for hotspot in stop.hotspots
        ],
        **({"lighting": stop.lighting} if stop.lighting else {}),
        **({"posters": stop.posters} if stop.posters else {}),
        **({"ar": stop.ar_key} if stop.ar_key else {}),
    }


def tour_document(tour: Tour) -> dict[str, Any]:
    """The whole tour as a document, ready to publish or export."""
    location = None
    if tour.latitude is not None and tour.longitude is not None:
        location = {"latitude": tour.latitude, "longitude": tour.longitude}
    return {
        "format": FORMAT,
        "version": VERSION,
        "slug": tour.slug,
        "default_locale": tour.default_locale,
        "location": location,
        "title": _by_locale(tour.texts, "title"),
        "summary": _by_locale(tour.texts, "summary"),
        "site_name": _by_locale(tour.texts, "site_name"),
        "stops": [stop_document(stop) for stop in tour.stops],
        "images": images_document(tour),
        **rights_document(tour),
    }


def document_locales(document: dict[str, Any]) -> list[str]:
    """Every language the tour's titles and narrations are written in, sorted."""
    tags = set(document["title"])
    for stop in document["stops"]:
        tags.update(stop["narration"])
    return sorted(tags)
