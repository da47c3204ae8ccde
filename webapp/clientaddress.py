"""The address of a request's client, as rate limits count it, behind trusted proxies.

Behind nginx every request comes from the proxy's address; nginx names the client in
``X-Forwarded-For``. That header is believed only when it comes from a proxy listed in
``FORWARDED_ALLOW_IPS`` (``HERITOUR_FORWARDED_ALLOW_IPS``, the same setting gunicorn uses for
``X-Forwarded-Proto``; ``*`` trusts every peer): the client is then the right-most address of
the chain that is not a trusted proxy. Anyone else who sends the header is counted by their
own address, so it cannot be forged to escape a limit.
"""

from __future__ import annotations

import ipaddress

from flask import current_app, request


def trusted_proxies(setting: str) -> frozenset[str]:
    """The addresses of ``FORWARDED_ALLOW_IPS`` (comma-separated), normalised."""
    return frozenset(_normal(part) or part.strip() for part in setting.split(",") if part.strip())


def _normal(address: str) -> str | None:
    """``address`` in its canonical form, or None when it is not an IP address."""
    try:
        return str(ipaddress.ip_address(address.strip().strip("[]")))
    except ValueError:
        return None


def client_address() -> str:
    """The address of this request's client (see the module's docstring)."""
    peer = request.environ.get("REMOTE_ADDR") or "unknown"
    trusted = trusted_proxies(str(current_app.config.get("FORWARDED_ALLOW_IPS", "")))
    trust_all = "*" in trusted
    hop = _normal(peer) or peer
    if not (trust_all or hop in trusted):
        return hop
    chain = [
        part for value in request.headers.getlist("X-Forwarded-For") for part in value.split(",")
    ]
    for entry in reversed(chain):
        address = _normal(entry)
        if address is None:
            return hop  # a proxy passed on something that is no address: stop at that proxy
        hop = address
        if not (trust_all or address in trusted):
            return address
    return hop
