"""A panorama stop's viewer configuration: in its page, and as ``panorama.json`` so that a
link followed inside a headset loads the next panorama without leaving the session.

The configuration is the contract of ``static/js/panorama.js`` (see ARCHITECTURE.md): URLs
of the preview, the equirectangular image and the tiles, the start view, hotspots (label and
sanitised HTML) and links (label, the stop's page, and its ``panorama.json`` when the target
is a panorama too). Every angle is in degrees.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, abort, json, url_for
from jinja2 import pass_context
from jinja2.runtime import Context

from tours.catalogue import StopView, TourView
from tours.panoramas import DEFAULT_VIEW
from webapp.public import bp
from webapp.public.views import mode_args, tour_or_404, tour_url

TILE_PLACEHOLDERS = "{level}/{col}_{row}.jpg"


def _media(key: str) -> str:
    return url_for("media.blob", key=key)


def _config_url(
    tour: TourView,
    number: int,
    page: Callable[[int], str] | None,
    config: Callable[[int], str] | None,
) -> str | None:
    if config is not None:
        return config(number)
    if page is None:
        return url_for("public.panorama_json", slug=tour.slug, number=number)
    return None


def panorama_config(
    tour: TourView,
    stop: StopView,
    page: Callable[[int], str] | None = None,
    config: Callable[[int], str] | None = None,
) -> dict[str, Any]:
    """The viewer's configuration of panorama ``stop`` (see the module's docstring).

    Links go to the public stop pages, in the visitor's mode. ``page(number)``, when given
    (the studio's preview and editor), gives the address of stop ``number`` instead, and
    ``config(number)`` that of its configuration (the preview's ``panorama.json`` of the
    draft); without ``config`` such links have none."""
    panorama = stop.panorama or {}
    tiles = panorama.get("tiles")
    mode: dict[str, Any] = mode_args()
    links = []
    for index, spot in enumerate(stop.links, start=1):
        assert spot.link is not None
        target = tour.stops[spot.link - 1] if 1 <= spot.link <= len(tour.stops) else None
        if target is None:
            continue
        links.append(
            {
                "id": f"l{index}",
                "yaw": spot.yaw,
                "pitch": spot.pitch,
                "label": spot.label.text or target.title.text,
                "href": page(target.number)
                if page
                else url_for("public.stop", slug=tour.slug, number=target.number, **mode),
                "config": _config_url(tour, target.number, page, config)
                if target.panorama
                else None,
            }
        )
    return {
        "preview": _media(panorama["preview"]["key"]) if panorama.get("preview") else None,
        "equirect": _media(panorama["equirect"]["key"]) if panorama.get("equirect") else None,
        "tiles": {
            "url": _media(f"tiles/{tiles['set']}/0/0_0.jpg").removesuffix("0/0_0.jpg")
            + TILE_PLACEHOLDERS,
            "levels": tiles["levels"],
        }
        if tiles
        else None,
        "view": dict(stop.view or DEFAULT_VIEW),
        "hotspots": [
            {
                "id": f"h{index}",
                "yaw": spot.yaw,
                "pitch": spot.pitch,
                "label": spot.label.text,
                "html": spot.body_html,
            }
            for index, spot in enumerate(stop.spots, start=1)
        ],
        "links": links,
        "title": stop.title.text,
    }


@pass_context
def _panorama_config(context: Context, tour: TourView, stop: StopView) -> dict[str, Any]:
    """In a template: a page shown elsewhere (``tour_links``, the studio's preview) keeps its
    links there, and gives its own ``panorama.json`` addresses (``panorama_links``)."""
    if context.get("tour_links") is None:
        return panorama_config(tour, stop)
    return panorama_config(
        tour,
        stop,
        lambda number: tour_url(context, tour.slug, number, **mode_args()),
        context.get("panorama_links"),
    )


@bp.app_context_processor
def _templates() -> dict[str, Any]:
    return {"panorama_config": _panorama_config}


@bp.get("/tours/<slug:slug>/<int:number>/panorama.json")
def panorama_json(slug: str, number: int) -> Response:
    """The viewer configuration of panorama stop ``number`` (404 for a model stop)."""
    tour = tour_or_404(slug)
    if not 1 <= number <= len(tour.stops) or tour.stops[number - 1].panorama is None:
        abort(404)
    body = panorama_config(tour, tour.stops[number - 1])
    return Response(json.dumps(body), mimetype="application/json")
