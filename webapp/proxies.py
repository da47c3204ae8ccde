"""Which proxies may speak for the client, and which host names the site answers to.

``TRUSTED_PROXIES`` (``HERITOUR_TRUSTED_PROXIES``) is empty (no proxy: ``X-Forwarded-*``
headers are ignored, the peer's address is the client's), a number of proxy hops in front
of the app (werkzeug's ``ProxyFix``), or a comma-separated list of proxy addresses or
networks: the forwarded headers are read only when the peer is one of them, and the client
is the right-most ``X-Forwarded-For`` address that is not a trusted proxy.

``ALLOWED_HOSTS`` (``HERITOUR_ALLOWED_HOSTS``, comma-separated; ``.example.org`` also allows
its subdomains) becomes Flask's ``TRUSTED_HOSTS``: a request for any other ``Host`` (or a
forwarded host a trusted proxy passed on) gets 400 before any view runs, so no absolute URL
(QR codes, ``hreflang``, the sitemap, Open Graph) is ever built from a forged host.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_hosts(value: str | Iterable[str] | None) -> list[str] | None:
    """``ALLOWED_HOSTS`` as Flask's ``TRUSTED_HOSTS``: None (any host) when empty."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    hosts = [item.strip().lower() for item in items if item.strip()]
    return hosts or None


def parse_proxies(value: str | int | Iterable[str] | None) -> int | list[Network]:
    """``TRUSTED_PROXIES`` as a number of hops or a list of networks (0 means none)."""
    if value is None or value == "":
        return 0
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, str):
        if value.strip().isascii() and value.strip().isdigit():
            return int(value.strip())
        value = value.split(",")
    networks = [ipaddress.ip_network(item.strip(), strict=False) for item in value if item.strip()]
    return networks


class TrustedProxies:
    """WSGI middleware: take ``X-Forwarded-For/Proto/Host`` only from listed proxies."""

    def __init__(self, app: Callable[..., Any], networks: list[Network]) -> None:
        self.app = app
        self.networks = networks

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if self._trusted(environ.get("REMOTE_ADDR", "")):
            forwarded = [
                part.strip()
                for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if part.strip()
            ]
            client = None
            for address in reversed(forwarded):
                client = address
                if not self._trusted(address):
                    break
            if client is not None:
                environ["werkzeug.proxy_fix.orig_remote_addr"] = environ.get("REMOTE_ADDR")
                environ["REMOTE_ADDR"] = client
            proto = _last(environ.get("HTTP_X_FORWARDED_PROTO", ""))
            if proto in {"http", "https"}:
                environ["wsgi.url_scheme"] = proto
            host = _last(environ.get("HTTP_X_FORWARDED_HOST", ""))
            if host:
                environ["HTTP_HOST"] = host
        return self.app(environ, start_response)


def _last(header: str) -> str:
    """The value the nearest proxy set (the last of a comma-separated header)."""
    parts = [part.strip() for part in header.split(",") if part.strip()]
    return parts[-1] if parts else ""


def init_proxies(app: Flask) -> None:
    """Wrap the app for its trusted proxies and set the host names it answers to."""
    app.config["TRUSTED_HOSTS"] = parse_hosts(app.config.get("ALLOWED_HOSTS"))
    proxies = parse_proxies(app.config.get("TRUSTED_PROXIES"))
    if isinstance(proxies, int):
        if proxies:
            app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
                app.wsgi_app, x_for=proxies, x_proto=1, x_host=1
            )
    elif proxies:
        app.wsgi_app = TrustedProxies(app.wsgi_app, proxies)  # type: ignore[method-assign]

    @app.errorhandler(SecurityError)
    def _untrusted_host(_error: SecurityError) -> Response:
        # No page: every page writes the host it was asked for, which is the wrong one here.
        return Response("400 Bad Request\n", status=400, mimetype="text/plain")
