"""Embeds: one stop in another site's frame, the framing rules, oEmbed, and the studio's code."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest

BY = "http://creativecommons.org/licenses/by/4.0/"


def frame_ancestors(response: Any) -> list[str]:
    """The sources of the response's ``frame-ancestors`` directive (the CSP has it always)."""
    policy = response.headers["Content-Security-Policy"]
    (directive,) = [part.split() for part in policy.split(";") if "frame-ancestors" in part]
    return directive[1:]


@pytest.fixture
def credited_tour(db: Any, draft_tour: Any, ready_asset: Any) -> Any:
    """``draft_tour`` published with rights on its model."""
    from tours.publishing import publish_tour

    ready_asset.rights = {"statement": BY, "attribution": "Scan: Hue team", "source": "HMCC"}
    db.commit()
    publish_tour(db, draft_tour)
    return draft_tour


@pytest.fixture
def published(db: Any, panorama_tour: Any) -> Any:
    from tours.publishing import publish_tour

    publish_tour(db, panorama_tour)
    return panorama_tour


def test_embed_shows_the_stop_without_the_sites_chrome(
    client: Any, credited_tour: Any, ready_asset: Any
) -> None:
    response = client.get("/en/embed/citadel/1")
    assert response.status_code == 200
    assert frame_ancestors(response) == ["*"]
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers  # no language cookie from another site's frame
    html = response.get_data(as_text=True)
    assert "site-header" not in html and "site-footer" not in html
    assert '<meta name="robots" content="noindex">' in html
    figure = html.index('<figure class="viewer"')
    poster = html.index(f'<img class="poster" src="/media/{ready_asset.poster_key}"')
    assert figure < poster < html.index("<model-viewer")
    assert f'data-high="/media/{ready_asset.levels["high"]["key"]}"' in html
    assert 'slot="hotspot-1"' in html and 'aria-label="1. Roof"' in html
    assert "/static/vendor/model-viewer.min.js" in html and "js/viewer.js" in html
    narration = html[html.index('<details class="embed-narration"') :]
    assert "<summary>Narration</summary>" in narration.replace(' lang="en"', "")
    assert "<p>Narration of <strong>The gate</strong>.</p>" in narration
    assert "Tiled roof." in narration
    assert 'href="/fr/embed/citadel/1" hreflang="fr"' in html
    assert 'aria-current="true">English</a>' in html
    whole = '<a href="http://localhost/en/tours/citadel/1" target="_blank" rel="noopener">'
    assert html.count(whole) == 2  # the title and "The whole tour on Heritour"
    assert "The whole tour on Heritour" in html
    assert f'<a rel="license" href="{BY}"' in html and "Scan: Hue team" in html
    assert "rel=next" not in html.replace('"', "")


def test_embed_falls_back_like_the_stop_page(client: Any, credited_tour: Any) -> None:
    html = client.get("/ko/embed/citadel/1").get_data(as_text=True)
    assert '<html lang="ko">' in html
    assert '<span lang="vi">Cổng</span>' in html
    assert '<details class="embed-narration" lang="vi">' in html
    assert '<p class="fallback-notice" role="note" lang="ko">' in html


def test_panorama_embed_keeps_its_links_in_the_frame(client: Any, published: Any) -> None:
    html = client.get("/en/embed/citadel/3").get_data(as_text=True)
    assert '<figure class="viewer panorama" id="panorama"' in html
    assert "js/panorama.js" in html and "<model-viewer" not in html
    found = re.search(r'<script type="application/json" id="panorama-config">(.*?)</script>', html)
    assert found
    config = json.loads(unescape(found.group(1)))
    assert [spot["label"] for spot in config["hotspots"]] == ["Stele"]
    assert [(link["href"], link["config"]) for link in config["links"]] == [
        ("/en/embed/citadel/4", None)
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/en/embed/citadel/1",  # a draft: never published
        "/en/embed/nowhere/1",
        "/en/embed/citadel/0",
        "/xx/embed/citadel/1",
        "/en/embed/citadel/one",
        "/embed/citadel/1/more",
    ],
)
def test_unknown_embeds_get_a_404_made_for_a_frame(client: Any, draft_tour: Any, path: str) -> None:
    response = client.get(path, headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    assert frame_ancestors(response) == ["*"]
    assert "X-Frame-Options" not in response.headers
    html = response.get_data(as_text=True)
    assert "site-header" not in html and '<div class="embed-missing">' in html
    assert '<a href="http://localhost/' in html and 'target="_blank" rel="noopener"' in html


@pytest.mark.parametrize(
    ("query", "accept", "target"),
    [
        ("", "fr-CA,fr;q=0.9", "/fr/embed/citadel/2"),
        ("?lang=ja", "fr", "/ja/embed/citadel/2"),
        ("?lang=xx", "", "/vi/embed/citadel/2"),
    ],
)
def test_the_address_without_a_language_follows_the_visitor(
    client: Any, query: str, accept: str, target: str
) -> None:
    response = client.get(f"/embed/citadel/2{query}", headers={"Accept-Language": accept})
    assert response.status_code == 302
    assert response.headers["Location"] == target
    assert frame_ancestors(response) == ["*"]
    assert "X-Frame-Options" not in response.headers


@pytest.mark.parametrize(
    "path", ["/en/", "/en/tours/citadel/", "/en/tours/citadel/1", "/studio/login", "/nowhere"]
)
def test_every_other_page_refuses_frames(client: Any, credited_tour: Any, path: str) -> None:
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert frame_ancestors(response) == ["'none'"]


def test_the_oembed_answer_is_not_a_page_to_frame(client: Any, credited_tour: Any) -> None:
    page = "http://localhost/en/tours/citadel/1"
    response = client.get("/oembed", query_string={"url": page, "format": "json"})
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert frame_ancestors(response) == ["'none'"]


def test_one_rule_frames_an_embed_once(client: Any, credited_tour: Any) -> None:
    """Framing is decided in webapp.security_headers only: one directive, no stray header."""
    response = client.get("/en/embed/citadel/1")
    assert response.headers["Content-Security-Policy"].count("frame-ancestors") == 1
    assert len(response.headers.getlist("Content-Security-Policy")) == 1
    assert "X-Frame-Options" not in response.headers


def test_stop_pages_announce_their_oembed(client: Any, credited_tour: Any) -> None:
    html = client.get("/en/tours/citadel/2").get_data(as_text=True)
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html)
    assert link
    answer = client.get(unescape(link.group(1)).removeprefix("http://localhost"))
    assert answer.status_code == 200 and answer.json["title"] == "The tower · The Citadel"


def test_oembed_describes_a_stop_as_a_rich_iframe(
    client: Any, credited_tour: Any, ready_asset: Any
) -> None:
    page = "http://localhost/en/tours/citadel/2"
    response = client.get("/oembed", query_string={"url": page, "format": "json"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    frame = "http://localhost/en/embed/citadel/2"
    assert response.json == {
        "version": "1.0",
        "type": "rich",
        "title": "The tower · The Citadel",
        "provider_name": "Heritour",
        "provider_url": "http://localhost/",
        "author_name": "Scan: Hue team",
        "license_url": BY,
        "html": f'<iframe src="{frame}" width="640" height="480" '
        'title="The tower · The Citadel" style="border:0" loading="lazy" '
        'allow="fullscreen; gyroscope; accelerometer; xr-spatial-tracking" '
        "allowfullscreen></iframe>",
        "width": 640,
        "height": 480,
        "thumbnail_url": f"http://localhost/media/{ready_asset.poster_key}",
        "thumbnail_width": 64,
        "thumbnail_height": 64,
    }


@pytest.mark.parametrize(
    ("url", "sizes", "frame", "size", "title"),
    [
        ("/fr/tours/citadel/", {}, "/fr/embed/citadel/1", (640, 480), "Cổng · Kinh thành"),
        ("/en/embed/citadel/2", {"maxwidth": 320}, "/en/embed/citadel/2", (320, 240), "The tower"),
        ("/embed/citadel/1", {"maxheight": 300}, "/embed/citadel/1", (400, 300), "Cổng"),
        ("/en/tours/citadel/1", {"maxwidth": 2000}, "/en/embed/citadel/1", (640, 480), "The gate"),
    ],
)
def test_oembed_takes_tour_and_embed_urls_and_fits_the_frame(
    client: Any,
    credited_tour: Any,
    url: str,
    sizes: dict[str, int],
    frame: str,
    size: tuple[int, int],
    title: str,
) -> None:
    answer = client.get("/oembed", query_string={"url": f"http://localhost{url}", **sizes}).json
    assert (answer["width"], answer["height"]) == size
    assert (
        f'<iframe src="http://localhost{frame}" width="{size[0]}" height="{size[1]}"'
        in (answer["html"])
    )
    assert answer["title"].startswith(title)


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"url": "http://localhost/en/tours/citadel/1", "format": "xml"}, 501, "oembed_format"),
        ({}, 400, "oembed_bad_request"),
        ({"url": "http://localhost/en/tours/citadel/1", "maxwidth": "wide"}, 400, None),
        ({"url": "http://localhost/en/tours/citadel/1", "maxheight": "0"}, 400, None),
        ({"url": "http://example.org/en/tours/citadel/1"}, 404, "oembed_not_found"),
        ({"url": "http://localhost/en/tours/citadel/3"}, 404, None),
        ({"url": "http://localhost/en/tours/other/1"}, 404, None),
        ({"url": "http://localhost/studio/login"}, 404, None),
        ({"url": "javascript:alert(1)"}, 404, None),
    ],
)
def test_oembed_refuses_what_it_cannot_describe(
    client: Any, credited_tour: Any, query: dict[str, str], status: int, code: str | None
) -> None:
    response = client.get("/oembed", query_string=query)
    assert response.status_code == status
    if code:
        assert response.json["error"]["code"] == code and response.json["error"]["message"]


def test_oembed_knows_no_draft(client: Any, draft_tour: Any) -> None:
    response = client.get("/oembed", query_string={"url": "http://localhost/en/tours/citadel/1"})
    assert response.status_code == 404


def test_oembed_is_in_the_openapi_document(client: Any) -> None:
    operation = client.get("/api/v1/openapi.json").json["paths"]["/oembed"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names == {"url", "format", "maxwidth", "maxheight"}
    assert set(operation["responses"]) == {"200", "400", "404", "501"}


def test_the_studio_hands_out_the_embed_code(curator: Any, credited_tour: Any) -> None:
    stop = credited_tour.stops[1]
    html = curator.get(f"/studio/tours/{credited_tour.id}/stops/{stop.id}").get_data(as_text=True)
    snippet = re.search(r'<textarea id="embed-snippet" readonly rows="4">(.*?)</textarea>', html)
    assert snippet
    assert unescape(snippet.group(1)).startswith(
        '<iframe src="http://localhost/embed/citadel/2" width="640" height="480" title="'
    )
    assert 'id="copy-embed" hidden' in html and "js/studio/embed-code.js" in html
    assert "It works once the tour is published." not in html
