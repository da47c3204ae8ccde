"""Read-only tour API and its OpenAPI document."""

from __future__ import annotations

from flask import current_app, jsonify, url_for
from werkzeug.wrappers import Response

from tours.catalogue import published_document, published_tours
from tours.document import document_locales
from webapp.api import bp
from webapp.api.openapi import openapi_document
from webapp.errors import api_error
from webapp.extensions import db


@bp.get("/tours")
def list_tours() -> Response:
    """The published tours.
    ---
    get:
      summary: Published tours
      operationId: listTours
      responses:
        200: {description: The published tours., schema: {type: object}}
    """
    tours = published_tours(db.session, "en")
    return jsonify(
        tours=[
            {
                "slug": tour.slug,
                "revision": tour.revision,
                "default_locale": tour.default_locale,
                "locales": tour.locales,
                "stops": len(tour.stops),
                "rights": tour.rights,
                "url": url_for("api.get_tour", slug=tour.slug),
            }
            for tour in tours
        ]
    )


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
