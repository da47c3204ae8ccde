"""Error responses: translated HTML pages for people, the JSON error shape for the API.

Every error answer is built here from a status and a stable code; the sentence for the
code comes from :mod:`webapp.messages`.
"""

from __future__ import annotations

import contextlib
from typing import Any

from flask import Flask, current_app, jsonify, make_response, render_template, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from webapp.messages import error_message, error_title

# HTTP status -> stable error code used in the JSON shape.
CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    416: "range_not_satisfiable",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


def api_error(status: int, code: str, detail: dict[str, Any] | None = None) -> tuple[Response, int]:
    """A JSON error in the house shape: ``code`` with its sentence in the visitor's language."""
    body = {"error": {"code": code, "message": error_message(code), "detail": detail or {}}}
    return jsonify(body), status


def status_code(status: int) -> str:
    """The generic code of an HTTP status (one without its own code falls back by class)."""
    return CODES.get(status) or ("bad_request" if status < 500 else "internal_error")


def error_page(status: int, code: str | None = None) -> tuple[str, int]:
    """A translated HTML error page about ``code`` (by default, the status's generic code)."""
    code = code or status_code(status)
    page = render_template(
        "error.html", status=status, title=error_title(code), message=error_message(code)
    )
    return page, status


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/iiif/"))


def handle_http_error(error: HTTPException) -> Response:
    """Render ``error`` as JSON under /api/, as a translated page elsewhere.

    Headers the error carries (``Allow`` on 405, ``Content-Range`` on 416) are kept.
    """
    status = error.code or 500
    if _wants_json():
        response = make_response(api_error(status, status_code(status)))
    else:
        response = make_response(error_page(status))
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_database_error(error: DBAPIError) -> Response:
    """The database is down or restarting: 503 ``database_unavailable``, with Retry-After.

    Only errors of the connection count (``OperationalError``, or one SQLAlchemy saw as a
    disconnect); the pool's pre-ping replaces dead connections, so the requests after the
    outage work again without restarting anything."""
    from webapp.extensions import db

    with contextlib.suppress(Exception):
        db.session.rollback()
    if not (isinstance(error, OperationalError) or error.connection_invalidated):
        current_app.logger.exception("unhandled database error", exc_info=error)
        return handle_http_error(InternalServerError())
    if _wants_json():
        response = make_response(api_error(503, "database_unavailable"))
    else:
        response = make_response(error_page(503, "database_unavailable"))
    response.headers["Retry-After"] = "5"
    return response


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DBAPIError, handle_database_error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        app.logger.exception("unhandled error", exc_info=error)
        return handle_http_error(InternalServerError())
