"""The Content-Security-Policy in Chromium, on a phone: every page works under it with zero
violations. An init script records each ``securitypolicyviolation`` event (in every frame);
the console is watched for CSP errors too. Covered: the demo's model stop (drawn, its poster
gone), a panorama stop (drawn), text-only mode, the visitor-insight beacon, saving the tour
offline (service worker), the catalogue, the end of the tour, QR codes, the offline and
error pages, the API reference, the embeds of a model stop and a panorama stop framed by a
site on another origin (while other pages refuse that frame), and the studio (tour editor,
stop editors with their live viewers, the model library with Uppy, a model page showing
Draco and KTX2 models, the translation matrix, API tokens, the visitor-insight dashboard
with its charts), on the local store and with media and direct uploads on S3 (moto's
server). The policy is enforced, not report-only: an injected inline script does not run.
"""

from __future__ import annotations

import importlib.util
import io
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e
EMAIL = "csp.admin@example.org"
# Site address -> unused recovery codes of its admin (admins sign in with a second factor;
# a TOTP code works once, so each sign-in spends a recovery code).
ADMIN_CODES: dict[str, list[str]] = {}
TOUR = "/en/tours/hue-imperial-city/"
DRAWN = "() => document.querySelector('figure.viewer')?.classList.contains('drawn')"
LEVEL_VIEWER_DRAWN = """() => {
    const viewer = document.getElementById('level-viewer');
    const canvas = viewer && viewer.shadowRoot && viewer.shadowRoot.querySelector('canvas');
    return Boolean(canvas && viewer.loaded && canvas.width > 0);
}"""
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
    disposition: event.disposition,
  });
}, true);
"""


def _leniency() -> Any:
    """tests/models3d/test_leniency.py, for its Draco and KTX2 ducks."""
    folder = Path(__file__).parents[1] / "models3d"
    path = folder / "test_leniency.py"
    if str(folder) not in sys.path:
        sys.path.append(str(folder))  # its own helpers (m3d_inputs)
    spec = importlib.util.spec_from_file_location("csp_leniency_helpers", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Site:
    url: str
    tour_id: int
    model_stop: int
    panorama_stop: int
    asset_id: int
    extras: dict[str, str] = field(default_factory=dict)  # name -> media key
    admin_codes: list[str] = field(default_factory=list)


@dataclass
class Watch:
    """What the browser said about the policy: violations and CSP console errors."""

    console: list[str] = field(default_factory=list)
    pages: list[Any] = field(default_factory=list)

    # Page functions are given as ``() => ...``: Playwright evaluates a bare expression with
    # eval(), which the policy (rightly) refuses.

    def attach(self, page: Any) -> Any:
        self.pages.append(page)
        page.on("console", self._console)
        return page

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def violations(self, page: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = page.evaluate("() => window.cspViolations || []")
        return found

    def assert_none(self, page: Any, where: str) -> None:
        assert self.violations(page) == [], where
        assert self.console == [], where


def _create_admin(session: Any) -> list[str]:
    """The admin, with two-factor sign-in on; its recovery codes."""
    import pyotp

    from tours.accounts import create_user
    from tours.twofactor import begin_enrolment, confirm_enrolment

    admin = create_user(session, EMAIL, "a long enough password", "admin")
    codes = confirm_enrolment(session, admin, pyotp.TOTP(begin_enrolment(session, admin)).now())
    assert codes
    return codes


def _seed_site(app: Any, testdata: Path) -> Site:
    from datetime import UTC, datetime

    from sqlalchemy import select

    from tours.db import migrate
    from tours.models import AssetStatus, ModelAsset, Tour, VisitCount
    from tours.seed import seed_demo
    from webapp.extensions import blobs, db, jobs

    migrate(db.engine)
    seed_demo(jobs.settings)
    codes = _create_admin(db.session)
    tour = db.session.scalars(select(Tour).where(Tour.slug == "hue-imperial-city")).one()
    stops = sorted(tour.stops, key=lambda stop: stop.position)
    asset = db.session.scalars(
        select(ModelAsset).where(ModelAsset.status == AssetStatus.READY).order_by(ModelAsset.id)
    ).first()
    assert asset is not None
    helpers = _leniency()
    extras = {
        "draco": helpers.draco_duck(),
        "ktx2-etc1s": helpers.ktx2_duck(helpers.ETC1S_KTX2),
        "ktx2-uastc": helpers.ktx2_duck(helpers.UASTC_KTX2),
    }
    keys = {
        name: blobs.store.put_content("models", io.BytesIO(data), "glb", "model/gltf-binary")
        for name, data in extras.items()
    }
    day = datetime.now(UTC).date()
    db.session.add_all(  # figures for the insight dashboard's charts
        VisitCount(
            day=day,
            tour_id=tour.id,
            stop_number=number,
            language=lang,
            event="view",
            device=device,
            count=count,
        )
        for number, lang, device, count in [(1, "en", "phone", 6), (2, "vi", "desktop", 3)]
    )
    db.session.commit()
    return Site("", tour.id, stops[0].id, stops[1].id, asset.id, keys, codes)


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, e2e_app: Any, serve: Any, testdata: Path
) -> Iterator[Site]:
    """The demo tour and an admin, on the local store."""
    app = e2e_app(tmp_path_factory.mktemp("csp"))
    with app.app_context():
        seeded = _seed_site(app, testdata)
    with serve(app) as url:
        seeded.url = url
        ADMIN_CODES[url] = seeded.admin_codes
        yield seeded


@pytest.fixture
def watch() -> Watch:
    return Watch()


def _phone(new_context: Any, url: str, **options: Any) -> Any:
    context = new_context(url, locale="en-US", **options)
    context.add_init_script(RECORD_VIOLATIONS)
    return context


def test_the_policy_is_enforced_not_reported(site: Site, new_context: Any, watch: Any) -> None:
    page = watch.attach(_phone(new_context, site.url).new_page())
    response = page.goto(TOUR + "3?mode=text")
    headers = response.all_headers()
    assert "content-security-policy-report-only" not in headers
    assert "'unsafe-inline'" not in headers["content-security-policy"].split("script-src")[1]
    page.evaluate(
        """() => { const script = document.createElement('script');
        script.textContent = 'window.injected = true'; document.head.append(script); }"""
    )
    page.wait_for_function("() => window.cspViolations.length > 0")
    assert page.evaluate("() => window.injected") is None
    (violation,) = watch.violations(page)
    assert violation["directive"] == "script-src-elem"
    assert violation["disposition"] == "enforce"


def test_tourist_pages_have_no_violation(
    site: Site, new_context: Any, watch: Watch, model_drawn: str
) -> None:
    page = watch.attach(_phone(new_context, site.url).new_page())
    with page.expect_response("**/api/v1/events") as beacon:  # visitor insight
        page.goto(TOUR + "1")
    assert beacon.value.status == 204
    page.wait_for_function(model_drawn, timeout=60_000)
    page.locator("figure.viewer img.poster").wait_for(state="hidden")  # it fades out
    watch.assert_none(page, "model stop")

    page.goto(TOUR + "2")
    page.wait_for_function(
        "() => document.getElementById('panorama')?.classList.contains('drawn')", timeout=60_000
    )
    watch.assert_none(page, "panorama stop")

    for path in [TOUR + "1?mode=text", "/en/", TOUR, TOUR + "end", TOUR + "qr", "/en/offline"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        watch.assert_none(page, path)
    missing = page.goto("/en/tours/nowhere/")
    assert missing.status == 404
    page.wait_for_load_state("networkidle")
    watch.assert_none(page, "404")
    page.goto("/api/v1/docs")
    page.wait_for_load_state("networkidle")
    watch.assert_none(page, "API docs")


def test_saving_a_tour_offline_has_no_violation(
    site: Site, new_context: Any, watch: Watch, model_drawn: str
) -> None:
    page = watch.attach(_phone(new_context, site.url).new_page())
    page.goto(TOUR)
    page.click("#save-offline")
    page.wait_for_function(
        "() => document.getElementById('offline').dataset.state === 'saved'", timeout=120_000
    )
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    watch.assert_none(page, "saving")
    page.context.set_offline(True)
    page.goto(TOUR + "1")
    page.wait_for_function(model_drawn, timeout=60_000)
    page.context.set_offline(False)
    watch.assert_none(page, "saved stop, offline")


def _sign_in(page: Any) -> None:
    page.goto("/studio/login")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill("a long enough password")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/studio/login/code*")
    page.locator("#code").fill(ADMIN_CODES[page.url.split("/studio/")[0]].pop())
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url("**/studio/")


def test_studio_pages_have_no_violation(
    site: Site, new_context: Any, watch: Watch, testdata: Path
) -> None:
    page = watch.attach(_phone(new_context, site.url).new_page())
    _sign_in(page)
    watch.assert_none(page, "sign-in and dashboard")
    tour = f"/studio/tours/{site.tour_id}"
    for path in [
        tour,
        f"{tour}/translations",
        "/studio/import",
        "/studio/users",
        "/studio/tokens",
        f"{tour}/preview/en/1",
    ]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        watch.assert_none(page, path)

    page.goto(f"{tour}/insight")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-devices')")
    phones, desktops = page.evaluate("() => Chart.getChart('chart-devices').data.datasets[0].data")
    assert phones >= 6 and desktops == 3  # the seeded visits, and this module's own on phones
    watch.assert_none(page, "insight dashboard, Chart.js")

    page.goto(f"{tour}/stops/{site.model_stop}")
    page.wait_for_function(
        "() => { const v = document.querySelector('#stop-viewer'); return v && v.loaded; }",
        timeout=60_000,
    )
    watch.assert_none(page, "model stop editor")
    page.goto(f"{tour}/stops/{site.panorama_stop}")
    page.wait_for_function(
        "() => document.getElementById('stop-panorama')?.classList.contains('drawn')",
        timeout=60_000,
    )
    watch.assert_none(page, "panorama stop editor")

    page.goto("/studio/models/")
    page.wait_for_load_state()
    page.locator("#file").set_input_files(str(testdata / "Duck.glb"))
    row = page.locator("#models tr", has_text="Duck.glb")
    row.locator(".status-ready").wait_for(timeout=180_000)
    watch.assert_none(page, "model library, upload with Uppy")


@pytest.mark.parametrize("name", ["draco", "ktx2-etc1s", "ktx2-uastc", "meshopt"])
def test_model_viewer_decoders_run_under_the_policy(
    site: Site, new_context: Any, watch: Watch, name: str
) -> None:
    """The studio's model page shows its levels (meshopt) and, swapped in, Draco and KTX2
    models: their decoders run in blob: workers and compile WebAssembly."""
    page = watch.attach(_phone(new_context, site.url).new_page())
    _sign_in(page)
    page.goto(f"/studio/models/{site.asset_id}")
    page.locator("#level-viewer").scroll_into_view_if_needed()  # it loads once in view
    page.wait_for_function(LEVEL_VIEWER_DRAWN, timeout=60_000)
    if name != "meshopt":
        source = f"/media/{site.extras[name]}"
        page.evaluate(
            """(src) => new Promise((resolve, reject) => {
                const viewer = document.getElementById('level-viewer');
                viewer.addEventListener('load', resolve, {once: true});
                const failed = (e) => reject(new Error(String(e.detail?.sourceError)));
                viewer.addEventListener('error', failed, {once: true});
                setTimeout(() => reject(new Error('no load event in 60 s')), 60000);
                viewer.src = src;
            })""",
            source,
        )
        assert page.evaluate("() => document.getElementById('level-viewer').src").endswith(source)
        # The texture was decoded (a transcoder stopped by the policy fails silently, in a
        # worker whose violations the page does not hear).
        page.wait_for_function(
            """() => {
                const viewer = document.getElementById('level-viewer');
                const slot = viewer.model.materials[0].pbrMetallicRoughness.baseColorTexture;
                return Boolean(slot.texture && slot.texture.source);
            }""",
            timeout=60_000,
        )
    watch.assert_none(page, name)


FRAMES = {
    "/model": TOUR.replace("/tours/", "/embed/") + "1",
    "/panorama": TOUR.replace("/tours/", "/embed/") + "2",
    "/stop": TOUR + "1",
    "/studio": "/studio/login",
}


def _partner_site(app_url: str) -> Any:
    """A site on another origin whose pages each frame one page of the app."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        target = FRAMES.get(environ["PATH_INFO"])
        if target is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        page = (
            "<!doctype html><html lang='en'><title>A partner site</title>"
            f"<iframe id='framed' src='{app_url}{target}' width='360' height='560' "
            "title='A page of Heritour'></iframe>"
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]

    return wsgi


@pytest.fixture(scope="module")
def partner(site: Site, serve: Any) -> Iterator[str]:
    with serve(_partner_site(site.url)) as url:
        assert urlsplit(url).netloc != urlsplit(site.url).netloc  # another origin
        yield url


def _framed(new_context: Any, partner: str, site: Site, watch: Watch, path: str) -> Any:
    """The partner's page ``path``, and the app's frame in it (its document loaded)."""
    context = _phone(new_context, partner, extra_netloc=urlsplit(site.url).netloc)
    page = watch.attach(context.new_page())
    page.goto(path)
    page.wait_for_load_state("load")
    (child,) = [frame for frame in page.frames if frame is not page.main_frame]
    return page, child


@pytest.mark.parametrize("path", ["/model", "/panorama"])
def test_embeds_framed_by_another_origin_have_no_violation(
    site: Site, partner: str, new_context: Any, watch: Watch, model_drawn: str, path: str
) -> None:
    page, frame = _framed(new_context, partner, site, watch, path)
    assert frame.url == site.url + FRAMES[path]
    frame.wait_for_function(model_drawn if path == "/model" else DRAWN, timeout=60_000)
    frame.locator("figure.viewer img.poster").wait_for(state="hidden")
    assert watch.violations(frame) == [], path
    watch.assert_none(page, path)


@pytest.mark.parametrize("path", ["/stop", "/studio"])
def test_other_pages_refuse_to_be_framed(
    site: Site, partner: str, new_context: Any, watch: Watch, path: str
) -> None:
    context = _phone(new_context, partner, extra_netloc=urlsplit(site.url).netloc)
    page = watch.attach(context.new_page())
    with page.expect_response(site.url + FRAMES[path]) as answer:
        page.goto(path)
    headers = answer.value.headers
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    page.wait_for_load_state("load")
    (child,) = [frame for frame in page.frames if frame is not page.main_frame]
    assert child.url.startswith("chrome-error://")  # Chromium's error page, not ours
    assert page.frame_locator("#framed").locator(".site-header, figure.viewer, #email").count() == 0
    assert any("frame-ancestors" in line for line in watch.console)  # refused by the policy


@pytest.fixture(scope="module")
def s3_site(
    tmp_path_factory: pytest.TempPathFactory,
    e2e_app: Any,
    serve: Any,
    moto_endpoint: str,
) -> Iterator[str]:
    """An empty Heritour with an admin, its blobs in a fresh bucket on moto (CORS set)."""
    from tours.db import migrate
    from webapp.extensions import db

    app = e2e_app(
        tmp_path_factory.mktemp("csp-s3"),
        BLOB_STORE="s3",
        S3_ENDPOINT_URL=moto_endpoint,
        S3_BUCKET=f"heritour-csp-{uuid.uuid4().hex[:12]}",
        S3_ACCESS_KEY_ID="testing",
        S3_SECRET_ACCESS_KEY="testing",
        S3_CREATE_BUCKET=True,
    )
    with app.app_context():
        migrate(db.engine)
        codes = _create_admin(db.session)
    with serve(app) as url:
        ADMIN_CODES[url] = codes
        result = app.test_cli_runner().invoke(args=["storage", "cors", url])
        assert result.exit_code == 0, result.output
        yield url


def test_s3_uploads_and_media_have_no_violation(
    s3_site: str, new_context: Any, watch: Watch, moto_endpoint: str, testdata: Path
) -> None:
    context = _phone(new_context, s3_site, extra_netloc=urlsplit(moto_endpoint).netloc)
    bucket_requests: list[tuple[str, str]] = []
    context.on(
        "request",
        lambda request: (
            bucket_requests.append((request.method, request.url))
            if request.url.startswith(moto_endpoint)
            else None
        ),
    )
    page = watch.attach(context.new_page())
    _sign_in(page)
    page.goto("/studio/models/")
    page.wait_for_load_state()
    page.locator("#file").set_input_files(str(testdata / "Duck.glb"))
    row = page.locator("#models tr", has_text="Duck.glb")
    row.locator(".status-ready").wait_for(timeout=180_000)
    watch.assert_none(page, "direct upload to S3")
    assert any(method == "PUT" and "X-Amz-Signature" in url for method, url in bucket_requests)
    row.locator("a").first.click()
    page.locator("#level-viewer").scroll_into_view_if_needed()  # it loads once in view
    page.wait_for_function(LEVEL_VIEWER_DRAWN, timeout=60_000)
    assert any(method == "GET" and "X-Amz-Signature" in url for method, url in bucket_requests)
    watch.assert_none(page, "model page, media from S3")
