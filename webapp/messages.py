"""Every sentence the web layer says about an error, in the visitor's language.

Lower layers (``tours``, ``models3d``) raise stable codes; this module turns a code, an
HTTP status or a report's reason into words. :func:`webapp.errors.api_error` and the
studio's flash messages both read from here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from flask import current_app, flash
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

from tours.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, AccountError
from tours.authoring import AuthoringError
from tours.library import model_status
from tours.models import ModelAsset
from tours.narrationaudio import MAX_AUDIO_SECONDS
from tours.publishing import Problem
from tours.stopmedia import MAX_CAPTIONS_BYTES
from tours.textlimits import limit
from webapp.config import MB
from webapp.i18n import language_name


def _http_texts() -> dict[str, tuple[str, str]]:
    """Title and sentence of each generic HTTP error code, in the current language."""
    return {
        "bad_request": (
            _("Bad request"),
            _("The request could not be understood. Check it and try again."),
        ),
        "forbidden": (_("Not allowed"), _("You do not have permission to see this page.")),
        "not_found": (
            _("Page not found"),
            _("This page does not exist or is no longer published. Try the tour catalogue."),
        ),
        "method_not_allowed": (
            _("Not allowed"),
            _("This address does not accept that kind of request."),
        ),
        "payload_too_large": (
            _("File too large"),
            _("The upload is larger than this site accepts."),
        ),
        "range_not_satisfiable": (
            _("Part of the file not found"),
            _("The requested part lies beyond the end of the file. Ask for the whole file."),
        ),
        "too_many_requests": (_("Too many requests"), _("Please wait a moment, then try again.")),
        "internal_error": (
            _("Something went wrong"),
            _("An unexpected error happened on our side. Please try again in a moment."),
        ),
        "unavailable": (
            _("Temporarily unavailable"),
            _("The service is briefly unavailable. Please try again in a moment."),
        ),
        "csrf_failed": (
            _("Please try again"),
            _("The form had expired or was sent from another page. Reload it and try again."),
        ),
        "database_unavailable": (
            _("Temporarily unavailable"),
            _("The database did not answer. Nothing you sent was lost; try again in a moment."),
        ),
    }


def error_title(code: str) -> str:
    """The heading of an error page about ``code``."""
    return _http_texts().get(code, _http_texts()["bad_request"])[0]


def _sentences() -> dict[str, str]:
    return {
        **{code: sentence for code, (_title, sentence) in _http_texts().items()},
        "login_required": _("Sign in to the studio first."),
        "two_factor_required": _(
            "Administrators must use two-factor sign-in. Set it up to use the studio."
        ),
        "invalid_json": _("Send a JSON object."),
        "invalid_event": _(
            "This is not an event the app counts: send a tour, a stop, a language, an event "
            "and a device class from the lists in the API documentation."
        ),
        "missing_markdown": _('Send {"markdown": "..."}.'),
        "narration_too_long": _("The narration is too long to preview."),
        "direct_upload_unavailable": _("This site's store takes uploads through the app."),
        "invalid_upload_request": _("This upload request is not allowed."),
        "store_unavailable": _("The file store did not answer."),
        "invalid_key": _("This is not a key of a direct upload."),
        "password_too_short": _(
            "The password must have at least %(count)d characters.", count=MIN_PASSWORD_LENGTH
        ),
        "password_too_long": _(
            "The password may have at most %(count)d characters.", count=MAX_PASSWORD_LENGTH
        ),
        "password_common": _(
            "This password is too common or too easy to guess: attackers try such passwords "
            "first. Choose a longer one, for example a few unrelated words."
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
        # 360° panoramas (issue 12)
        "not_a_panorama_stop": _("This stop does not show a panorama. Choose a panorama first."),
        "invalid_view": _(
            "The view could not be read: yaw and pitch are degrees (pitch from −90 to 90), "
            "the field of view from 30 to 90 degrees."
        ),
        "invalid_link": _("A link must lead to another stop of this tour."),
        "invalid_options": _("Choose an up axis and a unit from the lists."),
        # the 3D viewer (issue 9)
        "invalid_lighting": _("Choose a lighting from the list."),
        "model_busy": _("The model is being processed. Wait until it is done."),
        "model_in_published_tour": _(
            "A published tour shows this model. Unpublish the tour or choose another model first."
        ),
        "captions_too_large": _(
            "The captions file is larger than %(mb)d MB.", mb=MAX_CAPTIONS_BYTES // MB
        ),
        "invalid_captions": _("Captions must be a WebVTT file (starting with WEBVTT)."),
        "unsupported_audio": _("Audio must be MP3, AAC or Ogg."),
        "audio_too_large": _("The audio file is too large."),
        "audio_undecodable": _(
            "The audio file is damaged: it could not be played. Export it again as MP3, AAC or"
            " Ogg and upload it."
        ),
        "audio_too_long": _(
            "The audio is too long: at most %(minutes)d minutes of narration per stop.",
            minutes=MAX_AUDIO_SECONDS // 60,
        ),
        "invalid_poster": _("The poster is not an image we can use."),
        "empty_upload": _("The file is empty."),
        "upload_too_large": _("The file is larger than this site accepts."),
        "upload_not_found": _("This upload is unknown or has expired. Upload the file again."),
        "offset_mismatch": _("Part of the upload was lost. It will resume from the right place."),
        "upload_incomplete": _("The upload is not finished."),
        "upload_busy": _(
            "Another window or tab is sending this file right now. Wait for it to finish."
        ),
        "upload_not_stored": _(
            "The file arrived but could not be stored, so no model was made yet. The upload "
            "will finish when the file store answers again; keep this page open."
        ),
        "too_many_uploads": _(
            "You have too many unfinished uploads. Wait for them to finish, or cancel one, "
            "then try again."
        ),
        "unsupported_tus_version": _("Send the header Tus-Resumable: 1.0.0."),
        "missing_length": _("Send the file's size in the Upload-Length header."),
        "bad_content_type": _("Send each chunk as application/offset+octet-stream."),
        "bad_offset": _("Send the chunk's position in the Upload-Offset header."),
        "tour_not_found": _("No published tour has this address."),
        "oembed_format": _("Only the JSON format is offered: ask with format=json."),
        "oembed_bad_request": _(
            "Give the address of a stop or tour in url, and maxwidth and maxheight as whole "
            "numbers of pixels."
        ),
        "oembed_not_found": _("No published stop or tour of this site has this address."),
        "invalid_bundle": _("This file is not a Heritour tour bundle."),
        "bundle_too_large": _("The bundle is larger than this site accepts."),
        "unsafe_path": _("The bundle contains a file with an unsafe name."),
        "schema_invalid": _("The tour document in the bundle is not valid."),
        "missing_blob": _("The bundle lacks a file its tour needs."),
        "blob_mismatch": _("A file in the bundle does not match its content hash."),
        **_image_sentences(),
        **_rights_sentences(),
        **_scale_sentences(),
        **_token_sentences(),
    }


def _token_sentences() -> dict[str, str]:
    """Personal API tokens and the API's writing routes."""
    return {
        "invalid_token": _("The API token is unknown or revoked."),
        "insufficient_scope": _("The API token does not have the scope this request needs."),
        "token_name_invalid": _("Name the token (at most 100 characters)."),
        "token_scopes_invalid": _("Choose at least one scope from the list."),
        "too_many_tokens": _("You have too many tokens. Revoke one before making another."),
        "token_not_found": _("No such token."),
        "draft_not_found": _("No tour has this number."),
        "stop_not_found": _("This tour has no such stop."),
        "hotspot_not_found": _("This stop has no such hotspot."),
        "invalid_field": _("A field of the request is missing or has the wrong type."),
        "not_ready_to_publish": _("The tour is not ready to be published."),
    }


def _scale_sentences() -> dict[str, str]:
    """The catalogue's paging and the limits on text lengths."""
    return {
        "invalid_page": _("Ask for a page by its number, from 1 (for example ?page=2)."),
        "invalid_search": _(
            "The search holds invisible control characters (such as NUL or a line break)."
            " Type the words again."
        ),
        "control_characters": _(
            "The text holds invisible control characters (such as NUL, or a line break in a"
            " one-line text). Remove them and send it again."
        ),
        "invalid_near": _(
            "Give near as a latitude and a longitude in degrees, separated by a comma "
            "(for example near=16.4698,107.5786)."
        ),
        "invalid_within": _(
            "Give within_km as a distance in kilometres, 0 or more, together with near "
            "(for example within_km=25)."
        ),
        "rate_limited": _(
            "Too many requests from your address. Wait the number of seconds given in "
            "Retry-After, then try again."
        ),
        "title_too_long": _(
            "The title is too long: at most %(count)d characters.", count=limit("title")
        ),
        "summary_too_long": _(
            "The summary is too long: at most %(count)d characters.", count=limit("summary")
        ),
        "site_name_too_long": _(
            "The site name is too long: at most %(count)d characters.", count=limit("site_name")
        ),
        "stop_narration_too_long": _(
            "The narration is too long: at most %(count)d characters. Split it over several stops.",
            count=limit("narration"),
        ),
        "model_alt_too_long": _(
            "The model description is too long: at most %(count)d characters.",
            count=limit("model_alt"),
        ),
        "hotspot_label_too_long": _(
            "The hotspot's label is too long: at most %(count)d characters.", count=limit("label")
        ),
        "hotspot_text_too_long": _(
            "The hotspot's text is too long: at most %(count)d characters.", count=limit("body")
        ),
    }


def _image_sentences() -> dict[str, str]:
    """Images in narration and hotspot texts (``tours.images``)."""
    return {
        "image_empty": _("The image file is empty."),
        "image_too_large": _("The image file is larger than this site accepts."),
        "image_not_an_image": _(
            "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF."
        ),
        "image_format_not_allowed": _("Upload the image as JPEG, PNG, WebP or GIF."),
        "image_too_many_pixels": _(
            "The image has too many pixels. Make it smaller (for example 4000 pixels wide) "
            "and upload it again."
        ),
        "image_alt_missing": _("Describe the image for visitors who cannot see it."),
    }


def _rights_sentences() -> dict[str, str]:
    """Rights statements, attribution and source (``tours.rights``)."""
    return {
        "rights_statement_unknown": _(
            "Choose a rights statement from the list (a Creative Commons licence or a "
            "RightsStatements.org statement)."
        ),
        "rights_attribution_required": _(
            "This licence asks reusers to give credit: write the attribution line."
        ),
        "rights_text_too_long": _(
            "Shorten the attribution or the source to 300 characters at most."
        ),
        "rights_date_invalid": _(
            "Write the date of digitisation as a year (2024), a month (2024-05) or a day "
            "(2024-05-17), not in the future."
        ),
    }


def error_message(code: str, fallback: str = "") -> str:
    """The sentence for ``code`` in the current language (``fallback`` if it is unknown)."""
    return _sentences().get(code, fallback or code)


def password_rules() -> dict[str, Any]:
    """What the password fields tell people (NIST SP 800-63B: length, no composition rules,
    common passwords refused) and their limits."""
    sentence = _(
        "At least %(count)d characters, in any language, spaces allowed. Common passwords are "
        "refused, because attackers try them first.",
        count=MIN_PASSWORD_LENGTH,
    )
    return {"min": MIN_PASSWORD_LENGTH, "max": MAX_PASSWORD_LENGTH, "sentence": sentence}


def account_message(error: AccountError) -> str:
    """The sentence for an account error."""
    return error_message(error.code, error.message)


def model_error(code: str, fallback: str) -> str:
    """Why a model was rejected or failed (a code from ``models3d``), as a sentence."""
    sentences = {
        "unsupported_format": _(
            "This type of file is not supported. Upload a GLB file, a glTF with its files in "
            "a zip, an OBJ (with its MTL and textures in a zip), a PLY or an STL file, a laser "
            "scan (point cloud) as LAS, LAZ, E57 or PLY, or a 360° panorama as JPEG, PNG or "
            "WebP."
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
            "The file has nothing to show (an empty scene, or only points in a glTF file). "
            "Export the model as a mesh with faces, or a scan as LAS, LAZ, E57 or PLY."
        ),
        # Point clouds (issue 13)
        "too_many_points": _(
            "The point cloud has more points than allowed. Split the scan into parts, or thin "
            "it out in your scanning software, and upload it again."
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
            "A texture image is too large. Reduce the textures (to %(side)d × %(side)d pixels "
            "or less) and upload the model again.",
            side=math.isqrt(current_app.config["MAX_TEXTURE_PIXELS"]),
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
        # 360° panoramas (issue 12)
        "not_a_panorama": _(
            "The image could not be read as a panorama. Upload an equirectangular panorama "
            "as JPEG, PNG or WebP."
        ),
        "panorama_aspect": _(
            "The image is not twice as wide as it is high, and it carries no Photo Sphere "
            "(GPano) information saying which part of the sphere it covers. Upload a full "
            "equirectangular panorama (2:1), or export it again with its GPano metadata."
        ),
        "panorama_too_large": _(
            "The panorama has more pixels than this site accepts (at most %(width)d × "
            "%(height)d). Reduce it and upload it again.",
            width=current_app.config["MAX_PANORAMA_WIDTH"],
            height=current_app.config["MAX_PANORAMA_HEIGHT"],
        ),
        "image_truncated": _(
            "The image file ends before its picture does: the upload or the export was cut "
            "short. Export it again and upload the whole file."
        ),
        "image_corrupt": _(
            "The image file is damaged and cannot be decoded. Export it again from your "
            "photo software and upload the new file."
        ),
        "unsupported_colour_mode": _(
            "The image uses a colour mode that cannot be converted for screens. Save it as an "
            "RGB or greyscale JPEG, PNG or WebP and upload it again."
        ),
        "image_metadata_too_large": _(
            "The image carries too much embedded metadata (text, previews or colour "
            "profiles). Save it again without them and upload it again."
        ),
        "gpano_invalid": _(
            "The image's Photo Sphere (GPano) information is not consistent: the cropped area "
            "does not fit in the full panorama. Correct or remove the metadata and upload it "
            "again."
        ),
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
        "texture_memory_too_large": _(
            "The textures need more than 64 MiB of memory once a phone decodes them, which can "
            "crash a phone's browser; phones get levels with smaller textures."
        ),
        "z_up": _("The scan was Z-up; it has been turned upright."),
        "validator_errors": _("The glTF validator found errors in the original."),
        "point_cloud": _(
            "A laser scan file is not something a phone's browser can show; levels of detail "
            "in glTF are made from it."
        ),
    }
    return sentences.get(code, fallback)


def panorama_correction(code: str) -> str:
    """What the pipeline corrected in an uploaded panorama (a code of its report)."""
    sentences = {
        "cmyk_converted": _("The image was in CMYK; it was converted to RGB for screens."),
        "sixteen_bit_reduced": _("The image had 16 bits per channel; it was reduced to 8 bits."),
        "orientation_applied": _("The camera's orientation tag was applied to the image."),
        "icc_converted": _("The image's colour profile was converted to sRGB."),
        "alpha_flattened": _("Transparent parts were filled with a neutral colour."),
        "grey_converted": _("The greyscale image was converted to RGB."),
        "gpano_placed": _(
            "The image covers part of the sphere (Photo Sphere metadata); it was placed on a "
            "full panorama and the rest filled with a neutral colour."
        ),
        "gpano_heading_applied": _(
            "The panorama was turned so that the centre of the view faces north, as its "
            "Photo Sphere metadata says."
        ),
        "aspect_adjusted": _(
            "The image was almost, but not exactly, twice as wide as high (off by less than "
            "one part in a hundred); it was stretched to exactly 2:1."
        ),
    }
    return sentences.get(code, code)


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
        "image_alt_missing": _(
            "Stop %(number)s shows an image with no description in %(language)s.",
            number=number,
            language=language_name(problem.locale, str(get_locale())),
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


# The model report (ingest): what was done to the upload, the validator, the levels.


def _note_sentences(detail: dict[str, Any]) -> dict[str, str]:
    def value(key: str) -> Any:
        return detail.get(key, "?")

    names = detail.get("extensions", [])
    return {
        "glb_padding_repaired": _(
            "The parts of the GLB file were not aligned to 4 bytes as the standard asks; they "
            "were read as they are."
        ),
        "glb_length_repaired": _(
            "The GLB header gave a wrong total length (%(declared)s bytes instead of "
            "%(actual)s); the real length was used.",
            declared=value("declared"),
            actual=value("actual"),
        ),
        "glb_json_repaired": _(
            "The JSON part of the GLB file ended with stray bytes; they were removed."
        ),
        "buffer_length_repaired": _(
            "A data buffer gave no length or a wrong one; the length of its data was used."
        ),
        "image_type_repaired": _(
            "Image %(number)s gave no file type or a wrong one; the type was read from the "
            "image itself.",
            number=value("image"),
        ),
        "bounds_repaired": _(
            "The model's bounding box was missing; it was computed from the geometry."
        ),
        "extensions_declared": _(
            "The file uses extensions it does not declare (%(names)s); they were declared.",
            names=", ".join(str(n) for n in names) if isinstance(names, list) else "?",
        ),
        "extension_list_repaired": _(
            "The file's list of extensions named one more than once; the repeats were removed."
        ),
        "node_transforms_repaired": _(
            "Some parts had contradictory or unnormalised placements; they were corrected as "
            "viewers read them."
        ),
        "animations_dropped": _(
            "The file's animations are broken, so viewers skip them; they were left out."
        ),
        "buffer_view_targets_repaired": _(
            "Some data was marked for the wrong use; the mark was removed."
        ),
        "normals_repaired": _("Some normals were not of length one; they were corrected."),
        "tangents_repaired": _(
            "Some tangents were not of length one or had a wrong sign; they were corrected."
        ),
        "accessor_bounds_repaired": _(
            "Some stored bounding values were wrong; they were corrected."
        ),
        "draco_decoded": _(
            "The geometry was Draco-compressed; it was decompressed, and the levels are "
            "compressed again."
        ),
        "ktx2_decoded": _(
            "Textures were in KTX2 (Basis Universal); they were decoded to make the levels."
        ),
        "meshopt_decoded": _(
            "The geometry was meshopt-compressed; it was decompressed, and the levels are "
            "compressed again."
        ),
        "spec_gloss_converted": _(
            "Materials using specular-glossiness (%(count)s), which current viewers no longer "
            "show, were converted to metallic-roughness.",
            count=value("count"),
        ),
        "companion_path_repaired": _(
            "The model names %(file)s, which is not in the upload under that path; the "
            "uploaded file %(used)s of the same name was used.",
            file=value("file"),
            used=value("used"),
        ),
        "texture_converted": _(
            "The texture %(file)s was in %(format)s, which phones do not read; it was "
            "converted to PNG.",
            file=value("file"),
            format=value("format"),
        ),
        "texture_not_uploaded": _(
            "The texture %(file)s that the model names was not in the upload, so the model has "
            "no texture. Upload a zip with the model and its texture to keep it.",
            file=value("file"),
        ),
        "material_file_not_uploaded": _(
            "The material file %(file)s that the model names was not in the upload, so the "
            "model has no textures. Upload a zip with all its files to keep them.",
            file=value("file"),
        ),
        "unused_uvs_dropped": _(
            "The model has texture coordinates but no texture; they were left out."
        ),
        # Point clouds (issue 13)
        "point_cloud_recentred": _(
            "The scan was moved to the centre of the view. Its original position (offset "
            "%(offset)s, in the file's units) and its coordinate reference are kept in the "
            "report.",
            offset=value("offset"),
        ),
        "point_cloud_units_converted": _(
            "The scan's coordinates are in %(unit)s, as its coordinate reference says; they "
            "were converted to metres.",
            unit=value("unit"),
        ),
        "point_cloud_subsampled": _(
            "The scan has %(points)s points; the most detailed level keeps %(kept)s of them, "
            "one per cube of %(voxel)s m.",
            points=value("points"),
            kept=value("kept"),
            voxel=value("voxel"),
        ),
    }


def note_message(note: Any) -> str:
    """A note of the model report (``{"code", "detail"}``) as a sentence.

    Reports made before notes had codes hold English sentences; those are shown as they are.
    """
    if isinstance(note, str):
        return note
    code = note.get("code", "") if isinstance(note, dict) else ""
    detail = note.get("detail") if isinstance(note, dict) else None
    return _note_sentences(detail if isinstance(detail, dict) else {}).get(code, code)


def severity_word(severity: Any) -> str:
    """A glTF-Validator severity (0 to 3) as a word."""
    words = {0: _("Error"), 1: _("Warning"), 2: _("Information"), 3: _("Hint")}
    return words.get(severity, _("Information"))


def level_name(level: str) -> str:
    """A level of detail's name (thumb, low, medium, high) in the curator's language."""
    names = {
        "thumb": _("Thumbnail"),
        "low": _("Low"),
        "medium": _("Medium"),
        "high": _("High"),
    }
    return names.get(level, level)


def validator_message(code: str, fallback: str) -> str:
    """A glTF-Validator message: translated for the common codes, else the validator's text."""
    bounds = _("A stored bounding value is wrong; the processed levels have the right one.")
    sentences = {
        "ACCESSOR_MIN_MISMATCH": bounds,
        "ACCESSOR_MAX_MISMATCH": bounds,
        "ACCESSOR_NON_UNIT": _(
            "Some normals or tangents are not of length one; the processed levels fix them."
        ),
        "ACCESSOR_INDEX_TRIANGLE_DEGENERATE": _("Some triangles have no area; they are not drawn."),
        "IMAGE_FEATURES_UNSUPPORTED": _(
            "An image uses features (such as a colour profile or an unusual size) that some "
            "viewers ignore."
        ),
        "UNUSED_OBJECT": _("A part of the file is not used by the model."),
        "NODE_EMPTY": _("A node holds nothing (no mesh, camera or child)."),
        "MESH_PRIMITIVE_GENERATED_TANGENT_SPACE": _(
            "The model has a normal map but no tangents; viewers compute them."
        ),
        "MESH_PRIMITIVE_UNUSED_TEXCOORD": _("Texture coordinates that no texture uses."),
        "UNSUPPORTED_EXTENSION": _(
            "The file uses an extension that the validator does not know; viewers may ignore it."
        ),
    }
    return sentences.get(code, fallback)


def gpu_megabytes(value: Any) -> str:
    """Bytes of GPU memory in MiB (the IEC symbol) with one decimal, in the curator's format."""
    number = value / (1 << 20) if isinstance(value, int | float) else 0.0
    return format_decimal(number, format="#,##0.0") + "\u00a0MiB"


def level_texture_memory(figures: dict[str, Any]) -> str:
    """A level's texture memory on a phone's GPU; for KTX2 textures (which stay compressed
    there) also what the same textures would take as plain images (RGBA8)."""
    memory = gpu_megabytes(figures.get("texture_gpu_bytes"))
    plain = figures.get("texture_rgba8_bytes")
    if figures.get("ktx2") and plain:
        return _(
            "%(memory)s, compressed on the GPU (KTX2); %(plain)s as plain images",
            memory=memory,
            plain=gpu_megabytes(plain),
        )
    return memory
