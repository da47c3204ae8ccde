"""First panorama frame on a weak network: tiles against the full equirectangular image.

A panorama stop page (text, poster, panorama.js with Photo Sphere Viewer from static/vendor)
is served twice from the same local server, with brotli for text as the app sends it:

- ``tiled``: the contract's config, the 1024 × 512 preview first, then the tiles of the level
  the phone needs (a pyramid cut as the pipeline cuts it: one tile size, 2:1 levels);
- ``full``: the same viewer given only the full equirectangular image (8192 × 4096), as a
  viewer without tiles would load it.

Chromium on a phone viewport (390 × 844) with the pageload bench's throttling (150 ms RTT,
1.6 Mbit/s down, cache off): time from navigation to the first frame drawn (panorama.js's
``visible`` event, which also hides the poster) and the bytes received by then; the median of
three runs each, alternating. The picture is the demo's painter when it is there
(``tours.demo.panorama_art.paint_panorama``), else a busy synthetic scene made here.

Run with ``python -m bench panorama_load`` (``make bench`` runs every benchmark).
"""

from __future__ import annotations

import io
import json
import random
import tempfile
from pathlib import Path
from typing import Any

from bench.pageload import DOWN_BITS, RTT_MS, RUNS, _serving, measure_pages

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "webapp" / "static"
WIDTH = 8192
TILE = 512
TARGET_SECONDS = 3.0
TARGET_BYTES = 300_000

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The courtyard · Bench tour</title>
<link rel="stylesheet" href="/static/css/app.css">
<link rel="preload" as="image" href="/pano/poster.jpg" fetchpriority="high">
</head><body><main>
<p class="progress">Stop 1 of 2</p>
<h1>The courtyard</h1>
<figure id="panorama" class="viewer panorama">
  <img class="poster" src="/pano/poster.jpg" alt="The courtyard from its gate" width="412"
    height="420" fetchpriority="high">
  <div class="panorama-controls">
    <button type="button" data-panorama="gyroscope" hidden>Turn with your phone</button>
    <button type="button" data-panorama="vr" hidden>Step in with a headset</button>
  </div>
</figure>
<section class="narration"><p>{narration}</p></section>
</main>
<script type="application/json" id="panorama-config">{config}</script>
<script type="application/json" id="panorama-assets">{assets}</script>
<link rel="modulepreload" href="/static/js/levels.js">
<link rel="modulepreload" href="/static/js/panorama-levels.js">
<link rel="modulepreload" href="/static/js/panorama-xr.js">
<script type="module" src="/static/js/panorama.js"></script>
</body></html>
"""
ASSETS = {
    "viewer": "/static/vendor/panorama-viewer.js",
    "viewerCss": "/static/vendor/panorama-viewer.css",
    "css": "/static/css/panorama.css",
}


def _picture(width: int) -> Any:
    """The demo's painted panorama if the painter is there, else a busy synthetic scene: sky,
    ground, a few hundred coloured "buildings" and some grain (JPEG sizes like a photograph's)."""
    from PIL import Image, ImageDraw, ImageFilter

    try:
        from tours.demo.panorama_art import (  # type: ignore[import-not-found, unused-ignore]
            paint_panorama,
        )

        return Image.open(io.BytesIO(paint_panorama("courtyard", width))).convert("RGB")
    except ImportError:
        pass
    height = width // 2
    rng = random.Random(12)
    sky = Image.linear_gradient("L").resize((width, height))
    image = Image.merge(
        "RGB",
        [
            sky.point(lambda v: 90 + v // 3),
            sky.point(lambda v: 140 + v // 4),
            sky.point(lambda v: 230 - v // 5),
        ],
    )
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height // 2, width, height], fill=(118, 104, 84))
    for _ in range(400):
        x = rng.randrange(width)
        w = rng.randrange(width // 200, width // 30)
        top = height // 2 - rng.randrange(height // 40, height // 4)
        colour = tuple(rng.randrange(60, 220) for _ in range(3))
        draw.rectangle([x, top, x + w, height // 2 + height // 20], fill=colour)
        for row in range(top + 8, height // 2, max(8, w // 4)):
            draw.line([(x + 3, row), (x + w - 3, row)], fill=(40, 40, 40), width=2)
    grain = Image.effect_noise((width, height), 24).convert("RGB")
    return Image.blend(image, grain, 0.12).filter(ImageFilter.GaussianBlur(0.6))


def _levels(width: int) -> list[dict[str, int]]:
    levels = []
    level_width = 1024
    while level_width <= width:
        cols = level_width // TILE
        levels.append({"width": level_width, "cols": cols, "rows": max(1, cols // 2)})
        level_width *= 2
    return levels


def build_site(root: Path) -> dict[str, int]:
    """Write the two pages, the pictures and the tiles under ``root``; their sizes in bytes."""
    from PIL import Image

    (root / "static").symlink_to(STATIC, target_is_directory=True)
    folder = root / "pano"
    (folder / "tiles").mkdir(parents=True)
    full = _picture(WIDTH)
    full.save(folder / "equirect.jpg", quality=85, optimize=True)
    full.resize((1024, 512), Image.Resampling.LANCZOS).save(folder / "preview.jpg", quality=80)
    half = WIDTH // 2
    poster = full.crop((half - 560, WIDTH // 4 - 570, half + 560, WIDTH // 4 + 570))
    poster.resize((412, 420)).save(folder / "poster.jpg", quality=78)
    levels = _levels(WIDTH)
    for number, level in enumerate(levels):
        scaled = full.resize((level["width"], level["width"] // 2), Image.Resampling.LANCZOS)
        (folder / "tiles" / str(number)).mkdir()
        for col in range(level["cols"]):
            for row in range(level["rows"]):
                tile = scaled.crop((col * TILE, row * TILE, (col + 1) * TILE, (row + 1) * TILE))
                tile.save(folder / "tiles" / str(number) / f"{col}_{row}.jpg", quality=80)
    tiled = {
        "preview": "/pano/preview.jpg",
        "equirect": "/pano/equirect.jpg",
        "tiles": {"url": "/pano/tiles/{level}/{col}_{row}.jpg", "levels": levels},
        "view": {"yaw": 0, "pitch": 0, "fov": 75},
        "hotspots": [{"id": "h1", "yaw": -20, "pitch": -5, "label": "Urn", "html": "<p>1835</p>"}],
        "links": [],
    }
    full_only = {**tiled, "preview": "/pano/equirect.jpg", "tiles": None}
    narration = "The courtyard of the palace, seen from its gate. " * 12
    for name, config in (("tiled", tiled), ("full", full_only)):
        html = PAGE.format(
            narration=narration, config=json.dumps(config), assets=json.dumps(ASSETS)
        )
        (root / f"{name}.html").write_text(html)
    return {
        "preview": (folder / "preview.jpg").stat().st_size,
        "equirect": (folder / "equirect.jpg").stat().st_size,
        "poster": (folder / "poster.jpg").stat().st_size,
    }


def _site_app(root: Path) -> Any:
    """A WSGI app serving the folder ``root``: text with brotli when the browser takes it (as
    the app sends its static files and pages), pictures as they are."""
    import mimetypes

    import brotli
    from werkzeug.security import safe_join
    from werkzeug.wrappers import Request, Response

    compressed: dict[Path, bytes] = {}

    @Request.application
    def app(request: Request) -> Response:
        joined = safe_join(str(root), request.path.lstrip("/"))
        path = Path(joined) if joined else None
        if path is None or not path.is_file():
            return Response("not found", status=404)
        mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix not in {".js", ".css", ".html", ".json"} or "br" not in request.headers.get(
            "Accept-Encoding", ""
        ):
            return Response(path.read_bytes(), mimetype=mimetype)
        if path not in compressed:
            compressed[path] = brotli.compress(path.read_bytes(), quality=11)
        response = Response(compressed[path], mimetype=mimetype)
        response.headers["Content-Encoding"] = "br"
        return response

    return app


def main() -> None:
    """Print the first-frame figures of the tiled page next to the full-image page."""
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        sizes = build_site(root)
        print(
            f"picture {WIDTH} x {WIDTH // 2}: preview {sizes['preview'] / 1000:.0f} KB, "
            f"full equirectangular {sizes['equirect'] / 1000:.0f} KB, "
            f"poster {sizes['poster'] / 1000:.0f} KB"
        )
        with _serving(_site_app(root)) as base:
            print(
                f"\nFirst panorama frame, phone 390x844, {RTT_MS} ms RTT, "
                f"{DOWN_BITS / 1e6:.1f} Mbit/s down, cache off (median of {RUNS}):"
            )
            pages = {name: f"{base}/{name}.html" for name in ("tiled", "full")}
            figures = measure_pages(pages, record="heritourPanorama")
        for name, result in figures.items():
            print(
                f"  {name:6} first frame after {result['seconds']:6.2f} s, "
                f"{result['bytes'] / 1000:7.1f} KB received by then"
            )
        tiled, full = figures["tiled"], figures["full"]
        print(
            f"  ratio tiled/full: time {tiled['seconds'] / full['seconds']:.2f}, "
            f"bytes {tiled['bytes'] / full['bytes']:.2f}"
        )
        print(
            f"  targets: first frame <= {TARGET_SECONDS:.0f} s: "
            f"{'yes' if tiled['seconds'] <= TARGET_SECONDS else 'NO'}; "
            f"<= {TARGET_BYTES // 1000} KB: {'yes' if tiled['bytes'] <= TARGET_BYTES else 'NO'}"
        )


if __name__ == "__main__":
    main()
