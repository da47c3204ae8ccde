"""The curator studio, under ``/studio/``: accounts, the model library and the tour editor."""

from __future__ import annotations

from typing import TypeVar

from flask import Blueprint, Flask, abort

from tours.textlimits import TEXT_LIMITS, limit
from webapp.extensions import db

bp = Blueprint("studio", __name__, url_prefix="/studio")
Row = TypeVar("Row")


def get_or_404(model: type[Row], key: int) -> Row:
    """The row ``key`` of ``model``, or a 404 page."""
    row = db.session.get(model, key)
    if row is None:
        abort(404)
    return row


def init_app(app: Flask) -> None:
    """Register the studio and its security (CSRF, rate limit, sessions)."""
    from webapp.studio import security

    security.init_security(app)
    app.register_blueprint(bp)
    # The editor's fields carry the same length limits the services check (maxlength).
    app.jinja_env.globals["text_limits"] = {field: limit(field) for field in TEXT_LIMITS}


from webapp.studio import (  # noqa: E402, F401
    views,
    views_account,
    views_bundles,
    views_images,
    views_insight,
    views_models,
    views_panoramas,
    views_rights,
    views_stops,
    views_tokens,
    views_tours,
)
