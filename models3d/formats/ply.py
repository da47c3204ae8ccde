"""PLY input (binary and ASCII), vertex colours kept. Counts are checked from the header."""

from __future__ import annotations

import re
from pathlib import Path

from models3d.errors import ModelError
from models3d.formats.meshes import check_counts, to_model
from models3d.formats.registry import LoadContext, LoadedModel, register

_ELEMENT = re.compile(rb"^element\s+(\S+)\s+(\d+)\s*$")


def read_header_counts(path: Path) -> dict[str, int]:
    """Return the element counts declared in a PLY header (e.g. {"vertex": 8, "face": 12})."""
    with path.open("rb") as fh:
        head = fh.read(65536)
    end = head.find(b"end_header")
    if not head.startswith(b"ply") or end < 0:
        raise ModelError("parse_error", {"reason": "PLY header is missing or too long"})
    counts: dict[str, int] = {}
    for line in head[:end].splitlines():
        m = _ELEMENT.match(line.strip())
        if m:
            counts[m.group(1).decode("ascii", "replace")] = int(m.group(2))
    return counts


@register("ply")
def load_ply(path: Path, ctx: LoadContext) -> LoadedModel:
    """Load a PLY mesh; a PLY without faces (a point cloud) is ``no_geometry``."""
    import trimesh

    counts = read_header_counts(path)
    faces = counts.get("face", 0)
    if faces == 0:
        raise ModelError("no_geometry", {"reason": "the PLY file has no faces (point cloud?)"})
    check_counts(faces, counts.get("vertex", 0), ctx.limits)
    try:
        with path.open("rb") as fh:
            geometry = trimesh.load(fh, file_type="ply", process=False)
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError("parse_error", {"reason": f"PLY could not be read: {exc}"}) from exc
    return to_model(geometry, "ply", ctx.limits, [])
