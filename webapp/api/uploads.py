"""Model uploads for the studio: a tus endpoint (local store) and S3 multipart signing.

tus (https://tus.io, protocol 1.0.0, "creation" and "termination" extensions): the
browser creates an upload, sends it in PATCH chunks, and after a dropped connection
asks with HEAD where to resume. The last chunk hands the file to ingest.

With an S3 store the bytes go straight from the browser to the bucket: the app starts a
multipart upload, signs each part, and completes it; then the background job copies it into
place (the web process never reads the object).
"""

from __future__ import annotations

import base64

from flask import current_app, jsonify, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from tours.apitokens import WRITE
from tours.authoring import AuthoringError
from tours.blobstore import BlobStoreError, InvalidKey
from tours.blobstore.multipart import (
    UploadRequest,
    check_upload_request,
    incoming_key,
    is_incoming_key,
)
from tours.errors import CodedError
from tours.ingest import record_incoming, store_original
from tours.library import processing_options
from tours.models import ModelAsset
from tours.uploads import ChunkedUploads, Upload, UploadError, sanitize_name
from webapp.api import bp
from webapp.config import ingest_limits
from webapp.errors import api_error
from webapp.extensions import blobs, db, jobs
from webapp.messages import translated_status
from webapp.studio.security import api_login_required, current_user

TUS_VERSION = "1.0.0"
# The HTTP status that answers each upload error code (any other code: 400).
UPLOAD_STATUS = {
    "upload_not_found": 404,
    "upload_too_large": 413,
    "offset_mismatch": 409,
    "upload_incomplete": 409,
    "upload_busy": 423,
    "too_many_uploads": 403,
    "unsupported_tus_version": 412,
    "bad_content_type": 415,
}


def _uploads() -> ChunkedUploads:
    config = current_app.config
    return ChunkedUploads(
        config["UPLOAD_DIR"],
        ingest_limits(config).max_upload_bytes,
        config["MAX_UNFINISHED_UPLOADS"],
    )


def _tus(response: Response, status: int = 204, **headers: str) -> tuple[Response, int]:
    response.headers["Tus-Resumable"] = TUS_VERSION
    response.headers["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response, status


def _upload_error(code: str) -> tuple[Response, int]:
    return api_error(UPLOAD_STATUS.get(code, 400), code)


def _error(code: str) -> tuple[Response, int]:
    """An upload error answered on the tus endpoint (with its headers)."""
    return _tus(*_upload_error(code))


def _metadata(header: str) -> dict[str, str]:
    """tus ``Upload-Metadata``: comma-separated ``key base64value`` pairs."""
    values: dict[str, str] = {}
    for pair in header.split(","):
        key, _sep, encoded = pair.strip().partition(" ")
        if not key:
            continue
        try:
            values[key] = base64.b64decode(encoded, validate=True).decode("utf-8")
        except ValueError:  # not ASCII, not base64 or not UTF-8
            values[key] = ""
    return values


def _owner() -> int:
    user = current_user()
    assert user is not None
    return user.id


def _finish(chunks: ChunkedUploads, upload: Upload) -> int:
    """Hand a finished upload (held with ``chunks.lease``) to ingest and queue its
    processing; returns the asset id."""
    with chunks.open_complete(upload) as stream:
        asset = store_original(db.session, blobs.store, stream, upload.name, upload.options)
    chunks.delete(upload.id)
    jobs.queue.process_model(asset.id)
    return asset.id


def _append(chunks: ChunkedUploads, upload: Upload) -> tuple[Response, int]:
    """PATCH: write the chunk; the last one hands the file to ingest.

    When the file cannot be stored, the last chunk is dropped again and the answer is
    ``upload_not_stored`` (503): the client sends that chunk again, and the upload is
    finished then. Nothing tells the browser "uploaded" before a model exists."""
    offset = int(request.headers.get("Upload-Offset", "-1"))
    upload = chunks.write(upload, offset, request.stream)
    headers = {"Upload_Offset": str(upload.offset)}
    if upload.complete:
        try:
            headers["Heritour_Model_Id"] = str(_finish(chunks, upload))
        except BlobStoreError:
            db.session.rollback()
            current_app.logger.warning("upload %s not stored", upload.id, exc_info=True)
            chunks.rewind(upload, offset)
            return _tus(*api_error(503, "upload_not_stored"), Retry_After="5")
        except BaseException:
            db.session.rollback()
            chunks.rewind(upload, offset)
            raise
    return _tus(Response(status=204), 204, **headers)


@bp.post("/uploads")
@api_login_required
def tus_create() -> tuple[Response, int]:
    """Create a tus upload (``Upload-Length`` and ``Upload-Metadata`` headers).
    ---
    post:
      summary: Create a tus upload (tus 1.0.0, creation extension)
      operationId: tusCreate
      tags: [studio]
      parameters:
        - {name: Tus-Resumable, in: header, required: true, schema: {type: string, enum: [1.0.0]}}
        - {name: Upload-Length, in: header, required: true, description: The file's size in bytes.,
           schema: {type: integer, minimum: 1}}
        - {name: Upload-Metadata, in: header, required: false, schema: {type: string},
           description: "tus metadata: comma-separated `key base64(value)` pairs; the keys read
             are filename (or name), up_axis (auto, y, z) and unit (m, cm, mm)."}
      responses:
        201: {description: Created; Location names the upload.}
        400: {description: "No length, or bad options.", schema: Error}
        412: {description: Not tus 1.0.0., schema: Error}
        413: {description: Larger than MAX_UPLOAD_MB., schema: Error}
        403: {description: Too many unfinished uploads (too_many_uploads)., schema: Error}
    """
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _error("unsupported_tus_version")
    try:
        length = int(request.headers.get("Upload-Length", ""))
    except ValueError:
        return _error("missing_length")
    meta = _metadata(request.headers.get("Upload-Metadata", ""))
    try:
        options = processing_options(meta.get("up_axis", "auto"), meta.get("unit", "m"))
        name = meta.get("filename") or meta.get("name") or ""
        upload = _uploads().create(length, name, _owner(), options)
    except CodedError as error:  # a bad length, or bad processing options
        return _error(error.code)
    location = url_for("api.tus_upload", upload_id=upload.id)
    return _tus(Response(status=201), 201, Location=location, Upload_Offset="0")


@bp.route("/uploads/<upload_id>", methods=["HEAD", "PATCH", "DELETE"])
@api_login_required(scope=WRITE)  # HEAD too: asking where to resume is part of uploading
def tus_upload(upload_id: str) -> tuple[Response, int]:
    """HEAD: where to resume. PATCH: the next chunk. DELETE: give up the upload. A token
    needs the ``write`` scope for all three.
    ---
    head:
      summary: Where a tus upload stands
      operationId: tusOffset
      tags: [studio]
      responses:
        200: {description: Upload-Offset and Upload-Length headers.}
        404: {description: Unknown or expired upload.}
    patch:
      summary: Send the next chunk of a tus upload
      operationId: tusPatch
      tags: [studio]
      responses:
        204: {description: Stored; Upload-Offset says how far the upload is.}
        404: {description: Unknown or expired upload., schema: Error}
        409: {description: The chunk does not start at the offset., schema: Error}
        413: {description: Longer than the declared length., schema: Error}
        423: {description: Another request is sending this upload (upload_busy)., schema: Error}
        503: {description: "The last chunk came but the file could not be stored
          (upload_not_stored); it was dropped, send it again.", schema: Error}
    delete:
      summary: Abandon a tus upload
      operationId: tusDelete
      tags: [studio]
      responses:
        204: {description: Gone.}
        404: {description: Unknown or expired upload., schema: Error}
        423: {description: Another request is sending this upload (upload_busy)., schema: Error}
    """
    chunks = _uploads()
    try:
        if request.method == "HEAD":
            upload = chunks.get(upload_id, _owner())
            return _tus(
                Response(status=200),
                200,
                Upload_Offset=str(upload.offset),
                Upload_Length=str(upload.length),
            )
        if request.method == "PATCH" and (
            request.content_type != "application/offset+octet-stream"
        ):
            chunks.get(upload_id, _owner())
            return _error("bad_content_type")
        with chunks.lease(upload_id, _owner()) as upload:
            if request.method == "DELETE":
                chunks.delete(upload.id)
                return _tus(Response(status=204))
            return _append(chunks, upload)
    except UploadError as error:
        return _error(error.code)
    except ValueError:
        return _error("bad_offset")


# Uppy's AwsS3 plugin names each request by its HTTP method (and upload id, part number).
_S3_OPERATIONS = {
    ("PUT", False, False): "put_object",
    ("POST", False, False): "create_multipart_upload",
    ("PUT", True, True): "upload_part",
    ("GET", True, False): "list_parts",
    ("POST", True, False): "complete_multipart_upload",
    ("DELETE", True, False): "abort_multipart_upload",
}


def _unavailable() -> tuple[Response, int]:
    return api_error(409, "direct_upload_unavailable")


@bp.post("/s3-uploads/sign")
@api_login_required
def s3_sign() -> tuple[Response, int] | Response:
    """Sign one S3 request of a direct upload: ``{method, key, uploadId?, partNumber?}``.

    A request that starts an upload gets a fresh ``incoming/`` key, whatever it asked for.
    ---
    post:
      summary: Presign one S3 request of a direct (multipart) upload
      operationId: signS3Upload
      tags: [studio]
      requestBody:
        required: true
        schema:
              type: object
              required: [method]
              properties:
                method: {enum: [PUT, POST, GET, DELETE]}
                key: {type: string}
                uploadId: {type: string}
                partNumber:
                  type: [integer, "null"]
                  minimum: 1
                  maximum: 10000
                  description: The part of a multipart upload; null or absent for none.
      responses:
        200: {description: The presigned URL and the key., schema: {type: object}}
        400: {description: A request the app does not sign., schema: Error}
        409: {description: The store takes uploads through the app., schema: Error}
        503: {description: The store did not answer., schema: Error}
    """
    store = blobs.store
    if not store.takes_direct_uploads:
        return _unavailable()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return api_error(400, "invalid_json")
    upload_id, part = body.get("uploadId"), body.get("partNumber")
    if not (
        isinstance(upload_id, str | None)
        and (part is None or type(part) is int)
        and isinstance(body.get("key", ""), str)
    ):
        return api_error(400, "invalid_upload_request")  # an empty {} is no "no upload id"
    operation = _S3_OPERATIONS.get((str(body.get("method")), bool(upload_id), part is not None))
    if operation is None:
        return api_error(400, "invalid_upload_request")
    starting = operation in {"put_object", "create_multipart_upload"}
    key = incoming_key() if starting else str(body.get("key", ""))
    try:
        upload = check_upload_request(
            UploadRequest(operation, key, upload_id or None, part if part is not None else None)
        )
        url = store.presign_upload(upload, current_app.config["PRESIGN_SECONDS"])
    except (ValueError, TypeError):
        return api_error(400, "invalid_upload_request")
    except BlobStoreError:
        return api_error(503, "store_unavailable")
    return jsonify(url=url, key=key)


@bp.post("/s3-uploads/finish")
@api_login_required
def s3_finish() -> tuple[Response, int] | Response:
    """A direct upload is in the bucket: ``{key, name, up_axis, unit}``; ingest takes it.
    ---
    post:
      summary: Hand a direct upload to ingest
      operationId: finishS3Upload
      tags: [studio]
      requestBody:
        required: true
        schema:
              type: object
              required: [key]
              properties:
                key: {type: string}
                name: {type: string}
                up_axis: {enum: [auto, y, z]}
                unit: {enum: [m, cm, mm]}
      responses:
        200: {description: The new model., schema: {type: object}}
        400: {description: Not a direct upload's key., schema: Error}
        404: {description: Nothing was uploaded under the key., schema: Error}
        409: {description: The store takes uploads through the app., schema: Error}
        413: {description: Larger than MAX_UPLOAD_MB., schema: Error}
        503: {description: The store did not answer., schema: Error}
    """
    if not blobs.store.takes_direct_uploads:
        return _unavailable()
    body = request.get_json(silent=True)
    key = body.get("key") if isinstance(body, dict) else None
    if not isinstance(key, str) or not is_incoming_key(key):
        return api_error(400, "invalid_key")
    assert isinstance(body, dict)
    try:
        options = processing_options(str(body.get("up_axis", "auto")), str(body.get("unit", "m")))
    except AuthoringError as error:
        return api_error(400, error.code)
    if db.session.scalar(select(ModelAsset.id).where(ModelAsset.original_key == key)):
        return _upload_error("upload_not_found")  # finished already: that model has it
    try:
        info = blobs.store.stat(key)
        if info is None:
            return _upload_error("upload_not_found")
        if info.size > ingest_limits(current_app.config).max_upload_bytes:
            blobs.store.delete(key)
            return _upload_error("upload_too_large")
    except InvalidKey:
        return _upload_error("upload_not_found")
    except BlobStoreError:
        return api_error(503, "store_unavailable")
    # The job reads the object and keeps it under its hash; this request only records it.
    name = sanitize_name(str(body.get("name", "")))
    asset = record_incoming(db.session, key, info.size, name, options)
    jobs.queue.process_model(asset.id)
    return jsonify(model=translated_status(asset))
