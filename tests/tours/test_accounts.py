"""Accounts: Argon2id hashes, authentication, roles and the last-admin rule."""

from __future__ import annotations

from typing import Any

import pytest

from tours.accounts import (
    AccountError,
    authenticate,
    create_user,
    delete_user,
    hash_password,
    set_password,
    set_role,
)


def test_passwords_are_argon2id_hashes(db: Any) -> None:
    user = create_user(db, " Curator@Example.org ", "a long password", "curator")
    assert user.email == "curator@example.org"
    assert user.password_hash.startswith("$argon2id$")
    assert "a long password" not in user.password_hash
    assert hash_password("x" * 10) != hash_password("x" * 10)  # salted


def test_authenticate(db: Any) -> None:
    user = create_user(db, "c@example.org", "a long password", "curator")
    assert authenticate(db, "C@example.org", "a long password") is user
    assert user.last_login_at is not None
    assert authenticate(db, "c@example.org", "wrong password") is None
    assert authenticate(db, "nobody@example.org", "a long password") is None
    user.active = False
    db.commit()
    assert authenticate(db, "c@example.org", "a long password") is None


@pytest.mark.parametrize(
    ("email", "password", "role", "code"),
    [
        ("not-an-email", "a long password", "curator", "invalid_email"),
        ("a@example.org", "short", "curator", "password_too_short"),
        ("a@example.org", "fourteen chars", "curator", "password_too_short"),
        ("a@example.org", "x" * 257, "curator", "password_too_long"),
        ("a@example.org", "password12345678", "curator", "password_common"),
        ("a@example.org", "iloveyouiloveyou", "curator", "password_common"),
        ("a@example.org", "aaaaaaaaaaaaaaaa", "curator", "password_common"),
        ("a@example.org", "qwertyuiopasdfgh", "curator", "password_common"),
        ("heritourstudio@example.org", "heritourstudio2026", "curator", "password_common"),
        ("a@example.org", "a long password", "owner", "invalid_role"),
    ],
)
def test_create_user_refuses(db: Any, email: str, password: str, role: str, code: str) -> None:
    with pytest.raises(AccountError) as raised:
        create_user(db, email, password, role)
    assert raised.value.code == code


def test_email_is_unique(db: Any) -> None:
    create_user(db, "a@example.org", "a long password", "curator")
    with pytest.raises(AccountError) as raised:
        create_user(db, "A@example.org", "another password", "admin")
    assert raised.value.code == "email_taken"


def test_last_admin_stays(db: Any) -> None:
    admin = create_user(db, "admin@example.org", "a long password", "admin")
    for action in (lambda: set_role(db, admin, "curator"), lambda: delete_user(db, admin)):
        with pytest.raises(AccountError) as raised:
            action()
        assert raised.value.code == "last_admin"
    other = create_user(db, "other@example.org", "a long password", "admin")
    set_role(db, admin, "curator")
    assert (admin.role, other.role) == ("curator", "admin")


def test_set_password(db: Any) -> None:
    user = create_user(db, "a@example.org", "a long password", "curator")
    set_password(db, user, "a new long password")
    assert authenticate(db, "a@example.org", "a new long password") is user
    assert authenticate(db, "a@example.org", "a long password") is None


def test_any_unicode_is_accepted_and_normalised(db: Any) -> None:
    """NIST SP 800-63B: Unicode allowed, normalised (NFKC) before hashing; 64+ characters."""
    import unicodedata

    typed = "Kinh thành Huế đẹp lắm 🌸"
    decomposed = unicodedata.normalize("NFD", typed)
    assert decomposed != typed
    user = create_user(db, "u@example.org", decomposed, "curator")
    assert authenticate(db, "u@example.org", typed) is user
    assert authenticate(db, "u@example.org", "Ｋinh thành Huế đẹp lắm 🌸") is user  # full-width K
    long = "một câu rất dài về những lăng tẩm của các vua triều Nguyễn ở Huế xưa"
    assert len(long) > 64
    set_password(db, user, long)
    assert authenticate(db, "u@example.org", long) is user


def test_new_password_ends_every_session(db: Any) -> None:
    from tours.usersessions import find_session, list_sessions, start_session

    user = create_user(db, "a@example.org", "a long password", "curator")
    tokens = [start_session(db, user, "Mozilla/5.0 (Android 14) Chrome/130").token for _ in "ab"]
    assert [row.user_agent for row in list_sessions(db, user.id)] == ["Chrome · Android"] * 2
    set_password(db, user, "a new long password")
    assert [find_session(db, token) for token in tokens] == [None, None]
    assert list_sessions(db, user.id) == []
