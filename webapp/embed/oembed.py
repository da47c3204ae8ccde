"""oEmbed (https://oembed.com): ``/oembed?url=<stop or tour page>`` describes the page as a
``rich`` item whose HTML is an iframe of the stop's embed page.

Accepted URLs are this site's (its own host or ``HERITOUR_PUBLIC_URL``): a stop page
(``/<lang>/tours/<slug>/<n>``), a tour overview (its first stop) and the embed pages
themselves. Only JSON is served: ``format=xml`` answers 501, as the specification asks.
``maxwidth`` and ``maxheight`` shrink the frame, keeping its proportions.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, g, jsonify, request
from markupsafe import escape
from PIL import Image, UnidentifiedImageError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from tours.blobstore import BlobStoreError
from tours.catalogue import StopView, TourView, published_tour
from tours.locales import DEFAULT_LOCALE, INTERFACE_LOCALES
from webapp.embed import bp
from webapp.errors import api_error
from webapp.extensions import blobs, db
from webapp.i18n import negotiate, visitor_languages
from webapp.public.links import public_url
from webapp.public.social import LINK_PREVIEW_POSTER

WIDTH, HEIGHT = 640, 480  # the frame's size when the consumer sets no maximum
MIN_SIDE = 1
PREVIEW_SIZE = (1200, 630)
# Endpoints an oEmbed URL may name, and whether the URL names one stop.
PAGES = {"public.stop": True, "public.tour": False, "embed.stop": True}
LANGUAGE_FREE = "embed.stop_any_language"


def _error(status: int, code: str) -> Response:
    response, _status = api_error(status, code)
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _own_hosts() -> set[str]:
    hosts = {request.host}
    public = str(current_app.config.get("PUBLIC_URL") or "")
    if public:
        hosts.add(urlsplit(public).netloc)
    return hosts


def _page(url: str) -> dict[str, Any] | None:
    """The arguments (``slug``, maybe ``lang`` and ``number``) of ``url`` when it is a stop
    or tour page of this site."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or parts.netloc not in _own_hosts():
        return None
    adapter = current_app.url_map.bind(parts.netloc, url_scheme=parts.scheme)
    try:
        endpoint, values = adapter.match(parts.path or "/", method="GET")
    except HTTPException:  # not found, redirects (a missing slash), other methods
        return None
    if endpoint not in PAGES and endpoint != LANGUAGE_FREE:
        return None
    if values.get("lang", DEFAULT_LOCALE) not in INTERFACE_LOCALES:
        return None
    return dict(values)


def _size(name: str) -> int | None:
    """The integer ``maxwidth`` or ``maxheight``; ``None`` when absent; 0 when invalid."""
    raw = request.args.get(name)
    if raw is None:
        return None
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0 else 0


def frame_size(max_width: int | None, max_height: int | None) -> tuple[int, int]:
    """The frame's width and height within the consumer's maximums, in proportion."""
    scale = min(1.0, (max_width or WIDTH) / WIDTH, (max_height or HEIGHT) / HEIGHT)
    return max(MIN_SIDE, int(WIDTH * scale)), max(MIN_SIDE, int(HEIGHT * scale))


def iframe_html(src: str, title: str, size: tuple[int, int]) -> str:
    """The iframe that shows the embed page ``src`` (what oEmbed and the studio hand out)."""
    width, height = size
    return (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
        f'title="{escape(title)}" style="border:0" loading="lazy" '
        'allow="fullscreen; gyroscope; accelerometer; xr-spatial-tracking" '
        "allowfullscreen></iframe>"
    )


def _thumbnail(stop: StopView) -> dict[str, Any]:
    """The stop's poster: its link preview (1200 × 630) or, without one, its poster."""
    preview = (stop.posters or {}).get(LINK_PREVIEW_POSTER)
    if preview:
        width, height = PREVIEW_SIZE
        key = preview
    elif stop.poster_key:
        key = stop.poster_key
        try:
            with blobs.store.open(key) as stream, Image.open(stream) as image:
                width, height = image.size
        except (BlobStoreError, UnidentifiedImageError, OSError):
            return {}
    else:
        return {}
    return {
        "thumbnail_url": public_url("media.blob", key=key),
        "thumbnail_width": width,
        "thumbnail_height": height,
    }


def _credit(tour: TourView, stop: StopView) -> dict[str, str]:
    """The rights of what the frame shows: the model's or panorama's, else the tour's."""
    for kind, rights in stop.credits:
        if kind in {"model", "panorama"}:
            return rights
    return tour.rights or {}


def oembed_answer(
    tour: TourView, stop: StopView, frame_url: str, size: tuple[int, int]
) -> dict[str, Any]:
    """The oEmbed ``rich`` answer for ``stop`` shown by ``frame_url`` at ``size``."""
    width, height = size
    title = f"{stop.title.text} · {tour.title.text}"
    html = iframe_html(frame_url, title, size)
    rights = _credit(tour, stop)
    answer: dict[str, Any] = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": current_app.config["SITE_NAME"],
        "provider_url": public_url("root"),
        "html": html,
        "width": width,
        "height": height,
        **_thumbnail(stop),
    }
    if rights.get("attribution"):
        answer["author_name"] = rights["attribution"]
    if rights.get("statement"):
        answer["license_url"] = rights["statement"]
    return answer


@bp.get("/oembed")
def oembed() -> Response:
    """oEmbed description of a stop or tour page: a rich item whose HTML is an iframe.
    ---
    get:
      summary: oEmbed for a stop or tour page
      description: >-
        The page's stop (a tour's first stop) as an oEmbed 1.0 `rich` item: an iframe of
        `/<lang>/embed/<slug>/<n>` (language-free URLs give `/embed/<slug>/<n>`, which
        follows the visitor's language), its size within `maxwidth` and `maxheight`, the
        title, the attribution as `author_name`, the rights statement as `license_url` and
        the poster as the thumbnail. JSON only.
      tags: [embed]
      parameters:
        - {name: url, in: query, required: true, schema: {type: string, format: uri}}
        - {name: format, in: query, schema: {type: string, enum: [json, xml]}}
        - {name: maxwidth, in: query, schema: {type: integer, minimum: 1, maximum: 99999}}
        - {name: maxheight, in: query, schema: {type: integer, minimum: 1, maximum: 99999}}
      responses:
        200:
          description: The oEmbed answer.
          schema:
            type: object
            required: [version, type, html, width, height, title, provider_name]
        400:
          description: No `url`, or a maximum that is not a positive integer.
          schema: Error
        404:
          description: The URL names no published stop or tour of this site.
          schema: Error
        501:
          description: A format other than JSON was asked for.
          schema: Error
    """
    if request.args.get("format", "json") != "json":
        return _error(501, "oembed_format")
    url = request.args.get("url", "")
    max_width, max_height = _size("maxwidth"), _size("maxheight")
    if not url or max_width == 0 or max_height == 0:
        return _error(400, "oembed_bad_request")
    values = _page(url)
    if values is None:
        return _error(404, "oembed_not_found")
    lang = values.get("lang") or negotiate(request.accept_languages) or DEFAULT_LOCALE
    g.lang = lang
    tour = published_tour(db.session, values["slug"], lang, visitor_languages())
    number = values.get("number", 1)
    if tour is None or not 1 <= number <= len(tour.stops):
        return _error(404, "oembed_not_found")
    if "lang" in values:
        frame = public_url("embed.stop", slug=tour.slug, number=number, lang=lang)
    else:
        frame = public_url("embed.stop_any_language", slug=tour.slug, number=number)
    body = oembed_answer(tour, tour.stops[number - 1], frame, frame_size(max_width, max_height))
    response = jsonify(body)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
