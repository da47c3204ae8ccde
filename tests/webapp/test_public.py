"""The tourist's pages: catalogue, tour overview and stop, server-rendered."""

from __future__ import annotations

from typing import Any


def test_catalogue_lists_published_tours_only(client: Any, draft_tour: Any, db: Any) -> None:
    assert "The Citadel" not in client.get("/en/").get_data(as_text=True)
    from tours.publishing import publish_tour

    publish_tour(db, draft_tour)
    html = client.get("/en/").get_data(as_text=True)
    assert "The Citadel" in html
    assert "2 stops" in html
    assert 'href="/en/tours/citadel/"' in html


def test_tour_overview_lists_stops(client: Any, published_tour: Any) -> None:
    html = client.get("/en/tours/citadel/").get_data(as_text=True)
    assert "The gate" in html and "The tower" in html
    assert 'href="/en/tours/citadel/1"' in html


def test_stop_page_has_viewer_narration_and_navigation(
    client: Any, published_tour: Any, ready_asset: Any
) -> None:
    html = client.get("/en/tours/citadel/1").get_data(as_text=True)
    level = ready_asset.levels["thumb"]["key"]
    assert f'src="/media/{level}"' in html
    assert f'poster="/media/{ready_asset.poster_key}"' in html
    assert 'camera-orbit="0deg 75deg 2m"' in html
    assert "<p>Narration of <strong>The gate</strong>.</p>" in html
    assert "Stop 1 of 2" in html
    assert 'rel="next" href="/en/tours/citadel/2"' in html and 'rel="prev"' not in html
    assert 'alt="Model of The gate"' in html
    assert "Roof" in html and "Tiled roof." in html
    assert "/static/vendor/model-viewer.min.js" in html


def test_missing_translation_falls_back_and_says_so(client: Any, published_tour: Any) -> None:
    html = client.get("/ko/tours/citadel/1").get_data(as_text=True)
    assert '<span lang="vi">Cổng</span>' in html
    assert '<section class="narration" lang="vi">' in html
    assert "한국어" in html and "베트남어" in html  # "Korean", "Vietnamese" named in Korean


def test_no_fallback_notice_when_translated(client: Any, published_tour: Any) -> None:
    assert "fallback-notice" not in client.get("/en/tours/citadel/1").get_data(as_text=True)


def test_unknown_tour_and_stop_are_translated_404s(client: Any, published_tour: Any) -> None:
    for url in ("/fr/tours/nowhere/", "/fr/tours/citadel/3", "/fr/tours/citadel/0"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.get_data(as_text=True)


def test_pages_work_without_javascript(client: Any, published_tour: Any) -> None:
    html = client.get("/vi/tours/citadel/1").get_data(as_text=True)
    assert "<noscript" not in html  # nothing hidden behind scripts: text, poster and links are HTML
    assert '<img slot="poster"' in html
