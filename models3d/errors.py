"""Errors raised by models3d: a stable code, a sentence a curator can act on, and details.

All curator-facing messages live in :data:`MESSAGES`, keyed by code, so the web layer can
translate them by code. Codes never change once published.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, str] = {
    "unsupported_format": (
        "This type of file is not supported. Upload a GLB file, a glTF with its files in a zip, "
        "an OBJ (with its MTL and textures in a zip), a PLY or an STL file, a laser scan "
        "(point cloud) as LAS, LAZ, E57 or PLY, or a 360° panorama as JPEG, PNG or WebP."
    ),
    "content_mismatch": (
        "The file name says one format but the contents are another. Check that you picked "
        "the right file, or export the model again with the correct extension."
    ),
    "parse_error": (
        "The file could not be read: it seems damaged or incomplete. Export the model again "
        "from your 3D software and upload the new file."
    ),
    "no_geometry": (
        "The file contains nothing to show (for example an empty scene, or only points in a "
        "glTF file). Export the model as a mesh with faces, or a scan as LAS, LAZ, E57 or PLY."
    ),
    "too_many_points": (
        "The point cloud has more points than allowed. Split the scan into parts, or thin it "
        "out in your scanning software, and upload it again."
    ),
    "file_too_large": (
        "The file is larger than the upload limit. Reduce the model (fewer triangles or "
        "smaller textures) and upload it again."
    ),
    "archive_too_large": (
        "The zip archive unpacks to too much data or holds too many files. Put only the model "
        "and its textures in the zip."
    ),
    "unsafe_path": (
        "The archive or the model points to a file outside its own folder, which is not "
        "allowed. Put all files in one folder, zip that folder again and upload it."
    ),
    "external_uri_not_allowed": (
        "The model refers to something outside the upload (a web address, a file elsewhere "
        "on a computer, or embedded data of an unsupported type). Export it as a single GLB "
        "file, or put all its files next to it in the zip."
    ),
    "missing_resource": (
        "The model refers to a file (a texture, a buffer or a material file) that is not in "
        "the upload. Add the missing file to the zip and upload it again."
    ),
    "model_too_large": (
        "The model has more triangles or vertices than allowed. Simplify it in your 3D "
        "software (or export a lighter version) and upload it again."
    ),
    "texture_too_large": (
        "A texture image is too large. Reduce the textures (for example to 8192 × 8192 "
        "pixels or less) and upload the model again."
    ),
    "unsupported_texture": (
        "A texture uses an image format that is not supported. Save the textures as PNG, "
        "JPEG or WebP and upload the model again."
    ),
    "invalid_gltf": (
        "The glTF file does not follow the glTF 2.0 standard and cannot be used. Export it "
        "again, or check it with the Khronos glTF Validator."
    ),
    "nested_archive": (
        "The zip archive contains another archive. Unpack the inner archive and put its "
        "files directly in a single zip."
    ),
    "duplicate_entry": (
        "The zip archive contains two files with the same name (possibly differing only in "
        "upper and lower case). Rename or remove one of them and upload again."
    ),
    "multiple_models": ("The zip archive contains more than one model. Upload one model per zip."),
    "not_a_panorama": (
        "The file is not an image that can be read as a panorama. Upload the 360° panorama "
        "as a JPEG, PNG or WebP file."
    ),
    "panorama_aspect": (
        "The image is not a full 360° panorama: its width must be twice its height "
        "(equirectangular), or it must carry the Photo Sphere (GPano) metadata that tells "
        "which part of the sphere it covers. Export it again as an equirectangular panorama."
    ),
    "panorama_too_large": (
        "The panorama has more pixels than allowed. Reduce it (for example to 16,384 × 8,192 "
        "pixels) and upload it again."
    ),
    "image_truncated": (
        "The image file is incomplete: it ends before all its pixels. Upload it again, or "
        "export it again from your software."
    ),
    "image_corrupt": (
        "The image file is damaged and cannot be read. Export it again from your software and "
        "upload the new file."
    ),
    "unsupported_colour_mode": (
        "The image uses a colour mode or bit depth that cannot be read. Save it as an 8-bit "
        "or 16-bit RGB JPEG, PNG or WebP and upload it again."
    ),
    "gpano_invalid": (
        "The panorama's Photo Sphere (GPano) metadata is inconsistent (for example the "
        "covered area lies outside the full sphere). Export the panorama again, or remove "
        "the metadata if the image is a full 360° panorama."
    ),
    "image_metadata_too_large": (
        "The image carries too much embedded metadata (text, previews or profiles). Save it "
        "again without the extra metadata and upload it again."
    ),
    "processing_timeout": (
        "Processing this model took too long. Upload a lighter version of the model "
        "(fewer triangles or smaller textures)."
    ),
    "processing_out_of_memory": (
        "Processing this model needed more memory than allowed. Upload a lighter version of "
        "the model (fewer triangles or smaller textures)."
    ),
    "processing_failed": (
        "Processing this model failed because of a problem on our side, not in your file. "
        "Try again later; if it fails again, contact the site's administrators."
    ),
}


class ModelError(Exception):
    """A model was rejected: ``code`` is stable, ``message`` is for curators."""

    def __init__(
        self, code: str, detail: dict[str, Any] | None = None, message: str | None = None
    ) -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown error code {code!r}")
        self.code = code
        self.message = message or MESSAGES[code]
        self.detail: dict[str, Any] = dict(detail or {})
        super().__init__(f"{code}: {self.message} {self.detail}")

    def to_dict(self) -> dict[str, Any]:
        """Return the error as ``{"code", "message", "detail"}`` (JSON-able)."""
        return {"code": self.code, "message": self.message, "detail": self.detail}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelError:
        """Rebuild an error from :meth:`to_dict` output (used across processes)."""
        code = data.get("code", "processing_failed")
        if code not in MESSAGES:
            code = "processing_failed"
        return cls(code, data.get("detail") or {}, data.get("message"))


class ProcessingError(Exception):
    """Processing broke on our side (a bug, a crash, a broken tool), not because of the upload.

    Unlike :class:`ModelError` this is no rejection: the upload may be fine. ``code`` is
    always ``processing_failed``; ``detail`` says what broke, for the logs.
    """

    code = "processing_failed"

    def __init__(self, detail: dict[str, Any] | None = None) -> None:
        self.message = MESSAGES[self.code]
        self.detail: dict[str, Any] = dict(detail or {})
        super().__init__(f"{self.code}: {self.detail}")

    def to_dict(self) -> dict[str, Any]:
        """Return the failure as ``{"code", "message", "detail"}`` (JSON-able)."""
        return {"code": self.code, "message": self.message, "detail": self.detail}


class ProcessingInterrupted(ProcessingError):
    """The child was stopped from outside (a signal we did not send, its parent gone).

    Neither the upload's fault nor a bug: the job is run again (see :mod:`tours.leases`)."""


PHONE_READY_REASONS: dict[str, str] = {
    "too_many_triangles": (
        "The model has more triangles than a phone shows smoothly; lighter versions are made "
        "automatically, but the full detail will only be seen on strong devices."
    ),
    "textures_too_large": (
        "Some textures are larger than 4096 pixels; phones will get smaller copies."
    ),
    "file_too_heavy": (
        "The file is heavy for a mobile network; visitors will first get a lighter version."
    ),
    "not_compressed": (
        "The geometry is not compressed; the processed versions will be much smaller."
    ),
    "texture_memory_too_large": (
        "The textures need more than 64 MiB of memory once a phone decodes them; phones get "
        "levels with smaller textures."
    ),
    "z_up": "The model was exported lying on its side (Z-up) and is turned upright.",
    "validator_errors": "The file has errors according to the Khronos glTF Validator.",
    "point_cloud": (
        "A laser scan file is not something a phone's browser can show; levels of detail in "
        "glTF are made from it."
    ),
}
