"""Studio fixtures: users with each role, and clients signed in as them (CSRF included)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(client: Any, path: str = "/studio/login") -> str:
    """The CSRF token of the client's session (from a studio page's meta tag)."""
    from flask import g

    # The app fixture keeps one app context for the whole test, so ``g`` outlives requests;
    # forget the token Flask-WTF cached there for another client.
    g.pop("csrf_token", None)
    client.environ_base.setdefault("HTTP_ACCEPT_LANGUAGE", "en")  # assertions read English
    page = client.get(path).get_data(as_text=True)
    match = _TOKEN.search(page)
    assert match, "no CSRF token on the login page"
    return match.group(1)


def sign_in(client: Any, email: str, password: str = PASSWORD) -> Any:
    """Sign ``client`` in; every later request carries the CSRF token in X-CSRFToken."""
    token = csrf_token(client)
    response = client.post(
        "/studio/login", data={"email": email, "password": password, "csrf_token": token}
    )
    if response.status_code == 302:
        client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(client, "/studio/")
    return response


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Any) -> dict[str, Any]:
    """The shared settings, with unfinished uploads kept in the test's own folder."""
    app_config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return app_config


@pytest.fixture
def studio_users(db: Any) -> dict[str, Any]:
    """An admin and a curator."""
    from tours.accounts import create_user

    return {
        "admin": create_user(db, "admin@example.org", PASSWORD, "admin"),
        "curator": create_user(db, "curator@example.org", PASSWORD, "curator"),
    }


@pytest.fixture
def client_as(app: Any, studio_users: dict[str, Any]) -> Callable[[str | None], Any]:
    """``client_as("admin")``, ``client_as("curator")`` or ``client_as(None)`` (anonymous,
    with a CSRF token so that only the permission check can refuse it)."""

    def make(role: str | None) -> Any:
        client = app.test_client()
        if role is None:
            client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(client)
        else:
            assert sign_in(client, studio_users[role].email).status_code == 302
        return client

    return make


@pytest.fixture
def curator(client_as: Callable[[str | None], Any]) -> Any:
    """A client signed in as a curator."""
    return client_as("curator")


class StudioHelpers:
    """The helpers above, for test modules (conftest modules cannot be imported)."""

    password = PASSWORD
    csrf_token = staticmethod(csrf_token)
    sign_in = staticmethod(sign_in)


@pytest.fixture
def studio() -> type[StudioHelpers]:
    """Helpers to sign in and read CSRF tokens."""
    return StudioHelpers
