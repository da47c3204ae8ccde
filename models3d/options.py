"""Limits and processing options (frozen dataclasses) with their defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from types import MappingProxyType
from typing import Any, Literal

LEVELS: tuple[str, ...] = ("thumb", "low", "medium", "high")

UpAxis = Literal["auto", "y", "z"]
Unit = Literal["m", "cm", "mm"]
UNIT_SCALE: Mapping[str, float] = MappingProxyType({"m": 1.0, "cm": 0.01, "mm": 0.001})


@dataclass(frozen=True)
class Limits:
    """Safety limits, all checked before expensive work."""

    max_upload_bytes: int = 1 << 30
    max_unpacked_bytes: int = 2 << 30
    max_archive_files: int = 2000
    max_triangles: int = 10_000_000
    max_vertices: int = 10_000_000
    max_texture_pixels: int = 8192 * 8192
    max_points: int = 1_000_000_000  # declared in a point cloud's header
    # Panoramas: the size of the upload (read from its header) and of the full sphere.
    max_panorama_width: int = 32768
    max_panorama_height: int = 16384
    # Text, XMP, EXIF, ICC and other metadata in one image (decompressed), in bytes.
    max_image_metadata_bytes: int = 16 << 20
    time_limit_s: float = 600.0
    memory_limit_bytes: int = 4 << 30


@dataclass(frozen=True)
class LevelBudget:
    """Budget of one level of detail; ``max_bytes`` None means no byte budget."""

    max_triangles: int
    max_texture_px: int
    max_bytes: int | None = None


DEFAULT_BUDGETS: Mapping[str, LevelBudget] = MappingProxyType(
    {
        "thumb": LevelBudget(20_000, 512, 200_000),
        "low": LevelBudget(100_000, 1024),
        "medium": LevelBudget(150_000, 2048),
        "high": LevelBudget(500_000, 4096),
    }
)


# Levels whose textures are KTX2 (Basis Universal, see models3d.basis): all of them. The
# viewer shows ``thumb`` first and then a larger level on every device, so the Basis
# transcoder is fetched in any case, and ``thumb``'s textures as RGBA8 would hold as much
# GPU memory as all of ``low``'s in KTX2.
DEFAULT_KTX2_LEVELS: tuple[str, ...] = LEVELS


# Points per level of a point cloud (voxel-grid subsampling, see models3d.voxels).
DEFAULT_POINT_BUDGETS: Mapping[str, int] = MappingProxyType(
    {"thumb": 100_000, "low": 500_000, "medium": 2_000_000, "high": 8_000_000}
)


@dataclass(frozen=True)
class ProcessOptions:
    """How to normalise the model and what to produce."""

    up_axis: UpAxis = "auto"
    unit: Unit = "m"
    limits: Limits = field(default_factory=Limits)
    budgets: Mapping[str, LevelBudget] = field(default_factory=lambda: DEFAULT_BUDGETS)
    poster_px: int = 512
    poster_max_bytes: int = 60_000
    point_budgets: Mapping[str, int] = field(default_factory=lambda: DEFAULT_POINT_BUDGETS)
    ktx2_levels: tuple[str, ...] = DEFAULT_KTX2_LEVELS

    def __post_init__(self) -> None:
        if self.up_axis not in ("auto", "y", "z"):
            raise ValueError(f"up_axis must be auto, y or z, not {self.up_axis!r}")
        if self.unit not in UNIT_SCALE:
            raise ValueError(f"unit must be m, cm or mm, not {self.unit!r}")
        if set(self.budgets) != set(LEVELS):
            raise ValueError(f"budgets must have exactly the levels {LEVELS}")
        if not set(self.ktx2_levels) <= set(LEVELS):
            raise ValueError(f"ktx2_levels must be among the levels {LEVELS}")
        object.__setattr__(self, "ktx2_levels", tuple(self.ktx2_levels))
        if set(self.point_budgets) != set(LEVELS):
            raise ValueError(f"point_budgets must have exactly the levels {LEVELS}")
        object.__setattr__(self, "budgets", MappingProxyType(dict(self.budgets)))
        object.__setattr__(self, "point_budgets", MappingProxyType(dict(self.point_budgets)))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able form of the options (see :meth:`from_dict`)."""
        return {
            "up_axis": self.up_axis,
            "unit": self.unit,
            "limits": asdict(self.limits),
            "budgets": {k: asdict(v) for k, v in self.budgets.items()},
            "poster_px": self.poster_px,
            "poster_max_bytes": self.poster_max_bytes,
            "point_budgets": dict(self.point_budgets),
            "ktx2_levels": list(self.ktx2_levels),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProcessOptions:
        """Rebuild options from :meth:`to_dict` output."""
        return cls(
            up_axis=data["up_axis"],
            unit=data["unit"],
            limits=Limits(**data["limits"]),
            budgets={k: LevelBudget(**v) for k, v in data["budgets"].items()},
            poster_px=data["poster_px"],
            poster_max_bytes=data["poster_max_bytes"],
            point_budgets=data.get("point_budgets", DEFAULT_POINT_BUDGETS),
            ktx2_levels=tuple(data.get("ktx2_levels", DEFAULT_KTX2_LEVELS)),
        )


DEFAULT_LIMITS = Limits()
DEFAULT_OPTIONS = ProcessOptions()
