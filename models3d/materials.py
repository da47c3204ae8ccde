"""Material conversions applied at load so that current viewers draw the model right.

``KHR_materials_pbrSpecularGlossiness`` was archived by Khronos; three.js (and so
model-viewer) no longer reads it, and such materials show up wrong. Each spec-gloss
material is turned into metallic-roughness with the usual approximation (the one of the
Khronos/Microsoft converters): metallic is solved from the perceived brightness of the
diffuse and specular colours, base colour blends the diffuse and specular colours by
metallic, roughness is ``1 - glossiness``. The diffuse texture becomes the base colour
texture; the specular-glossiness texture is dropped (its glossiness factor is kept).
"""

from __future__ import annotations

import math
from typing import Any

from models3d.extensions import undeclare_extension

SPEC_GLOSS = "KHR_materials_pbrSpecularGlossiness"
DIELECTRIC_SPECULAR = 0.04
EPSILON = 1e-6


def _brightness(rgb: list[float]) -> float:
    r, g, b = rgb[:3]
    return math.sqrt(0.299 * r * r + 0.587 * g * g + 0.114 * b * b)


def solve_metallic(diffuse: float, specular: float, one_minus_specular_strength: float) -> float:
    """Metallic value that reproduces the given diffuse and specular brightness."""
    if specular < DIELECTRIC_SPECULAR:
        return 0.0
    a = DIELECTRIC_SPECULAR
    b = diffuse * one_minus_specular_strength / (1 - a) + specular - 2 * a
    c = a - specular
    d = max(b * b - 4 * a * c, 0.0)
    return min(max((-b + math.sqrt(d)) / (2 * a), 0.0), 1.0)


def metal_rough_from_spec_gloss(ext: dict[str, Any]) -> dict[str, Any]:
    """The ``pbrMetallicRoughness`` object that approximates a spec-gloss extension."""
    diffuse = [float(v) for v in ext.get("diffuseFactor", [1.0, 1.0, 1.0, 1.0])]
    specular = [float(v) for v in ext.get("specularFactor", [1.0, 1.0, 1.0])]
    glossiness = float(ext.get("glossinessFactor", 1.0))
    pbr: dict[str, Any] = {}
    if "diffuseTexture" in ext:
        # The texture carries the colour; treat the surface as a dielectric.
        metallic = 0.0
        base = diffuse[:3]
    else:
        one_minus = 1.0 - max(specular)
        metallic = solve_metallic(_brightness(diffuse), _brightness(specular), one_minus)
        from_diffuse = [
            d * one_minus / (1 - DIELECTRIC_SPECULAR) / max(1 - metallic, EPSILON)
            for d in diffuse[:3]
        ]
        from_specular = [
            (s - DIELECTRIC_SPECULAR * (1 - metallic)) / max(metallic, EPSILON) for s in specular
        ]
        blend = metallic * metallic
        base = [fd + (fs - fd) * blend for fd, fs in zip(from_diffuse, from_specular, strict=True)]
    pbr["metallicFactor"] = round(metallic, 6)
    colour = [round(min(max(c, 0.0), 1.0), 6) for c in base] + [diffuse[3]]
    if colour != [1.0, 1.0, 1.0, 1.0]:
        pbr["baseColorFactor"] = colour
    if "diffuseTexture" in ext:
        pbr["baseColorTexture"] = dict(ext["diffuseTexture"])
    pbr["roughnessFactor"] = round(min(max(1.0 - glossiness, 0.0), 1.0), 6)
    return pbr


def convert_spec_gloss(doc: dict[str, Any]) -> int:
    """Replace spec-gloss materials by metallic-roughness ones; returns how many changed.

    The extension is removed from ``extensionsUsed`` and ``extensionsRequired``.
    """
    converted = 0
    for mat in doc.get("materials", []):
        extensions = mat.get("extensions")
        if not isinstance(extensions, dict) or SPEC_GLOSS not in extensions:
            continue
        ext = extensions.pop(SPEC_GLOSS)
        if not extensions:
            del mat["extensions"]
        if isinstance(ext, dict):
            mat["pbrMetallicRoughness"] = metal_rough_from_spec_gloss(ext)
        converted += 1
    undeclare_extension(doc, SPEC_GLOSS)
    return converted
