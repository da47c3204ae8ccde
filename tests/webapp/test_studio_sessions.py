"""Server-side studio sessions: signing out ends them, copied cookies stop working, people
see and end their own sessions, admins end other people's, a new password ends them all."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/130.0 Mobile"


def _copy(client: Any, app: Any) -> Any:
    """Another client (another machine) holding a copy of ``client``'s session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value, domain=cookie.domain)
    return thief


def _signed_in(client: Any) -> bool:
    return client.get("/studio/").status_code == 200


def test_sign_out_ends_the_session_for_a_copied_cookie(
    app: Any, client: Any, studio_users: Any, studio: Any
) -> None:
    studio.sign_in(client, "curator@example.org")
    thief = _copy(client, app)
    assert _signed_in(thief)
    assert client.post("/studio/logout").status_code == 302
    assert thief.get("/studio/").headers["Location"].startswith("/studio/login")
    assert not _signed_in(client)


def test_the_cookie_carries_only_a_random_session_id(
    app: Any, client: Any, db: Any, studio_users: Any, studio: Any
) -> None:
    from tours.models import UserSession

    client.environ_base["HTTP_USER_AGENT"] = AGENT
    studio.sign_in(client, "curator@example.org")
    content = app.session_interface.get_signing_serializer(app).loads(
        client.get_cookie("session").value
    )
    assert set(content) == {"sid", "csrf_token"}
    row = db.scalar(select(UserSession))
    assert row.token_hash == hashlib.sha256(content["sid"].encode()).hexdigest()
    assert content["sid"] not in row.token_hash
    assert (row.user_id, row.user_agent) == (studio_users["curator"].id, "Chrome · Android")


def test_signing_in_again_replaces_the_browsers_session(
    app: Any, client: Any, db: Any, studio_users: Any, studio: Any
) -> None:
    from tours.models import UserSession

    studio.sign_in(client, "curator@example.org")
    thief = _copy(client, app)
    form = {
        "email": "curator@example.org",
        "password": studio.password,
        "csrf_token": studio.csrf_token(client, "/studio/"),
    }
    assert client.post("/studio/login", data=form).status_code == 302
    assert len(db.scalars(select(UserSession)).all()) == 1
    assert _signed_in(client) and not _signed_in(thief)


def test_people_see_and_end_their_other_sessions(
    app: Any, client_as: Callable[[str | None], Any], db: Any
) -> None:
    from tours.models import UserSession

    laptop, phone, tablet = (client_as("curator") for _ in range(3))
    page = laptop.get("/studio/account")
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert html.count("This browser") == 1 and html.count("Sign out there") == 2
    newest = db.scalars(select(UserSession).order_by(UserSession.id.desc())).first()
    assert laptop.post(f"/studio/account/sessions/{newest.id}/end").status_code == 302
    assert [_signed_in(c) for c in (laptop, phone, tablet)] == [True, True, False]
    ended = laptop.post("/studio/account/sessions/end-others", follow_redirects=True)
    assert "1 other session has ended." in ended.get_data(as_text=True)
    assert [_signed_in(c) for c in (laptop, phone)] == [True, False]


def test_nobody_ends_someone_elses_session_from_their_account(
    client_as: Callable[[str | None], Any], db: Any
) -> None:
    from tours.models import UserSession

    admin = client_as("admin")
    curator = client_as("curator")
    admins = db.scalar(select(UserSession).where(UserSession.user_id != _user_id(db)))
    assert curator.post(f"/studio/account/sessions/{admins.id}/end").status_code == 404
    assert _signed_in(admin)


def _user_id(db: Any, email: str = "curator@example.org") -> int:
    from tours.models import User

    return int(db.scalar(select(User.id).where(User.email == email)))


def test_admin_ends_another_users_sessions(
    client_as: Callable[[str | None], Any], db: Any, studio: Any
) -> None:
    curators = [client_as("curator"), client_as("curator")]
    admin = client_as("admin")
    users_page = admin.get("/studio/users").get_data(as_text=True)
    assert "End 2 sessions" in users_page
    url = f"/studio/users/{_user_id(db)}/sessions/end"
    token = admin.environ_base.pop("HTTP_X_CSRFTOKEN")
    assert admin.post(url).status_code == 400  # CSRF-protected
    admin.environ_base["HTTP_X_CSRFTOKEN"] = token
    assert curators[0].post(url).status_code == 403  # admins only
    done = admin.post(url, follow_redirects=True).get_data(as_text=True)
    assert "2 sessions of curator@example.org have ended." in done
    assert [_signed_in(c) for c in curators] == [False, False]
    assert _signed_in(admin)


def test_password_change_ends_the_other_sessions(
    client_as: Callable[[str | None], Any], db: Any, studio: Any
) -> None:
    from tours.accounts import authenticate

    here, elsewhere = client_as("curator"), client_as("curator")
    form = {"current_password": "not it at all!", "new_password": "a brand new passphrase"}
    wrong = here.post("/studio/account/password", data=form, follow_redirects=True)
    assert "The current password is wrong." in wrong.get_data(as_text=True)
    form = {"current_password": studio.password, "new_password": "iloveyouiloveyou"}
    common = here.post("/studio/account/password", data=form, follow_redirects=True)
    assert "too common or too easy to guess" in common.get_data(as_text=True)
    assert _signed_in(elsewhere)
    form["new_password"] = "a brand new passphrase"
    changed = here.post("/studio/account/password", data=form, follow_redirects=True)
    assert "every other session has ended" in changed.get_data(as_text=True)
    assert _signed_in(here) and not _signed_in(elsewhere)
    assert authenticate(db, "curator@example.org", "a brand new passphrase") is not None


def test_password_fields_say_the_rules(client_as: Callable[[str | None], Any]) -> None:
    admin = client_as("admin")
    for path in ("/studio/users", "/studio/account"):
        html = admin.get(path).get_data(as_text=True)
        assert "At least 15 characters, in any language, spaces allowed." in html
        assert 'minlength="15" maxlength="256"' in html
    admin.get("/studio/language/vi")
    assert "Ít nhất 15 ký tự" in admin.get("/studio/account").get_data(as_text=True)
