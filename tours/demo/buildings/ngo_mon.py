"""Ngọ Môn, the Noon Gate: a U-shaped stone base with five gates, and Lầu Ngũ Phụng on top."""

from __future__ import annotations

import numpy as np

from tours.demo.shapes import (
    DARK_STONE,
    GILT,
    GREEN_TILES,
    RED_LACQUER,
    SHADOW,
    STONE,
    YELLOW_TILES,
    Assembly,
    box,
    prism,
    ridge,
    roof,
)

# Ngọ Môn: U-shaped base 57.77 m by 27.06 m, nearly 5 m high; Lầu Ngũ Phụng above.
NGO_MON_HALF_WIDTH = 57.77 / 2
NGO_MON_HALF_DEPTH = 27.06 / 2
NGO_MON_BASE = 5.0
NGO_MON_ARM = 12.0
NGO_MON_FRONT = -NGO_MON_HALF_DEPTH + 13.0  # front face of the central block, between the arms
NGO_MON_DOOR_SETBACK = 1.2


def _ngo_mon_base(model: Assembly) -> None:
    hw, hd, h = NGO_MON_HALF_WIDTH, NGO_MON_HALF_DEPTH, NGO_MON_BASE
    inner = hw - NGO_MON_ARM
    front = NGO_MON_FRONT
    # Three gates through the central block: the emperor's in the middle.
    gates = [(-1.8, 1.8, 4.0), (-7.9, -5.1, 3.4), (5.1, 7.9, 3.4)]
    edges = sorted([-inner, inner] + [x for g in gates for x in g[:2]])
    for x0, x1 in zip(edges[::2], edges[1::2], strict=True):
        model.add(STONE, box((x0, 0, -hd), (x1, h, front)))
    door_z = front - NGO_MON_DOOR_SETBACK
    for x0, x1, top in gates:
        model.add(STONE, box((x0, top, -hd), (x1, h, front)))
        model.add(RED_LACQUER, box((x0, 0, door_z - 0.2), (x1, top, door_z)))
        model.add(GILT, box((x0 - 0.25, top, front), (x1 + 0.25, top + 0.35, front + 0.08)))
    # The arms, each with a side gate (Tả / Hữu Dịch Môn) opening on its inner face.
    for sign in (-1.0, 1.0):
        outer_x, inner_x, niche_x = sign * hw, sign * inner, sign * (inner + 4.0)
        model.add(STONE, box(_lo(outer_x, niche_x, 0, -hd), _hi(outer_x, niche_x, h, hd)))
        model.add(STONE, box(_lo(niche_x, inner_x, 0, -hd), _hi(niche_x, inner_x, h, 4.0)))
        model.add(STONE, box(_lo(niche_x, inner_x, 0, 7.0), _hi(niche_x, inner_x, h, hd)))
        model.add(STONE, box(_lo(niche_x, inner_x, 3.2, 4.0), _hi(niche_x, inner_x, h, 7.0)))
        shadow_x = niche_x - sign * 0.05
        model.add(SHADOW, box(_lo(shadow_x, niche_x, 0, 4.0), _hi(shadow_x, niche_x, 3.2, 7.0)))
    # Parapet around the top.
    p, t = 0.9, 0.45
    parapet = [
        ((-inner, front - t), (inner, front)),
        ((-hw, -hd), (hw, -hd + t)),
        ((-hw, hd - t), (-inner, hd)),
        ((inner, hd - t), (hw, hd)),
        ((-hw, -hd), (-hw + t, hd)),
        ((hw - t, -hd), (hw, hd)),
        ((-inner - t, front), (-inner, hd)),
        ((inner, front), (inner + t, hd)),
    ]
    for (x0, z0), (x1, z1) in parapet:
        model.add(DARK_STONE, box((x0, h, z0), (x1, h + p, z1)))


def _lo(xa: float, xb: float, y: float, z: float) -> tuple[float, float, float]:
    return (min(xa, xb), y, z)


def _hi(xa: float, xb: float, y: float, z: float) -> tuple[float, float, float]:
    return (max(xa, xb), y, z)


def _pavilion_storeys(
    model: Assembly,
    centre: tuple[float, float],
    columns: tuple[np.ndarray, np.ndarray],
    floor: tuple[float, float],
    upper: tuple[float, float],
    skirt: tuple[float, float],
) -> float:
    """Floor, lower colonnade, green skirt roof and upper storey; returns the eave height."""
    cx, cz = centre
    y0 = NGO_MON_BASE
    model.add(
        DARK_STONE,
        box((cx - floor[0], y0, cz - floor[1]), (cx + floor[0], y0 + 0.35, cz + floor[1])),
    )
    for x in columns[0]:
        for z in columns[1]:
            model.add(RED_LACQUER, prism(0.22, y0 + 0.35, y0 + 4.2, 12, (cx + x, cz + z)))
    model.add(
        RED_LACQUER,
        box(
            (cx - floor[0] + 0.4, y0 + 4.2, cz - floor[1] + 0.4),
            (cx + floor[0] - 0.4, y0 + 4.55, cz + floor[1] - 0.4),
        ),
    )
    model.add(
        GREEN_TILES, roof(centre, skirt, (upper[0] + 0.1, upper[1] + 0.1), y0 + 3.9, 1.4, 0.5)
    )
    model.add(
        RED_LACQUER,
        box((cx - upper[0], y0 + 4.55, cz - upper[1]), (cx + upper[0], y0 + 7.2, cz + upper[1])),
    )
    return y0 + 7.0


def build() -> Assembly:
    """The model's parts, grouped by finish."""
    model = Assembly()
    _ngo_mon_base(model)
    # Lầu Ngũ Phụng, central body: open colonnade below, panelled centre, five roofs above.
    cz = (-NGO_MON_HALF_DEPTH + NGO_MON_FRONT) / 2
    cols = (np.linspace(-13.5, 13.5, 10), np.array([-4.6, -1.5, 1.5, 4.6]))
    eave = _pavilion_storeys(model, (0.0, cz), cols, (14.5, 5.6), (12.0, 3.6), (16.0, 6.3))
    model.add(
        RED_LACQUER, box((-4.5, NGO_MON_BASE + 0.35, cz - 3.5), (4.5, NGO_MON_BASE + 4.2, cz + 3.5))
    )
    model.add(YELLOW_TILES, roof((0.0, cz), (5.0, 5.4), (2.2, 0.12), eave + 0.2, 3.6, 0.6))
    ridge(YELLOW_TILES, model, 0.0, cz, 2.2, eave + 3.8)
    for sign in (-1.0, 1.0):
        for x, half, top, lift, rise in (
            (7.6, (3.0, 5.0), 1.2, 0.0, 3.0),
            (11.3, (2.4, 4.7), 0.9, -0.1, 2.5),
        ):
            model.add(GREEN_TILES, roof((sign * x, cz), half, (top, 0.12), eave + lift, rise, 0.45))
            ridge(GREEN_TILES, model, sign * x, cz, top, eave + lift + rise)
    # The two wing pavilions (Dực Lâu) on the arms, two roofs each.
    wing_z = (NGO_MON_FRONT + NGO_MON_HALF_DEPTH) / 2
    wing_x = NGO_MON_HALF_WIDTH - NGO_MON_ARM / 2
    cols = (np.array([-3.99, 0.0, 3.99]), np.linspace(-5.8, 5.8, 5))
    for sign in (-1.0, 1.0):
        centre = (sign * wing_x, wing_z)
        eave = _pavilion_storeys(model, centre, cols, (4.7, 6.1), (3.2, 5.0), (5.5, 6.5))
        for dz in (-2.9, 2.9):
            model.add(
                GREEN_TILES,
                roof((centre[0], wing_z + dz), (4.0, 2.9), (2.0, 0.12), eave - 0.2, 2.4, 0.4),
            )
            ridge(GREEN_TILES, model, centre[0], wing_z + dz, 2.0, eave + 2.2)
    return model
