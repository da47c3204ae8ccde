"""Cao Đỉnh, the largest of the Nine Dynastic Urns: a bronze tripod vessel with two handles."""

from __future__ import annotations

import numpy as np

from tours.demo.shapes import (
    BRONZE,
    STONE,
    Assembly,
    box,
    lathe,
    prism,
)

# Cao Đỉnh: 2.5 m from the feet to the top of the handles, on a low stone pedestal.
URN_PEDESTAL = 0.3
URN_BODY = [
    (0.0, 0.55),
    (0.30, 0.57),
    (0.55, 0.66),
    (0.70, 0.80),
    (0.78, 0.97),
    (0.80, 1.15),
    (0.78, 1.35),
    (0.73, 1.55),
    (0.67, 1.72),
    (0.66, 1.84),
    (0.73, 1.94),
    (0.77, 2.0),
    (0.71, 2.0),
    (0.63, 1.93),
    (0.60, 1.84),
    (0.61, 1.72),
    (0.67, 1.55),
    (0.72, 1.35),
    (0.74, 1.15),
    (0.72, 0.97),
    (0.64, 0.82),
    (0.50, 0.71),
    (0.28, 0.64),
    (0.0, 0.62),
    (0.0, 0.55),
]
URN_BANDS = (0.97, 1.35, 1.72)
URN_LEGS = (180.0, 60.0, -60.0)
URN_HANDLE_X = 0.74


def build() -> Assembly:
    """The model's parts, grouped by finish."""
    model = Assembly()
    base = URN_PEDESTAL
    model.add(STONE, box((-1.05, 0.0, -1.05), (1.05, base, 1.05)))
    body = [(r, y + base) for r, y in URN_BODY]
    model.add(BRONZE, lathe(body, 64))
    for y in URN_BANDS:  # raised bands that frame the rows of reliefs
        r = float(np.interp(y, [p[1] for p in URN_BODY[:12]], [p[0] for p in URN_BODY[:12]]))
        band = [
            (r - 0.02, base + y - 0.025),
            (r + 0.025, base + y - 0.025),
            (r + 0.025, base + y + 0.025),
            (r - 0.02, base + y + 0.025),
            (r - 0.02, base + y - 0.025),
        ]
        model.add(BRONZE, lathe(band, 64))
    for angle in URN_LEGS:
        a = np.radians(angle)
        centre = (0.5 * float(np.sin(a)), 0.5 * float(np.cos(a)))
        model.add(BRONZE, prism(0.14, base, base + 0.75, 16, centre=centre, top_radius=0.11))
    for sign in (-1.0, 1.0):
        x = sign * URN_HANDLE_X
        for z in (-0.2, 0.2):
            model.add(
                BRONZE, box((x - 0.05, base + 1.98, z - 0.05), (x + 0.05, base + 2.42, z + 0.05))
            )
        model.add(BRONZE, box((x - 0.05, base + 2.38, -0.26), (x + 0.05, base + 2.5, 0.26)))
    return model
