"""The curator studio, under ``/studio/``: accounts, the model library and the tour editor."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("studio", __name__, url_prefix="/studio")


def init_app(app: Flask) -> None:
    """Register the studio, its security (CSRF, rate limit, sessions) and its commands."""
    from webapp.studio import commands, security

    security.init_security(app)
    app.register_blueprint(bp)
    commands.init_app(app)


from webapp.studio import (  # noqa: E402, F401
    views,
    views_bundles,
    views_models,
    views_stops,
    views_tours,
)
