"""What was done to an upload on its way in: structured notes for the report.

Each note is ``{"code": ..., "detail": {...}}``. The code is stable; the web layer turns it
into a sentence in the curator's language (``detail`` fills in the figures). :data:`NOTES`
gives each code's meaning in English, for the command line and for readers of this code.
"""

from __future__ import annotations

from typing import Any

NOTES: dict[str, str] = {
    "glb_padding_repaired": "GLB chunks were not padded to 4 bytes; they were read as they are.",
    "glb_length_repaired": "The GLB header gave a wrong total length; the real one was used.",
    "glb_json_repaired": "The GLB's JSON chunk had stray bytes (NUL padding or a BOM); removed.",
    "buffer_length_repaired": "A buffer declared no or a wrong byteLength; its data was used.",
    "image_type_repaired": "An image had no or a wrong MIME type; it was read from its bytes.",
    "bounds_repaired": "POSITION accessors had no min/max; they were computed from the data.",
    "extensions_declared": "Extensions were used without being declared; they were declared.",
    "extension_list_repaired": "The list of extensions named one twice; repeats were removed.",
    "node_transforms_repaired": "Node transforms were contradictory or not normalised; repaired.",
    "animations_dropped": "The animations were broken (viewers skip them); they were left out.",
    "buffer_view_targets_repaired": "Buffer views had a wrong target; it was removed.",
    "normals_repaired": "Normals were not of unit length; they were normalised.",
    "tangents_repaired": "Tangents were not of unit length or had a wrong sign; repaired.",
    "accessor_bounds_repaired": "Accessor min/max values were wrong; they were recomputed.",
    "draco_decoded": "Draco-compressed meshes were decoded; levels are compressed anew.",
    "ktx2_decoded": "KTX2 (Basis Universal) textures were decoded for the levels.",
    "meshopt_decoded": "Meshopt-compressed data was decoded; levels are compressed anew.",
    "spec_gloss_converted": "Specular-glossiness materials were converted to metallic-roughness.",
    "companion_path_repaired": "A file was named by a path not in the upload; found by name.",
    "texture_converted": "A texture in BMP, GIF, TIFF or TGA was converted to PNG.",
    "texture_not_uploaded": "The texture file the model names was not uploaded.",
    "material_file_not_uploaded": "The material file (MTL) the model names was not uploaded.",
    "unused_uvs_dropped": "Texture coordinates without a texture were left out.",
    "point_cloud_recentred": "The scan was moved to the origin for viewing (offset recorded).",
    "point_cloud_units_converted": "The scan's coordinates were converted to metres (CRS unit).",
    "point_cloud_subsampled": "The levels keep a voxel-grid subsample of the scan's points.",
}


class Notes:
    """An ordered list of notes; the same note is recorded once."""

    def __init__(self) -> None:
        self._items: list[dict[str, Any]] = []

    def add(self, code: str, detail: dict[str, Any] | None = None) -> None:
        """Record note ``code`` (one of :data:`NOTES`) with JSON-able ``detail``."""
        if code not in NOTES:
            raise ValueError(f"unknown note code {code!r}")
        note = {"code": code, "detail": dict(detail or {})}
        if note not in self._items:
            self._items.append(note)

    def extend(self, other: Notes) -> None:
        """Add every note of ``other``."""
        for note in other.to_list():
            self.add(note["code"], note["detail"])

    def to_list(self) -> list[dict[str, Any]]:
        """The notes as JSON-able dicts, in the order they were made."""
        return [{"code": n["code"], "detail": dict(n["detail"])} for n in self._items]

    def __len__(self) -> int:
        return len(self._items)
