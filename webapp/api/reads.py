"""HTTP for public reads that other sites use (the IIIF manifests and the open data dumps):
``ETag`` with conditional requests answered by 304 before anything is made, caching by
browsers and shared caches, and CORS so that a page on any origin may read them.

The ETag of a read names what it is made from: this release of the app (labels come from
the catalogs), the address asked for (which carries the site's host), and a ``version`` the
view gives (a revision, or the set of published revisions).
"""

from __future__ import annotations

import hashlib

from flask import current_app, request
from werkzeug.wrappers import Response

from webapp.public.caching import page_cache_control

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since, Accept, Accept-Language",
    "Access-Control-Expose-Headers": "ETag, Content-Length, Content-Disposition, Retry-After",
    "Access-Control-Max-Age": "86400",
}

# A read that depends on who asks (their position): kept out of shared caches.
PRIVATE_CACHE_CONTROL = "private, no-cache"


def read_etag(version: str) -> str:
    """The ETag of the read being asked for, made from ``version``."""
    parts = [current_app.extensions["release_token"], request.url, version]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def not_modified(etag: str) -> Response | None:
    """A 304 when the client's copy is current, else None."""
    if request.if_none_match.contains_weak(etag):
        return public_read(Response(status=304), etag)
    return None


def public_read(response: Response, etag: str | None = None) -> Response:
    """``response`` as a public read: its ETag, ``Cache-Control`` and the CORS headers."""
    if etag is not None:
        response.set_etag(etag, weak=True)
        response.headers["Cache-Control"] = page_cache_control()
    response.headers.update(CORS_HEADERS)
    return response


def cors_preflight() -> Response:
    """The answer to a CORS preflight (``OPTIONS``) of a public read."""
    return public_read(Response(status=204))
