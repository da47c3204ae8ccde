"""One stop of a published tour for other apps (``/api/v1/tours/<slug>/stops/<n>``): the
prepared stop view tourists' pages use (:class:`tours.catalogue.StopView`), as JSON.

Texts come in the language asked for (``?lang=``), falling back like the pages do, each with
the language actually used; the narration also as HTML (its images' addresses absolute). A
model stop gives its levels of detail (addresses and sizes), a panorama stop the viewer's
configuration of its stop page (:func:`webapp.public.panorama.panorama_config`: preview,
equirectangular image, tiles, start view). Every address is absolute. A public read: ETag and
304, CORS, the read rate limit.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from werkzeug.wrappers import Response

from tours.catalogue import AudioView, HotspotView, StopView, TourView, published_tour
from tours.listing import catalogue_version
from tours.locales import INTERFACE_LOCALES
from tours.narration import MEDIA_PREFIX
from webapp.api import bp
from webapp.api.exports import media_url
from webapp.api.reads import not_modified, public_read, read_etag
from webapp.api.views import language_argument, picked_text
from webapp.errors import api_error
from webapp.extensions import db
from webapp.public.links import absolute_url, public_url
from webapp.public.panorama import panorama_config

DEFAULT_LANGUAGE = "en"


def stop_url(slug: str, number: int) -> str:
    """The absolute address of stop ``number`` of tour ``slug`` in this API."""
    return public_url("api.get_stop", slug=slug, number=number)


@bp.get("/tours/<slug:slug>/stops/<int:number>")
def get_stop(slug: str, number: int) -> Response | tuple[Response, int]:
    """One stop of a published tour, in the language asked for.
    ---
    get:
      summary: One stop of a published tour
      operationId: getPublishedStop
      description: >
        Stop `number` (from 1): its title, narration (Markdown as `text`, and `html`) and
        model description, each as `{text, language, fell_back}` (the language used after
        falling back along the tour's default language, English, then Vietnamese); what it
        shows (`kind`): a model's levels of detail (`url`, `bytes`, `triangles`) with its
        camera, or a panorama's viewer configuration (`preview`, `equirect`, `tiles` with a
        `{level}/{col}_{row}.jpg` address template and the levels, start `view` in degrees);
        its poster and posters; narration audio with captions in that language, if any;
        hotspots; links (a panorama's ways to another stop, by its `stop` number and
        address); the rights of what it shows (`rights`: statement URI, attribution,
        source, date of digitisation), of its audio and images (`credits`) and of the
        tour's texts (`tour_rights`), and the line to credit (`attribution`: that of what it
        shows, else the tour's). Answers conditional requests (ETag) and may be
        read from any origin (CORS).
      parameters:
        - name: lang
          in: query
          description: The language to give texts in (a BCP 47 tag; default `en`).
          schema: {type: string, maxLength: 35, examples: [vi, en, zh-Hant]}
      responses:
        200: {description: The stop., schema: {type: object}}
        304: {description: The copy the client holds is current.}
        400:
          description: "`lang` is not the BCP 47 tag of a known language (`invalid_language`)."
          schema: Error
        404:
          description: >
            No published tour has this slug (`tour_not_found`), or it has no stop with this
            number (`stop_not_found`).
          schema: Error
    """
    lang = language_argument("lang")
    if lang is None:
        return api_error(400, "invalid_language", {"parameters": ["lang"]})
    etag = read_etag(catalogue_version(db.session))
    if (cached := not_modified(etag)) is not None:
        return cached
    tour = published_tour(db.session, slug, lang or DEFAULT_LANGUAGE)
    if tour is None:
        return api_error(404, "tour_not_found", {"slug": slug})
    if not 1 <= number <= len(tour.stops):
        return api_error(404, "stop_not_found", {"slug": slug, "stops": len(tour.stops)})
    return public_read(jsonify(stop_json(tour, tour.stops[number - 1])), etag)


def stop_json(tour: TourView, stop: StopView) -> dict[str, Any]:
    """What the API says about ``stop`` of ``tour``; ``page`` is the stop's page for people,
    in the interface language nearest the text's."""
    total = len(tour.stops)
    kind = "panorama" if stop.panorama else ("model" if stop.levels else None)
    shown = next((rights for what, rights in stop.credits if what == kind), None)
    primary = stop.title.locale.split("-")[0].lower()
    page_language = primary if primary in INTERFACE_LOCALES else DEFAULT_LANGUAGE
    return {
        "tour": {
            "slug": tour.slug,
            "revision": tour.revision,
            "title": picked_text(tour.title),
            "url": public_url("api.get_tour", slug=tour.slug),
        },
        "number": stop.number,
        "stops": total,
        "kind": kind,
        "title": picked_text(stop.title),
        "narration": {**picked_text(stop.narration), "html": _html(stop.narration_html, tour)},
        "model_alt": picked_text(stop.model_alt),
        "model": _model(stop) if kind == "model" else None,
        "panorama": _panorama(tour, stop) if kind == "panorama" else None,
        "poster": media_url(stop.poster_key) if stop.poster_key else None,
        "posters": {name: media_url(key) for name, key in sorted((stop.posters or {}).items())},
        "audio": _audio(stop.audio),
        "hotspots": [_hotspot(spot, tour) for spot in stop.spots],
        "links": [_link(tour, spot) for spot in stop.links if _target(tour, spot)],
        "location": stop.location,
        "rights": shown,
        "attribution": _attribution(shown, tour.rights),
        "credits": [{"for": what, **rights} for what, rights in stop.credits],
        "tour_rights": tour.rights,
        "page": public_url("public.stop", lang=page_language, slug=tour.slug, number=stop.number),
        "previous": stop_url(tour.slug, stop.number - 1) if stop.number > 1 else None,
        "next": stop_url(tour.slug, stop.number + 1) if stop.number < total else None,
    }


def _attribution(*owners: dict[str, str] | None) -> str | None:
    """The first attribution line among the rights of ``owners``, or None."""
    for rights in owners:
        line = (rights or {}).get("attribution")
        if line:
            return line
    return None


def _model(stop: StopView) -> dict[str, Any]:
    """A model stop's levels of detail (address and sizes), its camera and its lighting."""
    levels = {
        name: {"url": media_url(level["key"]), **_sizes(level)}
        for name, level in stop.levels.items()
        if isinstance(level, dict) and level.get("key")
    }
    return {
        "levels": levels,
        "camera": stop.camera,
        "lighting": stop.lighting,
        "units_known": stop.units_known,
        "ar": media_url(stop.ar_key) if stop.ar_key else None,
    }


_SIZES = ("bytes", "triangles", "width", "height")


def _sizes(level: dict[str, Any]) -> dict[str, Any]:
    return {name: level[name] for name in _SIZES if name in level}


def _panorama(tour: TourView, stop: StopView) -> dict[str, Any]:
    """A panorama stop's viewer configuration, as its page has it, with absolute addresses."""
    config = panorama_config(tour, stop, page=lambda number: stop_url(tour.slug, number))
    tiles = config["tiles"]
    panorama = stop.panorama or {}
    return {
        "preview": absolute_url(config["preview"]) if config["preview"] else None,
        "equirect": absolute_url(config["equirect"]) if config["equirect"] else None,
        "tiles": {"url": absolute_url(tiles["url"]), "levels": tiles["levels"]} if tiles else None,
        "view": config["view"],
        "width": panorama.get("width"),
        "height": panorama.get("height"),
    }


def _audio(audio: AudioView | None) -> dict[str, Any] | None:
    if audio is None:
        return None
    return {
        "url": media_url(audio.key),
        "type": audio.content_type,
        "language": audio.locale,
        "captions": media_url(audio.captions_key) if audio.captions_key else None,
        "rights": audio.rights,
    }


def _html(html: str, tour: TourView) -> str:
    """Narration HTML with the addresses of the tour's images made absolute."""
    for key in tour.image_keys:
        if key in html:
            html = html.replace(MEDIA_PREFIX + key, media_url(key))
    return html


def _hotspot(spot: HotspotView, tour: TourView) -> dict[str, Any]:
    """A hotspot: on a model (``position``, ``normal``, ``view``) or in a panorama (angles)."""
    place: dict[str, Any] = (
        {"yaw": spot.yaw, "pitch": spot.pitch}
        if spot.yaw is not None
        else {"position": spot.position, "normal": spot.normal, "view": spot.view}
    )
    return {
        "label": picked_text(spot.label),
        "body": {**picked_text(spot.body), "html": _html(spot.body_html, tour)},
        **place,
    }


def _target(tour: TourView, spot: HotspotView) -> StopView | None:
    if spot.link is None or not 1 <= spot.link <= len(tour.stops):
        return None
    return tour.stops[spot.link - 1]


def _link(tour: TourView, spot: HotspotView) -> dict[str, Any]:
    """A panorama's way to another stop: its direction, label, stop number and address."""
    target = _target(tour, spot)
    assert target is not None and spot.link is not None
    label = spot.label if spot.label.text else target.title
    return {
        "yaw": spot.yaw,
        "pitch": spot.pitch,
        "label": picked_text(label),
        "stop": spot.link,
        "url": stop_url(tour.slug, spot.link),
    }
