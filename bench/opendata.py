"""Memory of the open data dumps with 20 and with 1,000 published tours (SQLite).

``python -m bench opendata``. One embedded site is filled in two steps (tours as in
``bench.catalogue``: two stops with about 600 words of narration each). At each size the
JSON and CSV dumps are read through Flask's test client chunk by chunk, and the peak of
Python memory allocated meanwhile (tracemalloc) is printed next to the dump's size and, as
the baseline, the peak of making the same JSON the simple way: every document loaded, then
one ``json.dumps``. Streamed dumps should stay flat while the baseline grows with the site.
"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable
from typing import Any

from bench.catalogue import growing_site

SIZES = (20, 1_000)


def _peak(action: Callable[[], int]) -> tuple[int, int]:
    """(peak bytes allocated while ``action`` runs, what it returns)."""
    tracemalloc.start()
    try:
        result = action()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result


def _stream(client: Any, path: str) -> Callable[[], int]:
    def read() -> int:
        response = client.get(path, buffered=False)
        assert response.status_code == 200, (path, response.status_code)
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        return size

    return read


def _all_at_once(session: Any) -> Callable[[], int]:
    def make() -> int:
        from tours.opendata import published_revisions

        tours = [r.document for r in published_revisions(session, batch=10_000)]
        return len(json.dumps({"tours": tours}, ensure_ascii=False).encode())

    return make


def main() -> None:
    """Print the peak memory of each dump at each size, with the baseline."""
    rows: list[tuple[str, int, int, int]] = []
    for app, session, size in growing_site(SIZES):
        client = app.test_client()
        for name, action in (
            ("JSON dump, streamed", _stream(client, "/api/v1/dumps/tours.json")),
            ("CSV dump, streamed", _stream(client, "/api/v1/dumps/stops.csv")),
            ("baseline: JSON all at once", _all_at_once(session)),
        ):
            peak, produced = _peak(action)
            rows.append((name, size, produced, peak))
    print("\n| what | tours | bytes out | peak MiB allocated |")
    print("|---|---:|---:|---:|")
    for name, size, produced, peak in rows:
        print(f"| {name} | {size} | {produced:,} | {peak / 2**20:.1f} |")


if __name__ == "__main__":
    main()
