"""Coloured building blocks for the demo monuments, and their assembly into one GLB.

Everything here is Y-up and in metres. A monument is an :class:`Assembly`: parts are added
with a :class:`Finish` (a PBR material), parts that share a finish become one mesh, and
:meth:`Assembly.to_glb` writes the scene as binary glTF with smooth normals split at hard
edges. The output depends only on the inputs, so the same monument gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import trimesh
from numpy.typing import NDArray
from trimesh.visual import TextureVisuals
from trimesh.visual.material import PBRMaterial

Point = tuple[float, float, float]
FloatArray = NDArray[np.float64]

_Z_TO_Y = trimesh.transformations.rotation_matrix(-np.pi / 2, [1.0, 0.0, 0.0])
_HARD_EDGE = np.radians(35.0)
NICHE_PROUD = 0.08


@dataclass(frozen=True)
class Finish:
    """A surface: its name in the glTF, sRGB colour, and PBR response."""

    name: str
    colour: str
    metallic: float = 0.0
    roughness: float = 0.8
    double_sided: bool = False

    def material(self) -> PBRMaterial:
        """The glTF metallic-roughness material, colour converted to linear."""
        srgb = np.array([int(self.colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5)])
        linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
        return PBRMaterial(
            name=self.name,
            baseColorFactor=[*linear.tolist(), 1.0],
            metallicFactor=self.metallic,
            roughnessFactor=self.roughness,
            doubleSided=self.double_sided,
        )


STONE = Finish("stone", "#a7a196", roughness=0.9)
DARK_STONE = Finish("dark-stone", "#6e6a62", roughness=0.9)
PLASTER = Finish("plaster", "#d9c9a3", roughness=0.85)
RED_LACQUER = Finish("red-lacquered-wood", "#8f1d14", roughness=0.45)
YELLOW_TILES = Finish("yellow-glazed-tiles", "#e0a526", roughness=0.35, double_sided=True)
GREEN_TILES = Finish("green-glazed-tiles", "#2f6b4a", roughness=0.35, double_sided=True)
GREY_TILES = Finish("grey-tiles", "#5b5955", roughness=0.7, double_sided=True)
BRONZE = Finish("bronze", "#6b5437", metallic=0.85, roughness=0.55)
GILT = Finish("gilt", "#c9a24a", metallic=1.0, roughness=0.35)
STEEL = Finish("painted-steel", "#b4bac0", metallic=0.6, roughness=0.4)
ASPHALT = Finish("road-deck", "#3b3b3b", roughness=0.95)
CONCRETE = Finish("weathered-concrete", "#6d6a63", roughness=0.95)
SHADOW = Finish("opening", "#1c1915", roughness=1.0)


class Assembly:
    """Parts of one monument, grouped by finish, in the order they were first used."""

    def __init__(self) -> None:
        self._finishes: dict[str, Finish] = {}
        self._parts: dict[str, list[trimesh.Trimesh]] = {}

    def add(self, finish: Finish, *meshes: trimesh.Trimesh) -> None:
        """Add meshes that share one finish."""
        self._finishes.setdefault(finish.name, finish)
        self._parts.setdefault(finish.name, []).extend(meshes)

    def meshes(self) -> dict[str, trimesh.Trimesh]:
        """One mesh per finish, with the parts joined."""
        joined = {}
        for name, parts in self._parts.items():
            mesh = trimesh.util.concatenate(parts)
            assert isinstance(mesh, trimesh.Trimesh)
            mesh.update_faces(mesh.nondegenerate_faces())
            mesh.remove_unreferenced_vertices()
            joined[name] = mesh
        return joined

    def to_glb(self) -> bytes:
        """The assembly as binary glTF 2.0: one node and one material per finish."""
        scene = trimesh.Scene()
        for name, mesh in self.meshes().items():
            shaded = trimesh.graph.smooth_shade(mesh, angle=_HARD_EDGE, facet_minarea=None)
            shaded.visual = TextureVisuals(material=self._finishes[name].material())
            scene.add_geometry(shaded, node_name=name, geom_name=name)
        glb: bytes = scene.export(file_type="glb", include_normals=True)
        return glb


def box(lo: Point, hi: Point) -> trimesh.Trimesh:
    """An axis-aligned box between two corners."""
    return trimesh.creation.box(bounds=np.array([lo, hi], dtype=float))


def beam(start: Point, end: Point, width: float, depth: float | None = None) -> trimesh.Trimesh:
    """A bar from ``start`` to ``end``: ``width`` across vertically, ``depth`` sideways.

    The sideways axis is kept horizontal, so sloping members (truss chords, stair rails)
    keep a level top face instead of twisting.
    """
    a, b = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    length = float(np.linalg.norm(b - a))
    along = (b - a) / length
    up = np.array([0.0, 1.0, 0.0])
    if abs(float(along @ up)) > 0.999:
        side = np.array([0.0, 0.0, 1.0])
    else:
        side = np.cross(along, up)
        side /= np.linalg.norm(side)
    across = np.cross(side, along)
    transform = np.eye(4)
    transform[:3, 0], transform[:3, 1], transform[:3, 2] = along, across, side
    transform[:3, 3] = (a + b) / 2.0
    bar = trimesh.creation.box(extents=[length, width, width if depth is None else depth])
    bar.apply_transform(transform)
    return bar


def lathe(
    profile: Sequence[tuple[float, float]],
    sections: int,
    centre: tuple[float, float] = (0.0, 0.0),
    turn: float = 0.0,
) -> trimesh.Trimesh:
    """A solid turned about a vertical axis from (radius, height) points.

    With ``sections=8`` and ``turn=22.5`` degrees the result is an octagon with a flat
    face towards +z. Close the profile (first point equal to the last) for a solid.
    """
    mesh = trimesh.creation.revolve(np.asarray(profile, dtype=float), sections=sections)
    mesh.apply_transform(_Z_TO_Y)
    if turn:
        mesh.apply_transform(
            trimesh.transformations.rotation_matrix(np.radians(turn), [0.0, 1.0, 0.0])
        )
    mesh.apply_translation([centre[0], 0.0, centre[1]])
    return mesh


def prism(
    radius: float,
    y0: float,
    y1: float,
    sections: int,
    centre: tuple[float, float] = (0.0, 0.0),
    turn: float = 0.0,
    top_radius: float | None = None,
) -> trimesh.Trimesh:
    """An upright prism or frustum (a cylinder when ``sections`` is large)."""
    top = radius if top_radius is None else top_radius
    profile = [(0.0, y0), (radius, y0), (top, y1), (0.0, y1), (0.0, y0)]
    return lathe(profile, sections, centre, turn)


def apothem(radius: float, sections: int) -> float:
    """Distance from the axis to the middle of a face of a regular prism."""
    return radius * float(np.cos(np.pi / sections))


def _roof_ring(hx: float, hz: float, per_side: int) -> FloatArray:
    """Points around a rectangle, counter-clockwise seen from above, as (u, v) in [-1, 1]."""
    s = np.linspace(-1.0, 1.0, per_side, endpoint=False)
    one = np.ones_like(s)
    sides = [(one, -s), (-s, -one), (-one, s), (s, one)]
    u = np.concatenate([side[0] for side in sides])
    v = np.concatenate([side[1] for side in sides])
    return np.column_stack([u * hx, v * hz, u, v])


def roof(
    centre: tuple[float, float],
    eave: tuple[float, float],
    top: tuple[float, float],
    y_eave: float,
    rise: float,
    upturn: float = 0.0,
    rings: int = 8,
    per_side: int = 10,
) -> trimesh.Trimesh:
    """A tiled roof from an eave rectangle up to a smaller top rectangle.

    ``eave`` and ``top`` are half sizes (x, z). A top with one half size near zero is a
    hipped roof with a ridge; a larger top leaves an opening, as for the lower skirt of a
    two-storey pavilion. The slope is concave (gentle at the eave, steeper near the top)
    and the corners turn up by ``upturn`` metres, as on Vietnamese imperial roofs.
    """
    rows = []
    for k in range(rings + 1):
        t = k / rings
        hx = eave[0] + (top[0] - eave[0]) * t
        hz = eave[1] + (top[1] - eave[1]) * t
        ring = _roof_ring(hx, hz, per_side)
        corner = (np.abs(ring[:, 2]) * np.abs(ring[:, 3])) ** 4
        y = y_eave + rise * (0.35 * t + 0.65 * t * t) + upturn * corner * (1.0 - t) ** 2
        rows.append(np.column_stack([ring[:, 0] + centre[0], y, ring[:, 1] + centre[1]]))
    vertices = np.vstack(rows)
    count = 4 * per_side
    faces = []
    for k in range(rings):
        for i in range(count):
            a, b = k * count + i, k * count + (i + 1) % count
            c, d = a + count, b + count
            faces.extend([(a, b, d), (a, d, c)])
    last = rings * count
    cap = [(last, last + i, last + i + 1) for i in range(1, count - 1)]
    return trimesh.Trimesh(vertices, np.array(faces + cap), process=False)


def steps(
    x_half: float,
    z_front: float,
    z_back: float,
    y0: float,
    y1: float,
    count: int,
) -> list[trimesh.Trimesh]:
    """A straight flight of ``count`` steps climbing from ``z_front`` towards ``z_back``."""
    run = (z_back - z_front) / count
    rise = (y1 - y0) / count
    flight = []
    for i in range(count):
        z_a, z_b = z_front + i * run, z_front + (i + 1) * run
        top = y0 + (i + 1) * rise
        flight.append(box((-x_half, y0, min(z_a, z_b)), (x_half, top, max(z_a, z_b))))
    return flight


def ridge(finish: Finish, model: Assembly, x: float, z: float, half: float, y: float) -> None:
    """A ridge beam along x on top of a hipped roof."""
    model.add(finish, box((x - half - 0.3, y - 0.15, z - 0.2), (x + half + 0.3, y + 0.35, z + 0.2)))


def arched_niche(
    face: float, y: float, width: float, height: float, angle: float
) -> list[trimesh.Trimesh]:
    """A dark arched niche standing proud of the octagon face that looks towards ``angle``."""
    spin = trimesh.transformations.rotation_matrix(np.radians(angle), [0.0, 1.0, 0.0])
    spring = y + height - width / 2
    panel = box((-width / 2, y, face), (width / 2, spring, face + NICHE_PROUD))
    arch = trimesh.creation.cylinder(width / 2, NICHE_PROUD, sections=16)
    arch.apply_translation([0.0, spring, face + NICHE_PROUD / 2])
    for part in (panel, arch):
        part.apply_transform(spin)
    return [panel, arch]
