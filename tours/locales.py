"""Languages: the interface's, content's BCP 47 tags, and choosing a text to show.

The interface (menus, messages) speaks ``INTERFACE_LOCALES``, each with a complete catalog;
content may use any BCP 47 tag.

A text missing in the requested language falls back along the visitor's own preferences
(their browser's other accepted languages, best first), then to the tour's default language,
then English, then Vietnamese, then whatever exists. Callers learn which language was
used, so a page can tell the visitor it fell back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

INTERFACE_LOCALES: tuple[str, ...] = ("vi", "en", "fr", "zh", "ko", "ja")
DEFAULT_LOCALE = "vi"
FALLBACK_LOCALES = ("en", "vi")
_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")


def is_language_tag(tag: str) -> bool:
    """Whether ``tag`` is well-formed BCP 47 (language, then subtags)."""
    return bool(_TAG.match(tag)) and len(tag) <= 35


def normalize_tag(tag: str) -> str:
    """The canonical case of a tag: ``zh-hant-tw`` becomes ``zh-Hant-TW``."""
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def fallback_chain(requested: str, default: str, preferences: Sequence[str] = ()) -> list[str]:
    """The languages to try, in order, without repeats: the requested one, the visitor's
    other preferences (best first), the tour's default, then English and Vietnamese."""
    chain: list[str] = []
    for tag in (requested, *preferences, default, *FALLBACK_LOCALES):
        if tag and tag != "*" and tag not in chain:
            chain.append(tag)
    return chain


@dataclass(frozen=True)
class Picked:
    """A text chosen for a visitor, and the language it is in."""

    text: str
    locale: str
    fell_back: bool


def _match(available: Iterable[str], wanted: str) -> str | None:
    """The available tag that serves ``wanted``: exact, then same primary language."""
    tags = list(available)
    if wanted in tags:
        return wanted
    primary = wanted.split("-")[0].lower()
    return next((tag for tag in tags if tag.split("-")[0].lower() == primary), None)


def pick(
    texts: Mapping[str, str], requested: str, default: str, preferences: Sequence[str] = ()
) -> Picked:
    """Choose the text for ``requested`` from ``texts`` (locale to text), falling back along
    the visitor's ``preferences`` before the tour's ``default``."""
    present = {tag: text for tag, text in texts.items() if text}
    for wanted in fallback_chain(requested, default, preferences):
        tag = _match(present, wanted)
        if tag is not None:
            return Picked(present[tag], tag, fell_back=_match([tag], requested) is None)
    if present:
        tag = sorted(present)[0]
        return Picked(present[tag], tag, fell_back=True)
    return Picked("", requested, fell_back=False)
