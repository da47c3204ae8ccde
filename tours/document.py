"""The tour document: a versioned JSON snapshot of a whole tour.

Translated fields sit beside each other as ``{locale: text}`` maps. A published
revision stores this document, so what tourists see never depends on the draft tables.
"""

from __future__ import annotations

from typing import Any

from tours.images import images_document
from tours.models import AssetKind, Hotspot, ModelAsset, Stop, Tour
from tours.panoramas import panorama_document, suggested_view
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


def _hotspot(hotspot: Hotspot) -> dict[str, Any]:
    """A hotspot on a model (surface point and normal) or in a panorama (direction, and the
    number of the stop it links to, counted from 1)."""
    texts = {
        "label": _by_locale(hotspot.texts, "label"),
        "body": _by_locale(hotspot.texts, "body"),
    }
    if hotspot.yaw is not None and hotspot.pitch is not None:
        link = hotspot.link_stop
        return {
            "yaw": hotspot.yaw,
            "pitch": hotspot.pitch,
            **texts,
            **({"link": link.position + 1} if link is not None else {}),
        }
    return {
        "position": hotspot.surface_position,
        "normal": hotspot.surface_normal,
        **texts,
        **({"view": hotspot.view} if hotspot.view else {}),
    }


def is_panorama(asset: ModelAsset | None) -> bool:
    """Whether ``asset`` is a 360° panorama (not a model)."""
    return asset is not None and asset.kind == AssetKind.PANORAMA


def _location(stop: Stop) -> dict[str, Any]:
    """``{"location": {...}}`` when the stop has a place on the ground, else nothing."""
    if stop.latitude is None or stop.longitude is None:
        return {}
    return {"location": {"latitude": stop.latitude, "longitude": stop.longitude}}


def stop_document(stop: Stop) -> dict[str, Any]:
    """One stop as a document fragment. A poster captured for the stop's camera view is
    preferred over the model's own poster; ``poster`` keeps the stop's own (or null).

    A panorama stop has ``"model": null``, its ``panorama`` and its start ``view``."""
    if is_panorama(stop.model):
        assert stop.model is not None
        return _panorama_stop_document(stop, stop.model)
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
        "audio": _audio(stop),
        "hotspots": [_hotspot(hotspot) for hotspot in stop.hotspots],
        **({"lighting": stop.lighting} if stop.lighting else {}),
        **({"posters": stop.posters} if stop.posters else {}),
        **({"ar": stop.ar_key} if stop.ar_key else {}),
        **_location(stop),
    }


def _audio(stop: Stop) -> dict[str, Any]:
    return {
        audio.locale: {
            "key": audio.audio_key,
            "type": audio.content_type,
            "captions": audio.captions_key,
            **rights_document(audio),
        }
        for audio in stop.audio
    }


def _panorama_stop_document(stop: Stop, asset: ModelAsset) -> dict[str, Any]:
    """A panorama stop: its panorama, start view, hotspots and links to other stops."""
    return {
        "title": _by_locale(stop.texts, "title"),
        "narration": _by_locale(stop.texts, "narration"),
        "model_alt": _by_locale(stop.texts, "model_alt"),
        "camera": {"orbit": "", "target": "", "field_of_view": ""},
        "poster": stop.poster_key,
        "model": None,
        "panorama": panorama_document(asset, rights_document(asset)),
        "view": dict(stop.panorama_view or suggested_view(asset.report)),
        "audio": _audio(stop),
        "hotspots": [_hotspot(hotspot) for hotspot in stop.hotspots],
        **({"posters": stop.posters} if stop.posters else {}),
        **_location(stop),
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
