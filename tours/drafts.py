"""A draft tour as the studio API shows it: every field a program may edit, with the ids it
needs to address stops and hotspots. (Tourists read published revisions, :mod:`tours.document`.)
"""

from __future__ import annotations

from typing import Any

from tours.authoring import tour_languages
from tours.models import Hotspot, Stop, Tour
from tours.publishing import publish_problems


def _hotspot(hotspot: Hotspot) -> dict[str, Any]:
    return {
        "id": hotspot.id,
        "position": hotspot.surface_position or None,
        "normal": hotspot.surface_normal or None,
        "yaw": hotspot.yaw,
        "pitch": hotspot.pitch,
        "link_stop_id": hotspot.link_stop_id,
        "view": hotspot.view,
        "texts": {t.locale: {"label": t.label, "body": t.body} for t in hotspot.texts},
    }


def draft_stop(stop: Stop) -> dict[str, Any]:
    """One stop of a draft: its model, view, texts per language and hotspots."""
    return {
        "id": stop.id,
        "number": stop.position + 1,
        "model_id": stop.model_asset_id,
        "kind": stop.model.kind if stop.model is not None else None,
        "camera": {
            "orbit": stop.camera_orbit,
            "target": stop.camera_target,
            "field_of_view": stop.field_of_view,
        },
        "panorama_view": stop.panorama_view,
        "lighting": stop.lighting,
        "texts": {
            t.locale: {"title": t.title, "narration": t.narration, "model_alt": t.model_alt}
            for t in stop.texts
        },
        "audio": sorted(item.locale for item in stop.audio),
        "hotspots": [_hotspot(hotspot) for hotspot in stop.hotspots],
    }


def draft_document(tour: Tour) -> dict[str, Any]:
    """The whole draft of ``tour``, with what still stops it from being published."""
    return {
        "id": tour.id,
        "slug": tour.slug,
        "default_locale": tour.default_locale,
        "languages": tour_languages(tour),
        "latitude": tour.latitude,
        "longitude": tour.longitude,
        "rights": tour.rights,
        "published_revision": tour.published_number,
        "texts": {
            t.locale: {"title": t.title, "summary": t.summary, "site_name": t.site_name}
            for t in tour.texts
        },
        "stops": [draft_stop(stop) for stop in tour.stops],
        "problems": [
            {"code": p.code, "stop": p.stop, "locale": p.locale} for p in publish_problems(tour)
        ],
    }
