"""LAS and LAZ point clouds (laspy, LAZ decoded by lazrs), read in chunks.

The header is checked before any point is read: the declared count against the limit,
and for uncompressed LAS that the point records fit in the file. Colours are kept
(16-bit or 8-bit channels), intensity becomes grey when there are no colours. The
coordinate reference (WKT or GeoTIFF keys, see :mod:`models3d.formats.crs`) goes to the
report, and its linear unit gives the scale to metres.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from models3d.errors import ModelError
from models3d.formats.crs import crs_from_geokeys, crs_from_wkt
from models3d.formats.points import (
    CHUNK_POINTS,
    Chunk,
    PointSource,
    check_point_count,
    colour_scale,
    intensity_scale,
    intensity_to_grey,
    register_points,
)
from models3d.options import Limits

HEADER_BYTES = 375  # LAS 1.4 header; older versions are shorter
RGB = ("red", "green", "blue")
OUTSIDE_SHARE = 0.05  # of a chunk's points outside the header's bounds: damaged data


def _declared_count(head: bytes) -> int:
    """The point count a LAS header declares (1.4's 64-bit field when it is set)."""
    if len(head) < 227:
        raise ModelError("parse_error", {"reason": "LAS header is truncated"})
    legacy = int.from_bytes(head[107:111], "little")
    minor = head[25]
    if minor >= 4 and len(head) >= 255:
        return max(legacy, int.from_bytes(head[247:255], "little"))
    return legacy


def _laszip_vlr(path: Path, head: bytes) -> bytes:
    """The LASzip VLR's record data, parsed from the raw VLRs."""
    header_size = int.from_bytes(head[94:96], "little")
    vlr_count = int.from_bytes(head[100:104], "little")
    with path.open("rb") as fh:
        fh.seek(header_size)
        for _ in range(min(vlr_count, 10_000)):
            vlr = fh.read(54)
            if len(vlr) < 54:
                break
            user = vlr[2:18].rstrip(b"\0")
            record_id = int.from_bytes(vlr[18:20], "little")
            length = int.from_bytes(vlr[20:22], "little")
            body = fh.read(length)
            if user == b"laszip encoded" and record_id == 22204 and len(body) >= 16:
                return body
    raise ModelError("parse_error", {"reason": "LAZ file without its LASzip description"})


def check_chunk_table(path: Path, head: bytes, count: int) -> bool:
    """Refuse a LAZ whose chunk table cannot be right, before the decoder trusts it.

    The decoder allocates what the table's header declares; a corrupt count would make it
    ask for gigabytes and abort the process. The table must lie inside the file after the
    point data's start, have version 0, and list no more chunks than there are points
    (or, with fixed-size chunks, than the points fill) or bytes to hold them.

    Returns whether the table's entries are usable too (every chunk's byte count positive,
    and together exactly the compressed data): only then may the multi-thread decoder,
    which splits the data by those entries, be used. Otherwise the points are read in
    order, which needs no table.
    """
    import lazrs

    size = path.stat().st_size
    data_start = int.from_bytes(head[96:100], "little")
    vlr = _laszip_vlr(path, head)
    chunk_size = int.from_bytes(vlr[12:16], "little")
    with path.open("rb") as fh:
        fh.seek(data_start)
        offset = int.from_bytes(fh.read(8), "little", signed=True)
        if offset == -1:  # written by a streaming encoder: the offset is the file's last 8
            fh.seek(size - 8)
            offset = int.from_bytes(fh.read(8), "little", signed=True)
        if not data_start + 8 <= offset <= size - 8:
            raise ModelError(
                "parse_error", {"reason": "LAZ chunk table offset is outside the file"}
            )
        fh.seek(offset)
        table = fh.read(8)
    version = int.from_bytes(table[:4], "little")
    chunks = int.from_bytes(table[4:8], "little")
    most = count if chunk_size in (0, 0xFFFFFFFF) else -(-count // chunk_size)
    if version != 0 or chunks > min(most, offset - data_start - 8) or (count and chunks == 0):
        raise ModelError(
            "parse_error",
            {"reason": "LAZ chunk table is corrupt", "chunks": chunks, "version": version},
        )
    try:
        with path.open("rb") as fh:
            fh.seek(data_start)
            entries = lazrs.read_chunk_table(fh, lazrs.LazVlr(vlr))
    except Exception:  # unreadable entries: the points can still be read in order
        return False
    sizes = [int(e[1]) for e in entries or []]
    return bool(sizes) and min(sizes) > 0 and sum(sizes) == offset - data_start - 8


def _crs(header: Any) -> tuple[dict[str, Any], float]:
    """Coordinate reference and scale to metres from the (E)VLRs of a header."""
    records = list(header.vlrs) + list(getattr(header, "evlrs", None) or [])
    for vlr in records:
        if type(vlr).__name__ == "WktCoordinateSystemVlr":
            return crs_from_wkt(str(vlr.string))
    for vlr in records:
        if type(vlr).__name__ == "GeoKeyDirectoryVlr":
            keys = {int(k.id): int(k.value_offset) for k in vlr.geo_keys}
            ascii_params = next(
                (
                    " ".join(str(s) for s in v.strings)
                    for v in records
                    if type(v).__name__ == "GeoAsciiParamsVlr"
                ),
                "",
            )
            return crs_from_geokeys(keys, ascii_params)
    return {}, 1.0


def _check_inside(xyz: np.ndarray, mins: np.ndarray, maxs: np.ndarray, fmt: str) -> None:
    """Damaged compressed data decodes to points far outside the header's bounds."""
    slack = 1e-3 * float(np.max(maxs - mins)) + 0.01
    outside = ((xyz < mins - slack) | (xyz > maxs + slack)).any(axis=1)
    if len(xyz) and outside.mean() > OUTSIDE_SHARE:
        raise ModelError(
            "parse_error",
            {"reason": f"{fmt.upper()} points lie outside the header's bounds (damaged data)"},
        )


def _open(path: Path, fmt: str, parallel: bool = False) -> Any:
    """Open with lazrs; multi-threaded only when the chunk table was checked (the parallel
    decoder trusts its entries and panics, or aborts on a huge allocation, when they are
    garbage)."""
    import laspy

    backend = laspy.LazBackend.LazrsParallel if parallel else laspy.LazBackend.Lazrs
    try:
        return laspy.open(str(path), laz_backend=backend)
    except Exception as exc:
        raise ModelError("parse_error", {"reason": f"{fmt.upper()} header: {exc}"[:300]}) from exc


@register_points("las")
@register_points("laz")
def open_las(path: Path, limits: Limits) -> PointSource:
    """Open a LAS or LAZ file; nothing but the header and (E)VLRs is read here."""
    with path.open("rb") as fh:
        head = fh.read(HEADER_BYTES)
    check_point_count(_declared_count(head), limits)
    fmt = "laz" if head[104] & 0x80 else "las"
    parallel = fmt == "laz" and check_chunk_table(path, head, _declared_count(head))
    with _open(path, fmt) as reader:
        header = reader.header
        count = int(header.point_count)
        check_point_count(count, limits)
        if fmt == "las":
            needed = header.offset_to_point_data + count * header.point_format.size
            if needed > path.stat().st_size:
                raise ModelError(
                    "parse_error",
                    {"reason": "the LAS file is shorter than its header says", "points": count},
                )
        names = set(header.point_format.dimension_names)
        crs, unit_scale = _crs(header)
        mins, maxs = np.array(header.mins, float), np.array(header.maxs, float)
        version = f"{header.version.major}.{header.version.minor}"
    colour = "rgb" if set(RGB) <= names else "intensity" if "intensity" in names else "none"

    def chunks() -> Iterator[Chunk]:
        shift: int | None = None
        full_scale: float | None = None
        with _open(path, fmt, parallel) as reader:
            iterator = reader.chunk_iterator(CHUNK_POINTS)
            while True:
                try:
                    points = next(iterator)
                except StopIteration:
                    return
                except Exception as exc:
                    raise ModelError(
                        "parse_error", {"reason": f"{fmt.upper()} points: {exc}"[:300]}
                    ) from exc
                xyz = np.stack([points.x, points.y, points.z], axis=1).astype(np.float64)
                _check_inside(xyz, mins, maxs, fmt)
                rgb: np.ndarray | None = None
                if colour == "rgb":
                    raw = np.stack([np.asarray(points[c]) for c in RGB], axis=1)
                    shift = colour_scale(raw) if shift is None else shift
                    rgb = np.clip(raw >> shift, 0, 255).astype(np.uint8)
                elif colour == "intensity":
                    values = np.asarray(points.intensity)
                    full_scale = intensity_scale(values) if full_scale is None else full_scale
                    rgb = intensity_to_grey(values, full_scale)
                yield xyz, rgb

    return PointSource(
        format=fmt,
        count=count,
        bounds_min=mins,
        bounds_max=maxs,
        read_chunks=chunks,
        unit_scale=unit_scale,
        crs=crs,
        colour_source=colour,
        version=version,
    )
