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


def totp_code(email: str) -> str:
    """The current two-factor code of the user ``email`` (pyotp, as an authenticator app).

    The user's last accepted time step is forgotten first, so that tests may sign the same
    user in several times within one 30-second step (replays are tested on their own)."""
    import pyotp
    from sqlalchemy import select

    from tours.models import User
    from webapp.extensions import db

    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None and user.totp_secret, f"{email} has no two-factor secret"
    user.totp_last_step = None
    db.session.commit()
    return pyotp.TOTP(user.totp_secret).now()


def sign_in(client: Any, email: str, password: str = PASSWORD) -> Any:
    """Sign ``client`` in (with a two-factor code when the user has them on); every later
    request carries the CSRF token in X-CSRFToken."""
    token = csrf_token(client)
    response = client.post(
        "/studio/login", data={"email": email, "password": password, "csrf_token": token}
    )
    if response.status_code == 302 and "/studio/login/code" in response.location:
        token = csrf_token(client, "/studio/login/code")  # the password step began anew
        response = client.post(
            "/studio/login/code", data={"code": totp_code(email), "csrf_token": token}
        )
    if response.status_code == 302:
        client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(client, "/studio/")
    return response


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Any) -> dict[str, Any]:
    """The shared settings, with unfinished uploads kept in the test's own folder."""
    app_config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return app_config


def enable_two_factor(db: Any, user: Any) -> str:
    """Turn two-factor sign-in on for ``user`` as enrolment would; returns the secret."""
    import pyotp

    from tours.db import utcnow

    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = utcnow()
    db.commit()
    return str(user.totp_secret)


@pytest.fixture
def studio_users(db: Any) -> dict[str, Any]:
    """An admin (with two-factor sign-in on, as admins must) and a curator."""
    from tours.accounts import create_user

    admin = create_user(db, "admin@example.org", PASSWORD, "admin")
    enable_two_factor(db, admin)
    return {
        "admin": admin,
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
    totp_code = staticmethod(totp_code)
    enable_two_factor = staticmethod(enable_two_factor)


@pytest.fixture
def studio() -> type[StudioHelpers]:
    """Helpers to sign in and read CSRF tokens."""
    return StudioHelpers
