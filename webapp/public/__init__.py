"""Public pages for tourists, under ``/<lang>/``.

``init_app`` registers ``bp``, ``root_bp`` (the tourist's addresses outside ``/<lang>/``:
short links printed in QR codes, the service worker and the web app manifest) and the
delivery of static files (fingerprinted URLs, long caching, compression).
"""

from flask import Blueprint, Flask

from webapp.i18n import localized_blueprint
from webapp.public.assets import init_assets

bp = localized_blueprint("public", __name__)
root_bp = Blueprint("tourist", __name__)


def init_app(app: Flask) -> None:
    """Register the tourist's pages and the delivery of static files."""
    app.register_blueprint(bp)
    app.register_blueprint(root_bp)
    init_assets(app)


from webapp.public import offline, qr, root, sitemap, social, views  # noqa: E402, F401
