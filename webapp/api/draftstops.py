"""Stops and hotspots of a draft tour through the API, with the studio's services
(``tours.authoring``, ``tours.panoramastops``). See :mod:`webapp.api.drafts`.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from werkzeug.wrappers import Response

from tours.authoring import (
    add_hotspot,
    add_stop,
    remove_hotspot,
    remove_stop,
    reorder_stops,
    save_hotspot_text,
    save_stop_text,
    set_camera,
    set_hotspot_view,
    set_lighting,
    set_stop_model,
)
from tours.drafts import draft_document, draft_stop
from tours.errors import CodedError
from tours.models import Hotspot, Stop
from tours.panoramastops import add_panorama_hotspot, set_hotspot_link, set_panorama_view
from webapp.api import bp
from webapp.api.drafts import BodyError, body, draft_or_none, mapping, refused, save_texts, text
from webapp.errors import api_error
from webapp.extensions import db, jobs
from webapp.studio.security import api_login_required

_STOP_TEXTS = ("title", "narration", "model_alt")
_HOTSPOT_TEXTS = ("label", "body")


def _stop(tour_id: int, stop_id: int) -> Stop | None:
    stop = db.session.get(Stop, stop_id)
    return stop if stop is not None and stop.tour_id == tour_id else None


def _model_id(values: dict[str, Any]) -> int | None:
    value = values.get("model_id")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise BodyError("invalid_field", "model_id must be a number.", {"field": "model_id"})
    return value


def _edit_stop(stop: Stop, values: dict[str, Any]) -> None:
    """Apply a stop's fields in order: model, camera, panorama view, lighting, texts."""
    session = db.session
    if "model_id" in values:
        set_stop_model(session, stop, _model_id(values))
    redraw = False
    if "camera" in values:
        camera = mapping(values, "camera")
        orbit, target = text(camera, "orbit", ""), text(camera, "target", "")
        set_camera(session, stop, orbit, target, text(camera, "field_of_view", ""))
        redraw = True
    if "panorama_view" in values:
        view = mapping(values, "panorama_view")
        set_panorama_view(session, stop, view.get("yaw"), view.get("pitch"), view.get("fov"))
        redraw = True
    if "lighting" in values:
        set_lighting(session, stop, text(values, "lighting"))
        redraw = True

    def save(session: Any, lang: str, title: str, narration: str, alt: str) -> None:
        save_stop_text(session, stop, lang, title, narration, alt)

    save_texts(session, stop.texts, mapping(values, "texts"), _STOP_TEXTS, save)
    if redraw:
        jobs.queue.stop_posters(stop.id)  # as the studio does after a new view


@bp.post("/studio/tours/<int:tour_id>/stops")
@api_login_required
def draft_add_stop(tour_id: int) -> Response | tuple[Response, int]:
    """Append a stop, then apply the same fields as a stop's PATCH (refused: nothing added).
    ---
    post:
      summary: Add a stop to a draft tour
      operationId: addStop
      tags: [studio]
      requestBody:
        required: true
        schema: StopChanges
      responses:
        201: {description: The new stop., schema: {type: object}}
        400: {description: A field is not valid; detail names it., schema: Error}
        404: {description: No such tour., schema: Error}
    """
    tour = draft_or_none(tour_id)
    if tour is None:
        return api_error(404, "draft_not_found")
    try:
        values = body()
        stop = add_stop(db.session, tour, _model_id(values))
    except CodedError as error:
        return refused(error)
    try:
        _edit_stop(stop, {key: value for key, value in values.items() if key != "model_id"})
    except CodedError as error:
        remove_stop(db.session, stop)  # a refused POST adds nothing
        return refused(error)
    return jsonify(stop=draft_stop(stop)), 201


@bp.put("/studio/tours/<int:tour_id>/stops/order")
@api_login_required
def draft_stop_order(tour_id: int) -> Response | tuple[Response, int]:
    """Reorder the stops: ``{"stops": [id, ...]}`` naming each stop once.
    ---
    put:
      summary: Reorder a draft tour's stops
      operationId: reorderStops
      tags: [studio]
      requestBody:
        required: true
        schema:
          type: object
          required: [stops]
          properties: {stops: {type: array, items: {type: integer}}}
      responses:
        200: {description: The draft in its new order., schema: {type: object}}
        400: {description: The list does not name every stop once., schema: Error}
        404: {description: No such tour., schema: Error}
    """
    tour = draft_or_none(tour_id)
    if tour is None:
        return api_error(404, "draft_not_found")
    try:
        ids = body().get("stops")
        if not isinstance(ids, list) or not all(type(item) is int for item in ids):
            raise BodyError("invalid_field", "stops must list stop ids.", {"field": "stops"})
        reorder_stops(db.session, tour, ids)
    except CodedError as error:
        return refused(error)
    return jsonify(tour=draft_document(tour))


@bp.route("/studio/tours/<int:tour_id>/stops/<int:stop_id>", methods=["GET", "PATCH", "DELETE"])
@api_login_required
def draft_stop_detail(tour_id: int, stop_id: int) -> Response | tuple[Response, int]:
    """GET: one stop. PATCH: edit it. DELETE: remove it (links to it go with it).
    ---
    get:
      summary: One stop of a draft tour
      operationId: getStop
      tags: [studio]
      responses:
        200: {description: The stop., schema: {type: object}}
        404: {description: No such stop in this tour., schema: Error}
    patch:
      summary: Edit a stop
      description: >-
        Fields are applied in this order: model_id (a new model resets the view), camera or
        panorama_view, lighting, texts. A field left out is kept.
      operationId: editStop
      tags: [studio]
      requestBody:
        required: true
        schema: StopChanges
      responses:
        200: {description: The stop as saved., schema: {type: object}}
        400: {description: A field is not valid; detail names it., schema: Error}
        404: {description: No such stop in this tour., schema: Error}
    delete:
      summary: Delete a stop
      operationId: deleteStop
      tags: [studio]
      responses:
        200: {description: The draft without the stop., schema: {type: object}}
        404: {description: No such stop in this tour., schema: Error}
    """
    stop = _stop(tour_id, stop_id)
    if stop is None:
        return api_error(404, "stop_not_found")
    if request.method == "DELETE":
        tour = stop.tour
        remove_stop(db.session, stop)
        return jsonify(tour=draft_document(tour))
    if request.method == "PATCH":
        try:
            _edit_stop(stop, body())
        except CodedError as error:
            return refused(error)
    return jsonify(stop=draft_stop(stop))


def _link(values: dict[str, Any]) -> int | None:
    link = values.get("link_stop_id")
    if link is not None and type(link) is not int:
        raise BodyError("invalid_field", "link_stop_id must be a number.", {"field": "link"})
    return link


def _edit_hotspot(hotspot: Hotspot, values: dict[str, Any]) -> None:
    session = db.session
    if "view" in values:
        view = mapping(values, "view")
        parts = (text(view, name, "") for name in ("orbit", "target", "field_of_view"))
        set_hotspot_view(session, hotspot, *parts)
    if "link_stop_id" in values:
        set_hotspot_link(session, hotspot, _link(values))

    def save(session: Any, lang: str, label: str, body_text: str) -> None:
        save_hotspot_text(session, hotspot, lang, label, body_text)

    save_texts(session, hotspot.texts, mapping(values, "texts"), _HOTSPOT_TEXTS, save)


@bp.post("/studio/tours/<int:tour_id>/stops/<int:stop_id>/hotspots")
@api_login_required
def draft_add_hotspot(tour_id: int, stop_id: int) -> Response | tuple[Response, int]:
    """Place a hotspot on a model, or a hotspot or link in a panorama.
    ---
    post:
      summary: Add a hotspot (or a panorama link) to a stop
      operationId: addHotspot
      tags: [studio]
      requestBody:
        required: true
        schema: HotspotChanges
      responses:
        201: {description: The stop with its new hotspot., schema: {type: object}}
        400: {description: A field is not valid; detail names it., schema: Error}
        404: {description: No such stop in this tour., schema: Error}
    """
    stop = _stop(tour_id, stop_id)
    if stop is None:
        return api_error(404, "stop_not_found")
    try:
        values = body()
        if "yaw" in values or "pitch" in values:
            yaw, pitch = values.get("yaw"), values.get("pitch")
            hotspot = add_panorama_hotspot(db.session, stop, yaw, pitch, _link(values))
        else:
            position, normal = text(values, "position", ""), text(values, "normal", "")
            hotspot = add_hotspot(db.session, stop, position, normal)
    except CodedError as error:
        return refused(error)
    try:
        _edit_hotspot(hotspot, {key: values[key] for key in ("view", "texts") if key in values})
    except CodedError as error:
        remove_hotspot(db.session, hotspot)  # a refused POST adds nothing
        return refused(error)
    return jsonify(stop=draft_stop(stop), hotspot_id=hotspot.id), 201


@bp.route(
    "/studio/tours/<int:tour_id>/stops/<int:stop_id>/hotspots/<int:hotspot_id>",
    methods=["PATCH", "DELETE"],
)
@api_login_required
def draft_hotspot(tour_id: int, stop_id: int, hotspot_id: int) -> Response | tuple[Response, int]:
    """PATCH: a hotspot's texts, view or link. DELETE: remove it.
    ---
    patch:
      summary: Edit a hotspot
      operationId: editHotspot
      tags: [studio]
      requestBody:
        required: true
        schema: HotspotChanges
      responses:
        200: {description: The stop as saved., schema: {type: object}}
        400: {description: A field is not valid; detail names it., schema: Error}
        404: {description: No such hotspot on this stop., schema: Error}
    delete:
      summary: Delete a hotspot
      operationId: deleteHotspot
      tags: [studio]
      responses:
        200: {description: The stop without it., schema: {type: object}}
        404: {description: No such hotspot on this stop., schema: Error}
    """
    stop = _stop(tour_id, stop_id)
    hotspot = db.session.get(Hotspot, hotspot_id) if stop is not None else None
    if stop is None or hotspot is None or hotspot.stop_id != stop.id:
        return api_error(404, "hotspot_not_found")
    try:
        if request.method == "DELETE":
            remove_hotspot(db.session, hotspot)
        else:
            _edit_hotspot(hotspot, body())
    except CodedError as error:
        return refused(error)
    return jsonify(stop=draft_stop(stop))
