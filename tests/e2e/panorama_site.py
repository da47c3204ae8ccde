"""A static site for the panorama viewer's browser tests, made without the Flask app.

Two panorama "stops" whose pictures are painted here with Pillow (a colour wheel by longitude,
bands by latitude and a grid, so that every direction looks different), each with a preview, a
full equirectangular image, a poster and a tile pyramid in the layout the pipeline writes
(``tiles/<level>/<col>_<row>.jpg``, level 0 the smallest, one tile size for every level). The
pages carry the config and markup the app's stop page gives panorama.js; the static files are
the app's own (webapp/static). ``site(root)`` writes it all; ``site_app(root)`` serves it.
"""

from __future__ import annotations

import colorsys
import json
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "webapp" / "static"
TILE = 512
LEVELS = [
    {"width": 1024, "cols": 2, "rows": 1},
    {"width": 2048, "cols": 4, "rows": 2},
    {"width": 4096, "cols": 8, "rows": 4},
]

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/static/css/app.css">
</head><body><main>
<h1>{title}</h1>
<figure id="panorama" class="viewer panorama">
  <img class="poster" src="/pano/{name}/poster.jpg" alt="{alt}" width="412" height="420">
  <div class="panorama-controls">
    <button type="button" data-panorama="gyroscope" hidden>Turn with your phone</button>
    <button type="button" data-panorama="vr" hidden>Step in with a headset</button>
  </div>
</figure>
<section class="narration"><p>{title}: narration.</p></section>
<nav class="pager" aria-label="Stops"><a rel="next" href="/stops/{other}.html">Next stop</a></nav>
</main>
<script type="application/json" id="panorama-config">{config}</script>
<script type="application/json" id="panorama-assets">{assets}</script>
<script type="module" src="/static/js/panorama.js"></script>
</body></html>
"""

ASSETS = {
    "viewer": "/static/vendor/panorama-viewer.js",
    "viewerCss": "/static/vendor/panorama-viewer.css",
    "css": "/static/css/panorama.css",
}

STOPS: dict[str, dict[str, Any]] = {
    "a": {
        "title": "The courtyard",
        "alt": "The courtyard seen from its gate",
        "hue": 0.0,
        "other": "b",
        "hotspots": [
            {
                "id": "h1",
                "yaw": -15,
                "pitch": -5,
                "label": "Bronze urn",
                "html": "<p>Cast in <em>1835</em>.</p>",
            }
        ],
        "links": [{"id": "l1", "yaw": 20, "pitch": 0, "label": "Through the gate", "target": "b"}],
    },
    "b": {
        "title": "The throne hall",
        "alt": "The throne hall from its centre",
        "hue": 0.5,
        "other": "a",
        "hotspots": [
            {
                "id": "h2",
                "yaw": 30,
                "pitch": 10,
                "label": "Lacquered column",
                "html": "<p>Eighty columns.</p>",
            }
        ],
        "links": [
            {"id": "l2", "yaw": 180, "pitch": 0, "label": "Back to the courtyard", "target": "a"}
        ],
    },
}


def paint(width: int, hue: float) -> Image.Image:
    """An equirectangular test picture, ``width`` × ``width / 2``: hue by longitude (turned by
    ``hue``), brightness bands by latitude, and a dark grid every 30 degrees."""
    height = width // 2
    strip = Image.new("RGB", (360, 1))
    strip.putdata(
        [
            tuple(round(c * 255) for c in colorsys.hsv_to_rgb((hue + x / 360) % 1, 0.7, 0.95))
            for x in range(360)
        ]
    )
    image = strip.resize((width, height))
    shade = Image.new("RGB", (width, height // 6), (0, 0, 0))
    for band in range(1, 6, 2):
        top = band * height // 6
        darker = Image.blend(image.crop((0, top, width, top + height // 6)), shade, 0.35)
        image.paste(darker, (0, top))
    draw = ImageDraw.Draw(image)
    for degree in range(0, 360, 30):
        x = degree * width // 360
        draw.line([(x, 0), (x, height)], fill=(30, 30, 30), width=max(2, width // 512))
    for degree in range(30, 180, 30):
        y = degree * height // 180
        draw.line([(0, y), (width, y)], fill=(30, 30, 30), width=max(2, width // 512))
    return image


def write_pyramid(image: Image.Image, folder: Path, levels: list[dict[str, int]], tile: int) -> int:
    """Cut ``image`` into the tiles of ``levels`` under ``folder``; the number of tiles."""
    count = 0
    for number, level in enumerate(levels):
        scaled = image.resize((level["width"], level["width"] // 2), Image.Resampling.LANCZOS)
        (folder / str(number)).mkdir(parents=True, exist_ok=True)
        for col in range(level["cols"]):
            for row in range(level["rows"]):
                box = (col * tile, row * tile, (col + 1) * tile, (row + 1) * tile)
                scaled.crop(box).save(folder / str(number) / f"{col}_{row}.jpg", quality=80)
                count += 1
    return count


def config(name: str) -> dict[str, Any]:
    """The panorama config the app would give for stop ``name``."""
    stop = STOPS[name]
    return {
        "preview": f"/pano/{name}/preview.jpg",
        "equirect": f"/pano/{name}/equirect.jpg",
        "tiles": {"url": f"/pano/{name}/tiles/{{level}}/{{col}}_{{row}}.jpg", "levels": LEVELS},
        "view": {"yaw": 0, "pitch": 0, "fov": 75},
        "hotspots": stop["hotspots"],
        "links": [
            {
                "id": link["id"],
                "yaw": link["yaw"],
                "pitch": link["pitch"],
                "label": link["label"],
                "href": f"/stops/{link['target']}.html",
                "config": f"/stops/{link['target']}.json",
            }
            for link in stop["links"]
        ],
    }


def site(root: Path) -> Path:
    """Write the two stops' pages, configs and pictures under ``root``, link the app's static
    files in, and return ``root``."""
    (root / "static").symlink_to(STATIC, target_is_directory=True)
    (root / "stops").mkdir(parents=True, exist_ok=True)
    for name, stop in STOPS.items():
        folder = root / "pano" / name
        folder.mkdir(parents=True, exist_ok=True)
        full = paint(LEVELS[-1]["width"], stop["hue"])
        full.resize((2048, 1024)).save(folder / "equirect.jpg", quality=85)
        full.resize((1024, 512)).save(folder / "preview.jpg", quality=80)
        poster = full.crop((1536, 512 - 560, 2560, 512 + 560)).resize((412, 420))
        poster.save(folder / "poster.jpg", quality=80)
        write_pyramid(full, folder / "tiles", LEVELS, TILE)
        data = json.dumps(config(name)).replace("</", "<\\/")
        (root / "stops" / f"{name}.json").write_text(data)
        page = PAGE.format(
            title=stop["title"],
            alt=stop["alt"],
            name=name,
            other=stop["other"],
            config=data,
            assets=json.dumps(ASSETS),
        )
        (root / "stops" / f"{name}.html").write_text(page)
    return root


def site_app(root: Path) -> Any:
    """A WSGI app serving the folder ``root`` (for the ``serve`` fixture)."""
    from werkzeug.exceptions import NotFound
    from werkzeug.middleware.shared_data import SharedDataMiddleware

    return SharedDataMiddleware(NotFound(), {"/": str(root)})
