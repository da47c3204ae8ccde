"""A partner's page on another origin reads a tour's IIIF manifest and the open data dumps
with the browser's own CORS rules, including a conditional request (a preflight) that the
app answers with 304."""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e

PARTNER_PAGE = b"<!doctype html><html lang='en'><title>Museum kiosk</title><h1>Kiosk</h1></html>"

READ = """async (app) => {
    const first = await fetch(`${app.manifest}`);
    const manifest = await first.json();
    const etag = first.headers.get('ETag');
    const again = await fetch(`${app.manifest}`, {headers: {'If-None-Match': etag}});
    const table = await (await fetch(`${app.csv}`)).text();  // no CR inside cells
    const dump = await (await fetch(`${app.json}`)).json();
    return {
        status: first.status, type: manifest.type, canvases: manifest.items.length,
        etag: Boolean(etag), revalidated: again.status,
        rows: table.trim().split('\\r\\n').length, tours: dump.tours.map((t) => t.slug),
    };
}"""


def _partner(environ: Any, start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [PARTNER_PAGE]


def test_a_page_on_another_origin_reads_the_manifest_and_the_dumps(
    live_server: str, serve: Any, new_context: Any, iiif_errors: Any
) -> None:
    with urllib.request.urlopen(f"{live_server}/api/v1/tours") as answer:
        tours = json.load(answer)["tours"]
    slug = tours[0]["slug"]
    manifests = []
    for tour in tours:  # the demo tours are valid IIIF too
        with urllib.request.urlopen(f"{live_server}/iiif/{tour['slug']}/manifest.json") as answer:
            manifests.append(json.load(answer))
    assert iiif_errors(manifests) == [[] for _ in tours]
    rows = 0  # the CSV has a row per stop and language of its title or narration
    for tour in tours:
        with urllib.request.urlopen(f"{live_server}/api/v1/tours/{tour['slug']}") as answer:
            document = json.load(answer)["document"]
        for stop in document["stops"]:
            written = {
                tag for field in ("title", "narration") for tag, text in stop[field].items() if text
            }
            rows += len(written) or 1
    with serve(_partner) as partner:
        assert urlsplit(partner).netloc != urlsplit(live_server).netloc
        context = new_context(partner, extra_netloc=urlsplit(live_server).netloc)
        page = context.new_page()
        page.goto("/")
        result = page.evaluate(
            READ,
            {
                "manifest": f"{live_server}/iiif/{slug}/manifest.json",
                "csv": f"{live_server}/api/v1/dumps/stops.csv",
                "json": f"{live_server}/api/v1/dumps/tours.json",
            },
        )
    assert result == {
        "status": 200,
        "type": "Manifest",
        "canvases": tours[0]["stops"],
        "etag": True,
        "revalidated": 304,
        "rows": 1 + rows,
        "tours": sorted(tour["slug"] for tour in tours),
    }
