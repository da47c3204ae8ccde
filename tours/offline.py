"""Offline tour packs: which stored blobs a phone needs to follow a tour without a network.

A saved tour holds, for the visitor's language, every stop's poster, its ``thumb`` level
(shown first) and its ``low`` level (the one the viewer uses offline), and the stop's audio
and captions. A panorama stop gives its ``preview`` image and the tiles of the levels a phone
uses (at most :data:`PHONE_PANORAMA_WIDTH` wide). Pages and the viewer's scripts are added by
the web layer, which knows URLs.
"""

from __future__ import annotations

from tours.catalogue import StopView, TourView
from tours.panoramas import tiles_bytes_estimate, tiles_up_to

OFFLINE_LEVELS = ("thumb", "low")
# The widest tile level a saved tour keeps: what the viewer fetches offline, on a small screen
# or a slow network ("low" in static/js/panorama-levels.js, PANORAMA_MAX_WIDTH).
PHONE_PANORAMA_WIDTH = 2048


def _panorama_keys(stop: StopView) -> list[str]:
    panorama = stop.panorama or {}
    preview = (panorama.get("preview") or {}).get("key")
    tiles = panorama.get("tiles")
    return [
        *([preview] if preview else []),
        *(tiles_up_to(tiles, PHONE_PANORAMA_WIDTH) if tiles else []),
    ]


def _panorama_bytes(stop: StopView) -> int:
    panorama = stop.panorama or {}
    tiles = panorama.get("tiles")
    total = int((panorama.get("preview") or {}).get("bytes") or 0)
    if tiles:
        total += tiles_bytes_estimate(tiles, tiles_up_to(tiles, PHONE_PANORAMA_WIDTH))
    return total


def offline_media_keys(tour: TourView) -> list[str]:
    """The blob keys of ``tour`` (as presented in one language) a saved copy needs, in order."""
    keys: list[str] = []
    for stop in tour.stops:
        candidates = [stop.poster_key, *(stop.level_key(level) for level in OFFLINE_LEVELS)]
        if stop.panorama:
            candidates += _panorama_keys(stop)
        posters = stop.posters or {}
        candidates += [posters[name] for name in sorted(posters) if not name.startswith("og-")]
        if stop.audio is not None:
            candidates += [stop.audio.key, stop.audio.captions_key]
        for key in candidates:
            if key and key not in keys:
                keys.append(key)
    keys += [key for key in tour.image_keys if key not in keys]  # pictures in the texts
    return keys


def offline_media_bytes(tour: TourView) -> int:
    """The size of the tour's models and panoramas in a saved copy (posters and audio not
    counted; a panorama's tiles estimated from the size of its whole set)."""
    seen: set[str] = set()
    total = 0
    for stop in tour.stops:
        if stop.panorama and stop.panorama.get("sha256") not in seen:
            seen.add(stop.panorama.get("sha256", ""))
            total += _panorama_bytes(stop)
        for level in OFFLINE_LEVELS:
            key = stop.level_key(level)
            info = next((v for v in stop.levels.values() if v.get("key") == key), None)
            if key and key not in seen and info:
                seen.add(key)
                total += int(info.get("bytes") or 0)
    return total
