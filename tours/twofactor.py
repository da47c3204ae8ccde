"""Two-factor sign-in with time-based one-time codes (TOTP, RFC 6238) and recovery codes.

Enrolment gives the user a new secret (shown as a QR code and as text); it is in use once
the user confirms it with a code from their app. Confirming makes ``RECOVERY_CODES`` one-time
recovery codes, shown once and kept only as SHA-256 hashes (each is 50 random bits, so a
slow hash would add nothing). A code's time step is remembered, so one code works once.
"""

from __future__ import annotations

import hashlib
import secrets

import pyotp
from sqlalchemy.orm import Session

from tours.db import utcnow
from tours.models import User

ISSUER = "Heritour"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_STEP = 30


def is_enabled(user: User) -> bool:
    """Whether signing in as ``user`` asks for a second factor."""
    return user.totp_enabled_at is not None and bool(user.totp_secret)


def begin_enrolment(session: Session, user: User) -> str:
    """A new secret for ``user``, not in use until confirmed (keeps a pending one)."""
    if is_enabled(user):
        raise ValueError("two-factor sign-in is already on")
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        session.commit()
    return user.totp_secret


def provisioning_uri(user: User, issuer: str = ISSUER) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    if not user.totp_secret:
        raise ValueError("no secret: begin the enrolment first")
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=issuer)


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (now, or one step either side for clock drift) whose code is ``code``."""
    code = "".join(code.split())
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow().timestamp()
    for offset in (0, -1, 1):
        moment = now + offset * _STEP
        if secrets.compare_digest(totp.at(moment), code):
            return int(moment // _STEP)
    return None


def _accept_code(user: User, code: str) -> bool:
    step = _matching_step(user.totp_secret or "", code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


def confirm_enrolment(session: Session, user: User, code: str) -> list[str] | None:
    """Turn two-factor sign-in on when ``code`` matches the pending secret.

    Returns the recovery codes (to show once), or None when the code is wrong."""
    if is_enabled(user) or not user.totp_secret or not _accept_code(user, code):
        return None
    user.totp_enabled_at = utcnow()
    codes = _new_recovery_codes(user)
    session.commit()
    return codes


def _hash(code: str) -> str:
    return hashlib.sha256("".join(code.lower().split()).replace("-", "").encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    user.recovery_code_hashes = [_hash(code) for code in codes]
    return codes


def verify_second_factor(session: Session, user: User, code: str) -> bool:
    """Whether ``code`` is the user's current TOTP code or an unused recovery code (which is
    then used up)."""
    if not is_enabled(user):
        return False
    if _accept_code(user, code):
        session.commit()
        return True
    hashes = list(user.recovery_code_hashes or [])
    digest = _hash(code)
    if digest in hashes:
        hashes.remove(digest)
        user.recovery_code_hashes = hashes
        session.commit()
        return True
    return False


def recovery_codes_left(user: User) -> int:
    """How many recovery codes the user has not used."""
    return len(user.recovery_code_hashes or [])


def disable(session: Session, user: User) -> None:
    """Turn two-factor sign-in off and forget the secret and the recovery codes."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.recovery_code_hashes = None
    session.commit()
