"""The tourist's addresses outside ``/<lang>/``: short stop links, service worker, manifest."""

from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, json, url_for
from werkzeug.wrappers import Response as BaseResponse

from webapp.i18n import language_redirect, preferred_locale
from webapp.public import root_bp

STATIC = Path(__file__).resolve().parent.parent / "static"


@root_bp.get("/s/<slug:slug>/")
@root_bp.get("/s/<slug:slug>/<int:number>")
def short_link(slug: str, number: int | None = None) -> BaseResponse:
    """A printed QR code's link: the tour or stop in the phone's language (cookie, browser)."""
    lang = preferred_locale()
    if number is None:
        target = url_for("public.tour", lang=lang, slug=slug)
    else:
        target = url_for("public.stop", lang=lang, slug=slug, number=number)
    return language_redirect(target)


@root_bp.get("/sw.js")
def service_worker() -> Response:
    """The service worker, served from the root so its scope covers every page."""
    response = Response((STATIC / "js" / "sw.js").read_bytes(), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@root_bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest: Heritour can be added to a phone's home screen."""
    lang = preferred_locale()
    name = current_app.config["SITE_NAME"]
    body = {
        "name": name,
        "short_name": name,
        "lang": lang,
        "start_url": url_for("public.catalogue", lang=lang),
        "scope": "/",
        "display": "standalone",
        "background_color": "#fbf8f3",
        "theme_color": "#7a2e1f",
        "icons": [
            {
                "src": url_for("static", filename=f"icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    response = Response(json.dumps(body), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    response.vary.update(("Accept-Language", "Cookie"))
    return response
