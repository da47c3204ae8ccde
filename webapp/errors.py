"""Error responses: translated HTML pages for people, the JSON error shape for the API."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

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


def _messages() -> dict[int, tuple[str, str]]:
    """Title and sentence for each status, in the current language."""
    return {
        400: (_("Bad request"), _("The request could not be understood. Check it and try again.")),
        403: (_("Not allowed"), _("You do not have permission to see this page.")),
        404: (
            _("Page not found"),
            _("This page does not exist or is no longer published. Try the tour catalogue."),
        ),
        405: (_("Not allowed"), _("This address does not accept that kind of request.")),
        413: (_("File too large"), _("The upload is larger than this site accepts.")),
        416: (
            _("Part of the file not found"),
            _("The requested part lies beyond the end of the file. Ask for the whole file."),
        ),
        429: (_("Too many requests"), _("Please wait a moment, then try again.")),
        500: (
            _("Something went wrong"),
            _("An unexpected error happened on our side. Please try again in a moment."),
        ),
        503: (
            _("Temporarily unavailable"),
            _("The service is briefly unavailable. Please try again in a moment."),
        ),
    }


def api_error(
    status: int, code: str, message: str, detail: dict[str, Any] | None = None
) -> tuple[Response, int]:
    """A JSON error in the house shape."""
    body = {"error": {"code": code, "message": message, "detail": detail or {}}}
    return jsonify(body), status


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException) -> Response:
    """Render ``error`` as JSON under /api/, as a translated page elsewhere.

    Headers the error carries (``Allow`` on 405, ``Content-Range`` on 416) are kept.
    """
    status = error.code or 500
    title, message = _messages().get(status, (error.name, error.description or ""))
    if _wants_json():
        response = make_response(api_error(status, CODES.get(status, "http_error"), message))
    else:
        page = render_template("error.html", status=status, title=title, message=message)
        response = make_response(page, status)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, handle_http_error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        app.logger.exception("unhandled error", exc_info=error)
        return handle_http_error(InternalServerError())
