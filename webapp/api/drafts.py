"""Writing tours through the API: what the studio does, for programs with a personal token
(or a studio session with its CSRF token). Each route parses JSON and calls the same services
as the studio's forms (``tours.authoring``, ``tours.rights``, ``tours.publishing``).

A ``PATCH`` applies its fields in the order documented; when one is refused the answer is a
4xx naming it (``detail.field``) and the fields before it stay saved.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from tours.apitokens import PUBLISH
from tours.authoring import (
    add_language,
    create_tour,
    list_tours,
    save_tour_text,
    update_tour,
)
from tours.drafts import draft_document
from tours.errors import CodedError
from tours.models import Tour
from tours.publishing import PublishError, publish_tour, unpublish_tour
from tours.rights import check_rights, set_rights
from webapp.api import bp
from webapp.errors import api_error
from webapp.extensions import db
from webapp.studio.security import api_login_required

# The HTTP status of each refusal (any other code: 400).
STATUS = {"slug_taken": 409, "draft_not_found": 404, "stop_not_found": 404}


class BodyError(CodedError):
    """A JSON body that is not what the route takes."""


def body() -> dict[str, Any]:
    """The request's JSON object, else :class:`BodyError`."""
    found = request.get_json(silent=True)
    if not isinstance(found, dict):
        raise BodyError("invalid_json", "Send a JSON object.")
    return found


def text(values: dict[str, Any], name: str, default: str | None = None) -> str:
    """The string ``values[name]`` (``default`` when absent), else :class:`BodyError`."""
    value = values.get(name, default)
    if not isinstance(value, str):
        raise BodyError("invalid_field", f"{name} must be a string.", {"field": name})
    return value


def mapping(values: dict[str, Any], name: str) -> dict[str, Any]:
    """The object ``values[name]`` (empty when absent), else :class:`BodyError`."""
    value = values.get(name, {})
    if not isinstance(value, dict):
        raise BodyError("invalid_field", f"{name} must be an object.", {"field": name})
    return value


def refused(error: CodedError) -> tuple[Response, int]:
    """The 4xx answer to a refused change."""
    return api_error(STATUS.get(error.code, 400), error.code, error.detail)


def draft_or_none(tour_id: int) -> Tour | None:
    return db.session.get(Tour, tour_id)


def save_texts(
    session: Session, rows: list[Any], texts: dict[str, Any], fields: tuple[str, ...], save: Any
) -> None:
    """Save ``{lang: {field: text}}``: a field left out keeps its text in that language."""
    for lang, given in texts.items():
        if not isinstance(given, dict):
            raise BodyError("invalid_field", "texts.<lang> must be an object.", {"field": lang})
        old = next((row for row in rows if row.locale == lang), None)
        values = [text(given, name, getattr(old, name, "") if old else "") for name in fields]
        save(session, lang, *values)


@bp.route("/studio/tours", methods=["GET", "POST"])
@api_login_required
def drafts() -> Response | tuple[Response, int]:
    """GET: every draft tour. POST: a new draft, ``{slug, default_locale, title}``.
    ---
    get:
      summary: Draft tours
      operationId: listDrafts
      tags: [studio]
      responses:
        200: {description: "Every tour's draft, by slug.", schema: {type: object}}
    post:
      summary: Create a draft tour
      operationId: createDraft
      tags: [studio]
      requestBody:
        required: true
        schema:
          type: object
          required: [slug, default_locale, title]
          properties:
            slug: {type: string, pattern: "^[a-z0-9]+(?:-[a-z0-9]+)*$", maxLength: 80}
            default_locale: {type: string, description: A BCP 47 language tag.}
            title: {type: string, maxLength: 200}
      responses:
        201: {description: The new draft., schema: {type: object}}
        400: {description: A field is missing or not valid., schema: Error}
        409: {description: Another tour uses the slug., schema: Error}
    """
    if request.method == "GET":
        return jsonify(tours=[draft_document(tour) for tour in list_tours(db.session)])
    try:
        values = body()
        slug, locale = text(values, "slug"), text(values, "default_locale")
        tour = create_tour(db.session, slug, locale, text(values, "title"))
    except CodedError as error:
        return refused(error)
    response = jsonify(tour=draft_document(tour))
    response.headers["Location"] = url_for("api.draft", tour_id=tour.id)
    return response, 201


@bp.route("/studio/tours/<int:tour_id>", methods=["GET", "PATCH"])
@api_login_required
def draft(tour_id: int) -> Response | tuple[Response, int]:
    """GET: the draft. PATCH: change its settings, texts per language and rights.
    ---
    get:
      summary: One draft tour
      operationId: getDraft
      tags: [studio]
      responses:
        200:
          description: The draft, and what still stops it from being published.
          schema: {type: object}
        404: {description: No such tour., schema: Error}
    patch:
      summary: Edit a draft tour
      description: >-
        Fields are applied in this order: default_locale with latitude and longitude,
        languages, texts, rights. A field left out is kept.
      operationId: editDraft
      tags: [studio]
      requestBody:
        required: true
        schema:
          type: object
          properties:
            default_locale: {type: string}
            latitude: {type: [number, "null"], minimum: -90, maximum: 90}
            longitude: {type: [number, "null"], minimum: -180, maximum: 180}
            languages: {type: array, items: {type: string}, maxItems: 50}
            texts:
              type: object
              description: "{lang: {title, summary, site_name}}"
              additionalProperties:
                type: object
                properties:
                  title: {type: string, maxLength: 200}
                  summary: {type: string, maxLength: 2000}
                  site_name: {type: string, maxLength: 200}
            rights:
              type: [object, "null"]
              properties:
                statement: {type: string, format: uri}
                attribution: {type: string, maxLength: 300}
                source: {type: string, maxLength: 300}
                digitised: {type: string}
      responses:
        200: {description: The draft as saved., schema: {type: object}}
        400: {description: A field is not valid; detail names it., schema: Error}
        404: {description: No such tour., schema: Error}
    """
    tour = draft_or_none(tour_id)
    if tour is None:
        return api_error(404, "draft_not_found")
    if request.method == "PATCH":
        try:
            _edit_tour(tour, body())
        except CodedError as error:
            return refused(error)
    return jsonify(tour=draft_document(tour))


def _coordinate(values: dict[str, Any], name: str, current: float | None) -> str:
    value = values.get(name, current)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BodyError("invalid_field", f"{name} must be a number.", {"field": name})
    return repr(float(value))


def _edit_tour(tour: Tour, values: dict[str, Any]) -> None:
    session = db.session
    if {"default_locale", "latitude", "longitude"} & set(values):
        locale = text(values, "default_locale", tour.default_locale)
        latitude = _coordinate(values, "latitude", tour.latitude)
        update_tour(
            session, tour, locale, latitude, _coordinate(values, "longitude", tour.longitude)
        )
    languages = values.get("languages", [])
    if not isinstance(languages, list) or len(languages) > 50:
        raise BodyError(
            "invalid_field", "languages must be a list of tags.", {"field": "languages"}
        )
    for tag in languages:
        add_language(session, tour, tag if isinstance(tag, str) else "")

    def save(session: Session, lang: str, title: str, summary: str, site: str) -> None:
        save_tour_text(session, tour, lang, title, summary, site)

    fields = ("title", "summary", "site_name")
    save_texts(session, tour.texts, mapping(values, "texts"), fields, save)
    if "rights" in values:
        rights = values["rights"] or {}
        if not isinstance(rights, dict):
            raise BodyError("invalid_field", "rights must be an object.", {"field": "rights"})
        parts = ("statement", "attribution", "source", "digitised")
        set_rights(session, tour, check_rights(*(text(rights, name, "") for name in parts)))


@bp.route("/studio/tours/<int:tour_id>/publication", methods=["POST", "DELETE"])
@api_login_required(scope=PUBLISH)
def publication(tour_id: int) -> Response | tuple[Response, int]:
    """POST: publish the draft as a new revision. DELETE: take the tour down.
    ---
    post:
      summary: Publish a draft tour
      operationId: publishDraft
      tags: [studio]
      responses:
        200: {description: The revision tourists now see., schema: {type: object}}
        404: {description: No such tour., schema: Error}
        409:
          description: "The draft is not ready: detail.problems says what is missing."
          schema: Error
    delete:
      summary: Unpublish a tour (its revisions are kept)
      operationId: unpublishDraft
      tags: [studio]
      responses:
        200: {description: Taken down., schema: {type: object}}
        404: {description: No such tour., schema: Error}
    """
    tour = draft_or_none(tour_id)
    if tour is None:
        return api_error(404, "draft_not_found")
    if request.method == "DELETE":
        unpublish_tour(db.session, tour)
        return jsonify(slug=tour.slug, published_revision=None)
    try:
        revision = publish_tour(db.session, tour)
    except PublishError as error:
        problems = [{"code": p.code, "stop": p.stop, "locale": p.locale} for p in error.problems]
        return api_error(409, "not_ready_to_publish", {"problems": problems})
    public = url_for("api.get_tour", slug=tour.slug)
    return jsonify(slug=tour.slug, published_revision=revision.number, url=public)
