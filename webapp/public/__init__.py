"""Public pages for tourists, under ``/<lang>/``.

``init_app`` registers ``bp``, ``root_bp`` (the tourist's addresses outside ``/<lang>/``:
short links printed in QR codes, the service worker and the web app manifest) and the
delivery of static files (fingerprinted URLs, long caching, compression), and the HTTP
caching of pages (ETag, 304, Cache-Control; see :mod:`webapp.public.caching`).
"""

from flask import Blueprint, Flask

from webapp.i18n import localized_blueprint
from webapp.public.assets import init_assets
from webapp.public.caching import init_caching

bp = localized_blueprint("public", __name__)
root_bp = Blueprint("tourist", __name__)


def init_app(app: Flask) -> None:
    """Register the tourist's pages and the delivery of static files."""
    app.register_blueprint(bp)
    app.register_blueprint(root_bp)
    init_assets(app)
    init_caching(app)


from webapp.public import offline, panorama, qr, root, sitemap, social, views  # noqa: E402, F401
