"""Recognisable models of five Huế monuments, generated from primitives, for the demo tour.

Each model is Y-up, in metres at roughly real-world scale, resting on y = 0 and centred on
x and z, with its front towards +z (the side model-viewer shows first). They are simplified
massing models, not surveys: proportions follow published dimensions where known.
:func:`build_monument` returns the same GLB bytes every time for the same name.
"""

from __future__ import annotations

from collections.abc import Callable

from tours.demo.buildings import cao_dinh, khai_dinh, ngo_mon, phuoc_duyen, truong_tien
from tours.demo.shapes import Assembly

MONUMENTS: tuple[str, ...] = ("ngo-mon", "phuoc-duyen", "cao-dinh", "truong-tien", "khai-dinh")

_BUILDERS: dict[str, Callable[[], Assembly]] = {
    "ngo-mon": ngo_mon.build,
    "phuoc-duyen": phuoc_duyen.build,
    "cao-dinh": cao_dinh.build,
    "truong-tien": truong_tien.build,
    "khai-dinh": khai_dinh.build,
}


class UnknownMonument(KeyError):
    """Raised for a name that is not in :data:`MONUMENTS`."""

    code = "unknown_monument"


def assemble_monument(name: str) -> Assembly:
    """The parts of the named monument, grouped by finish, before export."""
    try:
        builder = _BUILDERS[name]
    except KeyError:
        raise UnknownMonument(name) from None
    return builder()


def build_monument(name: str) -> bytes:
    """GLB bytes (binary glTF 2.0) of the named monument; the same bytes on every call."""
    return assemble_monument(name).to_glb()
