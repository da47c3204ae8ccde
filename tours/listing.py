"""The catalogue in the database: one prepared row per published tour, searched and paged there.

When a tour is published, :func:`index_tour` writes its :class:`CatalogueEntry`: the texts a
catalogue card shows, and ``search_text``, its titles, summaries and site names in every
language folded (case and accents removed), so that a search is one ``LIKE`` per word over a
narrow table. PostgreSQL keeps a trigram (``pg_trgm``) index on that column; SQLite scans it,
which stays fast for the tens of thousands of tours a site has. Nothing here loads a tour
document on a request. "Near me" (:func:`catalogue_page` with ``near``) sorts the matching
tours by the distance of their site in Python: each card carries its tour's location.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, exists, func, select
from sqlalchemy.orm import Session

from tours.catalogue import fold, narration_seconds
from tours.document import document_locales
from tours.locales import Picked, pick
from tours.models import CatalogueEntry, CatalogueLanguage, Tour, TourRevision
from tours.nearby import Point, distance_km, location_point

PAGE_SIZE = 24
MAX_PAGE_SIZE = 100
LOOKING_SECONDS_PER_STOP = 60
_TEXT_FIELDS = ("title", "summary", "site_name")


@dataclass(frozen=True)
class CatalogueCard:
    """A published tour as its catalogue card shows it, in the visitor's language."""

    slug: str
    revision: int
    default_locale: str
    title: Picked
    summary: Picked
    site_name: Picked
    locales: list[str]
    poster_key: str | None
    stop_count: int
    minutes: int
    rights: dict[str, str] | None = None
    location: dict[str, float] | None = None
    distance_km: float | None = None  # from the visitor, when they asked for tours near them

    @property
    def fell_back(self) -> bool:
        return self.title.fell_back or self.summary.fell_back


@dataclass(frozen=True)
class Page:
    """One page of catalogue cards, and where it lies among all the matching tours."""

    cards: list[CatalogueCard]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


MAX_QUERY_CHARS = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def search_query(raw: str) -> str | None:
    """The words searched for (trimmed, cut at :data:`MAX_QUERY_CHARS`), or None when they
    hold a control character (a NUL, a line break), which no search needs and PostgreSQL
    refuses."""
    if _CONTROL.search(raw):
        return None
    return raw.strip()[:MAX_QUERY_CHARS]


@dataclass(frozen=True)
class Criteria:
    """What the visitor searches for; an empty criterion matches every tour."""

    query: str = ""
    language: str = ""
    site: str = ""

    @property
    def words(self) -> list[str]:
        return fold(self.query).split()


def primary_language(tag: str) -> str:
    """The primary language subtag of a BCP 47 tag, lower case (``en`` for ``en-GB``)."""
    return tag.split("-")[0].lower()[:8]


def entry_fields(document: dict[str, Any], revision_number: int) -> dict[str, Any]:
    """What the catalogue keeps of a published tour document (see :class:`CatalogueEntry`)."""
    default = document["default_locale"]
    stops = document["stops"]
    narration = " ".join(
        pick(stop["narration"], default, default).text for stop in stops if stop.get("narration")
    )
    seconds = narration_seconds(narration) + LOOKING_SECONDS_PER_STOP * len(stops)
    # a model's poster, or a panorama's (a panorama stop has no model)
    poster = next(
        (
            (stop.get("model") or stop.get("panorama") or {}).get("poster")
            for stop in stops
            if (stop.get("model") or stop.get("panorama") or {}).get("poster")
        ),
        None,
    )
    texts = " ".join(text for field in _TEXT_FIELDS for text in document[field].values())
    return {
        "slug": document["slug"],
        "site_key": fold(pick(document["site_name"], default, default).text)[:200],
        "search_text": fold(f"{texts} {document['slug']}"),
        "card": {
            "revision": revision_number,
            "default_locale": default,
            **{field: document[field] for field in _TEXT_FIELDS},
            "locales": document_locales(document),
            "poster": poster,
            "stops": len(stops),
            "minutes": max(1, round(seconds / 60)),
            "rights": document.get("rights"),
            "location": document.get("location"),
        },
    }


def index_tour(session: Session, tour: Tour, revision: TourRevision) -> None:
    """Make ``revision`` the catalogue's entry for ``tour`` (the caller commits)."""
    unindex_tour(session, tour)
    fields = entry_fields(revision.document, revision.number)
    session.add(
        CatalogueEntry(
            tour_id=tour.id,
            revision_id=revision.id,
            published_at=revision.published_at,
            **fields,
        )
    )
    session.flush()
    session.add_all(
        CatalogueLanguage(tour_id=tour.id, locale=tag, language=primary_language(tag))
        for tag in dict.fromkeys(fields["card"]["locales"])
    )


def unindex_tour(session: Session, tour: Tour) -> None:
    """Take ``tour`` out of the catalogue (the caller commits)."""
    session.execute(delete(CatalogueLanguage).where(CatalogueLanguage.tour_id == tour.id))
    session.execute(delete(CatalogueEntry).where(CatalogueEntry.tour_id == tour.id))


def _card(entry: CatalogueEntry, lang: str, preferences: Sequence[str]) -> CatalogueCard:
    card = entry.card
    default = card["default_locale"]
    choose = {field: pick(card[field], lang, default, preferences) for field in _TEXT_FIELDS}
    return CatalogueCard(
        slug=entry.slug,
        revision=card["revision"],
        default_locale=default,
        title=choose["title"],
        summary=choose["summary"],
        site_name=choose["site_name"],
        locales=card["locales"],
        poster_key=card["poster"],
        stop_count=card["stops"],
        minutes=card["minutes"],
        rights=card.get("rights"),
        location=card.get("location"),
    )


def _conditions(criteria: Criteria) -> list[ColumnElement[bool]]:
    conditions = [
        CatalogueEntry.search_text.contains(word, autoescape=True) for word in criteria.words
    ]
    if criteria.language:
        conditions.append(
            exists().where(
                CatalogueLanguage.tour_id == CatalogueEntry.tour_id,
                CatalogueLanguage.language == primary_language(criteria.language),
            )
        )
    if criteria.site:
        conditions.append(CatalogueEntry.site_key == fold(criteria.site))
    return conditions


def _matching(criteria: Criteria) -> Select[tuple[CatalogueEntry]]:
    return select(CatalogueEntry).where(*_conditions(criteria))


def catalogue_page(
    session: Session,
    lang: str,
    criteria: Criteria = Criteria(),
    number: int = 1,
    size: int = PAGE_SIZE,
    preferences: Sequence[str] = (),
    near: Point | None = None,
    within_km: float | None = None,
) -> Page:
    """Page ``number`` (from 1) of the published tours matching ``criteria``, newest first,
    or nearest first from ``near`` (tours without a location last, newest first); with
    ``within_km`` too, only the tours whose site is at most that far from ``near``."""
    size = max(1, min(size, MAX_PAGE_SIZE))
    if near is not None:
        return _nearest_page(session, lang, criteria, number, size, preferences, near, within_km)
    total = session.scalar(
        select(func.count()).select_from(CatalogueEntry).where(*_conditions(criteria))
    )
    entries = session.scalars(
        _matching(criteria)
        .order_by(CatalogueEntry.published_at.desc(), CatalogueEntry.tour_id.desc())
        .offset((number - 1) * size)
        .limit(size)
    )
    cards = [_card(entry, lang, preferences) for entry in entries]
    return Page(cards=cards, number=number, size=size, total=total or 0)


def _nearest_page(
    session: Session,
    lang: str,
    criteria: Criteria,
    number: int,
    size: int,
    preferences: Sequence[str],
    near: Point,
    within_km: float | None = None,
) -> Page:
    """Every matching tour, sorted by the distance of its site from ``near``; one page of them.
    With ``within_km``, tours farther away, or without a location, are left out."""
    entries = session.scalars(
        _matching(criteria).order_by(
            CatalogueEntry.published_at.desc(), CatalogueEntry.tour_id.desc()
        )
    ).all()
    measured = []
    for entry in entries:
        point = location_point(entry.card.get("location"))
        distance = distance_km(near, point) if point else None
        if within_km is None or (distance is not None and distance <= within_km):
            measured.append((entry, distance))
    measured.sort(key=lambda item: (item[1] is None, item[1] or 0.0))  # stable: newest first
    start = (number - 1) * size
    cards = [
        replace(_card(entry, lang, preferences), distance_km=distance)
        for entry, distance in measured[start : start + size]
    ]
    return Page(cards=cards, number=number, size=size, total=len(measured))


def catalogue_total(session: Session) -> int:
    """How many tours are published."""
    return session.scalar(select(func.count()).select_from(CatalogueEntry)) or 0


def catalogue_languages(session: Session) -> list[str]:
    """Every language some published tour is written in, sorted."""
    return list(session.scalars(select(CatalogueLanguage.locale).distinct().order_by("locale")))


def catalogue_sites(
    session: Session, lang: str, preferences: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """The sites of published tours as (key, name in ``lang``), sorted by name."""
    newest = (
        select(func.max(CatalogueEntry.tour_id))
        .where(CatalogueEntry.site_key != "")
        .group_by(CatalogueEntry.site_key)
    )
    sites = {
        entry.site_key: _card(entry, lang, preferences).site_name.text
        for entry in session.scalars(
            select(CatalogueEntry).where(CatalogueEntry.tour_id.in_(newest))
        )
    }
    return sorted(sites.items(), key=lambda item: fold(item[1]))


def tours_at_site(
    session: Session, site_key: str, lang: str, preferences: Sequence[str] = (), limit: int = 12
) -> list[CatalogueCard]:
    """Published tours at the site ``site_key``, newest first."""
    if not site_key:
        return []
    entries = session.scalars(
        select(CatalogueEntry)
        .where(CatalogueEntry.site_key == site_key)
        .order_by(CatalogueEntry.published_at.desc(), CatalogueEntry.tour_id.desc())
        .limit(limit)
    )
    return [_card(entry, lang, preferences) for entry in entries]


def catalogue_version(session: Session) -> str:
    """A token that changes whenever what is published changes.

    Publishing adds a revision with a larger id and a later time, and taking a tour down
    lowers the count: together they name the set of published revisions."""
    count, newest, latest = session.execute(
        select(
            func.count(),
            func.max(CatalogueEntry.revision_id),
            func.max(CatalogueEntry.published_at),
        ).select_from(CatalogueEntry)
    ).one()
    stamp = latest.timestamp() if latest is not None else 0
    return f"{count}-{newest or 0}-{stamp}"
