"""The Heritour web application: ``create_app`` builds it, blueprints serve each audience."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, url_for
from werkzeug.wrappers import Response

from webapp.config import load_config
from webapp.extensions import babel, blobs, db, insight, jobs
from webapp.i18n import init_i18n, language_redirect, preferred_locale, select_locale
from webapp.proxies import init_proxies
from webapp.rights import init_rights
from webapp.security_headers import init_security_headers
from webapp.urls import init_converters


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides settings from the environment (tests use it)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(Path(app.instance_path), config))
    init_converters(app)
    init_proxies(app)

    babel.init_app(app, locale_selector=select_locale)
    db.init_app(app)
    blobs.init_app(app)
    jobs.init_app(app)
    insight.init_app(app)
    init_i18n(app)
    init_rights(app)
    init_security_headers(app)

    from webapp import api, cli, embed, errors, health, media, public, studio

    public.init_app(app)
    embed.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(api.iiif_bp)
    app.register_blueprint(media.bp)
    app.register_blueprint(health.bp)
    studio.init_app(app)
    errors.init_app(app)
    cli.init_app(app)

    @app.get("/")
    def root() -> Response:
        return language_redirect(url_for("public.catalogue", lang=preferred_locale()))

    return app
