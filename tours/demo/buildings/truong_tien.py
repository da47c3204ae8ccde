"""Trường Tiền bridge: six bowed steel truss spans on stone piers across the Perfume River."""

from __future__ import annotations

from tours.demo.shapes import (
    ASPHALT,
    STEEL,
    STONE,
    Assembly,
    beam,
    box,
    prism,
)

# Trường Tiền bridge: six steel spans of about 67 m, 402.6 m in all.
BRIDGE_SPAN = 67.0
BRIDGE_SPANS = 6
BRIDGE_HALF = BRIDGE_SPAN * BRIDGE_SPANS / 2
BRIDGE_DECK = 6.0
BRIDGE_TRUSS_Z = 3.2
BRIDGE_PANELS = 12
BRIDGE_CHORD = 0.45


def truss_top(u: float) -> float:
    """Height of the top chord's centre line at ``u`` (0 to 1) along a span."""
    return BRIDGE_DECK + 0.2 + 1.2 + 4.8 * (1.0 - (2.0 * u - 1.0) ** 2)


def _truss(model: Assembly, x0: float, z: float) -> None:
    bottom = BRIDGE_DECK + 0.2
    xs = [x0 + BRIDGE_SPAN * i / BRIDGE_PANELS for i in range(BRIDGE_PANELS + 1)]
    tops = [truss_top(i / BRIDGE_PANELS) for i in range(BRIDGE_PANELS + 1)]
    model.add(STEEL, beam((xs[0], bottom, z), (xs[-1], bottom, z), 0.5, 0.4))
    for i in range(BRIDGE_PANELS):
        model.add(STEEL, beam((xs[i], tops[i], z), (xs[i + 1], tops[i + 1], z), BRIDGE_CHORD))
        if i < BRIDGE_PANELS / 2:
            diagonal = ((xs[i], tops[i], z), (xs[i + 1], bottom, z))
        else:
            diagonal = ((xs[i + 1], tops[i + 1], z), (xs[i], bottom, z))
        model.add(STEEL, beam(*diagonal, 0.18))
    for x, top in zip(xs, tops, strict=True):
        model.add(STEEL, beam((x, bottom, z), (x, top, z), 0.4 if x in (xs[0], xs[-1]) else 0.22))


def build() -> Assembly:
    """The model's parts, grouped by finish."""
    model = Assembly()
    half, deck = BRIDGE_HALF, BRIDGE_DECK
    model.add(ASPHALT, box((-half, deck - 0.6, -3.0), (half, deck, 3.0)))
    for sign in (-1.0, 1.0):  # the outside walkways, with railings
        z0, z1 = sorted((sign * 3.55, sign * 5.3))
        model.add(ASPHALT, box((-half, deck - 0.3, z0), (half, deck - 0.1, z1)))
        rail_z = sign * 5.25
        model.add(STEEL, beam((-half, deck + 0.9, rail_z), (half, deck + 0.9, rail_z), 0.08))
    for s in range(BRIDGE_SPANS):
        x0 = -half + s * BRIDGE_SPAN
        for sign in (-1.0, 1.0):
            _truss(model, x0, sign * BRIDGE_TRUSS_Z)
            for i in range(BRIDGE_PANELS + 1):
                x = x0 + BRIDGE_SPAN * i / BRIDGE_PANELS
                model.add(
                    STEEL, beam((x, deck - 0.1, sign * 5.25), (x, deck + 0.9, sign * 5.25), 0.07)
                )
        for i in range(BRIDGE_PANELS + 1):
            u = i / BRIDGE_PANELS
            x, top = x0 + BRIDGE_SPAN * u, truss_top(u)
            if top > deck + 5.2:  # portal struts only where there is headroom
                model.add(STEEL, beam((x, top, -BRIDGE_TRUSS_Z), (x, top, BRIDGE_TRUSS_Z), 0.25))
    for k in range(BRIDGE_SPANS + 1):
        x = -half + k * BRIDGE_SPAN
        wide = 3.0 if k in (0, BRIDGE_SPANS) else 2.0
        model.add(STONE, box((x - wide, 0.0, -4.6), (x + wide, deck - 0.6, 4.6)))
        for z in (-4.6, 4.6):
            model.add(STONE, prism(wide, 0.0, deck - 0.6, 16, centre=(x, z)))
    return model
