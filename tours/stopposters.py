"""Posters of a stop drawn by the server at the stop's exact camera (a background job).

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

from models3d.camera import LIGHTING, parse_view
from models3d.viewposter import decode_glb, stop_posters
from tours.ingest import IngestSettings
from tours.models import Stop

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
    ]


def render_stop_posters(settings: IngestSettings, stop_id: int) -> str:
    """Draw and store the posters of one stop; returns ``done``, ``skipped`` (no model or no
    camera) or ``stale`` (the camera changed meanwhile)."""
    with settings.sessions() as session:
        stop = session.get(Stop, stop_id)
        if stop is None or stop.model is None or not stop.model.levels:
            return "skipped"
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
