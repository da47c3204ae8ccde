"""What tourists see: published tours, read from their revisions, in the visitor's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tours.document import document_locales
from tours.locales import Picked, pick
from tours.models import Tour, TourRevision
from tours.narration import render_narration

# The order in which the viewer prefers levels of detail when one is missing.
LEVEL_ORDER = ("thumb", "low", "medium", "high")


@dataclass(frozen=True)
class HotspotView:
    """A hotspot in the visitor's language."""

    position: str
    normal: str
    label: Picked
    body: Picked


@dataclass(frozen=True)
class StopView:
    """One stop of a published tour, in the visitor's language."""

    number: int
    title: Picked
    narration: Picked
    narration_html: str
    model_alt: Picked
    camera: dict[str, str]
    levels: dict[str, dict[str, Any]]
    poster_key: str | None
    hotspots: list[HotspotView]

    def level_key(self, preferred: str) -> str | None:
        """The key of ``preferred``, or of the nearest level below it, or any level."""
        index = LEVEL_ORDER.index(preferred)
        for level in (*LEVEL_ORDER[index::-1], *LEVEL_ORDER[index + 1 :]):
            if level in self.levels:
                key: str = self.levels[level]["key"]
                return key
        return None


@dataclass(frozen=True)
class TourView:
    """A published tour, in the visitor's language."""

    slug: str
    revision: int
    default_locale: str
    title: Picked
    summary: Picked
    site_name: Picked
    locales: list[str]
    location: dict[str, float] | None
    stops: list[StopView]

    @property
    def poster_key(self) -> str | None:
        return next((stop.poster_key for stop in self.stops if stop.poster_key), None)

    @property
    def fell_back(self) -> bool:
        return self.title.fell_back or self.summary.fell_back


def _stop_view(number: int, stop: dict[str, Any], lang: str, default: str) -> StopView:
    narration = pick(stop["narration"], lang, default)
    model = stop.get("model") or {}
    return StopView(
        number=number,
        title=pick(stop["title"], lang, default),
        narration=narration,
        narration_html=render_narration(narration.text),
        model_alt=pick(stop["model_alt"], lang, default),
        camera=stop["camera"],
        levels=model.get("levels") or {},
        poster_key=model.get("poster"),
        hotspots=[
            HotspotView(
                position=spot["position"],
                normal=spot["normal"],
                label=pick(spot["label"], lang, default),
                body=pick(spot["body"], lang, default),
            )
            for spot in stop["hotspots"]
        ],
    )


def tour_view(document: dict[str, Any], revision: int, lang: str) -> TourView:
    """Present a tour document in ``lang``, falling back where a text is missing."""
    default = document["default_locale"]
    return TourView(
        slug=document["slug"],
        revision=revision,
        default_locale=default,
        title=pick(document["title"], lang, default),
        summary=pick(document["summary"], lang, default),
        site_name=pick(document["site_name"], lang, default),
        locales=document_locales(document),
        location=document.get("location"),
        stops=[
            _stop_view(number, stop, lang, default)
            for number, stop in enumerate(document["stops"], start=1)
        ],
    )


def _published() -> Select[tuple[TourRevision]]:
    return select(TourRevision).join(
        Tour,
        (Tour.id == TourRevision.tour_id) & (Tour.published_number == TourRevision.number),
    )


def published_tours(session: Session, lang: str) -> list[TourView]:
    """Every published tour, newest first."""
    revisions = session.scalars(_published().order_by(TourRevision.published_at.desc()))
    return [tour_view(rev.document, rev.number, lang) for rev in revisions]


def published_document(session: Session, slug: str) -> tuple[dict[str, Any], int] | None:
    """The published document of the tour ``slug`` and its revision number, if published."""
    revision = session.scalar(_published().where(Tour.slug == slug))
    return (revision.document, revision.number) if revision else None


def published_tour(session: Session, slug: str, lang: str) -> TourView | None:
    """The published tour ``slug`` in ``lang``, or None when there is none."""
    found = published_document(session, slug)
    return tour_view(found[0], found[1], lang) if found else None
