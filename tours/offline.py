"""Offline tour packs: which stored blobs a phone needs to follow a tour without a network.

A saved tour holds, for the visitor's language, every stop's poster, its ``thumb`` level
(shown first) and its ``low`` level (the one the viewer uses offline), and the stop's audio
and captions. Pages and the viewer's scripts are added by the web layer, which knows URLs.
"""

from __future__ import annotations

from tours.catalogue import TourView

OFFLINE_LEVELS = ("thumb", "low")


def offline_media_keys(tour: TourView) -> list[str]:
    """The blob keys of ``tour`` (as presented in one language) a saved copy needs, in order."""
    keys: list[str] = []
    for stop in tour.stops:
        candidates = [stop.poster_key, *(stop.level_key(level) for level in OFFLINE_LEVELS)]
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
    """The size of the tour's models in a saved copy (posters and audio not counted)."""
    seen: set[str] = set()
    total = 0
    for stop in tour.stops:
        for level in OFFLINE_LEVELS:
            key = stop.level_key(level)
            info = next((v for v in stop.levels.values() if v.get("key") == key), None)
            if key and key not in seen and info:
                seen.add(key)
                total += int(info.get("bytes") or 0)
    return total
