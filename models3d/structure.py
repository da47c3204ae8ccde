"""Structural checks of glTF JSON, made before any of our code walks the document.

The loaders embed resources, and the pipeline counts triangles and checks texture headers,
before the Khronos validator runs (validation is the expensive step, so cheap rejections
come first). Those walks index arrays with numbers taken from the file. So the parts they
read are checked here first: top-level arrays hold objects, every index is an integer
inside its array, offsets and lengths are integers, transforms have the right number of
numbers, nesting is shallow and numbers are finite. A problem raises ``invalid_gltf`` with
a JSON pointer (:class:`StructureError`, which keeps the document so the validator can be
asked to explain it). Everything else (semantics, data) is left to the validator.

:func:`reading_structure` is the safety net behind these checks: a crash while reading an
untrusted document becomes ``invalid_gltf`` instead of a traceback.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from models3d.errors import ModelError

log = logging.getLogger(__name__)

MAX_JSON_DEPTH = 64
TOP_LEVEL_ARRAYS = (
    "accessors",
    "animations",
    "buffers",
    "bufferViews",
    "cameras",
    "images",
    "materials",
    "meshes",
    "nodes",
    "samplers",
    "scenes",
    "skins",
    "textures",
)
COMPONENT_TYPES = frozenset({5120, 5121, 5122, 5123, 5125, 5126})
INDEX_COMPONENT_TYPES = frozenset({5121, 5123, 5125})
ACCESSOR_TYPES = frozenset({"SCALAR", "VEC2", "VEC3", "VEC4", "MAT2", "MAT3", "MAT4"})
TRANSFORMS = {"matrix": 16, "translation": 3, "rotation": 4, "scale": 3}
# Exceptions that reading malformed JSON structure raises (see reading_structure).
STRUCTURE_EXCEPTIONS = (IndexError, KeyError, TypeError, ValueError, AttributeError, RecursionError)


class StructureError(ModelError):
    """``invalid_gltf`` found by :func:`check_structure`; ``doc`` is the rejected document."""

    def __init__(self, pointer: str, reason: str, doc: Any) -> None:
        super().__init__("invalid_gltf", {"pointer": pointer, "reason": reason})
        self.doc = doc


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Checker:
    """Checks one document; every failure raises :class:`StructureError`."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def fail(self, pointer: str, reason: str) -> None:
        raise StructureError(pointer, reason, self.doc)

    def items(self, name: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.doc.get(name, [])
        return items

    def values(self) -> None:
        """Nesting depth and finite numbers, over the whole document."""
        stack: list[tuple[Any, int]] = [(self.doc, 1)]
        while stack:
            value, depth = stack.pop()
            if isinstance(value, dict | list):
                if depth > MAX_JSON_DEPTH:
                    self.fail("", f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep")
                children = value.values() if isinstance(value, dict) else value
                stack.extend((child, depth + 1) for child in children)
            elif isinstance(value, float) and not math.isfinite(value):
                self.fail("", "a number is too large to be represented")

    def arrays(self) -> None:
        for name in TOP_LEVEL_ARRAYS:
            items = self.doc.get(name, [])
            if not isinstance(items, list):
                self.fail(f"/{name}", f"{name} is not an array")
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    self.fail(f"/{name}/{i}", "not an object")
        for name in ("extensionsUsed", "extensionsRequired"):
            names = self.doc.get(name, [])
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                self.fail(f"/{name}", "not an array of extension names")

    def ref(self, value: Any, pointer: str, target: str) -> None:
        """``value`` is the index of an element of the top-level array ``target``."""
        count = len(self.items(target))
        if not _is_int(value) or not 0 <= value < count:
            self.fail(pointer, f"{value!r:.40} is not the index of one of the {count} {target}")

    def index(
        self, obj: dict[str, Any], key: str, at: str, target: str, required: bool = False
    ) -> None:
        """``obj[key]``, when present, is the index of an element of ``target``."""
        if key in obj:
            self.ref(obj[key], f"{at}/{key}", target)
        elif required:
            self.fail(f"{at}/{key}", "missing")

    def integer(
        self, obj: dict[str, Any], key: str, at: str, minimum: int = 0, required: bool = False
    ) -> None:
        if key not in obj:
            if required:
                self.fail(f"{at}/{key}", "missing")
            return
        if not _is_int(obj[key]) or obj[key] < minimum:
            self.fail(f"{at}/{key}", f"{obj[key]!r:.40} is not an integer of at least {minimum}")

    def child(self, obj: dict[str, Any], key: str, at: str) -> dict[str, Any]:
        """``obj[key]`` as an object ({} when absent)."""
        value = obj.get(key, {})
        if not isinstance(value, dict):
            self.fail(f"{at}/{key}", "not an object")
        result: dict[str, Any] = value
        return result

    def index_list(self, obj: dict[str, Any], key: str, at: str, target: str) -> None:
        value = obj.get(key, [])
        if not isinstance(value, list):
            self.fail(f"{at}/{key}", "not an array")
        for i, item in enumerate(value):
            self.ref(item, f"{at}/{key}/{i}", target)

    def scenes(self) -> None:
        self.index(self.doc, "scene", "", "scenes")
        for s, scene in enumerate(self.items("scenes")):
            self.index_list(scene, "nodes", f"/scenes/{s}", "nodes")

    def nodes(self) -> None:
        for n, node in enumerate(self.items("nodes")):
            at = f"/nodes/{n}"
            self.index_list(node, "children", at, "nodes")
            self.index(node, "mesh", at, "meshes")
            self.index(node, "skin", at, "skins")
            self.index(node, "camera", at, "cameras")
            for key, length in TRANSFORMS.items():
                value = node.get(key)
                if value is not None and (
                    not isinstance(value, list)
                    or len(value) != length
                    or not all(_is_number(x) for x in value)
                ):
                    self.fail(f"{at}/{key}", f"not an array of {length} numbers")

    def meshes(self) -> None:
        for m, mesh in enumerate(self.items("meshes")):
            primitives = mesh.get("primitives", [])
            if not isinstance(primitives, list):
                self.fail(f"/meshes/{m}/primitives", "not an array")
            for p, prim in enumerate(primitives):
                at = f"/meshes/{m}/primitives/{p}"
                if not isinstance(prim, dict):
                    self.fail(at, "not an object")
                attributes = self.child(prim, "attributes", at)
                for name in attributes:
                    self.index(attributes, name, f"{at}/attributes", "accessors")
                self.index(prim, "indices", at, "accessors")
                self.index(prim, "material", at, "materials")
                mode = prim.get("mode", 4)
                if not _is_int(mode) or not 0 <= mode <= 6:
                    self.fail(f"{at}/mode", f"{mode!r:.40} is not a primitive mode (0 to 6)")
                targets = prim.get("targets", [])
                if not isinstance(targets, list) or not all(isinstance(t, dict) for t in targets):
                    self.fail(f"{at}/targets", "not an array of objects")
                for t, target in enumerate(targets):
                    for name in target:
                        self.index(target, name, f"{at}/targets/{t}", "accessors")

    def accessors(self) -> None:
        for a, acc in enumerate(self.items("accessors")):
            at = f"/accessors/{a}"
            self.index(acc, "bufferView", at, "bufferViews")
            self.integer(acc, "byteOffset", at)
            self.integer(acc, "count", at, 1, required=True)
            if acc.get("componentType") not in COMPONENT_TYPES:
                self.fail(f"{at}/componentType", "missing or not a component type")
            if acc.get("type") not in ACCESSOR_TYPES:
                self.fail(f"{at}/type", "missing or not an accessor type")
            if "sparse" not in acc:
                continue
            sparse = self.child(acc, "sparse", at)
            self.integer(sparse, "count", f"{at}/sparse", 1, required=True)
            for part in ("indices", "values"):
                block = self.child(sparse, part, f"{at}/sparse")
                self.index(block, "bufferView", f"{at}/sparse/{part}", "bufferViews", True)
                self.integer(block, "byteOffset", f"{at}/sparse/{part}")
            indices = sparse.get("indices", {})
            if indices.get("componentType") not in INDEX_COMPONENT_TYPES:
                self.fail(f"{at}/sparse/indices/componentType", "not an index component type")

    def buffers(self) -> None:
        for v, view in enumerate(self.items("bufferViews")):
            at = f"/bufferViews/{v}"
            self.index(view, "buffer", at, "buffers", required=True)
            self.integer(view, "byteOffset", at)
            self.integer(view, "byteLength", at, required=True)
            self.integer(view, "byteStride", at, 1)
            extensions = self.child(view, "extensions", at)
            if "EXT_meshopt_compression" in extensions:
                meshopt = self.child(extensions, "EXT_meshopt_compression", f"{at}/extensions")
                ext_at = f"{at}/extensions/EXT_meshopt_compression"
                self.index(meshopt, "buffer", ext_at, "buffers", required=True)
                for key in ("byteOffset", "byteLength", "byteStride", "count"):
                    self.integer(meshopt, key, ext_at)
        for b, buffer in enumerate(self.items("buffers")):
            at = f"/buffers/{b}"
            self.integer(buffer, "byteLength", at)
            if not isinstance(buffer.get("uri", ""), str):
                self.fail(f"{at}/uri", "not a string")
            extensions = self.child(buffer, "extensions", at)
            self.child(extensions, "EXT_meshopt_compression", f"{at}/extensions")

    def images(self) -> None:
        for i, image in enumerate(self.items("images")):
            at = f"/images/{i}"
            self.index(image, "bufferView", at, "bufferViews")
            for key in ("uri", "mimeType"):
                if not isinstance(image.get(key, ""), str):
                    self.fail(f"{at}/{key}", "not a string")
        for t, texture in enumerate(self.items("textures")):
            at = f"/textures/{t}"
            self.index(texture, "source", at, "images")
            self.index(texture, "sampler", at, "samplers")
            extensions = self.child(texture, "extensions", at)
            for name, ext in extensions.items():
                if isinstance(ext, dict):
                    self.index(ext, "source", f"{at}/extensions/{name}", "images")


def check_structure(doc: dict[str, Any]) -> None:
    """Check the parts of a glTF document that our code reads before the validator runs.

    Raises :class:`StructureError` (``invalid_gltf``) with a JSON pointer to the problem.
    """
    checker = _Checker(doc)
    checker.values()
    checker.arrays()
    checker.scenes()
    checker.nodes()
    checker.meshes()
    checker.accessors()
    checker.buffers()
    checker.images()


@contextmanager
def reading_structure(what: str) -> Iterator[None]:
    """Turn a crash while reading an untrusted glTF document into ``invalid_gltf``.

    A safety net only: :func:`check_structure` is meant to catch such documents first, so a
    hit here is logged as a warning (the check should learn about it).
    """
    try:
        yield
    except STRUCTURE_EXCEPTIONS as exc:
        log.warning("unchecked glTF structure problem while reading %s: %r", what, exc)
        raise ModelError(
            "invalid_gltf",
            {"reason": f"the {what} could not be read", "error": f"{type(exc).__name__}: {exc}"},
        ) from exc
