"""The rate limit of public reads (``API_READ_RATE_LIMIT``, e.g. "120 per minute"): counted
per client address (behind a trusted proxy, the one it names: :mod:`webapp.proxies`),
in Redis when ``RATELIMIT_STORAGE_URI`` names one (shared by every
worker), else in the web process. Every read counts, a 304 included; preflights (``OPTIONS``)
do not. Over the limit: 429 ``rate_limited`` with ``Retry-After`` (and CORS, so that a page
on another origin can read it). When the store of the counts does not answer, reads are
served uncounted (and a warning logged): an outage of Redis must not take the API down.
"""

from __future__ import annotations

import logging

from flask import current_app, request
from flask.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response

from webapp.api import bp, iiif_bp
from webapp.api.exports import READ_ENDPOINTS
from webapp.errors import api_error
from webapp.studio.security import LoginThrottle

log = logging.getLogger(__name__)
NAMESPACE = "heritour-read"
_EXTENSION = "read_throttle"


@bp.record_once
def _make_throttle(state: BlueprintSetupState) -> None:
    config = state.app.config
    state.app.extensions[_EXTENSION] = LoginThrottle(
        config["RATELIMIT_STORAGE_URI"], config["API_READ_RATE_LIMIT"], NAMESPACE
    )


def limit_reads() -> tuple[Response, int] | None:
    """``before_request``: count a public read from this client; 429 when over the limit."""
    if request.endpoint not in READ_ENDPOINTS or request.method == "OPTIONS":
        return None
    throttle: LoginThrottle = current_app.extensions[_EXTENSION]
    address = request.remote_addr or "unknown"
    try:
        if throttle.allow(address):
            return None
    except Exception:  # the count's store (Redis) is down: serve rather than refuse everyone
        log.warning("read rate limit not counted: its store did not answer", exc_info=True)
        return None
    seconds = throttle.retry_after(address)
    response, status = api_error(
        429, "rate_limited", {"retry_after": seconds, "limit": str(throttle.rate)}
    )
    response.headers["Retry-After"] = str(seconds)
    return response, status


bp.before_request(limit_reads)
iiif_bp.before_request(limit_reads)
