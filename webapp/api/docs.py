"""The API's reference for people, at ``/api/v1/docs``: the OpenAPI document rendered as a page.

Rendered on the server from the same generated document as ``/api/v1/openapi.json``, so the
two never disagree; headings are in the reader's interface language, the descriptions (written
beside the code, in English) are marked as such.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template

from webapp.api import bp
from webapp.api.openapi import openapi_document

METHODS = ("get", "post", "put", "patch", "delete", "head")


def _body_fields(document: dict[str, Any], body: dict[str, Any] | None) -> list[str]:
    """The names of a JSON request body's fields (a named schema looked up), sorted."""
    schema = ((body or {}).get("content") or {}).get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return sorted(schema.get("properties", {}))


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per (path, method), in path order, with the path's own parameters merged in."""
    found = []
    for path, item in document["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            if method in item:
                operation = item[method]
                parameters = shared + operation.get("parameters", [])
                found.append(
                    {
                        "path": path,
                        "method": method.upper(),
                        "anchor": operation.get("operationId") or f"{method}-{path}",
                        "operation": operation,
                        "parameters": parameters,
                        "body": operation.get("requestBody"),
                        "fields": _body_fields(document, operation.get("requestBody")),
                        "responses": sorted(operation.get("responses", {}).items()),
                    }
                )
    return found


@bp.get("/docs")
def docs() -> str:
    document = openapi_document(current_app)
    return render_template("api/docs.html", document=document, operations=_operations(document))
