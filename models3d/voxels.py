"""Streaming voxel-grid subsampling with a point budget and bounded memory.

Points arrive chunk by chunk. Each is binned in a cubic grid anchored at the cloud's lower
bound and only the first point of each occupied voxel is kept (its real position and
colour, no averaging). When the kept points exceed the budget the voxel grows by
:data:`GROWTH` and the kept points are binned again, so memory never holds much more than
twice the budget, whatever the size of the input. The result is deterministic: same
points in the same order, same output.
"""

from __future__ import annotations

import numpy as np

AXIS_BITS = 21  # three axes packed in one int64 key
AXIS_CELLS = (1 << AXIS_BITS) - 1
GROWTH = 1.1


def voxel_keys(xyz: np.ndarray, origin: np.ndarray, voxel: float) -> np.ndarray:
    """One int64 key per point: its voxel's integer coordinates packed 21 bits each.

    Computed one axis at a time, so the temporaries are one column, not the whole array.
    """
    keys = np.zeros(len(xyz), np.int64)
    for axis in range(3):
        cells = np.subtract(xyz[:, axis], origin[axis], dtype=np.float64)
        cells /= voxel
        np.floor(cells, out=cells)
        np.clip(cells, 0, AXIS_CELLS, out=cells)
        keys |= cells.astype(np.int64) << (AXIS_BITS * (2 - axis))
    return keys


def _first_per_key(keys: np.ndarray) -> np.ndarray:
    """Indices of the first point of each distinct key, in input order.

    An unstable sort (several times faster than a stable one on int64) groups the keys;
    the smallest index of each group is the first point, so the result is the same.
    """
    if len(keys) == 0:
        return np.zeros(0, np.int64)
    order = np.argsort(keys)
    ordered = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    del ordered
    first = np.minimum.reduceat(order, starts)
    first.sort()
    return first


class VoxelSampler:
    """Keep at most ``budget`` points, one per voxel of the finest grid that allows it."""

    def __init__(
        self, budget: int, lower: np.ndarray, upper: np.ndarray, voxel: float | None = None
    ) -> None:
        self.budget = budget
        self.origin = np.asarray(lower, np.float64)
        size = np.maximum(np.asarray(upper, np.float64) - self.origin, 0.0)
        # The finest grid the 21-bit keys can address across the whole extent ...
        finest = max(float(size.max()), 1e-9) / AXIS_CELLS
        # ... or, larger, a quarter of the voxel at which a surface filling the bounding
        # box's faces would just meet the budget (scans are surfaces); merges refine it.
        area = float(size[0] * size[1] + size[1] * size[2] + size[2] * size[0])
        self.voxel = max(finest, voxel or (area / max(budget, 1)) ** 0.5 / 4)
        self._xyz: list[np.ndarray] = []
        self._rgb: list[np.ndarray] = []
        self._keys: list[np.ndarray] = []
        self._held = 0
        self.seen = 0

    def add(self, xyz: np.ndarray, rgb: np.ndarray) -> None:
        """Offer a chunk of points (float positions, uint8 colours)."""
        self.seen += len(xyz)
        keys = voxel_keys(xyz, self.origin, self.voxel)
        first = _first_per_key(keys)
        self._xyz.append(np.ascontiguousarray(xyz[first], np.float32))
        self._rgb.append(rgb[first])
        self._keys.append(keys[first])
        self._held += len(first)
        if self._held > 2 * self.budget:
            self._merge()

    def _merge(self) -> None:
        keys = np.concatenate(self._keys)
        self._keys = []
        first = _first_per_key(keys)
        keys = keys[first]
        xyz = np.concatenate(self._xyz)[first]
        self._xyz = []
        rgb = np.concatenate(self._rgb)[first]
        self._rgb = []
        del first
        while len(xyz) > self.budget:
            # A scan is a surface: points per voxel grow with its area, so the voxel grows
            # by the square root of the excess (at least GROWTH, to make progress).
            self.voxel *= max(GROWTH, (len(xyz) / self.budget) ** 0.5)
            keys = voxel_keys(xyz, self.origin, self.voxel)
            first = _first_per_key(keys)
            xyz, rgb, keys = xyz[first], rgb[first], keys[first]
        self._xyz, self._rgb, self._keys = [xyz], [rgb], [keys]
        self._held = len(xyz)

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        """The kept points (float32 positions, uint8 colours), at most ``budget``."""
        if not self._xyz:
            return np.zeros((0, 3), np.float32), np.zeros((0, 3), np.uint8)
        self._merge()
        return self._xyz[0], self._rgb[0]


def subsample(
    xyz: np.ndarray,
    rgb: np.ndarray,
    budget: int,
    lower: np.ndarray,
    upper: np.ndarray,
    voxel: float | None = None,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Voxel-subsample points held in memory; returns the points and the voxel size used.

    ``voxel`` is where the search starts (a little below the expected size saves passes).
    """
    sampler = VoxelSampler(budget, lower, upper, voxel)
    sampler.add(xyz, rgb)
    out_xyz, out_rgb = sampler.result()
    return out_xyz, out_rgb, sampler.voxel
