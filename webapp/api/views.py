"""Read-only tour API and its OpenAPI document: the catalogue of published tours (searched,
filtered, or ordered by distance) and each tour's document."""

from __future__ import annotations

import functools
import math
from typing import Any, Literal

from babel import Locale
from flask import current_app, jsonify, request, url_for
from werkzeug.wrappers import Response

from tours.catalogue import published_document
from tours.document import document_locales
from tours.listing import (
    MAX_PAGE_SIZE,
    Criteria,
    Page,
    catalogue_languages,
    catalogue_page,
    catalogue_version,
    primary_language,
    search_query,
)
from tours.locales import Picked, is_language_tag, normalize_tag
from tours.nearby import location_point, parse_point
from webapp.api import bp
from webapp.api.exports import media_url
from webapp.api.openapi import openapi_document
from webapp.api.reads import PRIVATE_CACHE_CONTROL, not_modified, public_read, read_etag
from webapp.errors import api_error
from webapp.extensions import db
from webapp.public.links import public_url

API_PAGE_SIZE = 50


@bp.get("/tours")
def list_tours() -> Response | tuple[Response, int]:
    """The published tours, newest first (or nearest first), a page at a time.
    ---
    get:
      summary: Published tours
      operationId: listTours
      description: >
        Each tour's title, summary and site name are given in `lang` (falling back along
        the tour's default language, then English, then Vietnamese), each as `{text,
        language, fell_back}` with the language actually used; its poster's address, its
        place (`location`, or null), its rights and its stops. With `near`, tours are
        ordered by the distance of their site (those without a place last), each with
        `distance_km`, and the answer is `Cache-Control: private` (it depends on the
        caller's position). Answers conditional requests (ETag) and may be read from any
        origin (CORS).
      parameters:
        - name: page
          in: query
          description: The page number, from 1.
          schema: {type: integer, minimum: 1}
        - name: per_page
          in: query
          description: How many tours a page holds.
          schema: {type: integer, minimum: 1, maximum: 100}
        - name: q
          in: query
          description: >-
            Words found in titles, summaries or site names (case and accents ignored); only
            the first 100 characters are read.
          schema: {type: string}
        - name: lang
          in: query
          description: The language to give texts in (a BCP 47 tag; default `en`).
          schema: {type: string, maxLength: 35, examples: [vi, en, zh-Hant]}
        - name: language
          in: query
          description: Only tours with texts in this language (a BCP 47 tag; `en` matches `en-GB`).
          schema: {type: string, maxLength: 35}
        - name: site
          in: query
          description: >-
            Only tours at this site, by its name in the tour's default language (case and
            accents ignored); only the first 100 characters are read.
          schema: {type: string}
        - name: near
          in: query
          description: Order by distance from this place, `latitude,longitude` in degrees.
          schema: {type: string, examples: ["16.4698,107.5786"]}
        - name: within_km
          in: query
          description: With `near`, only tours whose site is at most this many kilometres away.
          schema: {type: number, minimum: 0}
      responses:
        200:
          description: One page of published tours, with the total and the next page's link.
          schema: {type: object}
        304: {description: The copy the client holds is current.}
        400:
          description: >
            A parameter is not valid: `invalid_page` (page or page size), `invalid_language`
            (`lang` or `language` is not the BCP 47 tag of a known language), `invalid_near`
            (not two numbers on the globe), `invalid_within` (`within_km` not a number from
            0, or without `near`), `invalid_search` (`q` or `site` holds a
            control character).
          schema: Error
    """
    number = _positive_argument("page", 1)
    size = _positive_argument("per_page", API_PAGE_SIZE)
    if number is None or size is None or size > MAX_PAGE_SIZE:
        return api_error(400, "invalid_page", {"max_per_page": MAX_PAGE_SIZE})
    query, site = (
        search_query(request.args.get("q", "")),
        search_query(request.args.get("site", "")),
    )
    if query is None or site is None:
        return api_error(400, "invalid_search")
    lang, language = language_argument("lang"), language_argument("language")
    if lang is None or language is None:
        return api_error(400, "invalid_language", {"parameters": ["lang", "language"]})
    near = parse_point(request.args.get("near", "")) if "near" in request.args else None
    if "near" in request.args and near is None:
        return api_error(400, "invalid_near", {"example": "16.4698,107.5786"})
    within = _distance_argument("within_km")
    if within is False or (within is not None and near is None):
        return api_error(400, "invalid_within", {"needs": "near"})
    etag = read_etag(catalogue_version(db.session))
    cached = not_modified(etag)
    if cached is None:
        page = catalogue_page(
            db.session,
            lang or "en",
            Criteria(query, language, site),
            number,
            size,
            near=near,
            within_km=within,
        )
        args = {
            "q": query,
            "lang": lang,
            "language": language,
            "site": site,
            "near": request.args.get("near", "").strip() if near else "",
            "within_km": request.args.get("within_km", "").strip() if within is not None else "",
            "per_page": str(size) if size != API_PAGE_SIZE else "",
        }
        cached = public_read(jsonify(_listing(page, {k: v for k, v in args.items() if v})), etag)
    if near is not None:
        cached.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return cached


def picked_text(picked: Picked) -> dict[str, Any]:
    """A text chosen for the caller, the language it is in, and whether it fell back."""
    return {"text": picked.text, "language": picked.locale, "fell_back": picked.fell_back}


def _listing(page: Page, args: dict[str, Any]) -> dict[str, Any]:
    """The JSON of one page of the catalogue; ``args`` are kept on the next/previous links."""
    items = []
    for card in page.cards:
        item = {
            "slug": card.slug,
            "revision": card.revision,
            "default_locale": card.default_locale,
            "locales": card.locales,
            "title": picked_text(card.title),
            "summary": picked_text(card.summary),
            "site_name": picked_text(card.site_name),
            "poster": media_url(card.poster_key) if card.poster_key else None,
            "location": _location(card.location),
            "stops": card.stop_count,
            "minutes": card.minutes,
            "rights": card.rights,
            "url": url_for("api.get_tour", slug=card.slug),
        }
        if card.distance_km is not None or "near" in args:
            item["distance_km"] = (
                round(card.distance_km, 3) if card.distance_km is not None else None
            )
        items.append(item)
    return {
        "tours": items,
        "page": page.number,
        "per_page": page.size,
        "pages": page.pages,
        "total": page.total,
        "next": url_for("api.list_tours", page=page.number + 1, **args) if page.has_next else None,
        "previous": (
            url_for("api.list_tours", page=page.number - 1, **args) if page.has_previous else None
        ),
    }


def _location(location: dict[str, Any] | None) -> dict[str, float] | None:
    point = location_point(location)
    return {"latitude": point.latitude, "longitude": point.longitude} if point else None


def _positive_argument(name: str, default: int) -> int | None:
    """The query argument ``name`` as a number from 1, ``default`` when absent, else None."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or int(raw) < 1:
        return None
    return int(raw)


def language_argument(name: str) -> str | None:
    """The query argument ``name`` as a normalised BCP 47 tag, "" when absent or empty, None
    when it is not the tag of a language: not well-formed, or naming a language that neither
    the Unicode CLDR nor any published tour knows."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return ""
    if not is_language_tag(raw.replace("_", "-")):
        return None
    tag = normalize_tag(raw)
    primary = primary_language(tag)
    if primary in _cldr_languages():
        return tag
    published = {primary_language(other) for other in catalogue_languages(db.session)}
    return tag if primary in published else None


@functools.cache
def _cldr_languages() -> frozenset[str]:
    """The language codes the Unicode CLDR names (about 650)."""
    return frozenset(str(code).lower() for code in Locale("en").languages)


def _distance_argument(name: str) -> float | Literal[False] | None:
    """The query argument ``name`` as kilometres from 0, None when absent, False when it is
    not such a number (negative, not finite, not a number)."""
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        value = float(raw) if len(raw) <= 20 else math.nan
    except ValueError:
        return False
    if not math.isfinite(value) or value < 0:
        return False
    return value


@bp.get("/tours/<slug:slug>")
def get_tour(slug: str) -> Response | tuple[Response, int]:
    """The published document of one tour.
    ---
    get:
      summary: The published document of one tour
      operationId: getTour
      description: >
        The tour document (format `heritour.tour`, as in bundles) with its revision, its
        languages, and `stops`: the number and address of each stop in this API (see
        getPublishedStop). Answers conditional requests (ETag) and may be read from any
        origin (CORS).
      responses:
        200: {description: The tour document., schema: {type: object}}
        304: {description: The copy the client holds is current.}
        404: {description: No published tour has this slug (`tour_not_found`)., schema: Error}
    """
    etag = read_etag(catalogue_version(db.session))
    if (cached := not_modified(etag)) is not None:
        return cached
    found = published_document(db.session, slug)
    if found is None:
        return api_error(404, "tour_not_found", {"slug": slug})
    document, revision = found
    stops = [
        {"number": number, "url": public_url("api.get_stop", slug=slug, number=number)}
        for number in range(1, len(document["stops"]) + 1)
    ]
    response = jsonify(
        revision=revision, locales=document_locales(document), stops=stops, document=document
    )
    return public_read(response, etag)


@bp.get("/openapi.json")
def openapi() -> Response:
    """This API's OpenAPI document, generated from its routes."""
    return jsonify(openapi_document(current_app))
