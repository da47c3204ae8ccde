"""The tourist's pages: catalogue, tour overview and stop, server-rendered."""

from __future__ import annotations

import io
import json
import re
from html import unescape
from typing import Any

import pytest


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
    assert f'<img class="poster" src="/media/{ready_asset.poster_key}"' in html
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
    # The notice is in the visitor's language, marked so, and names both languages in Korean.
    notice = re.search(r'<p class="fallback-notice" role="note" lang="ko">([^<]*)</p>', html)
    assert notice and "한국어" in notice.group(1) and "베트남어" in notice.group(1)
    catalogue = client.get("/ko/").get_data(as_text=True)
    assert '<p class="fallback-notice" role="note" lang="ko">' in catalogue


def test_no_fallback_notice_when_translated(client: Any, published_tour: Any) -> None:
    assert "fallback-notice" not in client.get("/en/tours/citadel/1").get_data(as_text=True)


def test_unknown_tour_and_stop_are_translated_404s(client: Any, published_tour: Any) -> None:
    for url in ("/fr/tours/nowhere/", "/fr/tours/citadel/3", "/fr/tours/citadel/0"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/vi/tours/a%00b/",
        "/vi/tours/a%00b/1",
        "/vi/tours/a%00b/offline.json",
        "/vi/tours/a%00b/qr",
        "/s/a%00b/1",
        "/api/v1/tours/a%00b",
        "/vi/tours/Citadel/",
        "/vi/tours/" + "a" * 81 + "/",
        "/vi/tours/citadel/99999999999999999999999",
        "/vi/tours/citadel/qr/99999999999999999999999.svg",
    ],
)
def test_impossible_addresses_are_404_on_every_database(
    client: Any, published_tour: Any, url: str
) -> None:
    """A slug no tour can have (NUL byte, capitals, too long) or a number too large for the
    database is simply not found; PostgreSQL would refuse such values in a query."""
    assert client.get(url).status_code == 404


def test_pages_work_without_javascript(client: Any, published_tour: Any) -> None:
    html = client.get("/vi/tours/citadel/1").get_data(as_text=True)
    assert "<noscript" not in html  # nothing hidden behind scripts: text, poster and links are HTML
    assert '<img class="poster"' in html


def test_catalogue_cards_show_length_and_language_names(client: Any, published_tour: Any) -> None:
    html = client.get("/en/").get_data(as_text=True)
    assert "2 stops" in html
    assert "about 2 minutes" in html
    assert "Languages: English, Vietnamese" in html


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("?q=hue", True),  # accents and case ignored: matches "Huế" / "Hue"
        ("?q=CITADEL", True),
        ("?q=kinh+thanh", True),  # Vietnamese title, without its accents
        ("?q=pagoda", False),
        ("?language=vi", True),
        ("?language=ko", True),  # not a language of any tour: ignored, all tours shown
        ("?site=hue", True),
        ("?q=citadel&language=en&site=hue", True),
    ],
)
def test_catalogue_search_and_filters_work_without_javascript(
    client: Any, published_tour: Any, query: str, found: bool
) -> None:
    html = client.get(f"/en/{query}").get_data(as_text=True)
    assert ('href="/en/tours/citadel/"' in html) is found
    if not found:
        assert "No tour matches your search." in html
    assert '<form class="search" method="get"' in html


def test_catalogue_filter_choices_list_languages_and_sites(
    client: Any, published_tour: Any
) -> None:
    html = client.get("/fr/").get_data(as_text=True)
    assert '<option value="vi">vietnamien</option>' in html
    assert '<option value="en">anglais</option>' in html
    assert '<option value="hue">Huế</option>' in html  # no French name: the default


def test_tour_overview_offers_start_offline_and_qr(client: Any, published_tour: Any) -> None:
    html = client.get("/en/tours/citadel/").get_data(as_text=True)
    assert 'class="button" href="/en/tours/citadel/1">Start the tour' in html
    assert 'href="/en/tours/citadel/qr"' in html
    assert 'data-pack="/en/tours/citadel/offline.json"' in html
    assert 'id="save-offline"' in html


def test_stop_page_offers_ar_and_text_mode(client: Any, published_tour: Any) -> None:
    html = client.get("/en/tours/citadel/2").get_data(as_text=True)
    assert 'ar ar-modes="webxr scene-viewer quick-look"' in html
    assert 'href="/en/tours/citadel/2?mode=text"' in html
    assert 'rel="prev" href="/en/tours/citadel/1"' in html
    assert "data-save-data" not in html


def test_text_mode_is_server_rendered(client: Any, published_tour: Any, ready_asset: Any) -> None:
    html = client.get("/en/tours/citadel/1?mode=text").get_data(as_text=True)
    assert "<model-viewer" not in html and "viewer.js" not in html
    assert f'src="/media/{ready_asset.poster_key}" alt="Model of The gate"' in html
    assert "<strong><span>Roof</span></strong> — <span>Tiled roof.</span>" in html
    assert "<p>Narration of <strong>The gate</strong>.</p>" in html
    assert 'rel="next" href="/en/tours/citadel/2?mode=text"' in html
    assert 'href="/en/tours/citadel/1">Show the 3D model' in html
    assert 'hreflang="fr" lang="fr">' in html and 'href="/fr/tours/citadel/1?mode=text"' in html


def test_save_data_header_is_passed_to_the_viewer(client: Any, published_tour: Any) -> None:
    html = client.get("/en/tours/citadel/1", headers={"Save-Data": "on"}).get_data(as_text=True)
    assert 'data-save-data="on"' in html


@pytest.fixture
def tour_with_audio(db: Any, store: Any, published_tour: Any) -> Any:
    """``published_tour`` with English audio and captions on its first stop, republished."""
    from tours.models import StopAudio
    from tours.publishing import publish_tour

    audio = store.put_content("audio", io.BytesIO(b"ID3" + bytes(2000)), "mp3", "audio/mpeg")
    captions = store.put_content(
        "captions", io.BytesIO(b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n"), "vtt", "text/vtt"
    )
    published_tour.stops[0].audio = [
        StopAudio(locale="en", audio_key=audio, content_type="audio/mpeg", captions_key=captions)
    ]
    db.commit()
    publish_tour(db, published_tour)
    return audio, captions


def test_stop_audio_in_the_visitors_language(client: Any, tour_with_audio: Any) -> None:
    audio, captions = tour_with_audio
    html = client.get("/en/tours/citadel/1").get_data(as_text=True)
    assert f'<source src="/media/{audio}" type="audio/mpeg">' in html
    assert (
        f'<track kind="captions" src="/media/{captions}" srclang="en" label="English" default>'
        in html
    )
    assert "<audio" not in client.get("/vi/tours/citadel/1").get_data(as_text=True)
    assert "<audio" not in client.get("/en/tours/citadel/2").get_data(as_text=True)


def test_language_menu_is_compact_and_keeps_real_links(client: Any, published_tour: Any) -> None:
    html = client.get("/ja/tours/citadel/1").get_data(as_text=True)
    assert '<details class="language-menu">' in html
    for code in ("vi", "en", "fr", "zh", "ko", "ja"):
        assert f'<a href="/{code}/tours/citadel/1" hreflang="{code}" lang="{code}"' in html


def test_viewer_speaks_the_visitors_language(client: Any, published_tour: Any) -> None:
    html = client.get("/fr/tours/citadel/1").get_data(as_text=True)
    words = json.loads(unescape(re.search(r' a11y="([^"]*)"', html).group(1)))  # type: ignore[union-attr]
    assert words["front"] == "Vue : de face, à hauteur des yeux"
    assert words["upper-back"] == "Vue : de dos, d’en haut"
    assert len(words) == 13 and "flèches" in words["interaction-prompt"]


@pytest.mark.parametrize(("report_format", "offered"), [("glb", True), ("stl", False)])
def test_real_size_is_offered_when_the_units_are_known(
    client: Any, db: Any, draft_tour: Any, ready_asset: Any, report_format: str, offered: bool
) -> None:
    from tours.publishing import publish_tour

    ready_asset.report = {**ready_asset.report, "format": report_format}
    db.commit()
    publish_tour(db, draft_tour)
    html = client.get("/fr/tours/citadel/1").get_data(as_text=True)
    sentence = 'data-text="Largeur %(width)s, hauteur %(height)s, profondeur %(depth)s"'
    assert (sentence in html) is offered
    assert ('id="show-size"' in html) is offered
