"""Phước Duyên, the seven-storey octagonal tower of Thiên Mụ pagoda."""

from __future__ import annotations

import numpy as np
import trimesh

from tours.demo.shapes import (
    BRONZE,
    DARK_STONE,
    GREY_TILES,
    PLASTER,
    SHADOW,
    STONE,
    Assembly,
    apothem,
    arched_niche,
    beam,
    box,
    lathe,
    prism,
)

# Phước Duyên tower: seven octagonal storeys on a two-step platform, about 21 m in all.
TOWER_PLATFORM = 0.9
TOWER_STOREYS = 7
TOWER_FINIAL = [
    (0.0, 0.0),
    (0.3, 0.0),
    (0.36, 0.3),
    (0.2, 0.55),
    (0.3, 0.8),
    (0.27, 1.05),
    (0.1, 1.25),
    (0.05, 1.55),
    (0.0, 1.65),
    (0.0, 0.0),
]


def tower_storey(i: int) -> tuple[float, float, float]:
    """Circumradius, bottom and top height of storey ``i`` (0 is the ground storey)."""
    radius = 3.0 - 0.2 * i
    bottom = TOWER_PLATFORM + sum(3.0 - 0.13 * k for k in range(i))
    return radius, bottom, bottom + 3.0 - 0.13 * i


def octagon(
    radius: float, y0: float, y1: float, top_radius: float | None = None
) -> trimesh.Trimesh:
    """An octagonal prism or frustum about the tower's axis, with a face towards +z."""
    return prism(radius, y0, y1, 8, turn=22.5, top_radius=top_radius)


def build() -> Assembly:
    """The model's parts, grouped by finish."""
    model = Assembly()
    model.add(STONE, octagon(5.8, 0.0, 0.45), octagon(5.0, 0.45, TOWER_PLATFORM))
    for k in range(8):  # a low railing round the platform's lower step
        a, b = np.radians(22.5 + 45.0 * k), np.radians(67.5 + 45.0 * k)
        start = (5.55 * float(np.sin(a)), 1.1, 5.55 * float(np.cos(a)))
        end = (5.55 * float(np.sin(b)), 1.1, 5.55 * float(np.cos(b)))
        model.add(STONE, beam(start, end, 0.14))
        model.add(
            DARK_STONE,
            box((start[0] - 0.14, 0.45, start[2] - 0.14), (start[0] + 0.14, 1.25, start[2] + 0.14)),
        )
    for i in range(TOWER_STOREYS):
        radius, bottom, top = tower_storey(i)
        wall_top = top - 0.35
        model.add(PLASTER, octagon(radius, bottom, wall_top))
        model.add(DARK_STONE, octagon(radius + 0.15, wall_top - 0.12, wall_top))
        model.add(GREY_TILES, octagon(radius + 0.65, wall_top, top, top_radius=radius - 0.05))
        face, wall = apothem(radius, 8), wall_top - 0.12 - bottom
        for k in range(8):
            door = i == 0 and k == 0
            width = 0.9 if door else 0.32 * radius
            height = (0.62 if door else 0.45) * wall
            model.add(SHADOW, *arched_niche(face, bottom + 0.2 * wall, width, height, 45.0 * k))
    radius, _, top = tower_storey(TOWER_STOREYS - 1)
    model.add(GREY_TILES, octagon(radius - 0.05, top, top + 0.55, top_radius=0.35))
    finial = [(r, y + top + 0.5) for r, y in TOWER_FINIAL]
    model.add(BRONZE, lathe(finial, 24))
    return model
