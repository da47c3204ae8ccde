"""Visitor insight without tracking: counts per day, tour, stop, language, event and device.

A visit is never stored as such. Each event (a stop viewed, a tour completed, an offline
save...) only adds one to a counter keyed by the day, the tour, the stop, the interface
language, the kind of event and a coarse device class, so no row can name a visitor or follow
one from a day to the next. Events are gathered in memory and written in batches (one upsert
per distinct key), so counting never waits on the database in a visitor's request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tours.models import VisitCount

log = logging.getLogger(__name__)
EVENTS = ("view", "complete", "offline_save", "ar", "vr", "audio", "model_error")
DEVICES = ("phone", "tablet", "desktop", "headset")
EXPORT_FIELDS = ("day", "tour", "stop", "language", "event", "device", "count")


class CountKey(NamedTuple):
    """What one counter counts."""

    day: date
    tour_id: int
    stop_number: int
    language: str
    event: str
    device: str


def today() -> date:
    """The day an event is counted on (UTC, so that every process agrees)."""
    return datetime.now(UTC).date()


def write_counts(session: Session, counts: Counter[CountKey]) -> None:
    """Add ``counts`` to the stored counters, one upsert per key, and commit."""
    if not counts:
        return
    rows = [{**key._asdict(), "count": n} for key, n in sorted(counts.items())]
    insert = postgres_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(VisitCount).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=list(CountKey._fields),
        set_={"count": VisitCount.count + statement.excluded.count},
    )
    session.execute(statement)
    session.commit()


class CountBuffer:
    """Events gathered in memory, written once ``batch`` of them are waiting or ``seconds``
    have passed since the last write, and when the process ends (see ``flush``)."""

    def __init__(self, write: Callable[[Counter[CountKey]], None], batch: int, seconds: float):
        self._write, self._batch, self._seconds = write, batch, seconds
        self._lock = threading.Lock()
        self._pending: Counter[CountKey] = Counter()
        self._waiting = 0
        self._last = time.monotonic()

    def add(self, key: CountKey) -> None:
        """Count one event; write the batch if it is due."""
        with self._lock:
            self._pending[key] += 1
            self._waiting += 1
            due = self._waiting >= self._batch or time.monotonic() - self._last >= self._seconds
        if due:
            self.flush()

    def flush(self) -> None:
        """Write what is waiting. If the database fails, the counts wait for the next write:
        counting never turns a visitor's request into an error."""
        with self._lock:
            pending, self._pending, self._waiting = self._pending, Counter(), 0
            self._last = time.monotonic()
        if not pending:
            return
        try:
            self._write(pending)
        except Exception:
            log.warning("visitor counts could not be written; kept for the next try", exc_info=True)
            with self._lock:
                self._pending.update(pending)


@dataclass(frozen=True)
class TourFigures:
    """What the studio's dashboard shows of one tour over a period."""

    days: list[tuple[date, int]]  # stop and tour views per day, every day of the period
    funnel: list[tuple[int, int]]  # views of each stop, stop 1 first
    languages: list[tuple[str, int]]  # views per interface language, most first
    devices: list[tuple[str, int]]  # views per device class, most first
    events: dict[str, int]  # every kind of event, totalled

    @property
    def views(self) -> int:
        return self.events.get("view", 0)


def tour_figures(
    session: Session, tour_id: int, stop_count: int, first: date, last: date
) -> TourFigures:
    """Totals of one tour between ``first`` and ``last`` (both included)."""
    where = (VisitCount.tour_id == tour_id, VisitCount.day.between(first, last))
    total = func.sum(VisitCount.count)

    def grouped(*columns: Any, event: str | None = "view") -> list[Any]:
        query = select(*columns, total).where(*where).group_by(*columns)
        if event:
            query = query.where(VisitCount.event == event)
        return [tuple(row) for row in session.execute(query)]

    per_day = dict(grouped(VisitCount.day))
    per_stop = dict(grouped(VisitCount.stop_number))
    by_count = lambda pairs: sorted(pairs, key=lambda pair: (-pair[1], pair[0]))  # noqa: E731
    return TourFigures(
        days=[(day, int(per_day.get(day, 0))) for day in _days(first, last)],
        funnel=[(n, int(per_stop.get(n, 0))) for n in range(1, stop_count + 1)],
        languages=by_count(grouped(VisitCount.language)),
        devices=by_count(grouped(VisitCount.device)),
        events={event: int(n) for event, n in grouped(VisitCount.event, event=None)},
    )


def _days(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def export_rows(
    session: Session, tour_id: int, slug: str, first: date, last: date
) -> list[dict[str, Any]]:
    """Every stored counter of one tour in the period, as rows of ``EXPORT_FIELDS``."""
    query = (
        select(VisitCount)
        .where(VisitCount.tour_id == tour_id, VisitCount.day.between(first, last))
        .order_by(
            VisitCount.day,
            VisitCount.stop_number,
            VisitCount.language,
            VisitCount.event,
            VisitCount.device,
        )
    )
    return [
        {
            "day": row.day.isoformat(),
            "tour": slug,
            "stop": row.stop_number or None,
            "language": row.language,
            "event": row.event,
            "device": row.device,
            "count": row.count,
        }
        for row in session.scalars(query)
    ]
