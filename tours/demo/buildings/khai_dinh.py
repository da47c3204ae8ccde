"""Khải Định's tomb (Ứng Lăng): terraces, stairways, the stele pavilion and Thiên Định palace."""

from __future__ import annotations

from tours.demo.shapes import (
    CONCRETE,
    DARK_STONE,
    GREY_TILES,
    SHADOW,
    STONE,
    Assembly,
    apothem,
    arched_niche,
    beam,
    box,
    prism,
    ridge,
    roof,
    steps,
)

# 117 m by 48.5 m on the slope of Châu Chữ mountain, climbing in three terraces.
TOMB_HALF_LENGTH = 117.0 / 2
TOMB_HALF_WIDTH = 48.5 / 2
TOMB_TERRACES = (4.8, 8.0, 13.0)
TOMB_STELE_RADIUS = 5.5  # Bi Đình stands on the axis at z = 0
TOMB_PORTICO_FRONT = -28.5
# Each terrace: half width, front z, stair half width, stair foot z, number of steps.
_TERRACES = (
    (TOMB_HALF_WIDTH, 50.5, 10.0, TOMB_HALF_LENGTH, 16),
    (20.0, 29.0, 8.0, 34.0, 11),
    (18.0, -22.0, 7.0, -14.0, 16),
)
_DRAGON_STAIRS = (0, 2)


def _terraces(model: Assembly) -> None:
    back = -TOMB_HALF_LENGTH
    bottoms = (0.0, *TOMB_TERRACES[:-1])
    for n, (half, front, stair, foot, count) in enumerate(_TERRACES):
        y0, y1 = bottoms[n], TOMB_TERRACES[n]
        model.add(CONCRETE, box((-half, y0, back), (half, y1, front)))
        model.add(CONCRETE, *steps(stair, foot, front, y0, y1, count))
        for sign in (-1.0, 1.0):
            # Parapets along the front (either side of the stair) and the sides.
            x0, x1 = sorted((sign * (stair + 1.0), sign * half))
            model.add(DARK_STONE, box((x0, y1, front - 0.5), (x1, y1 + 1.0, front)))
            x0, x1 = sorted((sign * half, sign * (half - 0.5)))
            model.add(DARK_STONE, box((x0, y1, back), (x1, y1 + 1.0, front)))
            if n in _DRAGON_STAIRS:  # dragon balustrades flank the stair
                x = sign * (stair + 0.5)
                model.add(DARK_STONE, beam((x, y0 + 1.2, foot - 0.7), (x, y1 + 1.2, front), 1.0))
                model.add(DARK_STONE, box((x - 0.5, y0, foot - 1.0), (x + 0.5, y0 + 1.6, foot)))


def _courtyard(model: Assembly) -> None:
    t1, t2, _ = TOMB_TERRACES
    for sign in (-1.0, 1.0):
        x = sign * 18.0  # side houses on the first terrace
        model.add(CONCRETE, box((x - 3.5, t1, 38.0), (x + 3.5, t1 + 3.7, 46.0)))
        model.add(GREY_TILES, roof((x, 42.0), (4.3, 4.8), (0.12, 2.5), t1 + 3.6, 2.2, 0.3))
        for column in (5.5, 8.5):  # the honour guard of stone mandarins and animals
            for z in (24.0, 20.5, 17.0, 13.5, 10.0):
                model.add(STONE, prism(0.4, t2, t2 + 1.45, 12, centre=(sign * column, z)))
                model.add(STONE, prism(0.22, t2 + 1.45, t2 + 1.85, 12, centre=(sign * column, z)))
        pillar = sign * 15.0  # obelisk-like pillars (trụ biểu)
        model.add(CONCRETE, box((pillar - 0.6, t2, 23.4), (pillar + 0.6, t2 + 12.0, 24.6)))
        cap = prism(
            0.85, t2 + 12.0, t2 + 13.0, 4, centre=(pillar, 24.0), turn=45.0, top_radius=0.05
        )
        model.add(CONCRETE, cap)
    # Bi Đình, the octagonal stele pavilion, open by an arch on every face.
    r = TOMB_STELE_RADIUS
    model.add(CONCRETE, prism(r, t2, t2 + 7.0, 8, turn=22.5))
    model.add(GREY_TILES, prism(r + 1.3, t2 + 7.0, t2 + 10.5, 8, turn=22.5, top_radius=0.5))
    for k in range(8):
        model.add(SHADOW, *arched_niche(apothem(r, 8), t2, 2.4, 4.6, 45.0 * k))


def _thien_dinh(model: Assembly) -> None:
    t3, front = TOMB_TERRACES[2], TOMB_PORTICO_FRONT
    model.add(CONCRETE, box((-15.0, t3, -55.0), (15.0, t3 + 8.0, front - 2.5)))
    model.add(CONCRETE, box((-5.5, t3, front - 2.5), (5.5, t3 + 10.0, front)))
    model.add(SHADOW, box((-1.6, t3, front), (1.6, t3 + 4.2, front + 0.08)))
    for x in (-5.0, -2.6, 2.6, 5.0):  # pilasters of the portico
        model.add(DARK_STONE, box((x - 0.3, t3, front), (x + 0.3, t3 + 10.0, front + 0.3)))
    for x in (-12.5, -9.0, 9.0, 12.5):  # side doorways of the main hall
        model.add(SHADOW, box((x - 0.8, t3, front - 2.5), (x + 0.8, t3 + 3.4, front - 2.42)))
    model.add(GREY_TILES, roof((0.0, -43.0), (16.5, 13.5), (8.0, 0.15), t3 + 8.0, 5.0, 0.8))
    model.add(GREY_TILES, roof((0.0, front - 1.3), (6.5, 2.6), (3.0, 0.12), t3 + 10.0, 2.6, 0.6))
    ridge(GREY_TILES, model, 0.0, -43.0, 8.0, t3 + 13.0)
    ridge(GREY_TILES, model, 0.0, front - 1.3, 3.0, t3 + 12.6)


def build() -> Assembly:
    """The model's parts, grouped by finish."""
    model = Assembly()
    _terraces(model)
    _courtyard(model)
    _thien_dinh(model)
    return model
