"""The OpenAPI 3.1 document of the JSON API, generated from the code by apispec.

Paths and their path parameters come from the app's URL map; each view's operations come
from its docstring, after a ``---`` line (YAML), beside the code they describe. There a
JSON body is written ``schema: ...`` (the plugin below puts it under ``application/json``),
and the studio's routes (tag ``studio``) gain their 401 answer and security here.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec, BasePlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import Flask
from werkzeug.routing import Rule

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "detail"],
            "properties": {
                "code": {"type": "string", "description": "Stable, snake_case."},
                "message": {"type": "string", "description": "In the visitor's language."},
                "detail": {"type": "object"},
            },
        }
    },
}
# Routes of the API blueprint that are not part of the JSON API itself.
PAGES_FOR_PEOPLE = ("api.openapi", "api.docs")
# Routes outside ``/api/v1/`` that are part of the document.
OTHER_OPERATIONS = ("embed.oembed",)
_TYPES = {"IntegerConverter": "integer", "FloatConverter": "number"}


def _as_json(part: dict[str, Any]) -> None:
    if "schema" in part:
        part["content"] = {"application/json": {"schema": part.pop("schema")}}


class HouseConventions(BasePlugin):
    """JSON bodies written ``schema: ...``; the studio's 401 answer and security."""

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        for operation in (operations or {}).values():
            for response in operation.get("responses", {}).values():
                _as_json(response)
            if "requestBody" in operation:
                _as_json(operation["requestBody"])
            if "studio" in operation.get("tags", []):
                unauthorised = {"description": "Not signed in.", "schema": "Error"}
                _as_json(unauthorised)
                operation["responses"].setdefault(401, unauthorised)
                operation["security"] = [{"session": [], "csrf": []}]


def _path_parameters(rule: Rule) -> list[dict[str, Any]]:
    converters = rule._converters
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": _TYPES.get(type(converters[name]).__name__, "string")},
        }
        for name in sorted(rule.arguments)
    ]


def openapi_document(app: Flask) -> dict[str, Any]:
    """The API's OpenAPI document: every ``/api/v1/`` route of ``app``, the IIIF
    manifests (``/iiif/``) and oEmbed (``/oembed``)."""
    spec = APISpec(
        title="Heritour API",
        version="1",
        openapi_version="3.1.0",
        plugins=[FlaskPlugin(), HouseConventions()],
    )
    spec.components.schema("Error", ERROR_SCHEMA)
    cookie = app.config["SESSION_COOKIE_NAME"]
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": cookie})
    spec.components.security_scheme(
        "csrf", {"type": "apiKey", "in": "header", "name": "X-CSRFToken"}
    )
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        documented = (
            rule.endpoint.startswith(("api.", "iiif.")) or rule.endpoint in OTHER_OPERATIONS
        )
        if documented and rule.endpoint not in PAGES_FOR_PEOPLE:
            view = app.view_functions[rule.endpoint]
            spec.path(view=view, app=app, parameters=_path_parameters(rule))
    return spec.to_dict()
