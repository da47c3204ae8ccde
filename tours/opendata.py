"""Open data dumps: every published tour, as JSON documents and as a CSV table of stops.

Both are made from the published revisions (the same frozen documents tourists see) and
are produced piece by piece: the revisions are read from the database a few at a time
(:func:`published_revisions`), and each tour or row is written as soon as it is read, so
memory stays bounded however many tours a site has. Nothing here knows URLs: callers give
a function that turns a blob key into an address.

The CSV has one row per stop and language (each language the stop's title or narration is
written in): the tour, the stop's number, the language, the title and narration (Markdown)
in it, the tour's place, the rights of what the stop shows (its model, or its panorama:
statement URI, attribution, source, date of digitisation) and of the tour's texts, the
addresses of the model's best level, the poster and the panorama, and of the narration
audio and captions in that language. A text cell that a spreadsheet would take for a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) starts with an
apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tours.iiif import best_level_key, stop_poster
from tours.models import CatalogueLanguage, Tour, TourRevision

FORMAT = "heritour.opendata"
VERSION = 1
BATCH = 20  # revisions read from the database at a time
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RIGHTS_FIELDS = ("statement", "attribution", "source", "digitised")


@dataclass(frozen=True)
class PublishedRevision:
    """A published tour's document, its revision number and when it was published."""

    slug: str
    number: int
    published_at: datetime
    document: dict[str, Any]


def published_revisions(session: Session, batch: int = BATCH) -> Iterator[PublishedRevision]:
    """Every published revision, by slug, read ``batch`` at a time."""
    query = (
        select(Tour.slug, TourRevision.number, TourRevision.published_at, TourRevision.document)
        .join(
            Tour,
            (Tour.id == TourRevision.tour_id) & (Tour.published_number == TourRevision.number),
        )
        .order_by(Tour.slug)
        .execution_options(yield_per=batch)
    )
    for slug, number, published_at, document in session.execute(query):
        yield PublishedRevision(slug, number, published_at, document)


def published_languages(session: Session) -> list[str]:
    """Every language the published tours are written in, sorted."""
    return sorted(set(session.scalars(select(CatalogueLanguage.locale).distinct())))


def json_dump(
    revisions: Iterator[PublishedRevision], head: Mapping[str, Any], tour_links: Callable
) -> Iterator[str]:
    """The JSON dump in pieces: ``head`` (format, version, addresses), then one entry per
    tour (its revision, time, rights, addresses from ``tour_links(slug)`` and document)."""
    opening = json.dumps({"format": FORMAT, "version": VERSION, **head}, ensure_ascii=False)
    yield opening[:-1] + ', "tours": ['
    for index, revision in enumerate(revisions):
        entry = {
            "slug": revision.slug,
            "revision": revision.number,
            "published_at": revision.published_at.isoformat(timespec="seconds"),
            "rights": revision.document.get("rights"),
            **tour_links(revision.slug),
            "document": revision.document,
        }
        yield ("," if index else "") + "\n" + json.dumps(entry, ensure_ascii=False)
    yield "\n]}\n"


def csv_header() -> list[str]:
    """The CSV's columns (see the module's docstring)."""
    return [
        "tour",
        "revision",
        "stop",
        "language",
        "title",
        "narration",
        "latitude",
        "longitude",
        "media",
        *(f"media_{name}" for name in RIGHTS_FIELDS),
        *(f"tour_{name}" for name in RIGHTS_FIELDS),
        "model_url",
        "poster_url",
        "panorama_url",
        "audio_url",
        "captions_url",
    ]


def safe_cell(value: Any) -> Any:
    """A text cell that no spreadsheet runs as a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _rights_cells(rights: Any) -> list[str]:
    rights = rights if isinstance(rights, Mapping) else {}
    return [str(rights.get(name) or "") for name in RIGHTS_FIELDS]


def _panorama_key(panorama: Any) -> str | None:
    if not isinstance(panorama, Mapping):
        return None
    equirect = panorama.get("equirect")
    key = equirect.get("key") if isinstance(equirect, Mapping) else equirect
    return key if isinstance(key, str) and key else None


def _texts(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def stop_languages(stop: Mapping[str, Any], default: str) -> list[str]:
    """The languages a stop's title or narration is written in, sorted; the tour's default
    language alone when it has none."""
    tags = {
        tag
        for field in ("title", "narration")
        for tag, text in _texts(stop.get(field)).items()
        if text
    }
    return sorted(tag for tag in tags if isinstance(tag, str)) or [default]


def stop_rows(revision: PublishedRevision, media: Callable[[str], str]) -> Iterator[list[Any]]:
    """The CSV rows of one published tour: one per stop and language of the stop's texts."""
    document = revision.document
    location = document.get("location") or {}
    tour_rights = _rights_cells(document.get("rights"))
    for number, stop in enumerate(document.get("stops") or [], start=1):
        model = stop.get("model") if isinstance(stop.get("model"), Mapping) else None
        panorama = stop.get("panorama") if isinstance(stop.get("panorama"), Mapping) else None
        shown = model or panorama or {}
        model_key = best_level_key(model.get("levels")) if model else None
        poster = stop_poster(stop)
        panorama_key = _panorama_key(panorama)
        media_rights = _rights_cells(shown.get("rights"))
        titles, narrations = _texts(stop.get("title")), _texts(stop.get("narration"))
        audio = _texts(stop.get("audio"))
        for tag in stop_languages(stop, str(document.get("default_locale") or "")):
            heard = _texts(audio.get(tag))
            yield [
                revision.slug,
                revision.number,
                number,
                tag,
                safe_cell(titles.get(tag) or ""),
                safe_cell(narrations.get(tag) or ""),
                location.get("latitude", ""),
                location.get("longitude", ""),
                "model" if model else ("panorama" if panorama else ""),
                *(safe_cell(cell) for cell in media_rights),
                *(safe_cell(cell) for cell in tour_rights),
                media(model_key) if model_key else "",
                media(poster[0]) if poster else "",
                media(panorama_key) if panorama_key else "",
                _media_cell(heard.get("key"), media),
                _media_cell(heard.get("captions"), media),
            ]


def _media_cell(key: Any, media: Callable[[str], str]) -> str:
    return media(key) if isinstance(key, str) and key else ""


def csv_dump(revisions: Iterator[PublishedRevision], media: Callable[[str], str]) -> Iterator[str]:
    """The CSV dump in pieces: the header, then each tour's rows (RFC 4180, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(csv_header())
    yield flush()
    for revision in revisions:
        writer.writerows(stop_rows(revision, media))
        yield flush()
