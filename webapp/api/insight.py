"""The beacon that counts what visitors do, with nothing that identifies them.

Pages send events with ``navigator.sendBeacon`` (see static/js/insight.js). The request
carries no cookie the app reads and its address is not kept: the event only adds one to a
counter of the day (see :mod:`tours.insight`). Do Not Track and Global Privacy Control turn
counting off, in the page and here.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from flask import current_app, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from tours.authoring import MAX_SLUG_LENGTH, SLUG_PATTERN
from tours.insight import DEVICES, EVENTS, CountKey, today
from tours.locales import INTERFACE_LOCALES
from tours.models import CatalogueEntry
from webapp.api import bp
from webapp.errors import api_error
from webapp.extensions import db, insight
from webapp.studio.security import csrf

MAX_BEACON_BYTES = 1024
MAX_STOPS = 10_000
PUBLISHED_SECONDS = 60
MAX_KEPT = 10_000
_SLUG = re.compile(SLUG_PATTERN)


def counting_refused() -> bool:
    """Whether the visitor asked not to be counted (Do Not Track, Global Privacy Control)."""
    return request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1"


def _event(body: Any) -> tuple[str, int, str, str, str] | None:
    """The event's tour slug, stop, language, kind and device, if they are well formed."""
    if not isinstance(body, dict):
        return None
    slug, stop = body.get("tour"), body.get("stop", 0)
    lang, event, device = body.get("lang"), body.get("event"), body.get("device")
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug) or len(slug) > MAX_SLUG_LENGTH:
        return None
    if type(stop) is not int or not 0 <= stop <= MAX_STOPS:
        return None
    if lang not in INTERFACE_LOCALES or event not in EVENTS or device not in DEVICES:
        return None
    return slug, stop, lang, event, device


@bp.post("/events")
@csrf.exempt
def count_event() -> Response | tuple[Response, int]:
    """Count one visitor event. Nothing that identifies the visitor is read or kept.
    ---
    post:
      summary: Count a visitor event
      operationId: countEvent
      description: >
        Adds one to the day's counter of a published tour's page. Sent by the tour pages with
        navigator.sendBeacon; ignored when the request says DNT 1 or Sec-GPC 1.
      requestBody:
        required: true
        schema:
          type: object
          required: [tour, lang, event, device]
          properties:
            tour:
              type: string
              pattern: "^[a-z0-9]+(?:-[a-z0-9]+)*$"
              maxLength: 80
              description: The tour's slug.
            stop:
              type: integer
              minimum: 0
              maximum: 10000
              description: "The stop; 0 for the tour's pages."
            lang: {type: string, enum: [vi, en, fr, zh, ko, ja]}
            event: {type: string, enum: [view, complete, offline_save, ar, vr, audio, model_error]}
            device: {type: string, enum: [phone, tablet, desktop, headset]}
      responses:
        204: {description: "Counted, or not counted because the visitor asked so."}
        400: {description: The event is not one the app counts., schema: Error}
        404: {description: No published tour has this slug or stop., schema: Error}
    """
    if not current_app.config["INSIGHT"] or counting_refused():
        return Response(status=204)
    raw = request.stream.read(MAX_BEACON_BYTES + 1)
    try:
        event = _event(json.loads(raw)) if len(raw) <= MAX_BEACON_BYTES else None
    except ValueError:
        event = None
    if event is None:
        return api_error(400, "invalid_event")
    slug, stop, lang, kind, device = event
    tour = _published_tour(slug)
    if tour is None or stop > tour[1]:
        return api_error(404, "tour_not_found")
    insight.buffer.add(CountKey(today(), tour[0], stop, lang, kind, device))
    return Response(status=204)


def _published_tour(slug: str) -> tuple[int, int] | None:
    """The id and stop count of the published tour ``slug``, kept by this process for a
    little while (beacons come by the thousand; a tour taken down is counted a minute more
    at most)."""
    now, known = time.monotonic(), insight.published
    kept = known.get(slug)
    if kept is not None and now - kept[0] < PUBLISHED_SECONDS:
        return kept[1]
    entry = db.session.execute(
        select(CatalogueEntry.tour_id, CatalogueEntry.card).where(CatalogueEntry.slug == slug)
    ).first()
    tour = (entry.tour_id, entry.card["stops"]) if entry is not None else None
    if len(known) >= MAX_KEPT:
        known.clear()
    known[slug] = (now, tour)
    return tour
