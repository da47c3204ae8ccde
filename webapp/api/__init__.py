"""The JSON API, under ``/api/v1/``, and the IIIF manifests of published tours, under
``/iiif/`` (``iiif_bp``)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
iiif_bp = Blueprint("iiif", __name__, url_prefix="/iiif")

from webapp.api import (  # noqa: E402, F401
    docs,
    draftmedia,
    drafts,
    draftstops,
    exports,
    insight,
    ratelimit,
    stops,
    studio,
    uploads,
    views,
)
