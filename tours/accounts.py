"""Studio accounts: creating users, checking passwords (Argon2id), roles.

Passwords are never stored: only Argon2id hashes from argon2-cffi, of the NFKC-normalised
password. New passwords follow :mod:`tours.passwords` (NIST SP 800-63B). Checking a password
for an unknown email still spends the time of one hash, so timing does not tell which emails
exist. A new password ends every session of the user (:mod:`tours.usersessions`).
"""

from __future__ import annotations

import contextlib
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tours.db import utcnow
from tours.errors import CodedError
from tours.models import User, UserRole
from tours.passwords import MAX_LENGTH, MIN_LENGTH, PasswordRejected, check_password
from tours.passwords import normalize_password as _normalize
from tours.usersessions import end_user_sessions

MIN_PASSWORD_LENGTH = MIN_LENGTH
MAX_PASSWORD_LENGTH = MAX_LENGTH
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,63}$")
_HASHER = PasswordHasher()  # argon2-cffi's defaults are Argon2id with RFC 9106 parameters
_DUMMY_HASH = _HASHER.hash("heritour-timing-equaliser")
ROLES = (UserRole.ADMIN.value, UserRole.CURATOR.value)


class AccountError(CodedError):
    """A request about accounts that cannot be done."""


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (NFKC-normalised)."""
    return _HASHER.hash(_normalize(password))


def normalize_email(email: str) -> str:
    """Emails compare without case and surrounding spaces."""
    return email.strip().lower()


_REJECTIONS = {
    "password_too_short": f"The password must have at least {MIN_LENGTH} characters.",
    "password_too_long": f"The password may have at most {MAX_LENGTH} characters.",
    "password_common": "This password is too common or too easy to guess.",
}


def check_new_password(password: str, email: str = "") -> None:
    """Raise :class:`AccountError` when ``password`` may not be chosen (for ``email``)."""
    try:
        check_password(password, context=[email] if email else [])
    except PasswordRejected as rejected:
        raise AccountError(rejected.code, _REJECTIONS[rejected.code]) from rejected


def create_user(session: Session, email: str, password: str, role: str) -> User:
    """Create a user; raises :class:`AccountError` for a bad email, role or password."""
    email = normalize_email(email)
    if not _EMAIL.match(email):
        raise AccountError("invalid_email", "This is not a valid email address.")
    if role not in ROLES:
        raise AccountError("invalid_role", f"The role must be one of: {', '.join(ROLES)}.")
    check_new_password(password, email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError("email_taken", "A user with this email already exists.")
    user = User(email=email, password_hash=hash_password(password), role=role, active=True)
    session.add(user)
    session.commit()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None. Upgrades old hashes.

    An email with a NUL (which PostgreSQL cannot compare) names nobody."""
    found = None if "\x00" in email else normalize_email(email)
    user = session.scalar(select(User).where(User.email == found)) if found else None
    if user is None or not user.active:
        with contextlib.suppress(VerificationError):
            _HASHER.verify(_DUMMY_HASH, password)
        return None
    if not verify_password(user, password):
        return None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.commit()
    return user


def verify_password(user: User, password: str) -> bool:
    """Whether ``password`` is the user's (normalised, or as typed for hashes made before
    passwords were normalised)."""
    for candidate in dict.fromkeys([_normalize(password), password]):
        try:
            if _HASHER.verify(user.password_hash, candidate):
                return True
        except (VerificationError, InvalidHashError):
            continue
    return False


def list_users(session: Session) -> list[User]:
    """Every user, by email."""
    return list(session.scalars(select(User).order_by(User.email)))


def _active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count(User.id)).where(User.role == UserRole.ADMIN, User.active.is_(True))
        )
        or 0
    )


def set_role(session: Session, user: User, role: str) -> None:
    """Change a user's role; the last active admin keeps the admin role."""
    if role not in ROLES:
        raise AccountError("invalid_role", f"The role must be one of: {', '.join(ROLES)}.")
    if user.role == UserRole.ADMIN and role != UserRole.ADMIN and _active_admins(session) <= 1:
        raise AccountError("last_admin", "The last administrator cannot lose the admin role.")
    user.role = role
    session.commit()


def set_password(session: Session, user: User, password: str) -> None:
    """Give the user a new password; every session of theirs ends."""
    check_new_password(password, user.email)
    user.password_hash = hash_password(password)
    end_user_sessions(session, user.id)
    session.commit()


def delete_user(session: Session, user: User) -> None:
    """Remove a user; the last active admin cannot be removed."""
    if user.role == UserRole.ADMIN and _active_admins(session) <= 1:
        raise AccountError("last_admin", "The last administrator cannot be removed.")
    session.delete(user)
    session.commit()
