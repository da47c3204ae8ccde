"""Publishing: checking a draft, freezing it into a revision, and taking a tour down."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tours.document import tour_document
from tours.images import missing_alt_texts
from tours.listing import index_tour, unindex_tour
from tours.models import AssetStatus, Tour, TourRevision


@dataclass(frozen=True)
class Problem:
    """Something that stops a tour from being published, with where it is."""

    code: str
    stop: int | None = None
    locale: str = ""


@dataclass
class PublishError(Exception):
    """The draft is not ready; ``problems`` says what is missing."""

    problems: list[Problem] = field(default_factory=list)


def publish_problems(tour: Tour) -> list[Problem]:
    """What is missing before ``tour`` can be published (empty when it is ready)."""
    problems: list[Problem] = []
    if not any(text.locale == tour.default_locale and text.title for text in tour.texts):
        problems.append(Problem("missing_title"))
    if not tour.stops:
        problems.append(Problem("no_stops"))
    for number, stop in enumerate(tour.stops, start=1):
        if stop.model is None or stop.model.status != AssetStatus.READY:
            problems.append(Problem("model_not_ready", number))
        if not any(t.locale == tour.default_locale and t.narration for t in stop.texts):
            problems.append(Problem("missing_narration", number))
    for stop_number, locale, _ref in missing_alt_texts(tour):
        problem = Problem("image_alt_missing", stop_number, locale)
        if problem not in problems:
            problems.append(problem)
    return problems


def publish_tour(session: Session, tour: Tour) -> TourRevision:
    """Freeze the draft into a new immutable revision and make it the one tourists see."""
    problems = publish_problems(tour)
    if problems:
        raise PublishError(problems)
    last = session.scalar(
        select(func.max(TourRevision.number)).where(TourRevision.tour_id == tour.id)
    )
    revision = TourRevision(tour_id=tour.id, number=(last or 0) + 1, document=tour_document(tour))
    session.add(revision)
    tour.published_number = revision.number
    session.flush()
    index_tour(session, tour, revision)
    session.commit()
    return revision


def unpublish_tour(session: Session, tour: Tour) -> None:
    """Take the tour down; its revisions are kept."""
    tour.published_number = None
    unindex_tour(session, tour)
    session.commit()
