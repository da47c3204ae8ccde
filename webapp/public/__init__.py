"""Public pages for tourists, under ``/<lang>/``.

Registering ``bp`` also registers ``root_bp`` (the tourist's addresses outside ``/<lang>/``:
short links printed in QR codes, the service worker and the web app manifest) and the
delivery of static files (fingerprinted URLs, long caching, compression).
"""

from typing import Any

from flask import Blueprint

from webapp.i18n import localized_blueprint
from webapp.public.assets import init_assets

bp = localized_blueprint("public", __name__)
root_bp = Blueprint("tourist", __name__)


@bp.record_once
def _register_root(state: Any) -> None:
    state.app.register_blueprint(root_bp)
    init_assets(state.app)


from webapp.public import offline, qr, root, views  # noqa: E402, F401
