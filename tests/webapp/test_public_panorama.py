"""A panorama stop for tourists: poster first, the viewer's configuration, hotspots and
links as HTML, ``panorama.json``, text-only mode, offline pack, link previews."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest


@pytest.fixture
def published(db: Any, panorama_tour: Any) -> Any:
    from tours.publishing import publish_tour

    publish_tour(db, panorama_tour)
    return panorama_tour


def _config(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="panorama-config">(.*?)</script>', html)
    assert found, "no panorama configuration"
    config: dict[str, Any] = json.loads(unescape(found.group(1)))
    return config


def test_panorama_stop_paints_poster_then_the_viewer(
    client: Any, published: Any, panorama_asset: Any
) -> None:
    html = client.get("/en/tours/citadel/3").get_data(as_text=True)
    figure = html.index('<figure class="viewer panorama" id="panorama"')
    poster = html.index(f'<img class="poster" src="/media/{panorama_asset.poster_key}"')
    assert figure < poster < html.index('id="panorama-config"')
    assert 'alt="360° of The courtyard"' in html
    assert "<model-viewer" not in html and "/static/js/viewer.js" not in html
    assert re.search(r'<script type="module" src="/static/js/panorama.js(\?v=\w+)?">', html)
    assert 'data-panorama="gyroscope" hidden' in html and "Turn with the phone" in html
    assert 'data-panorama="vr" hidden' in html and "Enter VR" in html
    assert 'id="panorama-assets"' in html
    tiles = panorama_asset.tiles
    assert _config(html) == {
        "preview": f"/media/{panorama_asset.levels['preview']['key']}",
        "equirect": f"/media/{panorama_asset.levels['equirect']['key']}",
        "tiles": {
            "url": f"/media/tiles/{tiles['set']}/{{level}}/{{col}}_{{row}}.jpg",
            "levels": tiles["levels"],
        },
        "view": {"yaw": 30.0, "pitch": -5.0, "fov": 70.0},
        "hotspots": [
            {
                "id": "h1",
                "yaw": -40.0,
                "pitch": 10.0,
                "label": "Stele",
                "html": "<p>A stone stele.</p>\n",
            }
        ],
        "links": [
            {
                "id": "l1",
                "yaw": 90.0,
                "pitch": 0.0,
                "label": "Into the hall",
                "href": "/en/tours/citadel/4",
                "config": "/en/tours/citadel/4/panorama.json",
            }
        ],
        "title": "The courtyard",
    }


def test_hotspots_and_links_work_without_javascript(client: Any, published: Any) -> None:
    html = client.get("/en/tours/citadel/4").get_data(as_text=True)
    ways = html[html.index('<nav class="panorama-links"') :]
    assert '<a href="/en/tours/citadel/1"><span>Out to the gate</span></a>' in ways
    assert "<strong><span>Stele</span></strong>" in html and "A stone stele." in html
    link = _config(html)["links"][0]
    assert (link["href"], link["config"]) == ("/en/tours/citadel/1", None)  # a model stop
    text = client.get("/en/tours/citadel/4?mode=text").get_data(as_text=True)
    assert '<a href="/en/tours/citadel/1?mode=text"><span>Out to the gate</span></a>' in text
    assert 'id="panorama-config"' not in text and "/static/js/panorama.js" not in text
    assert '<figure class="viewer still">' in text and "Show the panorama" in text
    assert 'alt="360° of The hall"' in text


def test_panorama_json_is_the_stop_configuration(client: Any, published: Any) -> None:
    response = client.get("/en/tours/citadel/4/panorama.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    page = client.get("/en/tours/citadel/4").get_data(as_text=True)
    assert response.get_json() == _config(page)
    vi = client.get("/vi/tours/citadel/3/panorama.json").get_json()
    assert (
        vi["hotspots"][0]["label"] == "Bia đá" and vi["links"][0]["href"] == "/vi/tours/citadel/4"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/en/tours/citadel/1/panorama.json",  # a model stop
        "/en/tours/citadel/5/panorama.json",
        "/en/tours/citadel/0/panorama.json",
        "/en/tours/citadel/99999999999999999999/panorama.json",
        "/en/tours/nowhere/3/panorama.json",
        "/en/tours/citadel/-1/panorama.json",
        "/en/tours/citadel/3/panorama.json%00",
    ],
)
def test_panorama_json_refuses_what_is_no_panorama(client: Any, published: Any, path: str) -> None:
    assert client.get(path).status_code == 404


def test_offline_pack_holds_the_panorama(client: Any, published: Any, panorama_asset: Any) -> None:
    pack = client.get("/en/tours/citadel/offline.json").get_json()
    urls = pack["urls"]
    assert f"/media/{panorama_asset.levels['preview']['key']}" in urls
    assert f"/media/{panorama_asset.levels['equirect']['key']}" not in urls
    assert sum(url.startswith("/media/tiles/") for url in urls) == 10
    assert "/en/tours/citadel/3/panorama.json" in urls
    assert any(url.startswith("/static/js/panorama.js?v=") for url in urls)
    assert any(url.startswith("/static/vendor/panorama-viewer.js?v=") for url in urls)
    assert {"/static/js/levels.js", "/static/js/panorama-xr.js"} <= set(urls)  # imported as such
    assert len(urls) == len(set(urls))
    assert pack["model_bytes"] > panorama_asset.levels["preview"]["bytes"]


def test_link_previews_describe_the_panorama(
    client: Any, published: Any, panorama_asset: Any
) -> None:
    html = client.get("/en/tours/citadel/3").get_data(as_text=True)
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found
    data = json.loads(found.group(1))
    subject = data["subjectOf"]
    assert subject["@type"] == "Photograph"
    assert subject["contentUrl"].endswith(f"/media/{panorama_asset.levels['equirect']['key']}")
    assert f"/media/{panorama_asset.poster_key}" in html  # og:image falls back to the poster


def test_catalogue_card_uses_a_panorama_poster(db: Any, client: Any, published: Any) -> None:
    html = client.get("/en/tours/citadel/").get_data(as_text=True)
    assert "The courtyard" in html and "The hall" in html
