"""Posters of a stop drawn by the server at the stop's exact camera (a background job).

A panorama stop's posters are drawn from its ``equirect`` image at its start view
(``models3d.render_view``), in the same shapes and widths; it has no AR file.

When a stop's camera (or lighting) changes, its posters are cleared and this job draws them
again from the model's ``medium`` level (or the nearest level below): one per canvas shape
and width (``models3d.viewposter.POSTER_SHAPES``), for ``srcset`` and link previews. The
decoded level (no meshopt compression, no quantisation) is kept as the stop's AR file. A job
that finishes after the camera changed again throws its work away; the next one is queued.
"""

from __future__ import annotations

import io
import logging
import tempfile
from pathlib import Path
from typing import Any

from PIL import Image

import models3d
from models3d.camera import LIGHTING, parse_view
from models3d.viewposter import POSTER_SHAPES, decode_glb, stop_posters
from tours.ingest import IngestSettings
from tours.models import AssetKind, Stop
from tours.panoramas import suggested_view

log = logging.getLogger(__name__)
LEVELS_FOR_POSTERS = ("medium", "low", "thumb", "high")


def _signature(stop: Stop) -> list[Any]:
    return [
        stop.model_asset_id,
        stop.camera_orbit,
        stop.camera_target,
        stop.field_of_view,
        stop.framing,
        stop.lighting,
        stop.panorama_view,
    ]


def panorama_posters(equirect: Path, view: dict[str, float]) -> dict[str, bytes]:
    """The posters of a panorama stop at its start view, encoded like a model stop's: one
    rectilinear view per canvas shape, drawn at the largest width and reduced."""
    out: dict[str, bytes] = {}
    for shape, (width, height, widths) in POSTER_SHAPES.items():
        large = max(widths)
        image = models3d.render_view(
            equirect,
            view["yaw"],
            view["pitch"],
            view["fov"],
            large,
            round(height * large / width),
        ).convert("RGB")
        for each in widths:
            size = (each, round(height * each / width))
            sized = image if size == image.size else image.resize(size, Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            if shape == "og":
                sized.save(buffer, format="JPEG", quality=85)
            else:
                sized.save(buffer, format="WEBP", quality=80, method=4)
            out[f"{shape}-{each}"] = buffer.getvalue()
    return out


def _render_panorama(settings: IngestSettings, stop_id: int) -> str:
    """Draw a panorama stop's posters from its ``equirect`` image at the stop's view."""
    with settings.sessions() as session:
        stop = session.get(Stop, stop_id)
        if stop is None or stop.model is None or "equirect" not in stop.model.levels:
            return "skipped"
        key = stop.model.levels["equirect"]["key"]
        view = dict(stop.panorama_view or suggested_view(stop.model.report))
        signature = _signature(stop)
    with tempfile.TemporaryDirectory(prefix="heritour-posters-") as work:
        equirect = Path(work) / "equirect.jpg"
        with equirect.open("wb") as out:
            settings.store.copy_to(key, out)
        images = panorama_posters(equirect, view)
    return _keep(settings, stop_id, signature, images, None)


def _keep(
    settings: IngestSettings,
    stop_id: int,
    signature: list[Any],
    images: dict[str, bytes],
    ar_key: str | None,
) -> str:
    """Store the posters drawn for ``signature``; ``stale`` when the stop changed meanwhile."""
    keys = {}
    for name, data in images.items():
        jpeg = name.startswith("og-")
        keys[name] = settings.store.put_content(
            "posters",
            io.BytesIO(data),
            "jpg" if jpeg else "webp",
            "image/jpeg" if jpeg else "image/webp",
        )
    with settings.sessions() as session:
        stop = session.get(Stop, stop_id)
        if stop is None or _signature(stop) != signature:
            return "stale"
        stop.posters, stop.ar_key = keys, ar_key
        session.commit()
    log.info("stop %s: %d posters drawn", stop_id, len(keys))
    return "done"


def render_stop_posters(settings: IngestSettings, stop_id: int) -> str:
    """Draw and store the posters of one stop; returns ``done``, ``skipped`` (no model or no
    camera) or ``stale`` (the camera changed meanwhile)."""
    with settings.sessions() as session:
        stop = session.get(Stop, stop_id)
        if stop is None or stop.model is None or not stop.model.levels:
            return "skipped"
        if stop.model.kind == AssetKind.PANORAMA:
            session.close()
            return _render_panorama(settings, stop_id)
        view = parse_view(stop.camera_orbit, stop.camera_target, stop.field_of_view)
        if view is None:
            return "skipped"
        levels = stop.model.levels
        key = next(levels[name]["key"] for name in LEVELS_FOR_POSTERS if name in levels)
        signature, framing = _signature(stop), stop.framing
        base_color = LIGHTING.get(stop.lighting or "", {}).get("base_color")
    with tempfile.TemporaryDirectory(prefix="heritour-posters-") as work:
        doc, binary = decode_glb(settings.store.read(key), Path(work))
        # the same decoded file serves AR apps, which cannot read meshopt compression
        with (Path(work) / "plain.glb").open("rb") as plain:
            ar_key = settings.store.put_content("models", plain, "glb", "model/gltf-binary")
    images = stop_posters(doc, binary, view, framing, base_color)
    return _keep(settings, stop_id, signature, images, ar_key)
