"""Embeds: one stop of a published tour in an iframe on another site, and its oEmbed answer.

``/<lang>/embed/<slug>/<n>`` (endpoint ``embed.stop``) is the only page another site may
frame: its pages answer with ``frame-ancestors`` naming ``EMBED_ANCESTORS`` (``*`` by
default), every other response is refused in a frame; :mod:`webapp.security_headers` is the
one place that decides. ``/embed/<slug>/<n>``
redirects to the visitor's language; ``/oembed`` describes a stop or tour page as an oEmbed
``rich`` item whose HTML is the iframe.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, current_app, g

from tours.locales import DEFAULT_LOCALE, INTERFACE_LOCALES

bp = Blueprint("embed", __name__)


@bp.url_value_preprocessor
def _pull_lang(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """The language in the URL, when the route has one (no cookie is set: in another site's
    frame the visitor has not chosen this site's language)."""
    if values is not None and "lang" in values:
        lang = values.pop("lang")
        if lang not in INTERFACE_LOCALES:
            abort(404)
        g.lang = lang


@bp.url_defaults
def _add_lang(endpoint: str, values: dict[str, Any]) -> None:
    if current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values.setdefault("lang", g.get("lang") or DEFAULT_LOCALE)


def init_app(app: Flask) -> None:
    """Register the embed pages and the oEmbed endpoint."""
    app.register_blueprint(bp)


from webapp.embed import oembed, views  # noqa: E402, F401
