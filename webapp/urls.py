"""URL converters: ids that fit a database integer, and tour slugs.

A path part that could never name a record (a number too large for the database, a slug
with characters no slug may have, such as a NUL byte) does not match the route, so the
visitor gets the usual "not found" page instead of a database error.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import BaseConverter, IntegerConverter, ValidationError

from tours.authoring import MAX_SLUG_LENGTH, SLUG_PATTERN
from tours.db import MAX_ID


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` for numbers that fit a database integer column."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


class SlugConverter(BaseConverter):
    """``<slug:...>``: a tour slug, well-formed as authoring requires."""

    regex = SLUG_PATTERN

    def to_python(self, value: str) -> str:
        if len(value) > MAX_SLUG_LENGTH:
            raise ValidationError()
        return value


def init_converters(app: Flask) -> None:
    """Register the converters; call before any blueprint is registered."""
    app.url_map.converters["int"] = DatabaseIntConverter
    app.url_map.converters["slug"] = SlugConverter
