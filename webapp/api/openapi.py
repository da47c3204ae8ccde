"""The OpenAPI 3.1 document of the JSON API, generated from the code by apispec.

Paths and their path parameters come from the app's URL map; each view's operations come
from its docstring, after a ``---`` line (YAML), beside the code they describe. There a
JSON body is written ``schema: ...`` (the plugin below puts it under ``application/json``),
and the studio's routes (tag ``studio``) gain their security here: a studio session with
its CSRF token, or a personal token (``bearer``) carrying the scope the operation needs, and
the answers 401 (neither), 403 (a scope missing) and 429 (a token over its rate limit).
Public reads (``READ_ENDPOINTS``) gain their 429 (the read rate limit) with ``Retry-After``.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec, BasePlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import Flask
from werkzeug.routing import BaseConverter, IntegerConverter, Rule

from tours.authoring import MAX_SLUG_LENGTH, SLUG_PATTERN
from webapp.api.schemas import body_schemas
from webapp.studio.security import needed_scope
from webapp.urls import SlugConverter

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


def _as_json(part: dict[str, Any]) -> None:
    if "schema" in part:
        part["content"] = {"application/json": {"schema": part.pop("schema")}}


_STUDIO_ANSWERS = {
    401: "Not signed in, or the token is unknown or revoked.",
    403: (
        "The token lacks the scope this operation needs, or the signed-in admin has not set"
        " up two-factor sign-in."
    ),
    429: "Too many requests with this token; Retry-After says when to try again.",
}


_CHANGES = {"POST", "PUT", "PATCH", "DELETE"}
_CSRF_REFUSAL = "From a studio session: the X-CSRFToken header is missing or wrong (csrf_failed)."


def _add_csrf_refusal(responses: dict[Any, Any]) -> None:
    """A change made with a studio session is refused with 400 without its CSRF token."""
    found = responses.get(400) or responses.get("400")
    if found is None:
        answer = {"description": _CSRF_REFUSAL, "schema": "Error"}
        _as_json(answer)
        responses[400] = answer
    elif _CSRF_REFUSAL not in found.get("description", ""):
        found["description"] = f"{found.get('description', '').rstrip()} {_CSRF_REFUSAL}".strip()
        found.setdefault("content", {"application/json": {"schema": "Error"}})


_READ_LIMITED = {
    "description": (
        "Too many reads from this address (`rate_limited`); Retry-After says in how many "
        "seconds to try again."
    ),
    "headers": {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
    "schema": "Error",
}


class HouseConventions(BasePlugin):
    """JSON bodies written ``schema: ...``; the studio's security and its refusals; the
    public reads' rate limit (``reads``: their view functions)."""

    def __init__(self, reads: frozenset[Any] = frozenset()) -> None:
        self.reads = reads

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        view = kwargs.get("view")
        for method, operation in (operations or {}).items():
            if view in self.reads and method in {"get", "head"}:
                operation.setdefault("responses", {}).setdefault(429, dict(_READ_LIMITED))
            for response in operation.get("responses", {}).values():
                _as_json(response)
            if "requestBody" in operation:
                _as_json(operation["requestBody"])
            if "studio" in operation.get("tags", []):
                for status, description in _STUDIO_ANSWERS.items():
                    answer = {"description": description, "schema": "Error"}
                    _as_json(answer)
                    operation["responses"].setdefault(status, answer)
                if method.upper() in _CHANGES:
                    _add_csrf_refusal(operation["responses"])
                scope = getattr(view, "token_scope", None) or needed_scope(method.upper())
                operation["security"] = [{"session": [], "csrf": []}, {"bearer": [scope]}]


def _parameter_schema(converter: BaseConverter) -> dict[str, Any]:
    """The JSON schema of what a path converter matches."""
    if isinstance(converter, IntegerConverter):
        schema: dict[str, Any] = {"type": "integer", "minimum": 0 if not converter.signed else None}
        if converter.min is not None:
            schema["minimum"] = converter.min
        if converter.max is not None:
            schema["maximum"] = converter.max
        return {key: value for key, value in schema.items() if value is not None}
    if isinstance(converter, SlugConverter):
        return {"type": "string", "pattern": f"^{SLUG_PATTERN}$", "maxLength": MAX_SLUG_LENGTH}
    return {"type": "string"}


def _path_parameters(rule: Rule) -> list[dict[str, Any]]:
    converters = rule._converters
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": _parameter_schema(converters[name]),
        }
        for name in sorted(rule.arguments)
    ]


def openapi_document(app: Flask) -> dict[str, Any]:
    """The API's OpenAPI document: every ``/api/v1/`` route of ``app``, the IIIF
    manifests (``/iiif/``) and oEmbed (``/oembed``)."""
    from webapp.api.exports import READ_ENDPOINTS  # the API's modules import this one

    reads = frozenset(app.view_functions[name] for name in READ_ENDPOINTS)
    spec = APISpec(
        title="Heritour API",
        version="1",
        openapi_version="3.1.0",
        plugins=[FlaskPlugin(), HouseConventions(reads)],
    )
    spec.components.schema("Error", ERROR_SCHEMA)
    for name, schema in body_schemas().items():
        spec.components.schema(name, schema)
    cookie = app.config["SESSION_COOKIE_NAME"]
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": cookie})
    spec.components.security_scheme(
        "csrf", {"type": "apiKey", "in": "header", "name": "X-CSRFToken"}
    )
    spec.components.security_scheme(
        "bearer",
        {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token made in the studio (Studio, API tokens), sent as "
                "`Authorization: Bearer htr_...`. Its scopes: `read:drafts` (read drafts, "
                "models and their processing), `write` (create and edit tours, stops and "
                "uploads), `publish` (publish and unpublish)."
            ),
        },
    )
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        documented = (
            rule.endpoint.startswith(("api.", "iiif.")) or rule.endpoint in OTHER_OPERATIONS
        )
        if documented and rule.endpoint not in PAGES_FOR_PEOPLE:
            view = app.view_functions[rule.endpoint]
            spec.path(view=view, app=app, parameters=_path_parameters(rule))
    return spec.to_dict()
