"""Up-axis detection for scans exported Z-up (PLY, STL, OBJ).

Heuristic (conservative, glTF inputs are never guessed: glTF is Y-up by specification):
a model resting on a flat base has many downward-facing triangles at its lowest level.
For each candidate up axis (Y, Z) we measure the *support ratio*: the area of triangles
whose normal points down that axis (within ~18°) and which lie within 1% of the extent
above the minimum, divided by the bounding-box footprint across the two other axes.
We choose Z only when its support ratio is at least 0.05 and more than twice Y's;
otherwise Y (the glTF convention). A Stanford bunny (rounded base) stays Y-up; a teapot or
bottle scanned standing on a Z-up turntable is turned upright.
"""

from __future__ import annotations

import numpy as np

MIN_SUPPORT = 0.05
DOMINANCE = 2.0


def support_ratio(vertices: np.ndarray, faces: np.ndarray, axis: int) -> float:
    """Area of the flat base facing down ``axis`` divided by the footprint's area."""
    if len(faces) == 0:
        return 0.0
    tri = vertices[faces]
    cross = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    double_area = np.linalg.norm(cross, axis=1)
    valid = double_area > 0
    normal_axis = np.zeros(len(tri))
    normal_axis[valid] = cross[valid, axis] / double_area[valid]
    lo, hi = vertices.min(axis=0), vertices.max(axis=0)
    extent = hi - lo
    others = [a for a in range(3) if a != axis]
    footprint = extent[others[0]] * extent[others[1]]
    if footprint <= 0 or extent[axis] <= 0:
        return 0.0
    centre = tri[:, :, axis].mean(axis=1)
    base = (normal_axis < -0.95) & (centre <= lo[axis] + 0.01 * extent[axis])
    return float(double_area[base].sum() / 2.0 / footprint)


def detect_up_axis(vertices: np.ndarray, faces: np.ndarray) -> tuple[str, str]:
    """Return ("y" or "z", a short explanation) for a triangle mesh."""
    y = support_ratio(vertices, faces, 1)
    z = support_ratio(vertices, faces, 2)
    if z >= MIN_SUPPORT and z > DOMINANCE * y:
        return "z", f"flat base facing -Z (support {z:.3f} vs {y:.3f} for -Y)"
    return "y", f"no clear flat base facing -Z (support {z:.3f} vs {y:.3f} for -Y)"
