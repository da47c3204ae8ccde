"""Browser fixtures: the seeded app on a live local server, and Debian's Chromium via Playwright.

Every request to a host other than the app is blocked and recorded; tests assert that none
was attempted. A missing Chromium fails the run: browser tests are never skipped.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tours.db import migrate

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


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with the demo tour seeded, served on a free loopback port."""
    from webapp import create_app
    from webapp.extensions import db, jobs

    root: Path = tmp_path_factory.mktemp("e2e")
    app = create_app(
        {
            "SECRET_KEY": "e2e",
            "DATABASE_URL": f"sqlite:///{root / 'e2e.db'}",
            "BLOB_DIR": str(root / "blobs"),
            "JOBS": "immediate",
        }
    )
    with app.app_context():
        migrate(db.engine)
        from tours.seed import seed_demo

        seed_demo(jobs.settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


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


@pytest.fixture
def page(browser: Any, live_server: str, offsite: Offsite) -> Iterator[Any]:
    """A phone-sized page whose requests may only reach the app."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, base_url=live_server
    )
    allowed = urlsplit(live_server).netloc

    def guard(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).netloc == allowed or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            offsite.urls.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    yield page
    context.close()
    assert offsite.urls == [], f"requests left the app: {offsite.urls}"
