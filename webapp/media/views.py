"""``/media/<key>``: blobs by key. With S3 the browser is redirected; locally the app serves
the file itself with ``Range``, ``ETag`` and ``If-None-Match`` support."""

from __future__ import annotations

from flask import abort, current_app, redirect, request, send_file
from werkzeug.http import parse_etags
from werkzeug.wrappers import Response

from tours.blobstore import BlobStoreError, InvalidKey
from webapp.extensions import blobs
from webapp.media import bp


def _ignore_unusable_range(etag: str) -> None:
    """Drop a ``Range`` header that HTTP lets the server ignore and werkzeug would refuse.

    A unit other than bytes and a list of several ranges are answered with the whole file
    (RFC 9110, 14.2); when ``If-None-Match`` already matches, the answer is 304, not a part.
    """
    value = request.environ.get("HTTP_RANGE")
    if value is None:
        return
    unusable = not value.strip().lower().startswith("bytes=") or "," in value
    if unusable or parse_etags(request.environ.get("HTTP_IF_NONE_MATCH")).contains_weak(etag):
        del request.environ["HTTP_RANGE"]


@bp.get("/<path:key>")
def blob(key: str) -> Response:
    store = blobs.store
    try:
        info = store.stat(key)
    except InvalidKey:
        abort(404)
    except BlobStoreError as error:
        current_app.logger.warning("media %s unavailable: %s", key, error)
        abort(503)
    if info is None:
        abort(404)
    url = store.delivery_url(key, current_app.config["PRESIGN_SECONDS"])
    if url is not None:
        response = redirect(url, code=302)
        response.headers["Cache-Control"] = "private, max-age=300"
        return response
    path = store.local_path(key)
    if path is None:  # a store must offer a URL or a file
        abort(503)
    _ignore_unusable_range(info.etag)
    response = send_file(
        path,
        mimetype=info.content_type,
        etag=info.etag,
        conditional=True,
        max_age=None,
    )
    response.headers.pop("Date", None)  # the web server sends its own
    if info.cache_control:
        response.headers["Cache-Control"] = info.cache_control
    return response
