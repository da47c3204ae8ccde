"""Named JSON schemas of the API's request bodies (components of the OpenAPI document), for
bodies that several operations share."""

from __future__ import annotations

from typing import Any

from tours.textlimits import limit

_STRING: dict[str, Any] = {"type": "string"}


def _texts(fields: dict[str, dict[str, Any]], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "additionalProperties": {"type": "object", "properties": fields},
    }


def _view() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "A view in model-viewer's notation.",
        "properties": {
            "orbit": {"type": "string", "examples": ["0deg 75deg 2m"]},
            "target": {"type": "string", "examples": ["0m 0.5m 0m"]},
            "field_of_view": {"type": "string", "examples": ["30deg"]},
        },
    }


def body_schemas() -> dict[str, dict[str, Any]]:
    """Name -> JSON schema."""
    stop_texts = {
        "title": {"type": "string", "maxLength": limit("title")},
        "narration": {"type": "string", "maxLength": limit("narration")},
        "model_alt": {"type": "string", "maxLength": limit("model_alt")},
    }
    hotspot_texts = {
        "label": {"type": "string", "maxLength": limit("label")},
        "body": {"type": "string", "maxLength": limit("body")},
    }
    return {
        "StopChanges": {
            "type": "object",
            "properties": {
                "model_id": {
                    "type": ["integer", "null"],
                    "description": "A model or panorama asset (see /api/v1/models).",
                },
                "camera": _view(),
                "panorama_view": {
                    "type": "object",
                    "description": "A panorama's start view, in degrees.",
                    "properties": {
                        "yaw": {"type": "number"},
                        "pitch": {"type": "number", "minimum": -90, "maximum": 90},
                        "fov": {"type": "number", "minimum": 30, "maximum": 90},
                    },
                },
                "lighting": _STRING,
                "texts": _texts(stop_texts, "{lang: {title, narration (Markdown), model_alt}}"),
            },
        },
        "HotspotChanges": {
            "type": "object",
            "description": (
                "On a model: position (and normal) in model-viewer's notation. In a panorama: "
                "yaw and pitch in degrees, and link_stop_id to make it a link to another stop."
            ),
            "properties": {
                "position": {"type": "string", "examples": ["0m 0.5m 0.5m"]},
                "normal": {"type": "string", "examples": ["0 1 0"]},
                "yaw": {"type": "number"},
                "pitch": {"type": "number", "minimum": -90, "maximum": 90},
                "link_stop_id": {"type": ["integer", "null"]},
                "view": _view(),
                "texts": _texts(hotspot_texts, "{lang: {label, body (Markdown)}}"),
            },
        },
    }
