"""Two-factor sign-in (TOTP): enrolment with a QR code and recovery codes, the second sign-in
step, one use per code, the rate limit, and admins who must use it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from sqlalchemy import select


def _secret(html: str) -> str:
    match = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html)
    assert match, "no secret on the enrolment page"
    return match.group(1).replace(" ", "")


def _enrol(client: Any) -> tuple[str, list[str]]:
    """Enrol ``client``'s user as a person would: read the key, type the app's code."""
    page = client.get("/studio/account/two-factor")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    secret = _secret(page.get_data(as_text=True))
    done = client.post("/studio/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    codes = re.findall(
        r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.get_data(as_text=True)
    )
    return secret, codes


def _password_step(client: Any, studio: Any, email: str = "curator@example.org") -> Any:
    token = studio.csrf_token(client)
    form = {"email": email, "password": studio.password, "csrf_token": token}
    response = client.post("/studio/login", data=form)
    if "/studio/login/code" in response.headers.get("Location", ""):
        token = studio.csrf_token(client, "/studio/login/code")
    return response, token


def test_curator_turns_on_two_factor_and_signs_in_with_it(
    app: Any, curator: Any, db: Any, studio: Any
) -> None:
    from tours.models import User

    qr = curator.get("/studio/account/two-factor/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert qr.data.startswith(b"<svg") and qr.headers["Cache-Control"] == "no-store"
    wrong = curator.post("/studio/account/two-factor", data={"code": "000000"})
    assert wrong.status_code == 400
    assert "This code is wrong or was already used." in wrong.get_data(as_text=True)
    secret, codes = _enrol(curator)
    assert len(codes) == 10 and len(set(codes)) == 10
    user = db.scalar(select(User).where(User.email == "curator@example.org"))
    db.refresh(user)
    assert user.totp_enabled_at is not None and user.totp_secret == secret
    assert not any(code in str(user.recovery_code_hashes) for code in codes)  # only hashes
    assert curator.get("/studio/account/two-factor/qr.svg").status_code == 404  # gone once on
    assert "10 recovery codes left." in curator.get("/studio/account").get_data(as_text=True)

    browser = app.test_client()
    response, token = _password_step(browser, studio)
    assert response.headers["Location"].startswith("/studio/login/code")
    assert browser.get("/studio/").status_code == 302  # the password alone is not enough
    bad = browser.post("/studio/login/code", data={"code": "123456", "csrf_token": token})
    assert bad.status_code == 401
    code = studio.totp_code("curator@example.org")
    good = browser.post("/studio/login/code", data={"code": code, "csrf_token": token})
    assert good.status_code == 302 and good.headers["Location"] == "/studio/"
    assert browser.get("/studio/").status_code == 200

    replay = app.test_client()
    _response, token = _password_step(replay, studio)
    again = replay.post("/studio/login/code", data={"code": code, "csrf_token": token})
    assert again.status_code == 401  # a code works once
    recovery = {"code": codes[3].upper(), "csrf_token": token}
    assert replay.post("/studio/login/code", data=recovery).status_code == 302
    other = app.test_client()
    _response, token = _password_step(other, studio)
    recovery["csrf_token"] = token
    assert other.post("/studio/login/code", data=recovery).status_code == 401  # used up
    db.refresh(user)
    assert len(user.recovery_code_hashes) == 9


def test_curator_turns_two_factor_off_with_a_code(curator: Any, db: Any, studio: Any) -> None:
    from tours.models import User

    _enrol(curator)
    refused = curator.post("/studio/account/two-factor/disable", data={"code": "000000"})
    assert refused.status_code == 302
    code = studio.totp_code("curator@example.org")
    assert (
        curator.post("/studio/account/two-factor/disable", data={"code": code}).status_code == 302
    )
    user = db.scalar(select(User).where(User.email == "curator@example.org"))
    db.refresh(user)
    assert (user.totp_secret, user.totp_enabled_at, user.recovery_code_hashes) == (None, None, None)


def test_admin_without_two_factor_must_enrol_first(
    app: Any, client: Any, db: Any, studio: Any
) -> None:
    from tours.accounts import create_user

    create_user(db, "boss@example.org", studio.password, "admin")
    response, _token = _password_step(client, studio, "boss@example.org")
    assert response.headers["Location"] == "/studio/"
    for path in ("/studio/", "/studio/users", "/studio/models/", "/studio/account"):
        assert client.get(path).headers["Location"] == "/studio/account/two-factor", path
    page = client.get("/studio/account/two-factor").get_data(as_text=True)
    assert "Administrators must use two-factor sign-in." in page
    refused = client.get("/api/v1/studio/tours")  # the studio's JSON routes refuse too
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "two_factor_required"
    client.environ_base["HTTP_X_CSRFTOKEN"] = studio.csrf_token(
        client, "/studio/account/two-factor"
    )
    _enrol(client)
    assert client.get("/studio/users").status_code == 200
    assert client.get("/api/v1/studio/tours").status_code == 200
    assert client.post("/studio/account/two-factor/disable", data={"code": "1"}).status_code == 403


def test_code_attempts_are_rate_limited(app_config: dict[str, Any], db: Any, studio: Any) -> None:
    from tours.accounts import create_user
    from webapp import create_app

    user = create_user(db, "curator@example.org", studio.password, "curator")
    studio.enable_two_factor(db, user)
    limited = create_app({**app_config, "LOGIN_RATE_LIMIT": "3 per minute"})
    client = limited.test_client()
    _response, token = _password_step(client, studio)
    form = {"code": "000000", "csrf_token": token}
    statuses = [client.post("/studio/login/code", data=form).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


@pytest.mark.parametrize("late", [False, True])
def test_the_code_step_expires(
    client: Any, db: Any, studio: Any, monkeypatch: Any, late: bool
) -> None:
    import time

    from tours.accounts import create_user

    user = create_user(db, "curator@example.org", studio.password, "curator")
    studio.enable_two_factor(db, user)
    _response, token = _password_step(client, studio)
    if late:
        now = time.time()
        monkeypatch.setattr(time, "time", lambda: now + 301)
    form = {"code": studio.totp_code("curator@example.org"), "csrf_token": token}
    response = client.post("/studio/login/code", data=form)
    assert response.headers["Location"] == ("/studio/login" if late else "/studio/")


def test_two_factor_pages_need_a_session(client_as: Callable[[str | None], Any]) -> None:
    anonymous = client_as(None)
    for path in ("/studio/account/two-factor", "/studio/account/two-factor/qr.svg"):
        assert anonymous.get(path).headers["Location"].startswith("/studio/login?next=")
    assert anonymous.get("/studio/login/code").headers["Location"] == "/studio/login"
