"""Stop editor for a panorama stop: the start view, hotspots placed by direction, links to
other stops. The live viewer (``static/js/studio/panorama-editor.js``) sends the same forms
as a browser without JavaScript, asking for JSON."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tours.authoring import AuthoringError, save_hotspot_text
from tours.models import Stop
from tours.panoramastops import add_panorama_hotspot, set_hotspot_link, set_panorama_view
from webapp.errors import api_error
from webapp.extensions import db, jobs
from webapp.messages import error_message
from webapp.studio import bp
from webapp.studio.views_stops import _back, _hotspot_or_404, _wants_json, stop_or_404


def _link_id(value: str | None) -> int | None:
    """The target stop's id from a form ("" for no link)."""
    value = (value or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise AuthoringError("invalid_link", "A link must lead to another stop of this tour.")
    return int(value)


def _refused(stop: Stop, error: AuthoringError, lang: str | None = None) -> Any:
    if _wants_json():
        return api_error(400, error.code)
    flash(error_message(error.code), "error")
    return _back(stop, lang)


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/panorama/view")
def panorama_view(tour_id: int, stop_id: int) -> Response | tuple[Response, int]:
    """Keep the start view (yaw, pitch, field of view in degrees); posters are drawn there."""
    stop = stop_or_404(tour_id, stop_id)
    form = request.form
    try:
        set_panorama_view(db.session, stop, form.get("yaw"), form.get("pitch"), form.get("fov"))
    except AuthoringError as error:
        return _refused(stop, error)
    jobs.queue.stop_posters(stop.id)
    if _wants_json():
        return jsonify(view=stop.panorama_view)
    flash(_("The start view is saved."))
    return _back(stop)


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/panorama/hotspots")
def panorama_add_hotspot(tour_id: int, stop_id: int) -> Response | tuple[Response, int]:
    """A hotspot (or, with ``link``, a link to that stop) at a direction of the panorama."""
    stop = stop_or_404(tour_id, stop_id)
    form = request.form
    lang = form.get("lang") or None
    try:
        hotspot = add_panorama_hotspot(
            db.session, stop, form.get("yaw"), form.get("pitch"), _link_id(form.get("link"))
        )
        label = form.get("label", "").strip()
        if label and lang:
            save_hotspot_text(db.session, hotspot, lang, label, form.get("body", ""))
    except AuthoringError as error:
        return _refused(stop, error, lang)
    if _wants_json():
        return jsonify(
            hotspot={
                "id": hotspot.id,
                "yaw": hotspot.yaw,
                "pitch": hotspot.pitch,
                "link": hotspot.link_stop_id,
            }
        )
    target = url_for("studio.stop", tour_id=tour_id, stop_id=stop.id, lang=lang)
    return redirect(f"{target}#hotspot-{hotspot.id}")


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/hotspots/<int:hotspot_id>/link")
def hotspot_link(tour_id: int, stop_id: int, hotspot_id: int) -> Response | tuple[Response, int]:
    """Make a panorama hotspot a link to another stop, or a plain hotspot again."""
    stop = stop_or_404(tour_id, stop_id)
    hotspot = _hotspot_or_404(stop, hotspot_id)
    lang = request.form.get("lang") or None
    try:
        set_hotspot_link(db.session, hotspot, _link_id(request.form.get("link")))
    except AuthoringError as error:
        return _refused(stop, error, lang)
    if _wants_json():
        return jsonify(hotspot={"id": hotspot.id, "link": hotspot.link_stop_id})
    flash(_("The link is saved."))
    return _back(stop, lang)
