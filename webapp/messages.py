"""Stable error codes from ``tours`` turned into sentences in the curator's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash
from flask_babel import gettext as _

from tours.accounts import MIN_PASSWORD_LENGTH, AccountError
from tours.authoring import AuthoringError
from tours.library import model_status
from tours.models import ModelAsset
from tours.publishing import Problem


def _sentences() -> dict[str, str]:
    return {
        "password_too_short": _(
            "The password must have at least %(count)d characters.", count=MIN_PASSWORD_LENGTH
        ),
        "invalid_email": _("This is not a valid email address."),
        "invalid_role": _("Choose a role from the list."),
        "email_taken": _("A user with this email already exists."),
        "last_admin": _("The last administrator must stay an administrator."),
        "invalid_language": _("This is not a BCP 47 language tag (for example vi, en or zh-Hant)."),
        "invalid_location": _("Latitude and longitude must be numbers on the globe."),
        "invalid_slug": _("The slug may use a-z, 0-9 and single hyphens, at most 80 characters."),
        "slug_taken": _("Another tour already uses this slug."),
        "missing_title": _("Give the tour a title."),
        "model_not_found": _("That model does not exist."),
        "invalid_order": _("The new order must list every stop once."),
        "invalid_camera": _("The camera view could not be read. Move the viewer and try again."),
        "invalid_hotspot": _("The hotspot's position could not be read. Click on the model."),
        "invalid_options": _("Choose an up axis and a unit from the lists."),
        # the 3D viewer (issue 9)
        "invalid_lighting": _("Choose a lighting from the list."),
        "model_busy": _("The model is being processed. Wait until it is done."),
        "model_in_published_tour": _(
            "A published tour shows this model. Unpublish the tour or choose another model first."
        ),
        "captions_too_large": _("The captions file is larger than 1 MB."),
        "invalid_captions": _("Captions must be a WebVTT file (starting with WEBVTT)."),
        "unsupported_audio": _("Audio must be MP3, AAC or Ogg."),
        "audio_too_large": _("The audio file is too large."),
        "invalid_poster": _("The poster is not an image we can use."),
        "empty_upload": _("The file is empty."),
        "upload_too_large": _("The file is larger than this site accepts."),
        "upload_not_found": _("This upload is unknown or has expired. Upload the file again."),
        "offset_mismatch": _("Part of the upload was lost. It will resume from the right place."),
        "upload_incomplete": _("The upload is not finished."),
        "unsupported_tus_version": _("Send the header Tus-Resumable: 1.0.0."),
        "missing_length": _("Send the file's size in the Upload-Length header."),
        "bad_content_type": _("Send each chunk as application/offset+octet-stream."),
        "bad_offset": _("Send the chunk's position in the Upload-Offset header."),
        "tour_not_found": _("No published tour has this address."),
        "invalid_bundle": _("This file is not a Heritour tour bundle."),
        "bundle_too_large": _("The bundle is larger than this site accepts."),
        "unsafe_path": _("The bundle contains a file with an unsafe name."),
        "schema_invalid": _("The tour document in the bundle is not valid."),
        "missing_blob": _("The bundle lacks a file its tour needs."),
        "blob_mismatch": _("A file in the bundle does not match its content hash."),
    }


def error_message(code: str, fallback: str = "") -> str:
    """The sentence for ``code`` in the current language (``fallback`` if it is unknown)."""
    return _sentences().get(code, fallback or code)


def account_message(error: AccountError) -> str:
    """The sentence for an account error."""
    return error_message(error.code, error.message)


def model_error(code: str, fallback: str) -> str:
    """Why a model was rejected or failed (a code from ``models3d``), as a sentence."""
    sentences = {
        "unsupported_format": _(
            "This type of file is not supported. Upload a GLB file, a glTF with its files in "
            "a zip, an OBJ (with its MTL and textures in a zip), a PLY or an STL file."
        ),
        "content_mismatch": _(
            "The file name says one format but the contents are another. Check the file, or "
            "export the model again with the right extension."
        ),
        "parse_error": _(
            "The file could not be read: it seems damaged or incomplete. Export the model "
            "again from your 3D software and upload the new file."
        ),
        "no_geometry": _(
            "The file has no surfaces to show (only points, or an empty scene). Export the "
            "model as a mesh with faces."
        ),
        "file_too_large": _(
            "The file is larger than the upload limit. Reduce the model (fewer triangles or "
            "smaller textures) and upload it again."
        ),
        "archive_too_large": _(
            "The zip unpacks to too much data or holds too many files. Put only the model "
            "and its textures in the zip."
        ),
        "unsafe_path": _(
            "The upload points to a file outside its own folder. Put all the files in one "
            "folder, zip that folder and upload it again."
        ),
        "external_uri_not_allowed": _(
            "The model refers to something outside the upload, such as a web address. Export "
            "it as one GLB file, or put all its files next to it in the zip."
        ),
        "missing_resource": _(
            "The model needs a file (a texture, a buffer or a material file) that is not in "
            "the upload. Add it to the zip and upload it again."
        ),
        "model_too_large": _(
            "The model has more triangles or vertices than allowed. Export a lighter version "
            "and upload it again."
        ),
        "texture_too_large": _(
            "A texture image is too large. Reduce the textures (to 8192 × 8192 pixels or "
            "less) and upload the model again."
        ),
        "unsupported_texture": _(
            "A texture uses an image format that is not supported. Save the textures as PNG, "
            "JPEG or WebP and upload the model again."
        ),
        "invalid_gltf": _(
            "The glTF file does not follow the glTF 2.0 standard. Export it again, or check "
            "it with the Khronos glTF Validator."
        ),
        "nested_archive": _(
            "The zip contains another archive. Unpack it and put its files directly in one zip."
        ),
        "duplicate_entry": _(
            "The zip contains two files with the same name (perhaps differing only in capital "
            "letters). Rename or remove one and upload again."
        ),
        "multiple_models": _("The zip contains more than one model. Upload one model per zip."),
        "processing_timeout": _(
            "Processing this model took too long. Upload a lighter version (fewer triangles "
            "or smaller textures)."
        ),
        "processing_out_of_memory": _(
            "Processing this model needed more memory than allowed. Upload a lighter version "
            "(fewer triangles or smaller textures)."
        ),
        "processing_failed": _(
            "Processing failed because of a problem on our side, not in your file. Try again "
            "later; if it fails again, tell the site's administrators."
        ),
    }
    return sentences.get(code, fallback)


def translated_status(asset: ModelAsset) -> dict[str, Any]:
    """:func:`tours.library.model_status` with the outcome in the curator's language."""
    status = model_status(asset)
    if status["error"]:
        code, message = status["error"]["code"], status["error"]["message"]
        status["error"] = {"code": code, "message": model_error(code, message)}
    return status


def phone_reason(code: str, fallback: str) -> str:
    """Why an original is not ready for phones (a code from the model report), as a sentence."""
    sentences = {
        "too_many_triangles": _(
            "More triangles than a phone shows smoothly; lighter levels are made."
        ),
        "textures_too_large": _(
            "Some textures are larger than 4096 pixels; phones get smaller copies."
        ),
        "file_too_heavy": _(
            "The file is heavy for a mobile network; visitors get a lighter level first."
        ),
        "not_compressed": _(
            "The geometry is not compressed; the processed levels are much smaller."
        ),
        "z_up": _("The scan was Z-up; it has been turned upright."),
        "validator_errors": _("The glTF validator found errors in the original."),
    }
    return sentences.get(code, fallback)


def problem_message(problem: Problem) -> str:
    """What is missing before publishing, as a sentence."""
    number: Any = problem.stop
    sentences = {
        "missing_title": _("The tour has no title in its default language."),
        "no_stops": _("The tour has no stops."),
        "model_not_ready": _("Stop %(number)s has no ready model.", number=number),
        "missing_narration": _(
            "Stop %(number)s has no narration in the default language.", number=number
        ),
    }
    return sentences.get(problem.code, problem.code)


def flash_saved(save: Callable[[], object]) -> None:
    """Run ``save`` and tell the curator: "Saved.", or why it could not be."""
    try:
        save()
    except AuthoringError as error:
        flash(error_message(error.code), "error")
        return
    flash(_("Saved."))
