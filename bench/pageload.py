"""Page load on a weak network: the demo stop page against a bare model-viewer page.

Two measurements, each with its baseline measured in the same run:

1. Chromium on a phone viewport (390x844) with network throttling only (150 ms RTT,
   1.6 Mbit/s down, 750 kbit/s up, via CDP ``Network.emulateNetworkConditions``, cache
   off): time from navigation until the first model is visible, and the bytes received by
   then. Heritour shows its ``thumb`` level; the baseline is a page with only model-viewer
   loading the ``high`` level directly.
2. Lighthouse 12 (the npm package pinned in package.json) with its mobile profile (slow 4G,
   4x CPU slowdown): performance score and LCP of the demo stop page and of the baseline,
   and the accessibility score of the tourist's pages, including a 360° panorama stop (its
   accessibility 100 and LCP <= 2.5 s are targets of issue 12).

Run with ``python -m bench pageload`` (``make bench`` runs every benchmark).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SLUG = "hue-imperial-city"
STOP = 1
PANORAMA_STOP = 2  # the demo's first 360° panorama stop
RUNS = 3
RTT_MS = 150
DOWN_BITS = 1_600_000
UP_BITS = 750_000
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
VISIBLE_TIMEOUT_S = 90

BASELINE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Baseline: model-viewer alone</title>
<script>
  self.ModelViewerElement = {{ meshoptDecoderLocation: "{meshopt}",
    dracoDecoderLocation: "{draco}", ktx2TranscoderLocation: "{basis}" }};
  window.heritourViewer = {{ events: [] }};
</script>
<script type="module" src="{viewer}"></script>
<style>body {{ margin: 0 }} model-viewer {{ width: 100vw; height: 70vh }}</style>
</head><body>
<h1>{title}</h1>
<model-viewer src="{src}" poster="{poster}" alt="{alt}" camera-controls></model-viewer>
<script>
  document.querySelector("model-viewer").addEventListener("model-visibility", (event) => {{
    if (event.detail.visible) window.heritourViewer.events.push(
      {{ type: "visible", level: "high", t: performance.now() }});
  }});
</script>
</body></html>
"""


def _build_app(root: Path) -> Any:
    """The app with the demo seeded, plus the baseline page at ``/bench/baseline``."""
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from flask import url_for

    from tours.catalogue import published_tour
    from tours.db import migrate
    from tours.seed import seed_demo
    from webapp import create_app
    from webapp.extensions import db, jobs

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{root / 'bench.db'}",
            "BLOB_DIR": str(root / "blobs"),
            "JOBS": "immediate",
        }
    )
    with app.app_context():
        migrate(db.engine)
        seed_demo(jobs.settings)

    def baseline() -> str:
        tour = published_tour(db.session, SLUG, "en")
        assert tour is not None
        stop = tour.stops[STOP - 1]
        return BASELINE.format(
            meshopt=url_for("static", filename="vendor/meshopt_decoder.js"),
            draco=url_for("static", filename="vendor/draco/"),
            basis=url_for("static", filename="vendor/basis/"),
            viewer=url_for("static", filename="vendor/model-viewer.min.js"),
            title=stop.title.text,
            src=url_for("media.blob", key=stop.level_key("high")),
            poster=url_for("media.blob", key=stop.poster_key) if stop.poster_key else "",
            alt=stop.model_alt.text,
        )

    app.add_url_rule("/bench/baseline", "bench_baseline", baseline)
    return app


@contextmanager
def _serving(app: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def _warm(base: str, paths: list[str]) -> None:
    """Fetch each page and its static files once, so compressed copies are ready (as they
    would be on a running server) and the first measured run is not the cold one."""
    import re

    for path in paths:
        request = urllib.request.Request(base + path, headers={"Accept-Encoding": "identity"})
        html = urllib.request.urlopen(request, timeout=30).read().decode()
        for url in set(re.findall(r'"(/static/[^"]+\?v=[^"]+)"', html)):
            for encoding in ("br", "gzip"):
                warm = urllib.request.Request(base + url, headers={"Accept-Encoding": encoding})
                urllib.request.urlopen(warm, timeout=60).read()


def _visible_run(browser: Any, url: str, record: str = "heritourViewer") -> dict[str, float]:
    """Load ``url`` throttled; when is the first model (or panorama) visible, and after how
    many bytes. ``record`` is the page's event log: ``window.<record>.events``."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": RTT_MS,
            "downloadThroughput": DOWN_BITS / 8,
            "uploadThroughput": UP_BITS / 8,
        },
    )
    received: list[float] = [0.0]
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_function(
            f"window.{record} && window.{record}.events.some(e => e.type === 'visible')",
            timeout=VISIBLE_TIMEOUT_S * 1000,
            polling=50,
        )
        result = page.evaluate(
            """(record) => {
            const visible = window[record].events.find((e) => e.type === 'visible');
            const nav = performance.getEntriesByType('navigation')[0];
            const before = performance.getEntriesByType('resource')
                .filter((e) => e.responseEnd <= visible.t)
                .reduce((sum, e) => sum + e.transferSize, nav.transferSize);
            return { seconds: visible.t / 1000, bytes: before, level: visible.level };
        }""",
            record,
        )
        result["total_bytes"] = sum(received)
        return result
    finally:
        context.close()


def measure_pages(pages: dict[str, str], record: str = "heritourViewer") -> dict[str, Any]:
    """Median time to the first visible frame and bytes by then of each page (name: URL),
    the pages alternating, ``RUNS`` times each."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("Chromium is not installed: apt-get install -y chromium")
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for _ in range(RUNS):
                for name, url in pages.items():
                    runs[name].append(_visible_run(browser, url, record))
        finally:
            browser.close()
    return {
        name: {
            "seconds": statistics.median(run["seconds"] for run in results),
            "bytes": statistics.median(run["bytes"] for run in results),
            "level": results[0]["level"],
        }
        for name, results in runs.items()
    }


def measure_visible(base: str) -> dict[str, dict[str, float]]:
    """Median time to a visible model and bytes by then, Heritour and baseline alternating."""
    return measure_pages(
        {"heritour": f"{base}/en/tours/{SLUG}/{STOP}", "baseline": f"{base}/bench/baseline"}
    )


def _lighthouse_bin() -> Path | None:
    path = ROOT / "node_modules" / ".bin" / "lighthouse"
    return path if path.exists() else None


def lighthouse(url: str, categories: str, webgl_flags: bool = False) -> dict[str, Any]:
    """Lighthouse's mobile profile on ``url``: category scores (0-100) and LCP in seconds.

    Chromium runs with the flags DESIGN.md gives for Lighthouse; ``webgl_flags`` adds the ones
    it gives for WebGL in headless mode, which replace a very slow readback path of the
    default software renderer (seconds per first frame) with a faster one."""
    binary = _lighthouse_bin()
    if binary is None:
        raise SystemExit("Lighthouse is missing: run `npm ci` (it is a devDependency).")
    chromium = shutil.which("chromium")
    flags = "--headless=new --no-sandbox"  # WebGL is software-rendered (SwiftShader) here
    if webgl_flags:
        flags += " --use-angle=swiftshader --enable-unsafe-swiftshader"
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.json"
        subprocess.run(
            [
                str(binary),
                url,
                f"--only-categories={categories}",
                "--output=json",
                f"--output-path={output}",
                f"--chrome-flags={flags}",
                "--quiet",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": chromium or ""},
            timeout=300,
        )
        report = json.loads(output.read_text())
    scores = {name: round(100 * (cat["score"] or 0)) for name, cat in report["categories"].items()}
    audits = report["audits"]
    lcp = audits.get("largest-contentful-paint", {}).get("numericValue")
    tbt = audits.get("total-blocking-time", {}).get("numericValue")
    failed = [
        audit_id
        for ref in report["categories"].get("accessibility", {}).get("auditRefs", [])
        if (audit_id := ref["id"]) and audits[audit_id].get("score") == 0
    ]
    return {
        "scores": scores,
        "lcp_s": lcp / 1000 if lcp is not None else None,
        "tbt_ms": tbt,
        "a11y_failed": failed,
    }


def main() -> None:
    """Print the load figures of the demo stop page next to the baseline."""
    with tempfile.TemporaryDirectory() as folder:
        started = time.monotonic()
        app = _build_app(Path(folder))
        print(f"demo seeded in {time.monotonic() - started:.1f} s", flush=True)
        with _serving(app) as base:
            stop_path = f"/en/tours/{SLUG}/{STOP}"
            _warm(
                base,
                [
                    stop_path,
                    f"/en/tours/{SLUG}/{PANORAMA_STOP}",
                    "/bench/baseline",
                    f"/en/tours/{SLUG}/",
                    "/en/",
                ],
            )

            print(
                f"\nFirst model visible, phone 390x844, {RTT_MS} ms RTT, "
                f"{DOWN_BITS / 1e6:.1f} Mbit/s down, cache off (median of {RUNS}):"
            )
            visible = measure_visible(base)
            for name, figures in visible.items():
                print(
                    f"  {name:9} {figures['level']:6} visible after {figures['seconds']:5.2f} s, "
                    f"{figures['bytes'] / 1000:7.1f} KB received by then"
                )
            ours, base_figures = visible["heritour"], visible["baseline"]
            print(
                f"  ratio heritour/baseline: time {ours['seconds'] / base_figures['seconds']:.2f}, "
                f"bytes {ours['bytes'] / base_figures['bytes']:.2f}"
            )
            print(
                f"  targets: visible <= 5 s: {'yes' if ours['seconds'] <= 5 else 'NO'}; "
                f"<= 500 KB: {'yes' if ours['bytes'] <= 500_000 else 'NO'}"
            )

            print("\nLighthouse 12, mobile profile (slow 4G, 4x CPU slowdown):")
            results = {
                "stop page": lighthouse(base + stop_path, "performance,accessibility"),
                "baseline": lighthouse(base + "/bench/baseline", "performance,accessibility"),
                "stop, WebGL flags": lighthouse(base + stop_path, "performance", True),
                "baseline, WebGL": lighthouse(base + "/bench/baseline", "performance", True),
                "panorama stop": lighthouse(
                    base + f"/en/tours/{SLUG}/{PANORAMA_STOP}", "performance,accessibility"
                ),
                "text-only stop": lighthouse(
                    base + stop_path + "?mode=text", "performance,accessibility"
                ),
                "tour overview": lighthouse(base + f"/en/tours/{SLUG}/", "accessibility"),
                "catalogue": lighthouse(base + "/en/", "accessibility"),
            }
            for name, result in results.items():
                scores = ", ".join(f"{cat} {score}" for cat, score in result["scores"].items())
                timing = ""
                if result["lcp_s"] is not None and "performance" in result["scores"]:
                    timing = f", LCP {result['lcp_s']:.2f} s, TBT {result['tbt_ms']:.0f} ms"
                failed = (
                    f" (failed: {', '.join(result['a11y_failed'])})"
                    if result["a11y_failed"]
                    else ""
                )
                print(f"  {name:17} {scores}{timing}{failed}")
            stop = results["stop page"]
            print(
                f"  targets: performance >= 95: "
                f"{'yes' if stop['scores']['performance'] >= 95 else 'NO'}; "
                f"LCP <= 2.5 s: {'yes' if (stop['lcp_s'] or 99) <= 2.5 else 'NO'}"
            )
            pano = results["panorama stop"]
            print(
                f"  panorama stop targets: accessibility 100: "
                f"{'yes' if pano['scores']['accessibility'] == 100 else 'NO'}; "
                f"LCP <= 2.5 s: {'yes' if (pano['lcp_s'] or 99) <= 2.5 else 'NO'}"
            )


if __name__ == "__main__":
    main()
