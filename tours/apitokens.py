"""Personal API tokens: a studio user lets a program act for them on the API.

A token is ``htr_`` followed by 43 URL-safe characters (256 random bits). It is shown once,
when created; only its SHA-256 is kept, so a copy of the database gives nobody a token.
Each token carries scopes (:data:`SCOPES`), can be revoked, and remembers when it was last
used (written at most once a minute, so that a busy client does not write on every call).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tours.db import utcnow
from tours.errors import CodedError
from tours.models import ApiToken, User

PREFIX = "htr_"
READ_DRAFTS, WRITE, PUBLISH = "read:drafts", "write", "publish"
SCOPES = (READ_DRAFTS, WRITE, PUBLISH)
MAX_NAME = 100
MAX_TOKENS_PER_USER = 50
LAST_USED_EVERY = timedelta(minutes=1)


class TokenError(CodedError):
    """A token that cannot be made, or a request it cannot authorise."""


@dataclass(frozen=True)
class NewToken:
    """A token just made: ``secret`` is shown to its owner this once, never again."""

    token: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    """The SHA-256 (hex) that is kept in place of ``secret``."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(session: Session, user: User, name: str, scopes: list[str]) -> NewToken:
    """Make a token for ``user``; raises :class:`TokenError` (``token_name_invalid``,
    ``token_scopes_invalid``, ``too_many_tokens``)."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME or not name.isprintable():  # a NUL, for one
        raise TokenError("token_name_invalid", f"Name the token (1 to {MAX_NAME} characters).")
    chosen = [scope for scope in SCOPES if scope in scopes]
    if not chosen or len(chosen) != len(set(scopes)):
        raise TokenError("token_scopes_invalid", f"Choose scopes among {', '.join(SCOPES)}.")
    if len(active_tokens(session, user)) >= MAX_TOKENS_PER_USER:
        raise TokenError("too_many_tokens", "Revoke a token before making another.")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        scopes=chosen,
        token_hash=hash_token(secret),
        prefix=secret[: len(PREFIX) + 4],
    )
    session.add(token)
    session.commit()
    return NewToken(token, secret)


def active_tokens(session: Session, user: User) -> list[ApiToken]:
    """``user``'s tokens that are not revoked, newest first."""
    query = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    return list(session.scalars(query.order_by(ApiToken.id.desc())))


def revoke_token(session: Session, user: User, token_id: int) -> None:
    """Revoke ``user``'s token ``token_id``; someone else's token is not found."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise TokenError("token_not_found", "No such token.")
    token.revoked_at = utcnow()
    session.commit()


def authenticate(session: Session, secret: str, now: datetime | None = None) -> ApiToken:
    """The live token whose secret is ``secret``, its last use noted; else ``invalid_token``
    (unknown, revoked, or its user gone or deactivated)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        raise TokenError("invalid_token", "This is not a Heritour API token.")
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        raise TokenError("invalid_token", "The token is unknown or revoked.")
    now = now or utcnow()
    last = token.last_used_at
    if last is not None and last.tzinfo is None:  # SQLite gives naive datetimes back
        last = last.replace(tzinfo=UTC)
    if last is None or now - last >= LAST_USED_EVERY:
        token.last_used_at = now
        session.commit()
    return token


def allows(token: ApiToken, scope: str) -> bool:
    """Whether ``token`` carries ``scope``."""
    return scope in token.scopes
