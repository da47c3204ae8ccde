"""Browser fixtures: the seeded app on a live local server, and Debian's Chromium via Playwright.

``live_server`` serves the seeded demo; ``levels_server`` a small tour whose four levels of
detail are different files (to tell which level the viewer fetched). ``page`` is a phone;
``new_context`` makes other contexts (desktop, Save-Data, init scripts) under the same guard.
Every request to a host other than the app is blocked and recorded; tests assert that none
was attempted. A missing Chromium fails the run: browser tests are never skipped.
"""

from __future__ import annotations

import io
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tours.db import migrate

# Test modules share helpers by importing each other's names (tests/ is not a package).
sys.path.insert(0, str(Path(__file__).parent))

PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve ``app`` on a free loopback port for the duration of the block."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def serve() -> Callable[[Any], Any]:
    """``with serve(app) as url``: for test modules, which cannot import this file."""
    return serving


def _e2e_app(root: Path, **settings: Any) -> Any:
    """An app on a SQLite file and blob and upload folders under ``root``, running jobs
    inline; ``settings`` override or add to that."""
    from webapp import create_app

    return create_app(
        {
            "SECRET_KEY": "e2e",
            "DATABASE_URL": f"sqlite:///{root / 'app.db'}",
            "BLOB_DIR": str(root / "blobs"),
            "UPLOAD_DIR": str(root / "uploads"),
            "JOBS": "immediate",
            **settings,
        }
    )


@pytest.fixture(scope="session")
def e2e_app() -> Callable[..., Any]:
    """``e2e_app(root, **settings)``: for test modules, which cannot import this file."""
    return _e2e_app


CURATOR_PASSWORD = "a long enough password"


@contextmanager
def _curator_studio(
    root: Path, email: str, seed: Callable[[Any], Any] | None = None, **settings: Any
) -> Iterator[tuple[str, Any]]:
    """Serve an app (``settings`` as for ``_e2e_app``) with one curator, ``email`` with
    ``CURATOR_PASSWORD``; ``seed(session)``, if given, adds data first. Yields the URL and
    what ``seed`` returned."""
    from tours.accounts import create_user
    from webapp.extensions import db

    app = _e2e_app(root, **settings)
    with app.app_context():
        migrate(db.engine)
        create_user(db.session, email, CURATOR_PASSWORD, "curator")
        seeded = seed(db.session) if seed is not None else None
    with serving(app) as url:
        yield url, seeded


def _one_stop_draft(
    slug: str, titles: dict[str, tuple[str, str, str]]
) -> Callable[[Any], tuple[int, int]]:
    """A ``seed`` for ``_curator_studio``: a draft tour ``slug`` whose texts are
    ``{locale: (title, summary, site name)}`` (the first locale is the default) and whose one
    stop is "Cổng" in Vietnamese. The seed returns (tour id, stop id)."""

    def seed(session: Any) -> tuple[int, int]:
        from tours.models import Stop, StopText, Tour, TourText

        tour = Tour(slug=slug, default_locale=next(iter(titles)))
        tour.texts = [
            TourText(locale=locale, title=title, summary=summary, site_name=site)
            for locale, (title, summary, site) in titles.items()
        ]
        stop = Stop(position=0)
        stop.texts = [StopText(locale="vi", title="Cổng", narration="Lời kể.", model_alt="")]
        tour.stops.append(stop)
        session.add(tour)
        session.commit()
        return tour.id, stop.id

    return seed


@pytest.fixture(scope="session")
def one_stop_draft() -> Callable[..., Callable[[Any], tuple[int, int]]]:
    """``one_stop_draft(slug, {locale: (title, summary, site)})``: a seed for
    ``curator_studio`` making a one-stop draft tour; it returns (tour id, stop id)."""
    return _one_stop_draft


@pytest.fixture(scope="session")
def curator_studio() -> Callable[..., Any]:
    """``with curator_studio(root, email, seed=None, **settings) as (url, seeded)``: a served
    studio with one curator (a fixture because test modules cannot import this file)."""
    return _curator_studio


def _sign_in_curator(page: Any, email: str) -> None:
    """Sign ``page`` in through the studio's login form as ``email``."""
    page.goto("/studio/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(CURATOR_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/studio/")


@pytest.fixture(scope="session")
def sign_in_curator() -> Callable[[Any, str], None]:
    """``sign_in_curator(page, email)``: through the login form, to the studio's home."""
    return _sign_in_curator


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with the demo tour seeded, served on a free loopback port."""
    from webapp.extensions import db, jobs

    root: Path = tmp_path_factory.mktemp("e2e")
    app = _e2e_app(root)
    with app.app_context():
        migrate(db.engine)
        from tours.seed import seed_demo

        seed_demo(jobs.settings)
    with serving(app) as url:
        yield url


LEVEL_FILES = {
    "thumb": "BoxTextured.glb",
    "low": "Duck.glb",
    "medium": "CesiumMilkTruck.glb",
    "high": "AlphaBlendModeTest.glb",
}


def _poster(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (600, 600), colour).save(buffer, "WEBP")
    return buffer.getvalue()


def _publish_levels_tour(store: Any, session: Any, testdata: Path) -> None:
    from tours.models import AssetStatus, ModelAsset, Stop, StopText, Tour, TourText
    from tours.publishing import publish_tour

    levels = {}
    for level, name in LEVEL_FILES.items():
        data = (testdata / name).read_bytes()
        key = store.put_content("models", io.BytesIO(data), "glb", "model/gltf-binary")
        levels[level] = {"key": key, "bytes": len(data), "triangles": 0}
    poster = store.put_content("posters", io.BytesIO(_poster((150, 90, 60))), "webp", "image/webp")
    asset = ModelAsset(
        name="levels.glb",
        sha256="0" * 64,
        original_key=levels["high"]["key"],
        size_bytes=levels["high"]["bytes"],
        status=AssetStatus.READY,
        levels=levels,
        poster_key=poster,
    )
    session.add(asset)
    session.flush()
    tour = Tour(slug="levels", default_locale="vi")
    tour.texts = [
        TourText(locale="vi", title="Bốn mức", summary="Thử nghiệm.", site_name="Huế"),
        TourText(locale="en", title="Four levels", summary="A test.", site_name="Hue"),
    ]
    for position in range(2):
        stop = Stop(position=position, model_asset_id=asset.id)
        stop.texts = [
            StopText(
                locale="vi", title=f"Điểm {position + 1}", narration="Lời kể.", model_alt="Mô hình"
            ),
            StopText(
                locale="en",
                title=f"Stop {position + 1}",
                narration="Narration.",
                model_alt="A model",
            ),
        ]
        tour.stops.append(stop)
    session.add(tour)
    session.commit()
    publish_tour(session, tour)


@pytest.fixture(scope="session")
def levels_server(tmp_path_factory: pytest.TempPathFactory, testdata: Path) -> Iterator[str]:
    """An app whose one tour ("levels", in vi and en only) has four different level files.

    The demo's generated monuments are small enough that their levels may coincide; this
    tour tells the levels apart by URL (thumb BoxTextured, low Duck, medium CesiumMilkTruck,
    high AlphaBlendModeTest).
    """
    from webapp.extensions import blobs, db

    root: Path = tmp_path_factory.mktemp("e2e-levels")
    app = _e2e_app(root)
    with app.app_context():
        migrate(db.engine)
        _publish_levels_tour(blobs.store, db.session, testdata)
    with serving(app) as url:
        yield url


@pytest.fixture(scope="session")
def s3_levels_server(
    tmp_path_factory: pytest.TempPathFactory, testdata: Path, moto_endpoint: str
) -> Iterator[str]:
    """The "levels" tour on an app whose blob store is a fresh bucket on moto, with the CORS
    rule ``flask storage cors`` sets for the app's origin."""
    from webapp.extensions import blobs, db

    app = _e2e_app(
        tmp_path_factory.mktemp("e2e-s3"),
        BLOB_STORE="s3",
        S3_ENDPOINT_URL=moto_endpoint,
        S3_BUCKET=f"heritour-tour-{uuid.uuid4().hex[:12]}",
        S3_ACCESS_KEY_ID="testing",
        S3_SECRET_ACCESS_KEY="testing",
        S3_CREATE_BUCKET=True,
    )
    with app.app_context():
        migrate(db.engine)
        _publish_levels_tour(blobs.store, db.session, testdata)
    with serving(app) as url:
        result = app.test_cli_runner().invoke(args=["storage", "cors", url])
        assert result.exit_code == 0, result.output
        yield url


MODEL_DRAWN = """() => {
    const viewer = document.querySelector('model-viewer');
    const canvas = viewer && viewer.shadowRoot && viewer.shadowRoot.querySelector('canvas');
    if (!canvas || !viewer.loaded || canvas.width === 0) return false;
    const copy = document.createElement('canvas');
    copy.width = 64; copy.height = 64;
    const ctx = copy.getContext('2d');
    ctx.drawImage(canvas, 0, 0, 64, 64);
    const data = ctx.getImageData(0, 0, 64, 64).data;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) {
        colours.add(data[i] + ',' + data[i + 1] + ',' + data[i + 2]);
    }
    return colours.size > 8;
}"""


@pytest.fixture
def model_drawn() -> str:
    """A page function: whether model-viewer's canvas shows a drawn model, not a blank."""
    return MODEL_DRAWN


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, with software WebGL."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: run `apt-get install -y chromium` (see .ci/run).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Offsite:
    """Requests the page tried to send to other hosts (all blocked)."""

    def __init__(self) -> None:
        self.urls: list[str] = []


@pytest.fixture
def offsite() -> Offsite:
    return Offsite()


def guarded_context(
    browser: Any,
    base_url: str,
    offsite: Offsite,
    *,
    extra_netloc: str | None = None,
    **options: Any,
) -> Any:
    """A browser context on a phone (unless ``options`` say otherwise) that may only reach
    ``base_url`` (and ``extra_netloc``, a ``host:port`` such as an S3 endpoint, if given);
    requests to other hosts are blocked and recorded in ``offsite``."""
    settings: dict[str, Any] = {
        "viewport": PHONE,
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "base_url": base_url,
    }
    settings.update(options)
    context = browser.new_context(**settings)
    allowed = {urlsplit(base_url).netloc} | ({extra_netloc} if extra_netloc else set())

    def guard(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).netloc in allowed or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            offsite.urls.append(url)
            route.abort()

    context.route("**/*", guard)
    return context


@pytest.fixture
def page(browser: Any, live_server: str, offsite: Offsite) -> Iterator[Any]:
    """A phone-sized page whose requests may only reach the app."""
    context = guarded_context(browser, live_server, offsite)
    page = context.new_page()
    yield page
    context.close()
    assert offsite.urls == [], f"requests left the app: {offsite.urls}"


@contextmanager
def _contexts(browser: Any, offsite: Offsite) -> Iterator[Callable[..., Any]]:
    """A maker of guarded contexts; at the end they are closed and nothing may have left."""
    contexts: list[Any] = []

    def make(base_url: str, **options: Any) -> Any:
        context = guarded_context(browser, base_url, offsite, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert offsite.urls == [], f"requests left the app: {offsite.urls}"


@pytest.fixture
def new_context(browser: Any, offsite: Offsite) -> Iterator[Callable[..., Any]]:
    """Make guarded browser contexts with other options (viewport, headers, init scripts)."""
    with _contexts(browser, offsite) as make:
        yield make


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = """async (tags) => {
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({
        id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}"""


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The WCAG 2.2 AA violations axe-core (served by the app itself) finds on ``page``."""
    page.add_script_tag(url="/static/vendor/axe.min.js")
    result: list[dict[str, Any]] = page.evaluate(AXE_RUN, AXE_TAGS)
    return result


@pytest.fixture(scope="session")
def violations() -> Callable[[Any], list[dict[str, Any]]]:
    """``violations(page)``: what axe-core finds on the page against WCAG 2.2 AA
    (a fixture because test modules cannot import conftest under importlib mode)."""
    return axe_violations


class NetworkWatch:
    """Every request a page sends, and a wait for the page to be done with the network."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.requests: list[str] = []
        self.inflight: set[Any] = set()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request: Any) -> None:
        self.requests.append(request.url)
        self.inflight.add(request)

    def _ended(self, request: Any) -> None:
        self.inflight.discard(request)

    def wait_until_idle(self, quiet_ms: int = 500, timeout_s: float = 60) -> None:
        """Until the page has loaded, no request is in flight and none started for
        ``quiet_ms``: what proves that a page has fetched all it is going to fetch."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        deadline = time.monotonic() + timeout_s
        self.page.wait_for_load_state("load", timeout=timeout_s * 1000)
        while True:
            assert time.monotonic() < deadline, f"the network never went quiet: {self.inflight}"
            event = "requestfinished" if self.inflight else "request"
            try:
                self.page.wait_for_event(event, timeout=quiet_ms)
            except PlaywrightTimeout:
                if not self.inflight:
                    return


@pytest.fixture
def watch_network() -> Callable[[Any], NetworkWatch]:
    """``watch_network(page)`` before ``goto``: the page's requests, and ``wait_until_idle``."""
    return NetworkWatch


@pytest.fixture(scope="module")
def module_context(browser: Any) -> Iterator[Callable[..., Any]]:
    """Like ``new_context``, for contexts a whole test module shares (made once, reused)."""
    with _contexts(browser, Offsite()) as make:
        yield make
