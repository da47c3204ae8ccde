"""Offline: the pack of a tour (every URL a phone must keep to follow it without a network),
and Heritour's own offline page, which the service worker shows for pages that were not saved.
"""

from __future__ import annotations

from flask import Response, current_app, g, json, render_template, url_for

from tours.offline import offline_media_bytes, offline_media_keys
from webapp.public import bp
from webapp.public.views import TEXT_MODE, tour_or_404

# The viewer and every decoder it may ask for (model-viewer loads decoders by folder).
VIEWER_FILES = (
    "vendor/model-viewer.min.js",
    "vendor/meshopt_decoder.js",
    "js/viewer.js",
    "js/levels.js",
    "js/framing.js",
    "js/lighting.js",
    "js/stop.js",
    "js/offline.js",
    "js/offline-page.js",
    "js/share.js",
    "js/insight.js",
    "css/app.css",
    "icons/icon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
)
# A panorama stop's viewer (Photo Sphere Viewer, bundled into one module by the vendor rule).
PANORAMA_FILES = (
    "vendor/panorama-viewer.js",
    "vendor/panorama-viewer.css",
    "css/panorama.css",
    "js/panorama.js",
)
# ... and the modules panorama.js imports by relative path (so under unversioned URLs).
PANORAMA_MODULES = ("js/levels.js", "js/panorama-levels.js", "js/panorama-xr.js")
DECODER_FILES = (
    "vendor/draco/draco_decoder.js",
    "vendor/draco/draco_decoder.wasm",
    "vendor/draco/draco_wasm_wrapper.js",
    "vendor/basis/basis_transcoder.js",
    "vendor/basis/basis_transcoder.wasm",
)


def cache_name(slug: str, lang: str, revision: int) -> str:
    """The name of the browser cache holding one saved tour in one language."""
    return f"heritour-tour:{slug}:{lang}:{revision}"


@bp.get("/tours/<slug:slug>/offline.json")
def offline_pack(slug: str) -> Response:
    """Which URLs to cache to save the tour in this language, and under what name."""
    tour = tour_or_404(slug)
    pages = [url_for("public.tour", slug=slug)]
    for stop in tour.stops:
        pages.append(url_for("public.stop", slug=slug, number=stop.number))
        pages.append(url_for("public.stop", slug=slug, number=stop.number, mode=TEXT_MODE))
        if stop.panorama is not None:
            pages.append(url_for("public.panorama_json", slug=slug, number=stop.number))
    pages.append(url_for("public.end", slug=slug))
    pages.append(url_for("public.end", slug=slug, mode=TEXT_MODE))
    panoramas = any(stop.panorama is not None for stop in tour.stops)
    static = [
        url_for("static", filename=name)
        for name in (*VIEWER_FILES, *(PANORAMA_FILES if panoramas else ()))
    ]
    # Decoders are fetched by folder + file name, so they are kept under unversioned URLs.
    unversioned = (*DECODER_FILES, *(PANORAMA_MODULES if panoramas else ()))
    static += [f"{current_app.static_url_path}/{name}" for name in unversioned]
    media = [url_for("media.blob", key=key) for key in offline_media_keys(tour)]
    body = {
        "tour": slug,
        "lang": g.lang,
        "revision": tour.revision,
        "cache": cache_name(slug, g.lang, tour.revision),
        "title": tour.title.text,
        "title_lang": tour.title.locale,
        "urls": [
            *pages,
            url_for("public.offline_page"),
            *static,
            url_for("tourist.manifest"),
            *media,
        ],
        "model_bytes": offline_media_bytes(tour),
    }
    response = Response(json.dumps(body), mimetype="application/json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline_page() -> Response:
    """The page the service worker shows, in this language, when the visitor is offline and
    opens a page that was not saved. Its script lists the tours saved on the phone."""
    response = Response(render_template("public/offline.html"))
    response.headers["Cache-Control"] = "no-cache"
    return response
