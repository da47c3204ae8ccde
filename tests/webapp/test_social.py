"""Tour and stop pages describe themselves to other sites: Open Graph and Twitter card tags
with the poster as an absolute image, and schema.org JSON-LD (TouristTrip, TouristAttraction
with its 3DModel and licence) that curator text cannot break out of."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest

BY = "https://creativecommons.org/licenses/by/4.0/"
BASE = "https://tours.example.org"


class _Head(HTMLParser):
    """The meta tags and JSON-LD scripts of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.scripts: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("property") or values.get("name", "")).startswith(
            ("og:", "twitter:")
        ):
            self.meta.append(
                (values.get("property") or values["name"] or "", values["content"] or "")
            )
        self._in_ld = tag == "script" and values.get("type") == "application/ld+json"
        if self._in_ld:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.scripts[-1] += data


def _head(page: str) -> _Head:
    parser = _Head()
    parser.feed(page)
    return parser


@pytest.fixture
def shared_tour(app: Any, db: Any, draft_tour: Any) -> Any:
    """``draft_tour`` with rights on its model, published, on a configured public address."""
    from tours.publishing import publish_tour
    from tours.rights import check_rights, set_rights

    app.config["PUBLIC_URL"] = BASE + "/"
    set_rights(db, draft_tour.stops[0].model, check_rights(BY, "Scan: Hue team", "Hue team"))
    publish_tour(db, draft_tour)
    return draft_tour


def test_tour_page_open_graph_and_tourist_trip(client: Any, shared_tour: Any) -> None:
    head = _head(client.get("/en/tours/citadel/").get_data(as_text=True))
    meta = dict(head.meta)
    poster = shared_tour.stops[0].model.poster_key
    assert meta["og:title"] == meta["twitter:title"] == "The Citadel"
    assert meta["og:description"] == "A walk through."
    assert meta["og:url"] == f"{BASE}/en/tours/citadel/"
    assert meta["og:image"] == meta["twitter:image"] == f"{BASE}/media/{poster}"
    assert meta["og:locale"] == "en_US"
    assert [v for k, v in head.meta if k == "og:locale:alternate"] == [
        "vi_VN",
        "fr_FR",
        "zh_CN",
        "ko_KR",
        "ja_JP",
    ]
    assert meta["twitter:card"] == "summary_large_image"
    (script,) = head.scripts
    data = json.loads(script)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "TouristTrip"
    assert data["name"] == "The Citadel"
    assert data["url"] == f"{BASE}/en/tours/citadel/"
    items = data["itinerary"]["itemListElement"]
    assert [item["item"]["url"] for item in items] == [
        f"{BASE}/en/tours/citadel/1",
        f"{BASE}/en/tours/citadel/2",
    ]
    assert [item["item"]["name"] for item in items] == ["The gate", "The tower"]


def test_stop_page_tourist_attraction_with_its_licensed_3d_model(
    client: Any, shared_tour: Any
) -> None:
    head = _head(client.get("/vi/tours/citadel/1").get_data(as_text=True))
    meta = dict(head.meta)
    assert meta["og:title"] == "Cổng · Kinh thành"
    assert meta["og:description"] == "Mô hình Cổng"
    assert meta["og:image:alt"] == "Mô hình Cổng"
    assert meta["og:url"] == f"{BASE}/vi/tours/citadel/1"
    data = json.loads(head.scripts[0])
    assert data["@type"] == "TouristAttraction"
    assert data["isPartOf"] == {
        "@type": "TouristTrip",
        "name": "Kinh thành",
        "url": f"{BASE}/vi/tours/citadel/",
    }
    model = data["subjectOf"]
    assert model["@type"] == "3DModel"
    assert model["license"] == BY
    assert model["creditText"] == "Scan: Hue team"
    assert model["creator"] == {"@type": "Organization", "name": "Hue team"}
    assert model["encodingFormat"] == "model/gltf-binary"
    assert model["contentUrl"].startswith(f"{BASE}/media/models/")
    assert "audio" not in data  # no Vietnamese audio on this stop
    # The second stop's model is the same asset, with the same licence.
    second = json.loads(_head(client.get("/vi/tours/citadel/2").get_data(as_text=True)).scripts[0])
    assert second["subjectOf"]["license"] == BY


def test_curator_text_cannot_break_out_of_the_json_ld(
    client: Any, db: Any, draft_tour: Any
) -> None:
    from tours.publishing import publish_tour

    hostile = '</script><script>alert("x")</script><!-- & \' "'
    english = next(t for t in draft_tour.stops[0].texts if t.locale == "en")
    english.title = hostile
    english.model_alt = hostile
    next(t for t in draft_tour.texts if t.locale == "en").summary = hostile
    db.commit()
    publish_tour(db, draft_tour)
    for path in ("/en/tours/citadel/", "/en/tours/citadel/1"):
        page = client.get(path).get_data(as_text=True)
        assert '<script>alert("x")' not in page
        assert len(re.findall(r"<script\b", page)) == len(re.findall(r"</script>", page))
        head = _head(page)
        data = json.loads(head.scripts[0])
        if path.endswith("/1"):
            assert data["name"] == hostile
            assert dict(head.meta)["og:description"] == hostile
        else:
            assert data["description"] == hostile
            assert data["itinerary"]["itemListElement"][0]["item"]["name"] == hostile


def test_stop_audio_is_described_with_its_licence(
    client: Any, db: Any, store: Any, shared_tour: Any, narration_audio: Any
) -> None:
    import io

    from tours.publishing import publish_tour
    from tours.rights import check_rights, set_rights
    from tours.stopmedia import set_audio

    stop = shared_tour.stops[0]
    set_audio(db, store, stop, "en", io.BytesIO(narration_audio()), None, 10_000)
    inc = "http://rightsstatements.org/vocab/InC/1.0/"
    set_rights(db, stop.audio[0], check_rights(inc, "Voice: Mai"))
    publish_tour(db, shared_tour)
    data = json.loads(_head(client.get("/en/tours/citadel/1").get_data(as_text=True)).scripts[0])
    assert data["audio"] == {
        "@type": "AudioObject",
        "contentUrl": f"{BASE}/media/{stop.audio[0].audio_key}",
        "encodingFormat": "audio/mpeg",
        "inLanguage": "en",
        "license": inc,
        "creditText": "Voice: Mai",
    }
