"""Security headers on every response: the Content-Security-Policy and its companions.

The policy allows scripts from the app itself only: no inline script, and no ``eval`` except
on pages that show a 3D model (below). The one
script that must stay in a page (the stop page's import map) is allowed by the SHA-256 of
its text, recorded when the template renders it (``inline_script``). Hashes, not nonces, are
the rule: public pages are cached by proxies and revalidated with ``ETag``, so the same bytes
must stay valid whoever receives them. ``csp_nonce()`` exists for pages that are never
cached (the studio's), should one ever need it.

What the viewers need, checked in Chromium with zero violations (tests/e2e/test_csp.py):
model-viewer's Draco and KTX2 decoders run in workers made from ``blob:`` URLs and, like the
meshopt decoder, compile WebAssembly (``'wasm-unsafe-eval'``). The Basis Universal
transcoder that reads KTX2 textures is Emscripten output whose bindings (embind) build their
functions with ``new Function`` inside that worker, and a ``blob:`` worker inherits the page's
policy: without ``'unsafe-eval'`` every KTX2 texture fails (no error, no load event). So a
page that renders model-viewer's configuration (``allow_model_decoders``, called by
``_viewer_config.html``) also allows ``'unsafe-eval'``; every other page (the studio's forms,
the catalogue, panoramas) does not. Textures embedded in a GLB are read through ``blob:``
URLs. Styles may be inline (the panorama viewer and model-viewer set ``style`` attributes):
the issue forbids ``unsafe-inline`` for scripts only.

With an S3 store, media are fetched from (and direct uploads sent to) the store's public
origin: the origins of ``S3_PUBLIC_URL``, ``S3_ENDPOINT_URL`` and of a URL the store
presigns are allowed, never ``*``.

Framing is decided here and nowhere else: only the embed pages (endpoints whose name starts
with ``FRAMEABLE_ENDPOINT_PREFIX``, the embed blueprint, except its oEmbed JSON) may be
framed, by the origins of ``EMBED_ANCESTORS`` (``*`` by default); everything else answers
``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` (clickjacking: a studio form under
another site's buttons).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

FRAMEABLE_ENDPOINT_PREFIX = "embed."
NEVER_FRAMED = frozenset({"embed.oembed"})  # JSON for other sites' servers, not a page
HSTS = "max-age=31536000; includeSubDomains"
REFERRER_POLICY = "strict-origin-when-cross-origin"
# Sensors and XR for the panorama viewer and model-viewer, the visitor's position for "near
# me" (asked for only when the visitor presses its button), and fullscreen; the rest is
# switched off. (web-share is left to its default, self: Chromium warns about the name.)
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=(self)",
        "gyroscope=(self)",
        "magnetometer=(self)",
        "xr-spatial-tracking=(self)",
        "fullscreen=(self)",
        "geolocation=(self)",
        "camera=()",
        "microphone=()",
        "payment=()",
        "usb=()",
    ]
)


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL, or None."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def _store_origins(app: Flask) -> list[str]:
    """The origins the browser fetches media from and uploads to, besides the app's own."""
    if app.config.get("BLOB_STORE") != "s3":
        return []
    urls = [
        str(app.config.get("S3_PUBLIC_URL") or ""),
        str(app.config.get("S3_ENDPOINT_URL") or ""),
    ]
    from webapp.extensions import blobs

    try:  # the address boto3 really signs (virtual-hosted bucket names, AWS regions)
        urls.append(blobs.store.delivery_url("csp/origin") or "")
    except Exception:  # a store that cannot sign adds no origin
        current_app.logger.warning("could not learn the blob store's origin for the CSP")
    origins: list[str] = []
    for url in urls:
        origin = origin_of(url)
        if origin and origin not in origins:
            origins.append(origin)
    return origins


def _base_policy(app: Flask) -> dict[str, list[str]]:
    """The directives, before hashes, nonces and framing are added to a response's copy."""
    media = ["'self'", "data:", "blob:", *_store_origins(app)]
    return {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'"],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": media,
        "media-src": media,
        "connect-src": media,
        "worker-src": ["'self'", "blob:"],
        "font-src": ["'self'", "data:"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-src": ["'self'"],
    }


def _policy(app: Flask) -> dict[str, list[str]]:
    cached: dict[str, list[str]] | None = app.extensions.get("csp_policy")
    if cached is None:
        cached = _base_policy(app)
        app.extensions["csp_policy"] = cached
    return cached


def csp_nonce() -> str:
    """This response's nonce (made on first use); the policy then names it."""
    nonce: str | None = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def inline_script(text: str, kind: str = "application/json") -> Markup:
    """``<script type=kind>text</script>``, allowed by the hash of ``text`` in this response.

    ``text`` is escaped as HTML would be inside a script element (it must not contain
    ``</script``); JSON from ``|tojson`` is safe."""
    body = str(text)
    if "</script" in body.lower():
        raise ValueError("an inline script may not contain </script")
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    hashes: list[str] = g.setdefault("csp_hashes", [])
    if f"'sha256-{digest}'" not in hashes:
        hashes.append(f"'sha256-{digest}'")
    return Markup(f'<script type="{escape(kind)}">{body}</script>')


def frameable(endpoint: str | None) -> bool:
    """Whether the page of ``endpoint`` may be shown in another site's frame."""
    return (
        bool(endpoint)
        and str(endpoint).startswith(FRAMEABLE_ENDPOINT_PREFIX)
        and endpoint not in NEVER_FRAMED
    )


def allow_model_decoders() -> str:
    """Allow ``'unsafe-eval'`` in this response's policy, for the KTX2 transcoder (see above);
    an empty string, so that a template may call it in place."""
    g.csp_model_decoders = True
    return ""


def content_security_policy(app: Flask, endpoint: str | None) -> str:
    """The policy for one response: the app's, plus this request's hashes, nonce, framing."""
    directives = {name: list(values) for name, values in _policy(app).items()}
    directives["script-src"] += g.get("csp_hashes", [])
    if g.get("csp_nonce"):
        directives["script-src"].append(f"'nonce-{g.csp_nonce}'")
    if g.get("csp_model_decoders"):
        directives["script-src"].append("'unsafe-eval'")
    if frameable(endpoint):
        directives["frame-ancestors"] = app.config["EMBED_ANCESTORS"].split()
    else:
        directives["frame-ancestors"] = ["'none'"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def _forget_inline_scripts() -> None:
    """Start each request with no hash and no nonce (an app context may span requests)."""
    g.pop("csp_hashes", None)
    g.pop("csp_nonce", None)
    g.pop("csp_model_decoders", None)


def _set_headers(response: Response) -> Response:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    headers = response.headers
    # A 304 carries no policy: the browser (or proxy) keeps the one stored with the page,
    # whose hashes match the body it keeps.
    if response.status_code != 304:
        headers["Content-Security-Policy"] = content_security_policy(app, request.endpoint)
    if frameable(request.endpoint):
        headers.pop("X-Frame-Options", None)
    else:
        headers["X-Frame-Options"] = "DENY"
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers["X-Content-Type-Options"] = "nosniff"
    headers.setdefault("Referrer-Policy", REFERRER_POLICY)
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if str(app.config.get("PUBLIC_URL") or "").lower().startswith("https://"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_security_headers(app: Flask) -> None:
    """Send the security headers on every response and give templates their helpers."""
    app.before_request(_forget_inline_scripts)
    app.after_request(_set_headers)
    app.jinja_env.globals.update(
        csp_nonce=csp_nonce, inline_script=inline_script, allow_model_decoders=allow_model_decoders
    )
