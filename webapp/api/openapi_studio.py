"""OpenAPI paths of the studio's JSON routes (signed-in curators; CSRF token in X-CSRFToken)."""

from __future__ import annotations

from typing import Any

_ERROR = {"$ref": "#/components/schemas/Error"}
_OBJECT = {"type": "object"}


def _json(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema or _OBJECT}},
    }


def _operation(summary: str, operation_id: str, **responses: dict[str, Any]) -> dict[str, Any]:
    answers = {code.lstrip("_"): value for code, value in responses.items()}
    answers.setdefault("401", _json("Not signed in.", _ERROR))
    return {
        "summary": summary,
        "operationId": operation_id,
        "tags": ["studio"],
        "responses": answers,
    }


def _path_param(name: str) -> list[dict[str, Any]]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}]


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def studio_paths() -> dict[str, Any]:
    """The studio's paths for the OpenAPI document."""
    upload = {"parameters": _path_param("upload_id")}
    tus_head = _operation("Where a tus upload stands", "tusOffset", _200=_json("Upload-Offset."))
    tus_patch = _operation(
        "Send the next chunk of a tus upload", "tusPatch", _204={"description": "Stored."}
    )
    tus_delete = _operation("Abandon a tus upload", "tusDelete", _204={"description": "Gone."})
    model = {"parameters": _path_param("asset_id")}
    model_delete = _operation(
        "Delete a model no published tour uses",
        "deleteModel",
        _200=_json("Deleted."),
        _409=_json("A published tour shows the model.", _ERROR),
    )
    unavailable = _json("The store takes uploads through the app.", _ERROR)
    sign = _operation(
        "Presign one S3 request of a direct (multipart) upload",
        "signS3Upload",
        _200=_json("The presigned URL and the key."),
        _400=_json("A request the app does not sign.", _ERROR),
        _409=unavailable,
    )
    sign["requestBody"] = _body(
        {
            "type": "object",
            "required": ["method"],
            "properties": {
                "method": {"enum": ["PUT", "POST", "GET", "DELETE"]},
                "key": {"type": "string"},
                "uploadId": {"type": "string"},
                "partNumber": {"type": "integer", "minimum": 1, "maximum": 10000},
            },
        }
    )
    finish = _operation(
        "Hand a direct upload to ingest",
        "finishS3Upload",
        _200=_json("The new model."),
        _413=_json("Larger than MAX_UPLOAD_MB.", _ERROR),
        _409=unavailable,
    )
    finish["requestBody"] = _body(_OBJECT)
    preview = _operation(
        "Render Markdown narration as tourists see it", "previewNarration", _200=_json("HTML.")
    )
    preview["requestBody"] = _body(
        {"type": "object", "required": ["markdown"], "properties": {"markdown": {"type": "string"}}}
    )
    # ![](image:REF) shows one of the tour's images, described in the language asked for.
    preview["parameters"] = [
        {"name": "tour", "in": "query", "required": False, "schema": {"type": "integer"}},
        {"name": "lang", "in": "query", "required": False, "schema": {"type": "string"}},
    ]
    return {
        "/api/v1/uploads": {
            "post": _operation(
                "Create a tus upload (tus 1.0.0, creation extension)",
                "tusCreate",
                _201={"description": "Created; Location names the upload."},
                _413=_json("Larger than MAX_UPLOAD_MB.", _ERROR),
            )
        },
        "/api/v1/uploads/{upload_id}": {
            **upload,
            "head": tus_head,
            "patch": tus_patch,
            "delete": tus_delete,
        },
        "/api/v1/s3-uploads/sign": {"post": sign},
        "/api/v1/s3-uploads/finish": {"post": finish},
        "/api/v1/models": {
            "get": _operation("Models and their status", "listModels", _200=_json("Models."))
        },
        "/api/v1/models/{asset_id}": {
            **model,
            "get": _operation("One model's status and report", "getModel", _200=_json("Model.")),
            "delete": model_delete,
        },
        "/api/v1/narration/preview": {"post": preview},
    }
