"""Stop editor: model, camera view and poster, hotspots, texts per language, audio, order."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tours.authoring import (
    LIGHTING_PRESETS,
    AuthoringError,
    add_hotspot,
    move_stop,
    remove_hotspot,
    remove_stop,
    save_hotspot_text,
    save_stop_text,
    set_camera,
    set_hotspot_view,
    set_lighting,
    set_stop_location,
    set_stop_model,
    tour_languages,
)
from tours.library import list_models
from tours.models import AssetStatus, Hotspot, Stop
from tours.stopmedia import MAX_CAPTIONS_BYTES, remove_audio, set_audio, store_poster
from webapp.config import MB
from webapp.errors import api_error
from webapp.extensions import blobs, db, jobs
from webapp.messages import error_message, flash_saved
from webapp.studio import bp
from webapp.studio.panorama_editor import editor_config
from webapp.studio.views_tours import editing_language, tour_or_404

MAX_POSTER_BYTES = 8 * 1024 * 1024


def stop_or_404(tour_id: int, stop_id: int) -> Stop:
    """The stop ``stop_id`` of tour ``tour_id``, or a 404 page."""
    tour = tour_or_404(tour_id)
    stop = next((stop for stop in tour.stops if stop.id == stop_id), None)
    if stop is None:
        abort(404)
    return stop


def _hotspot_or_404(stop: Stop, hotspot_id: int) -> Hotspot:
    hotspot = next((spot for spot in stop.hotspots if spot.id == hotspot_id), None)
    if hotspot is None:
        abort(404)
    return hotspot


def _back(stop: Stop, lang: str | None = None) -> Response:
    return redirect(url_for("studio.stop", tour_id=stop.tour_id, stop_id=stop.id, lang=lang))


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.get("/tours/<int:tour_id>/stops/<int:stop_id>")
def stop(tour_id: int, stop_id: int) -> str:
    stop = stop_or_404(tour_id, stop_id)
    lang = editing_language(stop.tour)
    return render_template(
        "studio/stop.html",
        tour=stop.tour,
        stop=stop,
        number=stop.tour.stops.index(stop) + 1,
        content_lang=lang,
        languages=tour_languages(stop.tour),
        text=next((row for row in stop.texts if row.locale == lang), None),
        audio=next((row for row in stop.audio if row.locale == lang), None),
        hotspot_texts={
            spot.id: next((row for row in spot.texts if row.locale == lang), None)
            for spot in stop.hotspots
        },
        models=[m for m in list_models(db.session) if m.status == AssetStatus.READY],
        lighting_presets=LIGHTING_PRESETS,
        panorama=editor_config(stop, lang),
    )


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/move")
def stop_move(tour_id: int, stop_id: int) -> Response:
    """Move up or down by one place (works without JavaScript)."""
    stop = stop_or_404(tour_id, stop_id)
    move_stop(db.session, stop, -1 if request.form.get("direction") == "up" else 1)
    return redirect(url_for("studio.tour", tour_id=tour_id) + "#stops")


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/delete")
def stop_delete(tour_id: int, stop_id: int) -> Response:
    remove_stop(db.session, stop_or_404(tour_id, stop_id))
    flash(_("The stop is removed."))
    return redirect(url_for("studio.tour", tour_id=tour_id) + "#stops")


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/model")
def stop_model(tour_id: int, stop_id: int) -> Response:
    stop = stop_or_404(tour_id, stop_id)
    model_id = request.form.get("model", "")
    try:
        set_stop_model(
            db.session, stop, int(model_id) if model_id.isascii() and model_id.isdigit() else None
        )
    except AuthoringError as error:
        flash(error_message(error.code), "error")
    return _back(stop)


def _framing(form: Any) -> dict[str, Any] | None:
    """The framed region sent with the camera (``half_width``, ``half_height`` in metres),
    or None when the form has none (the camera typed as numbers)."""
    sizes = {name: form.get(name, "").strip() for name in ("half_width", "half_height")}
    if not any(sizes.values()):
        return None
    try:
        return {name: float(value) for name, value in sizes.items()}
    except ValueError:
        raise AuthoringError("invalid_camera", "The framed region is not valid.") from None


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/camera")
def stop_camera(tour_id: int, stop_id: int) -> Response | tuple[Response, int]:
    """Keep the viewer's camera (orbit, target, field of view) and the poster captured there."""
    stop = stop_or_404(tour_id, stop_id)
    form = request.form
    try:
        poster_key = None
        poster = request.files.get("poster")
        if poster is not None:
            data = poster.stream.read(MAX_POSTER_BYTES + 1)
            if len(data) > MAX_POSTER_BYTES:
                raise AuthoringError("invalid_poster", "The poster is too large.")
            poster_key = store_poster(blobs.store, data)
        set_camera(
            db.session,
            stop,
            form.get("orbit", ""),
            form.get("target", ""),
            form.get("field_of_view", ""),
            poster_key,
            _framing(form),
        )
    except AuthoringError as error:
        if _wants_json():
            return api_error(400, error.code)
        flash(error_message(error.code), "error")
        return _back(stop)
    jobs.queue.stop_posters(stop.id)  # drawn at this exact camera, for every screen
    if _wants_json():
        return jsonify(
            camera={
                "orbit": stop.camera_orbit,
                "target": stop.camera_target,
                "field_of_view": stop.field_of_view,
                "framing": stop.framing,
            },
            poster=stop.poster_key,
        )
    flash(_("The camera view is saved."))
    return _back(stop)


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/lighting")
def stop_lighting(tour_id: int, stop_id: int) -> Response:
    """Keep the lighting preset chosen (previewed live in the editor)."""
    stop = stop_or_404(tour_id, stop_id)
    try:
        set_lighting(db.session, stop, request.form.get("lighting", ""))
    except AuthoringError as error:
        flash(error_message(error.code), "error")
        return _back(stop)
    jobs.queue.stop_posters(stop.id)
    flash(_("The lighting is saved."))
    return _back(stop)


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/location")
def stop_location(tour_id: int, stop_id: int) -> Response:
    """Where the stop is on the ground: tourists nearby get it sorted and directions to it."""
    stop = stop_or_404(tour_id, stop_id)
    try:
        set_stop_location(
            db.session, stop, request.form.get("latitude", ""), request.form.get("longitude", "")
        )
    except AuthoringError as error:
        flash(error_message(error.code), "error")
        return _back(stop)
    flash(_("The stop's location is saved."))
    return _back(stop)


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/hotspots/<int:hotspot_id>/view")
def hotspot_view(tour_id: int, stop_id: int, hotspot_id: int) -> Response | tuple[Response, int]:
    """Give a hotspot the viewer's current camera (or none, when the fields are empty)."""
    stop = stop_or_404(tour_id, stop_id)
    spot = db.session.get(Hotspot, hotspot_id)
    if spot is None or spot.stop_id != stop.id:
        abort(404)
    form = request.form
    try:
        set_hotspot_view(
            db.session,
            spot,
            form.get("orbit", ""),
            form.get("target", ""),
            form.get("field_of_view", ""),
        )
    except AuthoringError as error:
        if _wants_json():
            return api_error(400, error.code)
        flash(error_message(error.code), "error")
        return _back(stop)
    if _wants_json():
        return jsonify(view=spot.view)
    flash(_("The hotspot's view is saved."))
    return _back(stop)


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/texts/<lang>")
def stop_texts(tour_id: int, stop_id: int, lang: str) -> Response:
    stop = stop_or_404(tour_id, stop_id)
    form = request.form
    flash_saved(
        lambda: save_stop_text(
            db.session,
            stop,
            lang,
            form.get("title", ""),
            form.get("narration", ""),
            form.get("model_alt", ""),
        )
    )
    return _back(stop, lang)


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/hotspots")
def stop_add_hotspot(tour_id: int, stop_id: int) -> Response | tuple[Response, int]:
    """A hotspot at the clicked point of the model (``position`` and ``normal``)."""
    stop = stop_or_404(tour_id, stop_id)
    lang = request.form.get("lang") or None
    try:
        hotspot = add_hotspot(
            db.session, stop, request.form.get("position", ""), request.form.get("normal", "")
        )
        label = request.form.get("label", "").strip()
        if label and lang:
            save_hotspot_text(db.session, hotspot, lang, label, request.form.get("body", ""))
    except AuthoringError as error:
        if _wants_json():
            return api_error(400, error.code)
        flash(error_message(error.code), "error")
        return _back(stop, lang)
    if _wants_json():
        return jsonify(hotspot={"id": hotspot.id, "position": hotspot.surface_position})
    return redirect(
        url_for("studio.stop", tour_id=tour_id, stop_id=stop.id, lang=lang)
        + f"#hotspot-{hotspot.id}"
    )


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/hotspots/<int:hotspot_id>/texts/<lang>")
def hotspot_texts(tour_id: int, stop_id: int, hotspot_id: int, lang: str) -> Response:
    stop = stop_or_404(tour_id, stop_id)
    hotspot = _hotspot_or_404(stop, hotspot_id)
    form = request.form
    flash_saved(
        lambda: save_hotspot_text(
            db.session, hotspot, lang, form.get("label", ""), form.get("body", "")
        )
    )
    return _back(stop, lang)


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/hotspots/<int:hotspot_id>/delete")
def hotspot_delete(tour_id: int, stop_id: int, hotspot_id: int) -> Response:
    stop = stop_or_404(tour_id, stop_id)
    remove_hotspot(db.session, _hotspot_or_404(stop, hotspot_id))
    flash(_("The hotspot is removed."))
    return _back(stop, request.form.get("lang") or None)


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/audio/<lang>")
def stop_audio(tour_id: int, stop_id: int, lang: str) -> Response:
    stop = stop_or_404(tour_id, stop_id)
    audio, captions = request.files.get("audio"), request.files.get("captions")
    if audio is None or not audio.filename:
        flash(_("Choose an audio file."), "error")
        return _back(stop, lang)
    try:
        set_audio(
            db.session,
            blobs.store,
            stop,
            lang,
            audio.stream,
            captions.stream.read(MAX_CAPTIONS_BYTES + 1)
            if captions and captions.filename
            else None,
            current_app.config["MAX_AUDIO_MB"] * MB,
        )
        flash(_("The audio is saved."))
    except AuthoringError as error:
        flash(error_message(error.code), "error")
    return _back(stop, lang)


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/audio/<lang>/delete")
def stop_audio_delete(tour_id: int, stop_id: int, lang: str) -> Response:
    stop = stop_or_404(tour_id, stop_id)
    remove_audio(db.session, stop, lang)
    flash(_("The audio is removed."))
    return _back(stop, lang)
