"""``/healthz``: 200 when the database and the blob store answer, 503 with the reason if not.

The answer is public, so it names what failed but not where it lives (hosts, paths): the
details go to the log.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from tours.blobstore import BlobStoreError
from webapp.extensions import blobs, db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except SQLAlchemyError as error:
        current_app.logger.warning("health: database unreachable: %s", error)
        checks["database"] = "unreachable"
    try:
        blobs.store.check()
        checks["blob_store"] = "ok"
    except BlobStoreError as error:
        current_app.logger.warning("health: blob store unreachable: %s", error)
        checks["blob_store"] = "unreachable"
    healthy = all(value == "ok" for value in checks.values())
    response = jsonify(status="ok" if healthy else "unavailable", checks=checks)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if healthy else 503
