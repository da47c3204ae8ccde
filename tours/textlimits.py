"""How long each text of a tour may be, checked the same way in the editor, the API and bundles.

The limits keep one curator's text from making every visitor's page slow (narration is
Markdown rendered for each language) while leaving room for real tours: the narration
limit is about 3,000 words, twenty minutes of listening. A text over its limit is refused
with a stable code (``<field>_too_long``), never cut silently.

A text holds no control characters (``control_characters``): none at all in a one-line text
(a title, a label), and none but tab and line breaks in the others. Besides being invisible,
a NUL is refused by PostgreSQL.
"""

from __future__ import annotations

import re
from typing import Any

from tours.errors import CodedError

# field -> (most characters, the error's code)
TEXT_LIMITS: dict[str, tuple[int, str]] = {
    "title": (200, "title_too_long"),
    "summary": (2_000, "summary_too_long"),
    "site_name": (200, "site_name_too_long"),
    "narration": (20_000, "stop_narration_too_long"),
    "model_alt": (500, "model_alt_too_long"),
    "label": (120, "hotspot_label_too_long"),
    "body": (5_000, "hotspot_text_too_long"),
}
# Texts of several lines (Markdown, or paragraphs); the others are one line.
MULTILINE = frozenset({"summary", "narration", "body"})
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TextRefused(CodedError):
    """A text a field may not hold; ``detail`` has the field and place."""


class TextTooLong(TextRefused):
    """A text is longer than its field allows; ``detail`` has the field, limit and place."""


class ControlCharacters(TextRefused):
    """A text holds a control character its field may not hold."""


def limit(field: str) -> int:
    """The most characters the text ``field`` may hold."""
    return TEXT_LIMITS[field][0]


def check_text(field: str, text: str, **where: Any) -> str:
    """``text`` if it fits ``field``; else :class:`TextTooLong` with the field's code, or
    :class:`ControlCharacters`."""
    most, code = TEXT_LIMITS[field]
    control = _CONTROL_MULTILINE if field in MULTILINE else _CONTROL_ONE_LINE
    found = control.search(text)
    if found is not None:
        raise ControlCharacters(
            "control_characters",
            f"The {field} holds the control character U+{ord(found.group()):04X}.",
            {"field": field, "position": found.start(), **where},
        )
    if len(text) > most:
        raise TextTooLong(
            code,
            f"The {field} has {len(text)} characters; at most {most} are allowed.",
            {"field": field, "limit": most, "length": len(text), **where},
        )
    return text


def _check_texts(owner: Any, fields: tuple[str, ...], **where: Any) -> None:
    if not isinstance(owner, dict):
        return
    for field in fields:
        texts = owner.get(field)
        if isinstance(texts, dict):
            for locale, text in texts.items():
                if isinstance(text, str):
                    check_text(field, text, locale=locale, **where)


def check_document_texts(document: Any) -> None:
    """Check every text of a tour document (as in a bundle) against its limit.

    Tolerates a document of the wrong shape: the bundle schema reports that afterwards."""
    _check_texts(document, ("title", "summary", "site_name"))
    stops = document.get("stops") if isinstance(document, dict) else None
    for number, stop in enumerate(stops if isinstance(stops, list) else [], start=1):
        _check_texts(stop, ("title", "narration", "model_alt"), stop=number)
        spots = stop.get("hotspots") if isinstance(stop, dict) else None
        for index, spot in enumerate(spots if isinstance(spots, list) else [], start=1):
            _check_texts(spot, ("label", "body"), stop=number, hotspot=index)
