"""Hosts and client addresses behind a proxy: only configured proxies are believed, and only
allowed host names reach absolute URLs (QR codes, hreflang, the sitemap, Open Graph)."""

from __future__ import annotations

from typing import Any

import pytest

GOOD, EVIL = "tours.example.org", "evil.example"
# Every page that writes the site's own absolute address.
ABSOLUTE = [
    "/en/tours/citadel/qr",  # the printed short links
    "/en/tours/citadel/1",  # hreflang alternates, Open Graph, the share link
    "/en/tours/citadel/",
    "/sitemap.xml",
]


def _app(app_config: dict[str, Any], **settings: Any) -> Any:
    from webapp import create_app

    return create_app({**app_config, **settings})


def _texts(client: Any, **headers: str) -> list[str]:
    pages = []
    for path in ABSOLUTE:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        pages.append(response.get_data(as_text=True))
    return pages


def _qr(client: Any, **headers: str) -> bytes:
    response = client.get("/en/tours/citadel/qr/1.svg", headers=headers)
    assert response.status_code == 200
    return bytes(response.data)


def _expected_qr(host: str) -> bytes:
    from tours.qrcodes import qr_svg

    return qr_svg(f"http://{host}/s/citadel/1", "The gate", scale=10).encode()


def test_forwarded_host_from_an_unlisted_peer_is_ignored(
    app_config: dict[str, Any], published_tour: Any
) -> None:
    client = _app(app_config).test_client()
    headers = {"Host": GOOD, "X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"}
    for page in _texts(client, **headers):
        assert f"http://{GOOD}/" in page and EVIL not in page and "https://" + GOOD not in page
    assert _qr(client, **headers) == _expected_qr(GOOD)


@pytest.mark.parametrize(
    "proxies", ["1", "127.0.0.1", "10.0.0.0/8, 127.0.0.0/8"], ids=["hops", "address", "networks"]
)
def test_allowed_hosts_refuse_a_forged_host(
    app_config: dict[str, Any], published_tour: Any, proxies: str
) -> None:
    app = _app(app_config, ALLOWED_HOSTS=f"{GOOD}, .example.net", TRUSTED_PROXIES=proxies)
    client = app.test_client()
    for path in [*ABSOLUTE, "/en/tours/citadel/qr/1.svg", "/studio/login", "/api/v1/tours"]:
        assert client.get(path, headers={"Host": EVIL}).status_code == 400, path
        forged = {"Host": GOOD, "X-Forwarded-Host": EVIL}
        assert client.get(path, headers=forged).status_code == 400, path
    assert client.get("/en/", headers={"Host": "www.example.net"}).status_code == 200
    # The proxy says which host the visitor asked for; the app listens on its own address.
    through = {"Host": "127.0.0.1:8000", "X-Forwarded-Host": GOOD, "X-Forwarded-Proto": "https"}
    for page in _texts(client, **through):
        assert f"https://{GOOD}/" in page and "127.0.0.1:8000" not in page


def _login_statuses(app: Any, studio: Any, addresses: list[str], peer: str) -> list[int]:
    client = app.test_client()
    token = studio.csrf_token(client)
    form = {"email": "curator@example.org", "password": "wrong password!", "csrf_token": token}
    return [
        client.post(
            "/studio/login",
            data=form,
            headers={"X-Forwarded-For": address},
            environ_base={"REMOTE_ADDR": peer},
        ).status_code
        for address in addresses
    ]


@pytest.mark.parametrize(
    ("proxies", "peer", "separate"),
    [
        ("", "127.0.0.1", False),  # no proxy configured: X-Forwarded-For is anyone's words
        ("10.0.0.0/8", "127.0.0.1", False),  # the peer is not a listed proxy
        ("127.0.0.1", "127.0.0.1", True),
        ("1", "127.0.0.1", True),
    ],
)
def test_rate_limit_keys_on_the_address_trusted_proxies_give(
    app_config: dict[str, Any],
    studio_users: Any,
    studio: Any,
    proxies: str,
    peer: str,
    separate: bool,
) -> None:
    app = _app(app_config, LOGIN_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=proxies)
    statuses = _login_statuses(app, studio, ["203.0.113.1", "203.0.113.2", "203.0.113.3"], peer)
    assert statuses == ([401, 401, 401] if separate else [401, 401, 429])
    again = _login_statuses(app, studio, ["203.0.113.1", "203.0.113.1"], peer)
    assert again == ([401, 429] if separate else [429, 429])


def test_a_chain_of_listed_proxies_is_walked_back_to_the_client() -> None:
    from werkzeug.test import EnvironBuilder

    from webapp.proxies import TrustedProxies, parse_proxies

    seen: dict[str, Any] = {}

    def inner(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(environ)
        return []

    middleware = TrustedProxies(inner, parse_proxies("10.0.0.0/8"))  # type: ignore[arg-type]
    chain = "198.51.100.7, 203.0.113.9, 10.1.1.1"  # a forged entry, the client, an inner proxy
    environ = EnvironBuilder(
        headers={"X-Forwarded-For": chain}, environ_base={"REMOTE_ADDR": "10.0.0.2"}
    ).get_environ()
    middleware(environ, lambda *args: None)
    assert seen["REMOTE_ADDR"] == "203.0.113.9"
