"""Narration audio of a stop, and a model's rights and processing options, through the API,
with the studio's services (``tours.stopmedia``, ``tours.rights``, ``tours.library``).
See :mod:`webapp.api.drafts`."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from werkzeug.wrappers import Response

from tours.drafts import draft_stop
from tours.errors import CodedError
from tours.library import prepare_reprocess
from tours.models import ModelAsset, Stop
from tours.rights import check_rights, set_rights
from tours.stopmedia import MAX_CAPTIONS_BYTES, remove_audio, set_audio
from webapp.api import bp
from webapp.api.drafts import BodyError, body, refused, text
from webapp.config import MB
from webapp.errors import api_error
from webapp.extensions import blobs, db, jobs
from webapp.messages import translated_status
from webapp.studio.security import api_login_required

RIGHTS_FIELDS = ("statement", "attribution", "source", "digitised")
STATUS = {"audio_too_large": 413, "captions_too_large": 413, "model_busy": 409}


def _rights(values: Any) -> dict[str, str] | None:
    """Rights from a JSON object or a form (all fields empty: none)."""
    return check_rights(*(str(values.get(name, "") or "") for name in RIGHTS_FIELDS))


@bp.route("/studio/tours/<int:tour_id>/stops/<int:stop_id>/audio/<lang>", methods=["PUT", "DELETE"])
@api_login_required
def draft_stop_audio(tour_id: int, stop_id: int, lang: str) -> Response | tuple[Response, int]:
    """PUT: the stop's narration audio in ``lang`` (replacing any). DELETE: remove it.
    ---
    put:
      summary: Set a stop's narration audio in one language
      operationId: setStopAudio
      tags: [studio]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [audio]
              properties:
                audio: {type: string, format: binary, description: "MP3, AAC or Ogg."}
                captions: {type: string, format: binary, description: WebVTT captions.}
                statement: {type: string, format: uri, description: The audio's rights.}
                attribution: {type: string, maxLength: 300}
                source: {type: string, maxLength: 300}
                digitised: {type: string}
      responses:
        200: {description: The stop with its audio., schema: {type: object}}
        400:
          description: >-
            Not MP3, AAC or Ogg (unsupported_audio), damaged so that it does not decode
            (audio_undecodable), longer than an hour (audio_too_long), or bad captions or
            rights.
          schema: Error
        404: {description: No such stop in this tour., schema: Error}
        413: {description: The audio or captions are too large., schema: Error}
    delete:
      summary: Remove a stop's narration audio in one language
      operationId: deleteStopAudio
      tags: [studio]
      responses:
        200: {description: The stop without it., schema: {type: object}}
        404: {description: No such stop in this tour., schema: Error}
    """
    stop = db.session.get(Stop, stop_id)
    if stop is None or stop.tour_id != tour_id:
        return api_error(404, "stop_not_found")
    if request.method == "DELETE":
        remove_audio(db.session, stop, lang)
        return jsonify(stop=draft_stop(stop))
    audio, captions = request.files.get("audio"), request.files.get("captions")
    try:
        if audio is None:
            raise BodyError("invalid_field", "Send the audio as a file.", {"field": "audio"})
        rights = _rights(request.form)
        caption_bytes = captions.stream.read(MAX_CAPTIONS_BYTES + 1) if captions else None
        max_bytes = current_app.config["MAX_AUDIO_MB"] * MB
        row = set_audio(db.session, blobs.store, stop, lang, audio.stream, caption_bytes, max_bytes)
        set_rights(db.session, row, rights)
    except CodedError as error:
        if error.code in STATUS:
            return api_error(STATUS[error.code], error.code, error.detail)
        return refused(error)
    return jsonify(stop=draft_stop(stop))


@bp.put("/models/<int:asset_id>/rights")
@api_login_required
def model_rights(asset_id: int) -> Response | tuple[Response, int]:
    """Set the rights under which a model or panorama may be reused (all empty: none).
    ---
    put:
      summary: Set a model's rights statement, attribution and source
      operationId: setModelRights
      tags: [studio]
      requestBody:
        required: true
        schema:
          type: object
          properties:
            statement: {type: string, format: uri}
            attribution: {type: string, maxLength: 300}
            source: {type: string, maxLength: 300}
            digitised: {type: string, description: "YYYY, YYYY-MM or YYYY-MM-DD."}
      responses:
        200: {description: The model with its rights., schema: {type: object}}
        400: {description: The rights are not valid., schema: Error}
        404: {description: No such model., schema: Error}
    """
    asset = db.session.get(ModelAsset, asset_id)
    if asset is None:
        return api_error(404, "model_not_found")
    try:
        values = body()
        for name in RIGHTS_FIELDS:
            text(values, name, "")
        set_rights(db.session, asset, _rights(values))
    except CodedError as error:
        return refused(error)
    return jsonify(model={**translated_status(asset), "rights": asset.rights})


@bp.post("/models/<int:asset_id>/reprocess")
@api_login_required
def model_reprocess(asset_id: int) -> Response | tuple[Response, int]:
    """Process a model again with other options (its up axis and unit).
    ---
    post:
      summary: Process a model again with other options
      operationId: reprocessModel
      tags: [studio]
      requestBody:
        required: true
        schema:
          type: object
          required: [up_axis, unit]
          properties:
            up_axis: {enum: [auto, y, z]}
            unit: {enum: [m, cm, mm]}
      responses:
        202:
          description: "Queued: follow it at /api/v1/models/{asset_id}."
          schema: {type: object}
        400: {description: Options not in the lists., schema: Error}
        404: {description: No such model., schema: Error}
        409: {description: The model is being processed., schema: Error}
    """
    asset = db.session.get(ModelAsset, asset_id)
    if asset is None:
        return api_error(404, "model_not_found")
    try:
        values = body()
        prepare_reprocess(db.session, asset, text(values, "up_axis"), text(values, "unit"))
    except CodedError as error:
        if error.code in STATUS:
            return api_error(STATUS[error.code], error.code, error.detail)
        return refused(error)
    jobs.queue.process_model(asset.id)
    return jsonify(model=translated_status(asset)), 202
