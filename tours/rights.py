"""Rights statements: under which terms a model, an audio file, an image or a tour may be
reused, who to credit, and where it came from.

A statement is stored by its URI, one of a fixed list: the Creative Commons 4.0 licences
and CC0, and the RightsStatements.org statements. The web layer gives each URI a name in
the visitor's language. Rights are kept as a small JSON object on each owner::

    {"statement": URI, "attribution": "...", "source": "...", "digitised": "YYYY[-MM[-DD]]"}

``attribution`` is the line to show when crediting; ``source`` says who digitised or made
it, and ``digitised`` when. An owner without rights has ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tours.errors import CodedError
from tours.models import ModelAsset, StopAudio, Tour, TourImage

CC = "https://creativecommons.org/"
RS = "http://rightsstatements.org/vocab/"


@dataclass(frozen=True)
class Statement:
    """A rights statement: its URI, its short label, whether it asks for credit, and
    whether it says the work is in copyright (shown with a ©)."""

    uri: str
    label: str
    needs_attribution: bool
    in_copyright: bool


STATEMENTS: tuple[Statement, ...] = (
    Statement(f"{CC}publicdomain/zero/1.0/", "CC0 1.0", False, False),
    Statement(f"{CC}licenses/by/4.0/", "CC BY 4.0", True, True),
    Statement(f"{CC}licenses/by-sa/4.0/", "CC BY-SA 4.0", True, True),
    Statement(f"{CC}licenses/by-nc/4.0/", "CC BY-NC 4.0", True, True),
    Statement(f"{CC}licenses/by-nc-sa/4.0/", "CC BY-NC-SA 4.0", True, True),
    Statement(f"{CC}licenses/by-nd/4.0/", "CC BY-ND 4.0", True, True),
    Statement(f"{CC}licenses/by-nc-nd/4.0/", "CC BY-NC-ND 4.0", True, True),
    Statement(f"{RS}InC/1.0/", "InC", False, True),
    Statement(f"{RS}InC-EDU/1.0/", "InC-EDU", False, True),
    Statement(f"{RS}InC-NC/1.0/", "InC-NC", False, True),
    Statement(f"{RS}NoC-NC/1.0/", "NoC-NC", False, False),
    Statement(f"{RS}NoC-OKLR/1.0/", "NoC-OKLR", False, False),
    Statement(f"{RS}CNE/1.0/", "CNE", False, False),
    Statement(f"{RS}UND/1.0/", "UND", False, False),
    Statement(f"{RS}NKC/1.0/", "NKC", False, False),
)
BY_URI = {statement.uri: statement for statement in STATEMENTS}
MAX_ATTRIBUTION = 300
MAX_SOURCE = 300
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

Owner = ModelAsset | StopAudio | TourImage | Tour


class RightsError(CodedError):
    """Rights a curator typed that cannot be accepted; ``code`` is stable."""


def _date(text: str) -> str:
    """``text`` if it is a year, a year and month, or a date (ISO 8601) not after today,
    else an error."""
    if not text:
        return ""
    if _DATE.match(text):
        parts = [int(part) for part in text.split("-")]
        try:
            earliest = date(*parts, *[1] * (3 - len(parts)))
        except ValueError:
            pass
        else:
            if earliest <= date.today():
                return text
    raise RightsError("rights_date_invalid", f"{text!r} is not a date like 2024-05-17.")


def check_rights(
    statement: str, attribution: str = "", source: str = "", digitised: str = ""
) -> dict[str, str] | None:
    """The rights as stored, from what a curator typed; ``None`` when everything is empty.

    Raises :class:`RightsError`: ``rights_statement_unknown`` (a URI not in
    :data:`STATEMENTS`, or details without a statement), ``rights_attribution_required``
    (a licence that asks for credit, without an attribution), ``rights_text_too_long``,
    ``rights_date_invalid``.
    """
    statement, attribution = statement.strip(), " ".join(attribution.split())
    source, digitised = " ".join(source.split()), digitised.strip()
    if not (statement or attribution or source or digitised):
        return None
    if statement not in BY_URI:
        raise RightsError(
            "rights_statement_unknown", f"{statement!r} is not a known rights statement."
        )
    if BY_URI[statement].needs_attribution and not attribution:
        raise RightsError("rights_attribution_required", "This licence asks for credit.")
    if len(attribution) > MAX_ATTRIBUTION or len(source) > MAX_SOURCE:
        raise RightsError("rights_text_too_long", "The attribution or source is too long.")
    rights = {"statement": statement, "attribution": attribution, "source": source}
    if digitised := _date(digitised):
        rights["digitised"] = digitised
    return rights


def rights_from_document(value: Any) -> dict[str, str] | None:
    """Rights read from a tour document or bundle (already schema-checked), checked again."""
    if not value:
        return None
    return check_rights(
        value.get("statement", ""),
        value.get("attribution", ""),
        value.get("source", ""),
        value.get("digitised", ""),
    )


def set_rights(session: Session, owner: Owner, rights: dict[str, str] | None) -> None:
    """Store ``rights`` (from :func:`check_rights`) on ``owner``."""
    owner.rights = dict(rights) if rights else None
    session.commit()


def rights_document(owner: Owner) -> dict[str, Any]:
    """``{"rights": ...}`` for a document fragment when ``owner`` has rights, else ``{}``."""
    return {"rights": dict(sorted(owner.rights.items()))} if owner.rights else {}


@dataclass(frozen=True)
class MissingRights:
    """Something a tour shows without a rights statement. ``kind`` is ``tour``, ``model``,
    ``audio`` or ``image``; ``stop`` its stop's number and ``stop_id`` its id (for a model
    or audio); ``detail`` the model's name, the audio's language or the image's number."""

    kind: str
    owner_id: int
    stop: int | None = None
    stop_id: int | None = None
    detail: str = ""


def missing_rights(tour: Tour) -> list[MissingRights]:
    """What the tour shows without a rights statement, in the order of the tour. A model
    used by several stops is named once, at its first stop."""
    missing: list[MissingRights] = []
    if not tour.rights:
        missing.append(MissingRights("tour", tour.id))
    seen: set[int] = set()
    for number, stop in enumerate(tour.stops, start=1):
        model = stop.model
        if model is not None and not model.rights and model.id not in seen:
            seen.add(model.id)
            missing.append(MissingRights("model", model.id, number, stop.id, model.name))
        missing += [
            MissingRights("audio", audio.id, number, stop.id, audio.locale)
            for audio in stop.audio
            if not audio.rights
        ]
    missing += [
        MissingRights("image", image.id, detail=str(index))
        for index, image in enumerate(tour.images, start=1)
        if not image.rights
    ]
    return missing
