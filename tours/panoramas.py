"""360° panoramas in the blob store and in tour documents.

The pipeline (``models3d.panorama``) makes, from one upload, an equirectangular ``preview``
(1024 × 512), an ``equirect`` image (at most 8192 wide), a poster and a tile pyramid. The
two images go under ``panoramas/<sha256>.jpg``, the poster under ``posters/``. The tiles are
stored as one content-addressed *set*: ``tiles/<set>/<level>/<col>_<row>.jpg``, where
``<set>`` is the sha256 of the set's listing (one line ``<level>/<col>_<row>.jpg <sha256>``
per tile, sorted), so the same pyramid is stored once and a changed tile makes a new set.

A panorama stop's direction values are degrees: ``yaw`` 0 is the image's centre and grows
eastwards (to the right), ``pitch`` is up positive, ``fov`` the vertical field of view.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from tours.blobstore import IMMUTABLE, BlobStore, check_key

JPEG = "image/jpeg"
TILE_PREFIX = "tiles/"
DEFAULT_VIEW = {"yaw": 0.0, "pitch": 0.0, "fov": 75.0}
MIN_FOV, MAX_FOV = 30.0, 90.0  # what the viewer (static/js/panorama.js) allows
# A tile's path inside its set: level, column and row, as the pipeline names them.
TILE_PATH = re.compile(r"^(\d{1,2})/(\d{1,4})_(\d{1,4})\.jpg$")
_TILE_KEY = re.compile(r"^tiles/([0-9a-f]{64})/(\d{1,2}/\d{1,4}_\d{1,4}\.jpg)$")


def file_sha256(stream: IO[bytes]) -> str:
    """The sha256 of a stream, read to its end."""
    digest = hashlib.sha256()
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    return digest.hexdigest()


def set_hash(tiles: dict[str, str]) -> str:
    """The content hash of a tile set: ``tiles`` maps each tile's path to its sha256."""
    listing = "".join(f"{path} {tiles[path]}\n" for path in sorted(tiles))
    return hashlib.sha256(listing.encode()).hexdigest()


def tile_key(set_id: str, path: str) -> str:
    """The blob key of the tile at ``path`` (``<level>/<col>_<row>.jpg``) of set ``set_id``."""
    return check_key(f"{TILE_PREFIX}{set_id}/{path}")


def split_tile_key(key: str) -> tuple[str, str] | None:
    """``(set, path)`` of a tile's blob key, or None when ``key`` names no tile."""
    match = _TILE_KEY.match(key)
    return (match.group(1), match.group(2)) if match else None


def tile_paths(levels: list[dict[str, Any]]) -> list[str]:
    """Every tile path of a pyramid described by its ``levels`` (smallest first)."""
    return [
        f"{number}/{col}_{row}.jpg"
        for number, level in enumerate(levels)
        for row in range(int(level["rows"]))
        for col in range(int(level["cols"]))
    ]


def store_tiles(
    store: BlobStore, folder: Path, report: dict[str, Any], written: list[str]
) -> dict[str, Any]:
    """Store the pyramid in ``folder`` as a set; keys this call wrote go in ``written``.

    Returns the asset's ``tiles`` value. Every tile the report's levels promise must be
    there (a missing one is a bug of the pipeline: ``FileNotFoundError``).
    """
    levels = report["levels"]
    hashes: dict[str, str] = {}
    for path in tile_paths(levels):
        with (folder / path).open("rb") as stream:
            hashes[path] = file_sha256(stream)
    set_id = set_hash(hashes)
    total = 0
    for path in sorted(hashes):
        key = tile_key(set_id, path)
        total += (folder / path).stat().st_size
        if store.exists(key):
            continue
        with (folder / path).open("rb") as stream:
            store.put(key, stream, JPEG, IMMUTABLE)
        written.append(key)
    return {
        "set": set_id,
        "tile_size": report.get("tile_size"),
        "levels": [
            {"width": int(v["width"]), "cols": int(v["cols"]), "rows": int(v["rows"])}
            for v in levels
        ],
        "count": len(hashes),
        "bytes": total,
    }


def store_image(store: BlobStore, path: Path, written: list[str]) -> dict[str, Any]:
    """Store one equirectangular JPEG under ``panoramas/<sha256>.jpg``."""
    with path.open("rb") as stream:
        key, fresh = store.add_content("panoramas", stream, "jpg", JPEG)
    if fresh:
        written.append(key)
    return {"key": key, "bytes": path.stat().st_size}


def tile_set_keys(tiles: dict[str, Any] | None) -> list[str]:
    """Every blob key of an asset's (or a document's) tile set."""
    if not tiles:
        return []
    return [tile_key(tiles["set"], path) for path in tile_paths(tiles["levels"])]


def tiles_up_to(tiles: dict[str, Any], width: int) -> list[str]:
    """The tile keys of the levels at most ``width`` wide (at least the smallest level)."""
    levels = tiles["levels"]
    count = max(1, sum(1 for level in levels if int(level["width"]) <= width))
    return tile_set_keys({"set": tiles["set"], "levels": levels[:count]})


def tiles_bytes_estimate(tiles: dict[str, Any], keys: Iterable[str]) -> int:
    """About how many bytes ``keys`` of a set hold (tiles of one set are alike in size)."""
    count = max(1, int(tiles.get("count") or 1))
    return round(int(tiles.get("bytes") or 0) * len(list(keys)) / count)


def check_view(yaw: Any, pitch: Any, fov: Any = None) -> dict[str, float] | None:
    """A direction (and field of view) typed or sent by the viewer, normalised: yaw in
    (−180, 180], pitch in [−90, 90], fov in [30, 90]; None when something is not a number."""
    try:
        values = [float(yaw), float(pitch)] + ([float(fov)] if fov is not None else [])
    except (TypeError, ValueError):
        return None
    if not all(abs(value) < 1e6 for value in values):  # also refuses nan and inf
        return None
    yaw_n = 180.0 - (180.0 - values[0]) % 360.0  # in (−180, 180]: behind is 180
    if not -90.0 <= values[1] <= 90.0:
        return None
    view = {"yaw": round(yaw_n, 3) + 0.0, "pitch": round(values[1], 3) + 0.0}
    if fov is not None:
        if not MIN_FOV <= values[2] <= MAX_FOV:
            return None
        view["fov"] = round(values[2], 3)
    return view


def suggested_view(report: dict[str, Any] | None) -> dict[str, float]:
    """The start view the pipeline suggests for a panorama (its GPano initial view, or the
    centre of what a partial panorama covers), else :data:`DEFAULT_VIEW`."""
    view = ((report or {}).get("panorama") or {}).get("view") or {}
    checked = check_view(view.get("yaw"), view.get("pitch"), view.get("fov"))
    return checked or dict(DEFAULT_VIEW)


def panorama_document(asset: Any, rights: dict[str, Any]) -> dict[str, Any]:
    """What a tour needs to know about a panorama asset to show it (``asset`` is a
    :class:`tours.models.ModelAsset` of kind ``panorama``; ``rights`` its rights fragment)."""
    report = (asset.report or {}).get("panorama") or {}
    return {
        "name": asset.name,
        "sha256": asset.sha256,
        "preview": asset.levels.get("preview"),
        "equirect": asset.levels.get("equirect"),
        "tiles": asset.tiles,
        "poster": asset.poster_key,
        "width": report.get("width"),
        "height": report.get("height"),
        **rights,
    }


def panorama_keys(panorama: dict[str, Any] | None) -> set[str]:
    """Every blob key a document's panorama names, its tiles included."""
    if not panorama:
        return set()
    keys = {image["key"] for image in (panorama.get("preview"), panorama.get("equirect")) if image}
    keys.update(k for k in (panorama.get("poster"),) if k)
    keys.update(tile_set_keys(panorama.get("tiles")))
    return keys
