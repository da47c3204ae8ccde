"""The catalogue's first page and a search with 10 and with 2,000 published tours (SQLite).

``python -m bench catalogue``. One embedded site is filled in two steps: 10 published tours,
then 1,990 more. At each size, through Flask's test client (no network), it times the home
page, a search on it, and the API's first page (median milliseconds of several requests),
and, as the baseline, what every request did before the catalogue moved into the database:
load every published tour document, present it and filter in Python. Each tour has two
stops with about 600 words of Markdown narration. Takes about a minute.
"""

from __future__ import annotations

import io
import logging
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

SIZES = (10, 2_000)
REPEAT = 15
BASELINE_REPEAT = 3
SITES = ("Huế", "Đại Nội", "Thiên Mụ", "Hội An", "Mỹ Sơn")
NARRATION = " ".join(f"**Điện** number {n} was *rebuilt* in 18{n % 100:02d}." for n in range(100))


def _app(root: Path) -> Any:
    from tours.db import make_engine, migrate
    from webapp import create_app

    url = f"sqlite:///{root / 'bench.db'}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": url,
            "BLOB_DIR": str(root / "blobs"),
            "JOBS": "immediate",
            "JOBS_SQLITE_PATH": str(root / "jobs.db"),
        }
    )


def _asset(session: Any, store: Any) -> Any:
    from tours.models import AssetStatus, ModelAsset

    key = store.put_content("models", io.BytesIO(b"glTF bench"), "glb", "model/gltf-binary")
    asset = ModelAsset(
        name="bench.glb",
        sha256=key.split("/")[1][:64],
        original_key=key,
        size_bytes=10,
        status=AssetStatus.READY,
        levels={"low": {"key": key, "bytes": 10, "triangles": 12}},
    )
    session.add(asset)
    session.commit()
    return asset


def _summary(number: int) -> str:
    """Tour 5's summary is the only one with "đặc biệt": a search with one answer at any size."""
    return "Một chuyến đặc biệt." if number == 5 else "Một chuyến."


def _publish(session: Any, asset: Any, first: int, last: int) -> None:
    from tours.models import Stop, StopText, Tour, TourText
    from tours.publishing import publish_tour

    for number in range(first, last):
        site = SITES[number % len(SITES)]
        tour = Tour(slug=f"tour-{number}", default_locale="vi")
        tour.texts = [
            TourText(
                locale="vi", title=f"Chuyến {number}", summary=_summary(number), site_name=site
            ),
            TourText(locale="en", title=f"Tour {number}", summary="A tour.", site_name=site),
        ]
        for position in range(2):
            stop = Stop(position=position, model_asset_id=asset.id)
            stop.texts = [StopText(locale="vi", title=f"Điểm {position}", narration=NARRATION)]
            tour.stops.append(stop)
        session.add(tour)
        session.commit()
        publish_tour(session, tour)


def _median_ms(action: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _get(client: Any, path: str) -> Callable[[], None]:
    def fetch() -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        response.get_data()

    return fetch


def _before(session: Any) -> Callable[[], None]:
    """What the home page did before: every document presented, then filtered in Python."""
    from tours.catalogue import published_tours, search_tours

    def run() -> None:
        tours = published_tours(session, "en")
        search_tours(tours, "hoi an")

    return run


def _measure(app: Any, session: Any, baseline_repeat: int) -> dict[str, float]:
    client = app.test_client()
    client.set_cookie("lang", "en")
    return {
        "home page": _median_ms(_get(client, "/en/"), REPEAT),
        "search 'hoi an' (a page of cards)": _median_ms(_get(client, "/en/?q=hoi+an"), REPEAT),
        "search 'DAC BIET' (one card)": _median_ms(_get(client, "/en/?q=DAC+BIET"), REPEAT),
        "API first page": _median_ms(_get(client, "/api/v1/tours"), REPEAT),
        "before: all tours in Python": _median_ms(_before(session), baseline_repeat),
    }


def growing_site(sizes: tuple[int, ...]) -> Iterator[tuple[Any, Any, int]]:
    """An embedded site filled with published tours up to each of ``sizes`` in turn; yields
    ``(app, session, size)`` inside the app's context each time."""
    logging.disable(logging.INFO)
    from webapp.extensions import blobs, db

    with tempfile.TemporaryDirectory() as folder:
        app = _app(Path(folder))
        with app.app_context():
            asset = _asset(db.session, blobs.store)
            published = 0
            for size in sizes:
                started = time.perf_counter()
                _publish(db.session, asset, published, size)
                print(
                    f"published {size - published} tours in {time.perf_counter() - started:.1f} s"
                )
                published = size
                yield app, db.session, size


def main() -> None:
    """Print milliseconds per request at each size, and the ratio of the largest to the first."""
    figures: dict[int, dict[str, float]] = {}
    for app, session, size in growing_site(SIZES):
        # The baseline takes seconds a call with many tours: time it once there.
        repeat = BASELINE_REPEAT if size == SIZES[0] else 1
        figures[size] = _measure(app, session, repeat)
    small, large = SIZES
    print(
        f"\nThe home page shows {min(small, 24)} cards with {small} tours and 24 with {large};"
        " the one-card search compares the same work at both sizes."
    )
    print(f"\n| median ms per request | {small} tours | {large} tours | ratio |")
    print("|---|---:|---:|---:|")
    for name in figures[small]:
        a, b = figures[small][name], figures[large][name]
        print(f"| {name} | {a:.1f} | {b:.1f} | {b / a:.2f} |")


if __name__ == "__main__":
    main()
