"""``/media/<key>``: blobs by key. With S3 the browser is redirected; locally the app serves
the file itself with ``Range``, ``ETag`` and ``If-None-Match`` support."""

from __future__ import annotations

from flask import abort, current_app, redirect, send_file
from werkzeug.wrappers import Response

from tours.blobstore import InvalidKey
from tours.blobstore.local import LocalBlobStore
from webapp.extensions import blobs
from webapp.media import bp


@bp.get("/<path:key>")
def blob(key: str) -> Response:
    store = blobs.store
    try:
        info = store.stat(key)
    except InvalidKey:
        abort(404)
    if info is None:
        abort(404)
    url = store.delivery_url(key, current_app.config["PRESIGN_SECONDS"])
    if url is not None:
        response = redirect(url, code=302)
        response.headers["Cache-Control"] = "private, max-age=300"
        return response
    assert isinstance(store, LocalBlobStore)
    response = send_file(
        store.path(key),
        mimetype=info.content_type,
        etag=info.etag,
        conditional=True,
        max_age=None,
    )
    if info.cache_control:
        response.headers["Cache-Control"] = info.cache_control
    return response
