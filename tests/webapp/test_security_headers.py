"""Security headers on every response (webapp.security_headers): CSP, framing, nosniff, HSTS."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest
from flask import render_template_string

from webapp.security_headers import FRAMEABLE_ENDPOINT_PREFIX, origin_of

# Pages that render model-viewer: their policy also allows 'unsafe-eval', which the KTX2
# transcoder's Emscripten bindings need in its worker (webapp/security_headers.py).
MODEL_PAGES = {"/en/tours/citadel/1"}
PATHS = [
    "/en/",
    "/en/tours/citadel/",
    "/en/tours/citadel/1",
    "/en/tours/citadel/1?mode=text",
    "/en/tours/citadel/end",
    "/en/tours/citadel/qr",
    "/en/offline",
    "/en/tours/nowhere/",
    "/api/v1/docs",
    "/api/v1/tours",
    "/studio/login",
    "/healthz",
    "/static/css/app.css",
]


def directives(response: Any) -> dict[str, list[str]]:
    """The enforced policy of ``response``, as {directive: sources}."""
    assert "Content-Security-Policy-Report-Only" not in response.headers
    policy = response.headers["Content-Security-Policy"]
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        assert name not in parsed, f"{name} twice"
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_headers(client: Any, published_tour: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code < 500
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert ("'unsafe-eval'" in policy["script-src"]) == (path in MODEL_PAGES)
    assert policy["script-src-attr"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response.headers["Permissions-Policy"]
    for feature in [
        "xr-spatial-tracking=(self)",
        "gyroscope=(self)",
        "fullscreen=(self)",
        "geolocation=(self)",
    ]:
        assert feature in permissions
    assert "camera=()" in permissions
    assert "Strict-Transport-Security" not in response.headers  # no https PUBLIC_URL


def test_scripts_in_pages_are_external_or_allowed_by_their_hash(
    client: Any, published_tour: Any
) -> None:
    """Every executable inline script is allowed by its hash; the rest are data blocks."""
    for path in PATHS[:9]:
        response = client.get(path)
        page = response.get_data(as_text=True)
        allowed = set(directives(response)["script-src"])
        assert not re.search(r"\son[a-z]+=", page), path  # no inline event handlers
        assert "javascript:" not in page, path
        assert not re.search(r"\sstyle=", page), path
        for kind, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S):
            if "src=" in kind or "application/json" in kind or "application/ld+json" in kind:
                continue
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, (path, kind)


def test_the_stop_pages_import_map_is_allowed_by_its_hash(client: Any, published_tour: Any) -> None:
    response = client.get("/en/tours/citadel/1")
    page = response.get_data(as_text=True)
    (body,) = re.findall(r'<script type="importmap">(.*?)</script>', page, re.S)
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    assert directives(response)["script-src"] == [
        "'self'",
        "'wasm-unsafe-eval'",
        f"'sha256-{digest}'",
        "'unsafe-eval'",
    ]
    text_only = client.get("/en/tours/citadel/1?mode=text")
    assert directives(text_only)["script-src"] == ["'self'", "'wasm-unsafe-eval'"]


def test_a_304_keeps_the_stored_policy(client: Any, published_tour: Any) -> None:
    """A revalidation answer carries no policy: the stored one matches the stored body."""
    client.set_cookie("lang", "en")
    first = client.get("/en/tours/citadel/1")
    again = client.get("/en/tours/citadel/1", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert "Content-Security-Policy" not in again.headers
    assert again.headers["X-Content-Type-Options"] == "nosniff"


def test_studio_pages_are_not_stored_and_not_framed(curator: Any, published_tour: Any) -> None:
    response = curator.get("/studio/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert directives(response)["frame-ancestors"] == ["'none'"]


def test_a_nonce_is_named_in_the_policy_only_when_used(app: Any) -> None:
    with app.test_request_context("/"):
        from webapp.security_headers import content_security_policy

        assert "nonce-" not in content_security_policy(app, "public.catalogue")
        page = render_template_string('<script nonce="{{ csp_nonce() }}">x()</script>')
        nonce = re.search(r'nonce="([^"]+)"', page)
        assert nonce and len(nonce.group(1)) >= 22
        policy = content_security_policy(app, "public.catalogue")
        assert f"'nonce-{nonce.group(1)}'" in policy


def test_inline_script_refuses_a_closing_tag(app: Any) -> None:
    with app.test_request_context("/"), pytest.raises(ValueError):
        render_template_string("{{ inline_script('</script><script>x()') }}")


def _frameable_app(app_config: dict[str, Any], **settings: Any) -> Any:
    """An app with a fake embed endpoint (the embed blueprint's names start the same way)."""
    from webapp import create_app

    application = create_app({**app_config, **settings})
    application.add_url_rule(
        "/test-embed", endpoint=f"{FRAMEABLE_ENDPOINT_PREFIX}csp_test", view_func=lambda: "ok"
    )
    return application


def test_only_embed_endpoints_may_be_framed(app_config: dict[str, Any]) -> None:
    client = _frameable_app(app_config).test_client()
    embed = client.get("/test-embed")
    assert embed.status_code == 200
    assert directives(embed)["frame-ancestors"] == ["*"]
    assert "X-Frame-Options" not in embed.headers
    assert embed.headers["X-Content-Type-Options"] == "nosniff"
    other = client.get("/en/")
    assert directives(other)["frame-ancestors"] == ["'none'"]
    assert other.headers["X-Frame-Options"] == "DENY"


def test_embed_ancestors_come_from_the_configuration(app_config: dict[str, Any]) -> None:
    ancestors = "https://museum.example.org https://school.example.net"
    client = _frameable_app(app_config, EMBED_ANCESTORS=ancestors).test_client()
    assert directives(client.get("/test-embed"))["frame-ancestors"] == ancestors.split()


def test_hsts_only_with_an_https_public_address(app_config: dict[str, Any]) -> None:
    from webapp import create_app

    secure = create_app({**app_config, "PUBLIC_URL": "https://tours.example.org"})
    response = secure.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    plain = create_app({**app_config, "PUBLIC_URL": "http://tours.example.org"})
    assert "Strict-Transport-Security" not in plain.test_client().get("/healthz").headers


def test_media_sources_name_the_store_origin_never_a_wildcard(
    app: Any, client: Any, backend: str
) -> None:
    policy = directives(client.get("/en/"))
    for name in ["img-src", "media-src", "connect-src"]:
        assert "*" not in policy[name]
        assert policy[name][:3] == ["'self'", "data:", "blob:"]
        if backend == "postgres-s3":
            assert policy[name][3:] == [origin_of(app.config["S3_ENDPOINT_URL"])]
        else:
            assert policy[name][3:] == []
    assert policy["worker-src"] == ["'self'", "blob:"]


def test_a_public_bucket_address_is_allowed_too(app_config: dict[str, Any]) -> None:
    from webapp import create_app

    settings = {
        **app_config,
        "BLOB_STORE": "s3",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "S3_PUBLIC_URL": "https://cdn.example.org/heritour/",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_CREATE_BUCKET": False,
    }
    policy = directives(create_app(settings).test_client().get("/static/css/app.css"))
    assert policy["img-src"][3:] == ["https://cdn.example.org", "http://127.0.0.1:9"]


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://s3.example.org:9000/bucket/key?X-Amz=1", "https://s3.example.org:9000"),
        ("http://user:secret@127.0.0.1:5000/", "http://127.0.0.1:5000"),
        ("/relative/path", None),
        ("ftp://example.org/", None),
        ("", None),
    ],
)
def test_origin_of(url: str, origin: str | None) -> None:
    assert origin_of(url) == origin
