"""The model library pages: upload, processing status, report, re-process, delete."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tours.authoring import AuthoringError
from tours.ingest import store_original
from tours.library import (
    UNITS,
    UP_AXES,
    delete_model,
    list_models,
    prepare_reprocess,
    processing_options,
    tours_using,
)
from tours.models import ModelAsset
from tours.uploads import sanitize_name
from webapp.config import MB, ingest_limits
from webapp.extensions import blobs, db, jobs
from webapp.messages import (
    error_message,
    gpu_megabytes,
    level_name,
    level_texture_memory,
    model_error,
    note_message,
    panorama_correction,
    phone_reason,
    severity_word,
    validator_message,
)
from webapp.studio import bp, get_or_404

LEVELS = ("thumb", "low", "medium", "high")


def model_or_404(asset_id: int) -> ModelAsset:
    """The model asset ``asset_id``, or a 404 page."""
    return get_or_404(ModelAsset, asset_id)


@bp.get("/models/")
def models() -> str:
    direct = blobs.store.takes_direct_uploads
    return render_template(
        "studio/models.html",
        models=list_models(db.session),
        up_axes=UP_AXES,
        units=UNITS,
        direct_upload=direct,
        max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
        max_upload_bytes=ingest_limits(current_app.config).max_upload_bytes,
        chunk_bytes=current_app.config["UPLOAD_CHUNK_MB"] * MB,
    )


@bp.post("/models/")
def upload_model() -> Response | tuple[str, int]:
    """The upload form without JavaScript: one file in one request (up to MAX_UPLOAD_MB)."""
    file = request.files.get("file")
    try:
        options = processing_options(
            request.form.get("up_axis", "auto"), request.form.get("unit", "m")
        )
    except AuthoringError as error:
        flash(error_message(error.code), "error")
        return redirect(url_for("studio.models"))
    if file is None or not file.filename:
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("studio.models"))
    asset = store_original(
        db.session, blobs.store, file.stream, sanitize_name(file.filename), options
    )
    jobs.queue.process_model(asset.id)
    flash(_("%(name)s is uploaded and queued for processing.", name=asset.name))
    return redirect(url_for("studio.model", asset_id=asset.id))


@bp.get("/models/<int:asset_id>")
def model(asset_id: int) -> str:
    asset = model_or_404(asset_id)
    published, drafts = tours_using(db.session, asset)
    return render_template(
        "studio/model.html",
        asset=asset,
        report=asset.report or {},
        levels=[(level, asset.levels[level]) for level in LEVELS if level in asset.levels],
        up_axes=UP_AXES,
        units=UNITS,
        published=published,
        drafts=drafts,
        phone_reason=phone_reason,
        model_error=model_error,
        note_message=note_message,
        severity_word=severity_word,
        level_name=level_name,
        validator_message=validator_message,
        gpu_megabytes=gpu_megabytes,
        level_texture_memory=level_texture_memory,
        panorama_correction=panorama_correction,
    )


@bp.post("/models/<int:asset_id>/reprocess")
def reprocess_model(asset_id: int) -> Response:
    asset = model_or_404(asset_id)
    try:
        prepare_reprocess(
            db.session, asset, request.form.get("up_axis", ""), request.form.get("unit", "")
        )
    except AuthoringError as error:
        flash(error_message(error.code), "error")
        return redirect(url_for("studio.model", asset_id=asset.id))
    jobs.queue.process_model(asset.id)
    flash(_("The model is queued for processing with the new options."))
    return redirect(url_for("studio.model", asset_id=asset.id))


@bp.post("/models/<int:asset_id>/delete")
def remove_model(asset_id: int) -> Response | tuple[str, int]:
    asset = model_or_404(asset_id)
    name = asset.name
    try:
        delete_model(db.session, asset)
    except AuthoringError as error:
        flash(error_message(error.code), "error")
        return redirect(url_for("studio.model", asset_id=asset_id))
    flash(_("Deleted %(name)s.", name=name))
    return redirect(url_for("studio.models"))
