"""The studio's panorama stop editor: start view, hotspots and links, by the live viewer's
JSON requests and by plain forms; hostile values get a code and a sentence, never a 500."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest

JSON = {"Accept": "application/json"}


def _url(tour: Any, stop: Any, tail: str) -> str:
    return f"/studio/tours/{tour.id}/stops/{stop.id}/{tail}"


def test_editor_mounts_the_live_viewer(curator: Any, panorama_tour: Any) -> None:
    courtyard = panorama_tour.stops[2]
    html = curator.get(_url(panorama_tour, courtyard, "")[:-1] + "?lang=en").get_data(as_text=True)
    assert '<figure id="stop-panorama"' in html
    assert "/static/js/studio/panorama-editor.js" in html and "<model-viewer" not in html
    found = re.search(r'<script type="application/json" id="panorama-config">(.*?)</script>', html)
    assert found
    config = json.loads(unescape(found.group(1)))
    assert config["view"] == {"yaw": 30.0, "pitch": -5.0, "fov": 70.0}
    assert config["links"][0]["href"] == f"/studio/tours/{panorama_tour.id}/preview/en/4"
    # A draft has no public panorama.json: the preview's own one.
    assert config["links"][0]["config"] == (
        f"/studio/tours/{panorama_tour.id}/preview/en/4/panorama.json"
    )
    assert [spot["label"] for spot in config["hotspots"]] == ["Stele"]
    assert 'id="link-target"' in html and "Place a link" in html
    model_stop = curator.get(_url(panorama_tour, panorama_tour.stops[0], "")[:-1])
    assert 'id="stop-panorama"' not in model_stop.get_data(as_text=True)


def test_start_view_from_the_viewer_and_from_the_form(
    curator: Any, db: Any, panorama_tour: Any
) -> None:
    courtyard = panorama_tour.stops[2]
    url = _url(panorama_tour, courtyard, "panorama/view")
    answer = curator.post(url, data={"yaw": "200", "pitch": "-12.5", "fov": "65"}, headers=JSON)
    assert answer.status_code == 200
    assert answer.get_json() == {"view": {"yaw": -160.0, "pitch": -12.5, "fov": 65.0}}
    form = curator.post(url, data={"yaw": "10", "pitch": "0", "fov": "85"})
    assert form.status_code == 302
    db.refresh(courtyard)
    assert courtyard.panorama_view == {"yaw": 10.0, "pitch": 0.0, "fov": 85.0}


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"yaw": "nan", "pitch": "0", "fov": "75"},
        {"yaw": "0", "pitch": "inf", "fov": "75"},
        {"yaw": "1e309", "pitch": "0", "fov": "75"},
        {"yaw": "0", "pitch": "0", "fov": "0"},
        {"yaw": "0" * 100_000, "pitch": "-", "fov": "75"},
        {"yaw": "0\x00", "pitch": "0", "fov": "75"},
        {"yaw": "١٢", "pitch": "0", "fov": "75"},
    ],
)
def test_hostile_views_are_refused_with_a_code(
    curator: Any, db: Any, panorama_tour: Any, data: dict[str, str]
) -> None:
    courtyard = panorama_tour.stops[2]
    url = _url(panorama_tour, courtyard, "panorama/view")
    answer = curator.post(url, data=data, headers=JSON)
    if answer.status_code == 200:  # Python reads some digits of other scripts as numbers
        assert data["yaw"] == "١٢" and answer.get_json()["view"]["yaw"] == 12.0
        return
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["code"] == "invalid_view" and "degrees" in error["message"]
    form = curator.post(url, data=data, follow_redirects=True)
    assert form.status_code == 200 and "pitch from −90 to 90" in form.get_data(as_text=True)
    db.refresh(courtyard)
    assert courtyard.panorama_view == {"yaw": 30.0, "pitch": -5.0, "fov": 70.0}


def test_hotspots_and_links_are_placed_by_direction(
    curator: Any, db: Any, panorama_tour: Any
) -> None:
    courtyard, hall = panorama_tour.stops[2:]
    url = _url(panorama_tour, courtyard, "panorama/hotspots")
    spot = curator.post(url, data={"yaw": "15", "pitch": "-3", "lang": "en"}, headers=JSON)
    assert spot.status_code == 200
    placed = spot.get_json()["hotspot"]
    assert (placed["yaw"], placed["pitch"], placed["link"]) == (15.0, -3.0, None)
    link = curator.post(
        url,
        data={"yaw": "-90", "pitch": "0", "link": str(panorama_tour.stops[0].id), "lang": "en"},
        headers=JSON,
    )
    assert link.get_json()["hotspot"]["link"] == panorama_tour.stops[0].id
    # a plain form, with a label in the editing language
    form = curator.post(
        url, data={"yaw": "120", "pitch": "5", "link": str(hall.id), "label": "Hall", "lang": "en"}
    )
    assert form.status_code == 302 and "#hotspot-" in form.headers["Location"]
    db.refresh(courtyard)
    assert [(h.yaw, h.link_stop_id) for h in courtyard.hotspots][2:] == [
        (15.0, None),
        (-90.0, panorama_tour.stops[0].id),
        (120.0, hall.id),
    ]
    assert courtyard.hotspots[-1].texts[0].label == "Hall"
    # the same hotspot made a plain one again, then a link to the hall
    hotspot = courtyard.hotspots[2]
    link_url = _url(panorama_tour, courtyard, f"hotspots/{hotspot.id}/link")
    assert curator.post(link_url, data={"link": str(hall.id)}, headers=JSON).get_json() == {
        "hotspot": {"id": hotspot.id, "link": hall.id}
    }
    assert curator.post(link_url, data={"link": ""}).status_code == 302
    db.refresh(hotspot)
    assert hotspot.link_stop_id is None


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"yaw": "x", "pitch": "0"}, "invalid_hotspot"),
        ({"yaw": "0", "pitch": "95"}, "invalid_hotspot"),
        ({"yaw": "0", "pitch": "0", "link": "abc"}, "invalid_link"),
        ({"yaw": "0", "pitch": "0", "link": "99999999999999999999"}, "invalid_link"),
        ({"yaw": "0", "pitch": "0", "link": "-1"}, "invalid_link"),
        ({"yaw": "0", "pitch": "0", "link": "SELF"}, "invalid_link"),
        ({"yaw": "0", "pitch": "0", "link": "OTHER_TOUR"}, "invalid_link"),
        ({"yaw": "0", "pitch": "0", "label": "x" * 121, "lang": "en"}, "hotspot_label_too_long"),
    ],
)
def test_hostile_hotspots_are_refused_with_a_code(
    curator: Any, db: Any, panorama_tour: Any, data: dict[str, str], code: str
) -> None:
    from tours.models import Hotspot, Stop, Tour

    courtyard = panorama_tour.stops[2]
    if data.get("link") == "SELF":
        data = {**data, "link": str(courtyard.id)}
    if data.get("link") == "OTHER_TOUR":
        other = Tour(slug="elsewhere", default_locale="en")
        other.stops = [Stop(position=0)]
        db.add(other)
        db.commit()
        data = {**data, "link": str(other.stops[0].id)}
    before = db.query(Hotspot).count()
    url = _url(panorama_tour, courtyard, "panorama/hotspots")
    answer = curator.post(url, data=data, headers=JSON)
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == code
    assert answer.get_json()["error"]["message"] != code  # a sentence, not the code
    if code != "hotspot_label_too_long":  # the hotspot is made before its text is refused
        assert db.query(Hotspot).count() == before


def test_panorama_routes_refuse_a_model_stop(curator: Any, panorama_tour: Any) -> None:
    gate = panorama_tour.stops[0]
    for tail, data in (
        ("panorama/view", {"yaw": "0", "pitch": "0", "fov": "75"}),
        ("panorama/hotspots", {"yaw": "0", "pitch": "0"}),
        (f"hotspots/{gate.hotspots[0].id}/link", {"link": ""}),
    ):
        answer = curator.post(_url(panorama_tour, gate, tail), data=data, headers=JSON)
        assert answer.status_code == 400
        assert answer.get_json()["error"]["code"] == "not_a_panorama_stop"


def test_asset_page_shows_the_panorama_report(curator: Any, db: Any, panorama_asset: Any) -> None:
    panorama_asset.report = {
        **panorama_asset.report,
        "panorama": {
            **panorama_asset.report["panorama"],
            "source": {"width": 6000, "height": 3000, "format": "jpeg"},
            "field_of_view": {"horizontal": 360.0, "vertical": 180.0},
            "tiles": {"count": 10, "bytes": 5000},
            "corrections": ["cmyk_converted", "icc_converted", "gpano_placed"],
        },
    }
    db.commit()
    html = curator.get(f"/studio/models/{panorama_asset.id}").get_data(as_text=True)
    assert "6,000 × 3,000 pixels (JPEG)" in html
    assert "360.0° across, 180.0° up and down" in html
    assert "10 tiles in 2 levels, up to 1,024 pixels around" in html
    assert "The image was in CMYK; it was converted to RGB for screens." in html
    assert "The image&#39;s colour profile was converted to sRGB." in html
    assert "it was placed on a full panorama" in html
    vi = curator.get(f"/studio/models/{panorama_asset.id}", headers={"Accept-Language": "vi"})
    assert vi.status_code == 200


def test_stop_model_list_marks_panoramas(curator: Any, panorama_tour: Any) -> None:
    html = curator.get(_url(panorama_tour, panorama_tour.stops[0], "")[:-1]).get_data(as_text=True)
    assert "courtyard.jpg (360° panorama)" in html


def test_preview_keeps_the_links_in_the_preview(curator: Any, panorama_tour: Any) -> None:
    html = curator.get(f"/studio/tours/{panorama_tour.id}/preview/en/3").get_data(as_text=True)
    found = re.search(r'<script type="application/json" id="panorama-config">(.*?)</script>', html)
    assert found
    link = json.loads(unescape(found.group(1)))["links"][0]
    assert link == {
        "id": "l1",
        "yaw": 90.0,
        "pitch": 0.0,
        "label": "Into the hall",
        "href": f"/studio/tours/{panorama_tour.id}/preview/en/4",
        "config": f"/studio/tours/{panorama_tour.id}/preview/en/4/panorama.json",
    }
    assert f'<a href="/studio/tours/{panorama_tour.id}/preview/en/4">' in html


def test_preview_gives_the_draft_panorama_json(
    curator: Any, client: Any, panorama_tour: Any
) -> None:
    """What a link followed inside a headset loads in the preview: the draft's configuration,
    as the tourist's panorama.json gives it (tiles, preview, hotspots, links)."""
    url = f"/studio/tours/{panorama_tour.id}/preview/en/3/panorama.json"
    config = curator.get(url).get_json()
    page = curator.get(f"/studio/tours/{panorama_tour.id}/preview/en/3").get_data(as_text=True)
    found = re.search(r'<script type="application/json" id="panorama-config">(.*?)</script>', page)
    assert found and json.loads(unescape(found.group(1))) == config
    assert config["tiles"]["levels"] and config["preview"] and config["equirect"]
    assert [spot["label"] for spot in config["hotspots"]] == ["Stele"]
    assert config["links"][0]["config"].endswith("/preview/en/4/panorama.json")
    assert (
        curator.get(f"/studio/tours/{panorama_tour.id}/preview/en/1/panorama.json").status_code
        == 404
    )
    assert (
        curator.get(f"/studio/tours/{panorama_tour.id}/preview/xx/3/panorama.json").status_code
        == 404
    )
    assert client.get(url).status_code in (302, 401, 403)
