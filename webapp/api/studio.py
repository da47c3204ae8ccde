"""Studio JSON routes: model status for polling, deleting a model, the narration preview."""

from __future__ import annotations

from flask import jsonify, request
from werkzeug.wrappers import Response

from tours.apitokens import READ_DRAFTS
from tours.authoring import AuthoringError
from tours.catalogue import shown_images
from tours.db import MAX_ID
from tours.images import images_document
from tours.library import delete_model, list_models
from tours.models import ModelAsset, Tour
from tours.narration import ShownImage, render_narration
from webapp.api import bp
from webapp.errors import api_error
from webapp.extensions import db
from webapp.messages import translated_status
from webapp.studio.security import api_login_required

MAX_PREVIEW_CHARS = 200_000


def _asset(asset_id: str) -> ModelAsset | None:
    if not (asset_id.isascii() and asset_id.isdigit()) or int(asset_id) > MAX_ID:
        return None
    return db.session.get(ModelAsset, int(asset_id))


@bp.get("/models")
@api_login_required
def list_models_status() -> Response:
    """Every model with its processing status.
    ---
    get:
      summary: Models and their status
      operationId: listModels
      tags: [studio]
      responses:
        200: {description: Models., schema: {type: object}}
    """
    return jsonify(models=[translated_status(asset) for asset in list_models(db.session)])


@bp.route("/models/<asset_id>", methods=["GET", "DELETE"])
@api_login_required
def model_detail(asset_id: str) -> Response | tuple[Response, int]:
    """GET: status, progress, outcome and report. DELETE: remove an unused model.
    ---
    get:
      summary: One model's status and report
      operationId: getModel
      tags: [studio]
      responses:
        200: {description: Model., schema: {type: object}}
        404: {description: No such model., schema: Error}
    delete:
      summary: Delete a model no published tour uses
      operationId: deleteModel
      tags: [studio]
      responses:
        200: {description: Deleted., schema: {type: object}}
        404: {description: No such model., schema: Error}
        409:
          description: A published tour shows the model, or it is being processed.
          schema: Error
    """
    asset = _asset(asset_id)
    if asset is None:
        return api_error(404, "model_not_found")
    if request.method == "DELETE":
        try:
            delete_model(db.session, asset)
        except AuthoringError as error:
            return api_error(409, error.code, error.detail)
        return jsonify(deleted=int(asset_id))
    return jsonify(
        model={**translated_status(asset), "report": asset.report, "rights": asset.rights}
    )


@bp.post("/narration/preview")
@api_login_required(scope=READ_DRAFTS)
def narration_preview() -> Response | tuple[Response, int]:
    """Markdown narration rendered exactly as the tourist page renders it.
    ---
    post:
      summary: Render Markdown narration as tourists see it
      operationId: previewNarration
      tags: [studio]
      parameters:
        - {name: tour, in: query, required: false, schema: {type: string},
           description: "The id of the tour whose images ![](image:REF) shows; any other
             value shows none."}
        - {name: lang, in: query, required: false, schema: {type: string},
           description: "The language of the images' descriptions."}
      requestBody:
        required: true
        schema:
              type: object
              required: [markdown]
              properties: {markdown: {type: string}}
      responses:
        200: {description: HTML., schema: {type: object}}
        400: {description: No Markdown was sent., schema: Error}
        413: {description: Too long to preview., schema: Error}
    """
    body = request.get_json(silent=True)
    markdown = body.get("markdown") if isinstance(body, dict) else None
    if not isinstance(markdown, str):
        return api_error(400, "missing_markdown")
    if len(markdown) > MAX_PREVIEW_CHARS:
        return api_error(413, "narration_too_long")
    return jsonify(html=render_narration(markdown, _preview_images()))


def _preview_images() -> dict[str, ShownImage]:
    """The images of the tour named by ``?tour=`` as its texts in ``?lang=`` show them."""
    tour_id = request.args.get("tour", "")
    if not (tour_id.isascii() and tour_id.isdigit()) or int(tour_id) > MAX_ID:
        return {}
    tour = db.session.get(Tour, int(tour_id))
    if tour is None:
        return {}
    lang = request.args.get("lang", "") or tour.default_locale
    return shown_images(images_document(tour), lang, tour.default_locale)
