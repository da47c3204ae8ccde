"""Personal API tokens in the domain: only the hash kept, scopes, revocation, last use."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest


@pytest.fixture
def user(db: Any) -> Any:
    from tours.accounts import create_user

    return create_user(db, "curator@example.org", "correct horse battery", "curator")


def test_token_secret_is_random_and_only_its_hash_is_kept(db: Any, user: Any) -> None:
    from tours.apitokens import create_token

    first = create_token(db, user, "one", ["write", "read:drafts"])
    second = create_token(db, user, "two", ["publish"])
    assert first.secret != second.secret and first.secret.startswith("htr_")
    assert len(first.secret) == 4 + 43
    assert first.token.token_hash == hashlib.sha256(first.secret.encode()).hexdigest()
    assert first.token.scopes == ["read:drafts", "write"]  # in the house order
    assert first.token.prefix == first.secret[:8]


def test_last_use_is_written_at_most_once_a_minute(db: Any, user: Any) -> None:
    from tours.apitokens import authenticate, create_token

    secret = create_token(db, user, "ci", ["write"]).secret
    start = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    authenticate(db, secret, start)
    token = authenticate(db, secret, start + timedelta(seconds=30))
    db.expire_all()
    assert token.last_used_at.replace(tzinfo=UTC) == start
    authenticate(db, secret, start + timedelta(minutes=2))
    db.expire_all()
    assert token.last_used_at.replace(tzinfo=UTC) == start + timedelta(minutes=2)


def test_revoked_and_unknown_tokens_do_not_authenticate(db: Any, user: Any) -> None:
    from tours.apitokens import TokenError, authenticate, create_token, revoke_token

    made = create_token(db, user, "ci", ["write"])
    revoke_token(db, user, made.token.id)
    for secret in (made.secret, "htr_unknown", "not a token", "htr_" + "x" * 500):
        with pytest.raises(TokenError) as caught:
            authenticate(db, secret)
        assert caught.value.code == "invalid_token"
    with pytest.raises(TokenError):
        revoke_token(db, user, made.token.id)  # already revoked


def test_a_user_has_a_bounded_number_of_tokens(db: Any, user: Any) -> None:
    from tours.apitokens import MAX_TOKENS_PER_USER, TokenError, create_token

    for number in range(MAX_TOKENS_PER_USER):
        create_token(db, user, f"t{number}", ["write"])
    with pytest.raises(TokenError) as caught:
        create_token(db, user, "one more", ["write"])
    assert caught.value.code == "too_many_tokens"
