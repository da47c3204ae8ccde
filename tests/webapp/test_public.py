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


def test_fallback_follows_accept_language_before_the_tour_default(
    client: Any, published_tour: Any
) -> None:
    accept = {"Accept-Language": "ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7"}
    response = client.get("/ja/tours/citadel/1", headers=accept)
    html = response.get_data(as_text=True)
    assert "Accept-Language" in response.headers["Vary"]
    assert '<span lang="en">The gate</span>' in html and "Cổng" not in html
    assert '<section class="narration" lang="en">' in html
    notice = re.search(r'<p class="fallback-notice" role="note" lang="ja">([^<]*)</p>', html)
    assert notice and "日本語" in notice.group(1) and "英語" in notice.group(1)
    # Without English among the visitor's languages, the tour's default is used.
    html = client.get("/ja/tours/citadel/1", headers={"Accept-Language": "ja"}).get_data(
        as_text=True
    )
    assert '<span lang="vi">Cổng</span>' in html
    overview = client.get("/ja/tours/citadel/", headers=accept)
    assert "Accept-Language" in overview.headers["Vary"]
    assert "The Citadel" in overview.get_data(as_text=True)
    catalogue = client.get("/ja/", headers=accept)
    assert "Accept-Language" in catalogue.headers["Vary"]
    assert "The Citadel" in catalogue.get_data(as_text=True)


def test_pages_not_chosen_by_accept_language_do_not_vary_on_it(
    client: Any, published_tour: Any
) -> None:
    assert "Accept-Language" in client.get("/ja/tours/citadel/1").headers["Vary"]
    response = client.get("/sw.js", headers={"Accept-Language": "ja"})
    assert "Accept-Language" not in response.headers.get("Vary", "")


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
    roof = '<strong><span>Roof</span></strong>\n      <div class="hotspot-body"><p>Tiled roof.</p>'
    assert roof in html
    assert "<p>Narration of <strong>The gate</strong>.</p>" in html
    assert 'rel="next" href="/en/tours/citadel/2?mode=text"' in html
    assert 'href="/en/tours/citadel/1">Show the 3D model' in html
    assert 'hreflang="fr" lang="fr">' in html and 'href="/fr/tours/citadel/1?mode=text"' in html


@pytest.mark.parametrize("query", ["", "?mode=text"])
def test_hotspot_text_is_markdown_like_the_narration(
    client: Any, db: Any, draft_tour: Any, query: str
) -> None:
    from tours.publishing import publish_tour

    body = "**Blend** of lime and *sand*. <script>alert(1)</script>"
    draft_tour.stops[0].hotspots[0].texts[1].body = body
    db.commit()
    publish_tour(db, draft_tour)
    html = client.get(f"/en/tours/citadel/1{query}").get_data(as_text=True)
    details = re.search(r'<ol class="hotspot-list">(.*?)</ol>', html, re.S)
    assert details, "no list of details"
    assert "<strong>Blend</strong> of lime and <em>sand</em>." in details.group(1)
    assert "**Blend**" not in html and "<script>alert(1)" not in html


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


@pytest.fixture
def second_tour_at_the_site(db: Any, ready_asset: Any) -> Any:
    """Another published tour at the same site (Huế), and one at another site."""
    from tours.models import Stop, StopText, Tour, TourText
    from tours.publishing import publish_tour

    made = []
    for slug, site, title in (("palace", "Huế", "The palace"), ("hoi-an", "Hội An", "Old town")):
        tour = Tour(slug=slug, default_locale="vi")
        tour.texts = [
            TourText(locale="vi", title=title, summary="Một chuyến.", site_name=site),
            TourText(locale="en", title=title, summary="Another walk.", site_name=site),
        ]
        stop = Stop(position=0, model_asset_id=ready_asset.id)
        stop.texts = [
            StopText(locale=locale, title="Hall", narration="N.", model_alt="A hall")
            for locale in ("vi", "en")
        ]
        tour.stops.append(stop)
        db.add(tour)
        db.commit()
        publish_tour(db, tour)
        made.append(tour)
    return made


def test_last_stop_leads_to_the_end_of_the_tour(client: Any, published_tour: Any) -> None:
    last = client.get("/en/tours/citadel/2").get_data(as_text=True)
    assert 'rel="next" class="end-link" href="/en/tours/citadel/end">End of the tour</a>' in last
    first = client.get("/en/tours/citadel/1").get_data(as_text=True)
    assert "/en/tours/citadel/end" not in first
    text = client.get("/en/tours/citadel/2?mode=text").get_data(as_text=True)
    assert 'href="/en/tours/citadel/end?mode=text"' in text


def test_end_of_tour_page(
    app: Any, client: Any, published_tour: Any, second_tour_at_the_site: Any
) -> None:
    app.config["PUBLIC_URL"] = "https://tours.example.org"
    response = client.get("/en/tours/citadel/end")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>End of the tour</h1>" in html
    assert "You have seen all 2 stops of “The Citadel”, about " in html
    seen = re.search(r'<section class="seen".*?</section>', html, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', seen) == ["/en/tours/citadel/1", "/en/tours/citadel/2"]
    assert 'class="button" href="/en/tours/citadel/1">Back to the start' in html
    # Other tours at the same site (the site's name matched in the tour's language), only.
    more = re.search(r'<section class="more-tours".*?</section>', html, re.S).group(0)
    assert "More tours at Hue" in more
    assert re.findall(r'href="([^"]+)"', more) == ["/en/tours/palace/"]
    # Sharing: the short link on the public address, which opens in each visitor's language.
    assert 'id="share-url" type="url" value="https://tours.example.org/s/citadel/"' in html
    assert 'id="share-button" hidden' in html and 'id="copy-link" hidden' in html
    assert re.search(r'src="/static/js/share\.js\?v=\w+"', html)


def test_end_of_tour_page_is_translated_and_keeps_text_mode(
    client: Any, published_tour: Any
) -> None:
    html = client.get("/fr/tours/citadel/end?mode=text").get_data(as_text=True)
    assert "<h1>Fin de la visite</h1>" in html
    assert 'href="/fr/tours/citadel/1?mode=text">' in html
    assert "more-tours" not in html  # no other tour at this site
    assert client.get("/fr/tours/nowhere/end").status_code == 404


def test_end_page_only_uses_static_urls_of_the_offline_pack(
    client: Any, published_tour: Any
) -> None:
    pack = set(client.get("/en/tours/citadel/offline.json").get_json()["urls"])
    assert {"/en/tours/citadel/end", "/en/tours/citadel/end?mode=text"} <= pack
    html = client.get("/en/tours/citadel/end").get_data(as_text=True)
    for url in re.findall(r'"(/static/[^"]+)"', html):
        assert url in pack, url


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
