"""Public pages for tourists, under ``/<lang>/``."""

from webapp.i18n import localized_blueprint

bp = localized_blueprint("public", __name__)

from webapp.public import views  # noqa: E402, F401
