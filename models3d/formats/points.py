"""Point-cloud input: a registry of readers that stream a scan in chunks of bounded size.

A reader opens a file, checks its header against :class:`models3d.options.Limits` before
reading any point, and returns a :class:`PointSource`: the declared count, the bounds, the
coordinate reference and a :meth:`PointSource.chunks` iterator of (positions, colours)
pairs. Positions are float64 in the file's own axes and units (the scale to metres is
``unit_scale``); colours are uint8 RGB, or None when the file has neither colours nor
intensity. Adding a format means adding a module that calls :func:`register_points`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from models3d.errors import ModelError
from models3d.notes import Notes
from models3d.options import Limits

# Points read per chunk: about 40 MB of float64 positions, whatever the file's size.
CHUNK_POINTS = 1_000_000
POINT_FORMATS = ("las", "laz", "e57", "ply_points")

Chunk = tuple[np.ndarray, np.ndarray | None]


@dataclass
class PointSource:
    """An opened point cloud, read chunk by chunk."""

    format: str
    count: int
    bounds_min: np.ndarray  # float64 (3,), file units
    bounds_max: np.ndarray
    read_chunks: Callable[[], Iterator[Chunk]]
    z_up: bool = True
    unit_scale: float = 1.0  # file units to metres
    crs: dict[str, Any] = field(default_factory=dict)
    colour_source: str = "none"  # "rgb", "intensity" or "none"
    notes: Notes = field(default_factory=Notes)
    version: str | None = None

    def chunks(self) -> Iterator[Chunk]:
        """Positions (n, 3) float64 and colours (n, 3) uint8 or None, chunk by chunk."""
        return self.read_chunks()


PointReader = Callable[[Path, Limits], PointSource]
_READERS: dict[str, PointReader] = {}


def register_points(name: str) -> Callable[[PointReader], PointReader]:
    """Decorator registering a point-cloud reader for format ``name``."""

    def wrap(reader: PointReader) -> PointReader:
        _READERS[name] = reader
        return reader

    return wrap


def open_points(path: Path, fmt: str, limits: Limits) -> PointSource:
    """Open ``path`` as point-cloud format ``fmt``; the header is checked, no point read."""
    reader = _READERS.get(fmt)
    if reader is None:
        raise ModelError("unsupported_format", {"format": fmt})
    return reader(path, limits)


def check_point_count(count: int, limits: Limits) -> None:
    """Refuse a declared point count above the limit (before reading anything)."""
    if count <= 0:
        raise ModelError("no_geometry", {"reason": "the point cloud declares no points"})
    if count > limits.max_points:
        raise ModelError("too_many_points", {"points": count, "max_points": limits.max_points})


def intensity_to_grey(intensity: np.ndarray, full_scale: float) -> np.ndarray:
    """Map intensities to grey RGB (n, 3) uint8, ``full_scale`` giving white."""
    grey = np.clip(intensity.astype(np.float32) * (255.0 / max(full_scale, 1.0)), 0, 255)
    return np.repeat(grey.astype(np.uint8)[:, None], 3, axis=1)


def intensity_scale(intensity: np.ndarray) -> float:
    """A full scale for intensities: the 99th percentile of a sample (robust to spikes)."""
    if len(intensity) == 0:
        return 1.0
    return float(max(np.percentile(intensity, 99.0), 1.0))


def colour_scale(channels: np.ndarray) -> int:
    """Right shift turning stored colour channels to 8 bits (LAS stores 16-bit or 8-bit)."""
    return 8 if channels.size and int(channels.max()) > 255 else 0
