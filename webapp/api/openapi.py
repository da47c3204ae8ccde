"""The OpenAPI 3.1 description of the JSON API."""

from __future__ import annotations

from typing import Any

from webapp.api.openapi_studio import studio_paths

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "detail"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "detail": {"type": "object"},
            },
        }
    },
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_document() -> dict[str, Any]:
    """The API's OpenAPI document."""
    error = {"$ref": "#/components/schemas/Error"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Heritour API", "version": "1"},
        "paths": {
            **studio_paths(),
            "/api/v1/tours": {
                "get": {
                    "summary": "Published tours",
                    "operationId": "listTours",
                    "responses": {"200": _json({"type": "object"}, "The published tours.")},
                }
            },
            "/api/v1/tours/{slug}": {
                "get": {
                    "summary": "The published document of one tour",
                    "operationId": "getTour",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": _json({"type": "object"}, "The tour document."),
                        "404": _json(error, "No published tour has this slug."),
                    },
                }
            },
        },
        "components": {"schemas": {"Error": _ERROR}},
    }
