"""Delivery of stored blobs: a redirect to the store's own URL, or streamed by the app."""

from flask import Blueprint

bp = Blueprint("media", __name__, url_prefix="/media")

from webapp.media import views  # noqa: E402, F401
