"""Who may show Heritour's pages in a frame: any site for the embed pages, nobody otherwise.

An endpoint of the ``embed`` blueprint answers ``Content-Security-Policy: frame-ancestors *``;
every other response ``X-Frame-Options: DENY`` (clickjacking: a studio form under another
site's buttons). Either header is set only when the response has no framing rule yet, so a
site-wide Content-Security-Policy set elsewhere, which gives ``embed.`` endpoints
``frame-ancestors *`` and the rest ``frame-ancestors 'none'``, keeps its word.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

EMBED_PREFIX = "embed."
FRAMABLE = "frame-ancestors *"


def is_embed_endpoint(endpoint: str | None) -> bool:
    """Whether ``endpoint`` is one that another site may frame."""
    return bool(endpoint and endpoint.startswith(EMBED_PREFIX))


def _has_framing_rule(response: Response) -> bool:
    policy = response.headers.get("Content-Security-Policy", "")
    return "X-Frame-Options" in response.headers or "frame-ancestors" in policy


def set_framing(response: Response) -> Response:
    """Give ``response`` its framing rule, unless something already gave it one."""
    if _has_framing_rule(response):
        return response
    if is_embed_endpoint(request.endpoint):
        policy = response.headers.get("Content-Security-Policy")
        response.headers["Content-Security-Policy"] = (
            f"{policy}; {FRAMABLE}" if policy else FRAMABLE
        )
    else:
        response.headers["X-Frame-Options"] = "DENY"
    return response


def init_framing(app: Flask) -> None:
    """Set the framing rule on every response of ``app``."""
    app.after_request(set_framing)
