"""The client's address as rate limits count it: X-Forwarded-For believed only from a
trusted proxy, the right-most untrusted hop taken, forged or malformed chains never
letting a client choose the address it is counted under."""

from __future__ import annotations

from typing import Any

import pytest

from webapp.clientaddress import client_address, trusted_proxies

LOOPBACK = "127.0.0.1,::1"


@pytest.mark.parametrize(
    ("setting", "peer", "forwarded", "expected"),
    [
        (LOOPBACK, "203.0.113.7", [], "203.0.113.7"),  # no proxy
        (LOOPBACK, "203.0.113.7", ["198.51.100.1"], "203.0.113.7"),  # forged by a client
        (LOOPBACK, "127.0.0.1", ["198.51.100.1"], "198.51.100.1"),  # nginx on this machine
        (LOOPBACK, "127.0.0.1", ["6.6.6.6, 198.51.100.1"], "198.51.100.1"),  # client forged one
        (LOOPBACK, "127.0.0.1", ["6.6.6.6", "198.51.100.1"], "198.51.100.1"),  # two headers
        ("127.0.0.1,10.0.0.5", "127.0.0.1", ["198.51.100.1, 10.0.0.5"], "198.51.100.1"),
        (LOOPBACK, "127.0.0.1", ["not-an-address"], "127.0.0.1"),
        (LOOPBACK, "127.0.0.1", ["198.51.100.1, junk"], "127.0.0.1"),
        (LOOPBACK, "127.0.0.1", [], "127.0.0.1"),
        (LOOPBACK, "::1", ["2001:db8::1"], "2001:db8::1"),
        (LOOPBACK, "127.0.0.1", ["[2001:DB8::1]"], "2001:db8::1"),
        ("", "127.0.0.1", ["198.51.100.1"], "127.0.0.1"),  # nothing trusted
        ("*", "10.1.2.3", ["198.51.100.1"], "198.51.100.1"),
    ],
)
def test_client_address_behind_trusted_proxies(
    app: Any, setting: str, peer: str, forwarded: list[str], expected: str
) -> None:
    app.config["FORWARDED_ALLOW_IPS"] = setting
    headers = [("X-Forwarded-For", value) for value in forwarded]
    with app.test_request_context(environ_base={"REMOTE_ADDR": peer}, headers=headers):
        assert client_address() == expected


def test_trusted_proxies_are_normalised() -> None:
    assert trusted_proxies(" 127.0.0.1 , ::0001 ,, * ") == {"127.0.0.1", "::1", "*"}


def test_a_forged_header_does_not_escape_the_read_limit(
    app_config: dict[str, Any], published_tour: Any
) -> None:
    from webapp import create_app

    client = create_app({**app_config, "API_READ_RATE_LIMIT": "2 per minute"}).test_client()
    client_env = {"REMOTE_ADDR": "203.0.113.9"}
    statuses = [
        client.get(
            "/api/v1/tours", environ_base=client_env, headers={"X-Forwarded-For": f"10.0.0.{n}"}
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]
    # behind the proxy, each visitor it names is counted on their own
    proxied = [
        client.get(
            "/api/v1/tours",
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(3)
    ]
    assert proxied == [200, 200, 200]
