"""The JSON API, under ``/api/v1/``."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from webapp.api import docs, studio, uploads, views  # noqa: E402, F401
