"""What a sitemap lists: every published tour, how many stops it has, and when it was
last published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tours.models import Tour, TourRevision


@dataclass(frozen=True)
class PublishedPages:
    """A published tour's pages: its overview, stops ``1..stops`` and its end page."""

    slug: str
    stops: int
    published_at: datetime


def published_pages(session: Session) -> list[PublishedPages]:
    """Every published tour, by slug."""
    rows = session.execute(
        select(Tour.slug, TourRevision.document, TourRevision.published_at)
        .join(
            TourRevision,
            (Tour.id == TourRevision.tour_id) & (Tour.published_number == TourRevision.number),
        )
        .order_by(Tour.slug)
    )
    return [
        PublishedPages(slug, len(document["stops"]), published_at)
        for slug, document, published_at in rows
    ]
