"""Read-only tour API and its OpenAPI document."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request, url_for
from werkzeug.wrappers import Response

from tours.catalogue import published_document
from tours.document import document_locales
from tours.listing import MAX_PAGE_SIZE, Criteria, catalogue_page, search_query
from webapp.api import bp
from webapp.api.openapi import openapi_document
from webapp.errors import api_error
from webapp.extensions import db

API_PAGE_SIZE = 50


@bp.get("/tours")
def list_tours() -> Response | tuple[Response, int]:
    """The published tours, newest first, a page at a time.
    ---
    get:
      summary: Published tours
      operationId: listTours
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
      responses:
        200:
          description: One page of published tours, with the total and the next page's link.
          schema: {type: object}
        400:
          description: >-
            The page or page size is not a positive number (invalid_page), or the search
            holds a control character (invalid_search).
          schema: Error
    """
    number = _positive_argument("page", 1)
    size = _positive_argument("per_page", API_PAGE_SIZE)
    if number is None or size is None or size > MAX_PAGE_SIZE:
        return api_error(400, "invalid_page", {"max_per_page": MAX_PAGE_SIZE})
    query = search_query(request.args.get("q", ""))
    if query is None:
        return api_error(400, "invalid_search")
    page = catalogue_page(db.session, "en", Criteria(query), number, size)
    args: dict[str, Any] = {"q": query} if query else {}
    if size != API_PAGE_SIZE:
        args["per_page"] = str(size)
    return jsonify(
        tours=[
            {
                "slug": card.slug,
                "revision": card.revision,
                "default_locale": card.default_locale,
                "locales": card.locales,
                "stops": card.stop_count,
                "rights": card.rights,
                "url": url_for("api.get_tour", slug=card.slug),
            }
            for card in page.cards
        ],
        page=page.number,
        per_page=page.size,
        pages=page.pages,
        total=page.total,
        next=url_for("api.list_tours", page=page.number + 1, **args) if page.has_next else None,
        previous=(
            url_for("api.list_tours", page=page.number - 1, **args) if page.has_previous else None
        ),
    )


def _positive_argument(name: str, default: int) -> int | None:
    """The query argument ``name`` as a number from 1, ``default`` when absent, else None."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or int(raw) < 1:
        return None
    return int(raw)


@bp.get("/tours/<slug:slug>")
def get_tour(slug: str) -> Response | tuple[Response, int]:
    """The published document of one tour.
    ---
    get:
      summary: The published document of one tour
      operationId: getTour
      responses:
        200: {description: The tour document., schema: {type: object}}
        404: {description: No published tour has this slug., schema: Error}
    """
    found = published_document(db.session, slug)
    if found is None:
        return api_error(404, "tour_not_found", {"slug": slug})
    document, revision = found
    return jsonify(revision=revision, locales=document_locales(document), document=document)


@bp.get("/openapi.json")
def openapi() -> Response:
    """This API's OpenAPI document, generated from its routes."""
    return jsonify(openapi_document(current_app))
