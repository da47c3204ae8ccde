"""HTTP caching of the tourist's pages, so that a proxy or CDN can keep them.

A page's ``ETag`` names everything it is made from: the set of published revisions (see
:func:`tours.listing.catalogue_version`), this release of the app (templates, catalogs,
static files, settings), the address with its query, the visitor's languages and, for
stop pages, ``Save-Data``. So a
conditional request is answered with 304 before anything is rendered, and publishing or
taking down a tour changes every ETag at once. Pages say ``Cache-Control: public`` with a
short ``s-maxage`` and a ``stale-while-revalidate`` window for shared caches, and
``max-age=0`` for browsers, which revalidate cheaply. A response that sets a cookie (the
visitor's language, on a first visit) stays ``private``. Studio pages are ``no-store``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, current_app, g, request
from werkzeug.wrappers import Response

from tours.listing import catalogue_version
from webapp.extensions import db
from webapp.i18n import visitor_languages

# The pages made only from published tours and the release: cached and revalidated.
CACHED_ENDPOINTS = frozenset({"public.catalogue", "public.tour", "public.stop", "public.end"})
# Pages whose content follows the browser's Save-Data header.
SAVE_DATA_ENDPOINTS = frozenset({"public.stop"})
STUDIO_CACHE_CONTROL = "no-store"
_SECRET_WORDS = ("SECRET", "PASSWORD", "KEY", "TOKEN", "CREDENTIAL")


def _release_files(app: Flask) -> list[Path]:
    root = Path(app.root_path)
    translations = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    folders = [root / "templates", root / "static", translations]
    return sorted(path for folder in folders if folder.is_dir() for path in folder.rglob("*"))


def release_token(app: Flask) -> str:
    """A digest of what pages are made from besides the database: templates, translation
    catalogs, static files (which pages link with fingerprints) and plain settings.

    Every worker of one release computes the same token; secrets never enter it."""
    digest = hashlib.sha256()
    top = Path(app.root_path).parent
    for path in _release_files(app):
        if path.is_file():
            stat = path.stat()
            digest.update(str(path.relative_to(top)).encode())
            if path.suffix in {".html", ".mo"}:
                digest.update(path.read_bytes())
            else:
                digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    for name in sorted(app.config):
        value = app.config[name]
        plain = isinstance(value, str | int | float | bool) or value is None
        if plain and not any(word in name for word in _SECRET_WORDS):
            digest.update(f"{name}={value!r}\n".encode())
    return digest.hexdigest()[:16]


def save_data_asked() -> str:
    """``on`` when the browser asks for lighter pages (``Save-Data``); stop pages differ."""
    return "on" if request.headers.get("Save-Data", "").strip().lower() == "on" else ""


def page_etag() -> str:
    """The ETag of the page being asked for (a weak one: compressed or not, same page)."""
    parts = [
        current_app.extensions["release_token"],
        catalogue_version(db.session),
        request.url,
        g.get("lang", ""),
        ",".join(visitor_languages()),
        save_data_asked(),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def page_cache_control() -> str:
    """``Cache-Control`` of a public page that sets no cookie."""
    config = current_app.config
    return (
        f"public, max-age={config['PAGE_MAX_AGE']}, s-maxage={config['PAGE_SHARED_MAX_AGE']}, "
        f"stale-while-revalidate={config['PAGE_STALE_WHILE_REVALIDATE']}"
    )


def _answer_conditional_request() -> Response | None:
    """304 when the visitor's copy is current; otherwise remember the ETag for the page."""
    if request.method not in {"GET", "HEAD"} or request.endpoint not in CACHED_ENDPOINTS:
        return None
    etag = page_etag()
    g.page_etag = etag
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        response.set_etag(etag, weak=True)
        return response
    return None


def _mark_cacheable(response: Response) -> Response:
    """ETag and Cache-Control on public pages; no-store on the studio's."""
    if request.blueprint == "studio":
        response.headers["Cache-Control"] = STUDIO_CACHE_CONTROL
        return response
    etag = g.get("page_etag")
    if etag is None or response.status_code not in {200, 304}:
        return response
    response.set_etag(etag, weak=True)
    if request.endpoint in SAVE_DATA_ENDPOINTS:
        response.vary.add("Save-Data")
    # A page made for the visitor's position ("near me") is kept out of shared caches.
    if "Set-Cookie" in response.headers or "near" in request.args:
        response.headers["Cache-Control"] = "private, no-cache"
    else:
        response.headers["Cache-Control"] = page_cache_control()
    return response


def init_caching(app: Flask) -> None:
    """Answer conditional requests for public pages and label every page's cacheability."""
    app.extensions["release_token"] = release_token(app)
    app.before_request(_answer_conditional_request)
    app.after_request(_mark_cacheable)
