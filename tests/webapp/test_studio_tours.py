"""The tour editor through HTTP: create, texts, stops, camera and poster, hotspots, audio,
narration preview, translation matrix, publish checks, preview as a tourist, bundles."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import quote

from tours.models import StopText, Tour
from tours.narration import render_narration


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (120, 60, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_build_and_publish_a_tour(curator: Any, db: Any, store: Any, ready_asset: Any) -> None:
    created = curator.post(
        "/studio/tours/new", data={"slug": "dai-noi", "default_locale": "vi", "title": "Đại Nội"}
    )
    assert created.status_code == 302
    tour = db.query(Tour).filter_by(slug="dai-noi").one()
    base = f"/studio/tours/{tour.id}"
    assert curator.post(f"{base}/languages", data={"language": "EN"}).status_code == 302
    curator.post(
        f"{base}/texts/en", data={"title": "Imperial City", "summary": "S", "site_name": "Huế"}
    )
    curator.post(
        f"{base}/settings",
        data={"default_locale": "vi", "latitude": "16.47", "longitude": "107.58"},
    )
    # Publishing now says what is missing, in the curator's language.
    refused = curator.post(f"{base}/publish", follow_redirects=True).get_data(as_text=True)
    assert "The tour has no stops." in refused
    for _ in range(2):
        curator.post(f"{base}/stops", data={"model": str(ready_asset.id)})
    db.expire_all()
    first, second = tour.stops
    refused = curator.post(f"{base}/publish", follow_redirects=True).get_data(as_text=True)
    assert "Stop 1 has no narration in the default language." in refused
    assert "Stop 2 has no narration in the default language." in refused
    for stop, (vi, en) in zip(
        tour.stops, [("Ngọ Môn", "Noon Gate"), ("Điện", "Hall")], strict=True
    ):
        curator.post(
            f"{base}/stops/{stop.id}/texts/vi", data={"title": vi, "narration": f"**{vi}**"}
        )
        curator.post(f"{base}/stops/{stop.id}/texts/en", data={"title": en, "narration": f"*{en}*"})
    camera = curator.post(
        f"{base}/stops/{first.id}/camera",
        data={
            "orbit": "20.00deg 70.00deg 2.5000m",
            "target": "0.0000m 0.3000m 0.0000m",
            "field_of_view": "30.00deg",
            "half_width": "1.20000",
            "half_height": "0.60000",
            "poster": (io.BytesIO(_png()), "poster.png"),
        },
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert camera.status_code == 200, camera.json
    assert camera.json["camera"]["orbit"] == "20.00deg 70.00deg 2.5000m"
    assert camera.json["camera"]["framing"] == {"half_width": 1.2, "half_height": 0.6}
    db.expire_all()  # the posters job ran (jobs are immediate here): drawn at this camera
    assert sorted(first.posters) == ["og-1200", "phone-412", "phone-824", "wide-1274", "wide-637"]
    from models3d.glb import glb_json

    ar_doc = glb_json(store.read(first.ar_key))  # the AR file: plain glTF, readable by AR apps
    assert "EXT_meshopt_compression" not in ar_doc.get("extensionsUsed", [])
    assert camera.json["poster"].startswith("posters/")
    spot = curator.post(
        f"{base}/stops/{first.id}/hotspots",
        data={"position": "0.1m 0.2m 0.3m", "normal": "0 0 1", "lang": "vi", "label": "Mái"},
        headers={"Accept": "application/json"},
    )
    assert spot.status_code == 200
    spot_id = spot.json["hotspot"]["id"]
    curator.post(f"{base}/stops/{first.id}/hotspots/{spot_id}/texts/en", data={"label": "Roof"})
    # Move the second stop up without JavaScript, then back with the drag-and-drop endpoint.
    curator.post(f"{base}/stops/{second.id}/move", data={"direction": "up"})
    db.expire_all()
    assert [s.id for s in tour.stops] == [second.id, first.id]
    order = curator.post(f"{base}/stops/order", json={"stops": [first.id, second.id]})
    assert order.json == {"stops": [first.id, second.id]}
    published = curator.post(f"{base}/publish", follow_redirects=True).get_data(as_text=True)
    assert "Published revision 1." in published
    from tours.catalogue import published_tour

    for lang, title, label in [("vi", "Ngọ Môn", "Mái"), ("en", "Noon Gate", "Roof")]:
        view = published_tour(db, "dai-noi", lang)
        assert view.stops[0].title.text == title
        assert view.stops[0].hotspots[0].label.text == label
        assert view.stops[0].poster_key == camera.json["poster"]
        page = curator.get(f"/{lang}/tours/dai-noi/1")
        assert page.status_code == 200 and title in page.get_data(as_text=True)
        framing = "{&#34;half_height&#34;: 0.6, &#34;half_width&#34;: 1.2}"
        html = page.get_data(as_text=True)
        assert f'data-framing="{framing}"' in html
        phone = (
            f"/media/{first.posters['phone-412']} 412w, /media/{first.posters['phone-824']} 824w"
        )
        assert f'srcset="{phone}"' in html
        og = f"http://localhost/media/{first.posters['og-1200']}"
        assert f'<meta property="og:image" content="{og}">' in html
        assert 'ar-modes="webxr quick-look"' in html
        ar_file = quote(f"http://localhost/media/{first.ar_key}", safe="/")
        assert f'href="intent://arvr.google.com/scene-viewer/1.2?file={ar_file}&amp;' in html
    assert curator.post(f"{base}/unpublish").status_code == 302
    assert curator.get("/en/tours/dai-noi/1").status_code == 404


def test_preview_as_a_tourist_before_publishing(curator: Any, draft_tour: Any) -> None:
    base = f"/studio/tours/{draft_tour.id}/preview"
    page = curator.get(f"{base}/en/").get_data(as_text=True)
    assert "The Citadel" in page and "Preview of the draft" in page
    assert f'href="{base}/en/1"' in page  # links stay inside the preview
    assert "/en/tours/citadel/" not in page
    assert 'id="save-offline"' not in page and "/qr" not in page  # nothing to save or print yet
    stop = curator.get(f"{base}/vi/2").get_data(as_text=True)
    assert f'rel="prev" href="{base}/vi/1"' in stop
    assert f'href="{base}/vi/2?mode=text"' in stop
    assert curator.get("/en/").status_code == 200  # the public pages keep their own links
    assert "Tháp" in stop and render_narration("Lời kể **Tháp**.") in stop
    assert curator.get(f"{base}/en/9").status_code == 404
    assert curator.get(f"{base}/xx/").status_code == 404
    assert curator.get("/en/tours/citadel/").status_code == 404  # still a draft


def test_preview_renders_hotspot_markdown(curator: Any, draft_tour: Any, db: Any) -> None:
    draft_tour.stops[1].hotspots[0].texts[0].body = "Vữa **Blend**"
    db.commit()
    stop = curator.get(f"/studio/tours/{draft_tour.id}/preview/vi/2").get_data(as_text=True)
    assert '<div class="hotspot-body"><p>Vữa <strong>Blend</strong></p>' in stop


def test_narration_preview_matches_the_tourist_page(curator: Any) -> None:
    markdown = "# Hi\n\n**Ngọ Môn** <script>alert(1)</script> [x](javascript:alert(1))"
    answer = curator.post("/api/v1/narration/preview", json={"markdown": markdown})
    assert answer.json == {"html": render_narration(markdown)}
    assert "<script>" not in answer.json["html"]
    assert curator.post("/api/v1/narration/preview", json={"md": 1}).status_code == 400


def test_translation_matrix_page(curator: Any, draft_tour: Any, db: Any) -> None:
    curator.post(f"/studio/tours/{draft_tour.id}/languages", data={"language": "ko"})
    page = curator.get(f"/studio/tours/{draft_tour.id}/translations").get_data(as_text=True)
    header = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    assert [tag for tag in re.findall(r"<small>([^<]+)</small>", header)] == ["vi", "en", "ko"]
    assert page.count('class="done"') == 3 * 2 + 2 * (3 * 2 + 2 * 2)
    assert page.count('class="missing"') > 0
    # Each cell links to the field where that text is written, in that language.
    tour, stop = draft_tour.id, draft_tour.stops[1]
    spot = stop.hotspots[0].id
    for href in (
        f"/studio/tours/{tour}?lang=ko#tour-title",
        f"/studio/tours/{tour}?lang=vi#tour-site",
        f"/studio/tours/{tour}/stops/{stop.id}?lang=ko#narration",
        f"/studio/tours/{tour}/stops/{stop.id}?lang=en#stop-title",
        f"/studio/tours/{tour}/stops/{stop.id}?lang=ko#audio-file",
        f"/studio/tours/{tour}/stops/{stop.id}?lang=ko#body-{spot}",
    ):
        assert f'<a href="{href}">' in page, href
    assert "missing: write Stop 2 · Narration in Korean</span>" in page
    # The targets exist on the pages the links open.
    editor = curator.get(f"/studio/tours/{tour}/stops/{stop.id}?lang=ko").get_data(as_text=True)
    for field in ("stop-title", "narration", "model-alt", "audio-file", f"body-{spot}"):
        assert f'id="{field}"' in editor, field


def test_publishing_warns_about_incomplete_languages(
    curator: Any, draft_tour: Any, db: Any
) -> None:
    base = f"/studio/tours/{draft_tour.id}"
    page = curator.get(base).get_data(as_text=True)
    assert 'id="incomplete-languages"' not in page  # vi and en are complete
    curator.post(f"{base}/languages", data={"language": "ko"})
    draft_tour.stops[0].texts.append(
        StopText(locale="ko", title="문", narration="해설.", model_alt="모형")
    )
    db.commit()
    page = curator.get(base).get_data(as_text=True)
    # 3 tour texts, 3 of the second stop, 2 hotspot texts on each stop; audio is optional.
    assert (
        f'<a href="{base}/translations#lang-ko">Korean: {3 + 3 + 2 * 2} texts missing</a>' in page
    )
    assert 'aria-describedby="incomplete-languages"' in page
    published = curator.post(f"{base}/publish", follow_redirects=True).get_data(as_text=True)
    assert "Published revision 1." in published
    assert '<p class="flash warning">Not complete in Korean: visitors reading' in published


def test_audio_upload_checks_bytes(
    curator: Any, draft_tour: Any, db: Any, narration_audio: Any
) -> None:
    stop = draft_tour.stops[0]
    url = f"/studio/tours/{draft_tour.id}/stops/{stop.id}/audio/vi"
    fake = curator.post(
        url,
        data={"audio": (io.BytesIO(b"<html>"), "x.mp3")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Audio must be MP3, AAC or Ogg." in fake.get_data(as_text=True)
    bad_captions = curator.post(
        url,
        data={
            "audio": (io.BytesIO(narration_audio("ogg")), "a.ogg"),
            "captions": (io.BytesIO(b"1\n00:00 --> 00:01\n"), "a.srt"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Captions must be a WebVTT file" in bad_captions.get_data(as_text=True)
    curator.post(
        url,
        data={
            "audio": (io.BytesIO(narration_audio("ogg")), "a.ogg"),
            "captions": (io.BytesIO(b"WEBVTT\n"), "a.vtt"),
        },
        content_type="multipart/form-data",
    )
    db.expire_all()
    assert [(a.locale, a.content_type, bool(a.captions_key)) for a in stop.audio] == [
        ("vi", "audio/ogg", True)
    ]


def test_editor_pages_render(curator: Any, draft_tour: Any) -> None:
    stop = draft_tour.stops[0]
    tour_page = curator.get(f"/studio/tours/{draft_tour.id}?lang=en").get_data(as_text=True)
    assert 'value="The Citadel"' in tour_page and "Ready to publish." in tour_page
    stop_page = curator.get(f"/studio/tours/{draft_tour.id}/stops/{stop.id}?lang=vi")
    html = stop_page.get_data(as_text=True)
    assert "<model-viewer" in html and 'id="use-view"' in html and "Lời kể **Cổng**." in html
    assert curator.get(f"/studio/tours/{draft_tour.id}/stops/99999").status_code == 404
    assert curator.get("/studio/").status_code == 200


def test_export_and_import_through_the_studio(curator: Any, draft_tour: Any, db: Any) -> None:
    exported = curator.get(f"/studio/tours/{draft_tour.id}/bundle.zip")
    assert exported.status_code == 200 and exported.mimetype == "application/zip"
    data = exported.get_data()
    taken = curator.post(
        "/studio/import",
        data={"bundle": (io.BytesIO(data), "citadel.zip")},
        content_type="multipart/form-data",
    )
    assert taken.status_code == 409 and "Another tour already uses this slug." in taken.get_data(
        as_text=True
    )
    imported = curator.post(
        "/studio/import",
        data={"bundle": (io.BytesIO(data), "citadel.zip"), "slug": "citadel-2"},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
    assert db.query(Tour).filter_by(slug="citadel-2").one().stops[1].texts
