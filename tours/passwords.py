"""Rules for new passwords, after NIST SP 800-63B (Revision 4, 2025), section 3.1.1.2.

What the standard asks of a verifier, and how Heritour follows it:

- "If passwords are used as a single-factor authenticator, they SHALL be a minimum of
  15 characters in length" (8 when only part of multi-factor authentication). A studio
  password is single-factor until its owner turns on two-factor sign-in, and the rule is
  checked when the password is chosen, so every new password needs ``MIN_LENGTH`` (15).
- Verifiers "SHOULD permit a maximum password length of at least 64 characters":
  ``MAX_LENGTH`` is 256 (longer ones only cost hashing time).
- All printing ASCII characters, the space and Unicode characters are accepted; Unicode is
  normalised with NFKC before it is counted (each code point is one character), hashed or
  compared, so the same password typed on another keyboard still matches.
- Verifiers "SHALL NOT impose other composition rules": there are none here.
- New passwords are compared "against a blocklist that contains known commonly used,
  expected, or compromised passwords", including context-specific words (the service's
  name, the user's name). The list is the one bundled with ``zxcvbn`` (passwords from
  breach corpora, common words and names), whose matcher also finds them with
  substitutions, repeats, sequences, keyboard patterns and dates; a password it would guess
  in fewer than ``MIN_GUESSES`` tries is refused with a sentence that says why.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from zxcvbn import zxcvbn

MIN_LENGTH = 15
MAX_LENGTH = 256
# zxcvbn's "score 3" threshold: safely unguessable online, and the rate limit stands on top.
MIN_GUESSES = 10**8
# zxcvbn's matching is quadratic in the length; its prefix is what a guesser would try.
_CHECKED_PREFIX = 64
CONTEXT_WORDS = ("heritour", "studio", "curator", "admin", "password")


class PasswordRejected(Exception):
    """A new password that the rules refuse; ``code`` says which rule."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def normalize_password(password: str) -> str:
    """The password as it is counted, hashed and compared: Unicode NFKC."""
    return unicodedata.normalize("NFKC", password)


def check_password(password: str, context: Iterable[str] = ()) -> None:
    """Raise :class:`PasswordRejected` when ``password`` may not be chosen.

    ``context`` holds words of the account (its email, the site's name) that the password
    must not be built from. Codes: ``password_too_short``, ``password_too_long``,
    ``password_common``."""
    password = normalize_password(password)
    if len(password) < MIN_LENGTH:
        raise PasswordRejected("password_too_short")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected("password_too_long")
    words = [*CONTEXT_WORDS, *_context_words(context)]
    result = zxcvbn(password[:_CHECKED_PREFIX], user_inputs=words)
    if float(result["guesses"]) < MIN_GUESSES:
        raise PasswordRejected("password_common")


def _context_words(context: Iterable[str]) -> list[str]:
    """The words in ``context``: an email gives its whole address, its name and its parts."""
    words: list[str] = []
    for item in context:
        item = item.strip().lower()
        if not item:
            continue
        words.append(item)
        name = item.split("@", 1)[0]
        words.append(name)
        words.extend(part for part in name.replace("_", ".").replace("-", ".").split(".") if part)
    return words
