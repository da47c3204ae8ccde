"""Absolute links that leave the screen (printed QR codes, short links, shared tours).

They use the site's public address from the configuration (``HERITOUR_PUBLIC_URL``), not
the address the page was opened on: a QR sheet printed from a laptop on the office network
must still open on a visitor's phone. Without the setting, the request's own address is used.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for


def public_url(endpoint: str, **values: Any) -> str:
    """The absolute address of ``endpoint`` on the site's public address."""
    base = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values)


def absolute_url(path: str) -> str:
    """The absolute address of ``path`` (an address made by ``url_for``, starting with /) on
    the site's public address."""
    base = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    return (base or request.host_url.rstrip("/")) + path
