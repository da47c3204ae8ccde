"""The public read API for partners (travel apps, kiosks): the catalogue's filters and
distance order, texts with the language they are in, one stop as JSON (a model and a
panorama), conditional requests, CORS, the read rate limit, and hostile parameters."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

HUE = "16.4698,107.5786"
ORIGIN = {"Origin": "https://travel.example"}


@pytest.fixture
def located(db: Any, ready_asset: Any) -> list[str]:
    """Four published tours, newest last: Huế, Hội An (with a Korean title), Hà Nội, and one
    without a place; English by default, site names with accents."""
    from tours.models import Stop, StopText, Tour, TourText
    from tours.publishing import publish_tour

    places = [
        ("hue", (16.4698, 107.5786), "Huế"),
        ("hoi-an", (15.8801, 108.3380), "Hội An"),
        ("ha-noi", (21.0285, 105.8542), "Hà Nội"),
        ("nowhere", None, "Huế"),
    ]
    for slug, place, site in places:
        tour = Tour(slug=slug, default_locale="en")
        if place:
            tour.latitude, tour.longitude = place
        tour.texts = [TourText(locale="en", title=slug.title(), summary="S", site_name=site)]
        if slug == "hoi-an":
            tour.texts.append(TourText(locale="ko", title="호이안", summary="요약", site_name=""))
        stop = Stop(position=0, model_asset_id=ready_asset.id)
        stop.texts = [StopText(locale="en", title="One", narration="N", model_alt="A")]
        tour.stops.append(stop)
        db.add(tour)
        db.commit()
        publish_tour(db, tour)
    return [slug for slug, _place, _site in places]


def _slugs(response: Any) -> list[str]:
    assert response.status_code == 200, response.json
    return [item["slug"] for item in response.json["tours"]]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", ["nowhere", "ha-noi", "hoi-an", "hue"]),
        ("language=ko", ["hoi-an"]),
        ("language=ko-KR", ["hoi-an"]),
        ("language=de", []),
        ("site=HUE", ["nowhere", "hue"]),
        ("site=h%E1%BB%99i%20an", ["hoi-an"]),
        ("site=hue&q=nowhere", ["nowhere"]),
        ("site=Atlantis", []),
    ],
)
def test_tours_are_filtered_by_language_and_site(
    client: Any, located: list[str], query: str, found: list[str]
) -> None:
    assert _slugs(client.get(f"/api/v1/tours?{query}")) == found


def test_near_orders_by_distance_and_within_km_keeps_the_close_ones(
    client: Any, located: list[str]
) -> None:
    response = client.get(f"/api/v1/tours?near={HUE}")
    assert _slugs(response) == ["hue", "hoi-an", "ha-noi", "nowhere"]
    distances = [item["distance_km"] for item in response.json["tours"]]
    assert distances[0] == 0.0 and distances[3] is None
    assert 90 < distances[1] < 110 and 500 < distances[2] < 600
    assert response.json["tours"][0]["location"] == {"latitude": 16.4698, "longitude": 107.5786}
    assert response.json["tours"][3]["location"] is None
    assert response.headers["Cache-Control"] == "private, no-cache"
    near = client.get(f"/api/v1/tours?near={HUE}&within_km=200")
    assert _slugs(near) == ["hue", "hoi-an"] and near.json["total"] == 2
    assert _slugs(client.get(f"/api/v1/tours?near={HUE}&within_km=0")) == ["hue"]
    everywhere = client.get("/api/v1/tours")
    assert "distance_km" not in everywhere.json["tours"][0]
    assert everywhere.headers["Cache-Control"].startswith("public")


def test_near_pages_keep_every_filter_on_their_links(client: Any, located: list[str]) -> None:
    first = client.get(f"/api/v1/tours?near={HUE}&within_km=1000&per_page=1&lang=ko&site=")
    assert _slugs(first) == ["hue"] and first.json["pages"] == 3
    assert first.json["next"] == (
        "/api/v1/tours?page=2&lang=ko&near=16.4698,107.5786&within_km=1000&per_page=1"
    )
    second = client.get(first.json["next"])
    assert _slugs(second) == ["hoi-an"]
    assert second.json["tours"][0]["title"] == {
        "text": "호이안",
        "language": "ko",
        "fell_back": False,
    }


def test_texts_say_which_language_they_are_in_and_whether_they_fell_back(
    client: Any, published_tour: Any
) -> None:
    korean = client.get("/api/v1/tours?lang=ko").json["tours"][0]  # the tour has no Korean
    assert korean["title"] == {"text": "Kinh thành", "language": "vi", "fell_back": True}
    assert korean["site_name"] == {"text": "Huế", "language": "vi", "fell_back": True}
    british = client.get("/api/v1/tours?lang=en-GB").json["tours"][0]
    assert british["summary"] == {"text": "A walk through.", "language": "en", "fell_back": False}
    stop = client.get("/api/v1/tours/citadel/stops/1?lang=ko").json
    assert stop["title"] == {"text": "Cổng", "language": "vi", "fell_back": True}
    assert stop["narration"]["language"] == "vi" and stop["narration"]["fell_back"] is True


def test_a_language_no_registry_knows_is_accepted_once_a_tour_uses_it(
    client: Any, db: Any, draft_tour: Any
) -> None:
    from tours.models import TourText
    from tours.publishing import publish_tour

    assert client.get("/api/v1/tours?language=qaa").json["error"]["code"] == "invalid_language"
    draft_tour.texts.append(TourText(locale="qaa", title="Q", summary="", site_name=""))
    db.commit()
    publish_tour(db, draft_tour)
    assert _slugs(client.get("/api/v1/tours?language=qaa")) == ["citadel"]
    assert client.get("/api/v1/tours?lang=qaa").json["tours"][0]["title"]["text"] == "Q"


def test_images_in_narration_have_absolute_addresses(
    client: Any, db: Any, draft_tour: Any, add_image: Any
) -> None:
    from tours.images import image_markdown
    from tours.publishing import publish_tour

    image = add_image(draft_tour, "en", "A wall")
    image.alt = {"en": "A wall", "vi": "Bức tường"}
    for text in draft_tour.stops[0].texts:
        text.narration += f"\n\n{image_markdown(image.ref)}"
    db.commit()
    publish_tour(db, draft_tour)
    html = client.get("/api/v1/tours/citadel/stops/1").json["narration"]["html"]
    keys = list(image.variants.values())
    assert keys and all(f"http://localhost/media/{key}" in html for key in keys)
    assert '"/media/' not in html and " /media/" not in html


@pytest.fixture
def with_audio(db: Any, store: Any, draft_tour: Any) -> Any:
    """``draft_tour`` with English narration audio and captions on its first stop, and rights
    on its model and its texts, published."""
    import io

    from tours.models import StopAudio
    from tours.publishing import publish_tour
    from tours.rights import check_rights, set_rights

    audio = store.put_content("audio", io.BytesIO(b"ID3" + b"\0" * 64), "mp3", "audio/mpeg")
    captions = store.put_content("captions", io.BytesIO(b"WEBVTT\n"), "vtt", "text/vtt")
    by = "https://creativecommons.org/licenses/by/4.0/"
    draft_tour.stops[0].audio = [
        StopAudio(
            locale="en",
            audio_key=audio,
            content_type="audio/mpeg",
            captions_key=captions,
            rights=check_rights(by, "Voice: An"),
        )
    ]
    set_rights(db, draft_tour, check_rights(by, "Hue Monuments Centre"))
    set_rights(db, draft_tour.stops[0].model, check_rights(by, "Scan: Mai"))
    db.commit()
    publish_tour(db, draft_tour)
    return draft_tour


def test_a_model_stop_with_its_levels_audio_hotspots_and_rights(
    client: Any, with_audio: Any, ready_asset: Any
) -> None:
    response = client.get("/api/v1/tours/citadel/stops/1?lang=en", headers=ORIGIN)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    stop = response.json
    media = "http://localhost/media/"
    key = ready_asset.levels["high"]["key"]
    audio = with_audio.stops[0].audio[0]
    by = "https://creativecommons.org/licenses/by/4.0/"
    model_rights = {"statement": by, "attribution": "Scan: Mai", "source": ""}
    voice = {"statement": by, "attribution": "Voice: An", "source": ""}
    assert stop == {
        "tour": {
            "slug": "citadel",
            "revision": 1,
            "title": {"text": "The Citadel", "language": "en", "fell_back": False},
            "url": "http://localhost/api/v1/tours/citadel",
        },
        "number": 1,
        "stops": 2,
        "kind": "model",
        "title": {"text": "The gate", "language": "en", "fell_back": False},
        "narration": {
            "text": "Narration of **The gate**.",
            "language": "en",
            "fell_back": False,
            "html": "<p>Narration of <strong>The gate</strong>.</p>\n",
        },
        "model_alt": {"text": "Model of The gate", "language": "en", "fell_back": False},
        "model": {
            "levels": {
                level: {"url": media + key, "bytes": ready_asset.levels[level]["bytes"]}
                | {"triangles": 4212}
                for level in ("thumb", "low", "medium", "high")
            },
            "camera": {"orbit": "0deg 75deg 2m", "target": "", "field_of_view": ""}
            | {name: value for name, value in stop["model"]["camera"].items() if name == "framing"},
            "lighting": None,
            "units_known": stop["model"]["units_known"],
            "ar": None,
        },
        "panorama": None,
        "poster": media + ready_asset.poster_key,
        "posters": {},
        "audio": {
            "url": media + audio.audio_key,
            "type": "audio/mpeg",
            "language": "en",
            "captions": media + audio.captions_key,
            "rights": voice,
        },
        "hotspots": [
            {
                "label": {"text": "Roof", "language": "en", "fell_back": False},
                "body": {
                    "text": "Tiled roof.",
                    "language": "en",
                    "fell_back": False,
                    "html": "<p>Tiled roof.</p>\n",
                },
                "position": "0m 0.5m 0.5m",
                "normal": stop["hotspots"][0]["normal"],
                "view": None,
            }
        ],
        "links": [],
        "location": None,
        "rights": model_rights,
        "attribution": "Scan: Mai",
        "credits": [{"for": "model", **model_rights}, {"for": "audio", **voice}],
        "tour_rights": {"statement": by, "attribution": "Hue Monuments Centre", "source": ""},
        "page": "http://localhost/en/tours/citadel/1",
        "previous": None,
        "next": "http://localhost/api/v1/tours/citadel/stops/2",
    }
    # Vietnamese has no audio: none is offered rather than another language's
    assert client.get("/api/v1/tours/citadel/stops/1?lang=vi").json["audio"] is None


def test_a_panorama_stop_gives_its_viewer_configuration_and_links(
    client: Any, db: Any, panorama_tour: Any, panorama_asset: Any
) -> None:
    from tours.publishing import publish_tour

    publish_tour(db, panorama_tour)
    stop = client.get("/api/v1/tours/citadel/stops/3?lang=fr").json
    media = "http://localhost/media/"
    tiles = panorama_asset.tiles
    assert (stop["kind"], stop["model"]) == ("panorama", None)
    assert stop["panorama"] == {
        "preview": media + panorama_asset.levels["preview"]["key"],
        "equirect": media + panorama_asset.levels["equirect"]["key"],
        "tiles": {
            "url": f"{media}tiles/{tiles['set']}/{{level}}/{{col}}_{{row}}.jpg",
            "levels": tiles["levels"],
        },
        "view": {"yaw": 30.0, "pitch": -5.0, "fov": 70.0},
        "width": 1024,
        "height": 512,
    }
    assert stop["title"] == {"text": "Sân", "language": "vi", "fell_back": True}
    assert stop["page"] == "http://localhost/vi/tours/citadel/3"
    assert (stop["rights"], stop["attribution"], stop["tour_rights"]) == (None, None, None)
    assert stop["hotspots"] == [
        {
            "label": {"text": "Bia đá", "language": "vi", "fell_back": True},
            "body": {
                "text": "Một tấm bia.",
                "language": "vi",
                "fell_back": True,
                "html": "<p>Một tấm bia.</p>\n",
            },
            "yaw": -40.0,
            "pitch": 10.0,
        }
    ]
    assert stop["links"] == [
        {
            "yaw": 90.0,
            "pitch": 0.0,
            "label": {"text": "Vào điện", "language": "vi", "fell_back": True},
            "stop": 4,
            "url": "http://localhost/api/v1/tours/citadel/stops/4",
        }
    ]
    back = client.get("/api/v1/tours/citadel/stops/4?lang=en").json["links"]
    assert [(link["stop"], link["label"]["text"]) for link in back] == [(1, "Out to the gate")]
    tour = client.get("/api/v1/tours/citadel").json
    assert [entry["number"] for entry in tour["stops"]] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("path", "other"),
    [
        ("/api/v1/tours/citadel/stops/1?lang=vi", "/api/v1/tours/citadel/stops/1?lang=en"),
        ("/api/v1/tours/citadel/stops/1", "/api/v1/tours/citadel/stops/2"),
        ("/api/v1/tours?lang=vi", "/api/v1/tours?lang=en"),
        ("/api/v1/tours/citadel", "/api/v1/tours/citadel?lang=en"),
    ],
)
def test_reads_answer_304_with_cors_and_change_when_republished(
    client: Any, db: Any, published_tour: Any, path: str, other: str
) -> None:
    from tours.publishing import publish_tour

    first = client.get(path, headers=ORIGIN)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"].startswith("public")
    again = client.get(path, headers={"If-None-Match": etag, **ORIGIN})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in again.headers["Access-Control-Expose-Headers"]
    assert client.get(other, headers={"If-None-Match": etag}).status_code == 200  # its own ETag
    publish_tour(db, published_tour)
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 200


def test_the_stop_answers_a_cors_preflight(client: Any, published_tour: Any) -> None:
    response = client.options(
        "/api/v1/tours/citadel/stops/1",
        headers={**ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code in {200, 204}
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/tours/nowhere/stops/1", 404, "tour_not_found"),
        ("/api/v1/tours/citadel/stops/0", 404, "stop_not_found"),
        ("/api/v1/tours/citadel/stops/3", 404, "stop_not_found"),
        ("/api/v1/tours/citadel/stops/-1", 404, "not_found"),
        ("/api/v1/tours/citadel/stops/99999999999999999999999", 404, "not_found"),
        ("/api/v1/tours/citadel/stops/one", 404, "not_found"),
        ("/api/v1/tours/citadel/stops/1?lang=%00", 400, "invalid_language"),
        ("/api/v1/tours/citadel/stops/1?lang=english%20please", 400, "invalid_language"),
        ("/api/v1/tours/citadel/stops/1?lang=" + "a" * 40, 400, "invalid_language"),
        ("/api/v1/tours?near=16.4", 400, "invalid_near"),
        ("/api/v1/tours?near=91,0", 400, "invalid_near"),
        ("/api/v1/tours?near=0,181", 400, "invalid_near"),
        ("/api/v1/tours?near=nan,nan", 400, "invalid_near"),
        ("/api/v1/tours?near=1e309,0", 400, "invalid_near"),
        ("/api/v1/tours?near=", 400, "invalid_near"),
        ("/api/v1/tours?near=%00,%00", 400, "invalid_near"),
        ("/api/v1/tours?near=16,107&within_km=-1", 400, "invalid_within"),
        ("/api/v1/tours?near=16,107&within_km=abc", 400, "invalid_within"),
        ("/api/v1/tours?near=16,107&within_km=nan", 400, "invalid_within"),
        ("/api/v1/tours?near=16,107&within_km=inf", 400, "invalid_within"),
        ("/api/v1/tours?near=16,107&within_km=1e400", 400, "invalid_within"),
        ("/api/v1/tours?near=16,107&within_km=", 400, "invalid_within"),
        ("/api/v1/tours?within_km=5", 400, "invalid_within"),
        ("/api/v1/tours?language=x", 400, "invalid_language"),
        ("/api/v1/tours?language=xx", 400, "invalid_language"),
        ("/api/v1/tours?lang=zz-ZZ", 400, "invalid_language"),
        ("/api/v1/tours?language=%F0%9F%8F%AF", 400, "invalid_language"),
        ("/api/v1/tours?lang=12", 400, "invalid_language"),
        ("/api/v1/tours?page=0", 400, "invalid_page"),
        ("/api/v1/tours?per_page=101", 400, "invalid_page"),
        ("/api/v1/tours?q=%00", 400, "invalid_search"),
        ("/api/v1/tours?site=%00%27%20OR%201=1", 400, "invalid_search"),
        ("/api/v1/tours?site=" + "x" * 5000, 200, None),
        ("/api/v1/tours?q=%25_%5C", 200, None),
    ],
)
def test_hostile_parameters_are_refused_with_a_code_never_a_500(
    client: Any, published_tour: Any, path: str, status: int, code: str | None
) -> None:
    response = client.get(path, headers={"Accept-Language": "fr"})
    assert response.status_code == status, response.json
    if code != "not_found":  # an address no route matches is no read
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    if code is None:
        assert isinstance(response.json["tours"], list)
    else:
        error = response.json["error"]
        assert error["code"] == code
        assert error["message"] and error["message"] != code  # a sentence, translated


@pytest.mark.parametrize(
    ("language", "path", "start"),
    [
        ("en", "/api/v1/tours?near=x", "Give near as a latitude"),
        ("fr", "/api/v1/tours?near=x", "Donnez near sous la forme"),
        ("vi", "/api/v1/tours?near=1,2&within_km=-3", "Hãy ghi within_km"),
        ("ja", "/api/v1/tours?within_km=3", "within_km は"),
    ],
)
def test_error_sentences_are_in_the_callers_language(
    client: Any, language: str, path: str, start: str
) -> None:
    response = client.get(path, headers={"Accept-Language": language})
    assert response.json["error"]["message"].startswith(start)


@pytest.fixture
def limited(app_config: dict[str, Any]) -> dict[str, Any]:
    """Settings with a read limit of three requests a minute."""
    return {**app_config, "API_READ_RATE_LIMIT": "3 per minute"}


def _limited_app(settings: dict[str, Any]) -> Any:
    from webapp import create_app

    return create_app(settings)


def test_reads_over_the_limit_get_429_with_retry_after_and_304s_count(
    limited: dict[str, Any], published_tour: Any
) -> None:
    client = _limited_app(limited).test_client()
    address = {"REMOTE_ADDR": "203.0.113.7"}
    first = client.get("/api/v1/tours/citadel/stops/1", environ_base=address)
    etag = {"If-None-Match": first.headers["ETag"]}
    second = client.get("/api/v1/tours/citadel/stops/1", headers=etag, environ_base=address)
    assert second.status_code == 304
    assert client.get("/api/v1/tours", environ_base=address).status_code == 200
    refused = client.get("/api/v1/tours/citadel/stops/1", headers=etag, environ_base=address)
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "rate_limited"
    assert refused.json["error"]["detail"]["limit"] == "3 per 1 minute"
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert refused.json["error"]["detail"]["retry_after"] == int(refused.headers["Retry-After"])
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    for path in ("/iiif/citadel/manifest.json", "/api/v1/dumps/stops.csv", "/api/v1/"):
        assert client.get(path, environ_base=address).status_code == 429
    # another client is counted on its own; preflights are not counted
    other = {"REMOTE_ADDR": "198.51.100.2"}
    assert client.get("/api/v1/tours", environ_base=other).status_code == 200
    assert client.options("/api/v1/tours/citadel/stops/1", environ_base=address).status_code in {
        200,
        204,
    }


def test_the_read_limit_is_shared_through_redis(
    limited: dict[str, Any], redis_url: str, published_tour: Any
) -> None:
    settings = {**limited, "RATELIMIT_STORAGE_URI": redis_url}
    one, two = _limited_app(settings).test_client(), _limited_app(settings).test_client()
    address = {"REMOTE_ADDR": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.9"}
    statuses = [
        client.get("/api/v1/tours", environ_base=address).status_code
        for client in (one, two, one, two)
    ]
    assert statuses == [200, 200, 200, 429]


def test_reads_are_served_when_the_counts_store_is_down(
    limited: dict[str, Any], published_tour: Any, caplog: Any
) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = {**limited, "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{port}/7"}
    client = _limited_app(settings).test_client()
    statuses = {client.get("/api/v1/tours/citadel/stops/2").status_code for _ in range(5)}
    assert statuses == {200}
    assert "read rate limit not counted" in caplog.text


def test_openapi_documents_the_new_parameters_and_answers(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]
    listing = paths["/api/v1/tours"]["get"]
    names = [parameter["name"] for parameter in listing["parameters"]]
    assert names == ["page", "per_page", "q", "lang", "language", "site", "near", "within_km"]
    assert set(listing["responses"]) == {"200", "304", "400", "429"}
    stop = paths["/api/v1/tours/{slug}/stops/{number}"]
    assert [p["name"] for p in stop["parameters"]] == ["number", "slug"]
    assert [p["name"] for p in stop["get"]["parameters"]] == ["lang"]
    assert set(stop["get"]["responses"]) == {"200", "304", "400", "404", "429"}
    limited = stop["get"]["responses"]["429"]
    assert "Retry-After" in limited["headers"]
    assert limited["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    for path in ("/api/v1/tours/{slug}", "/api/v1/dumps/stops.csv", "/iiif/{slug}/manifest.json"):
        assert "429" in paths[path]["get"]["responses"], path
    studio = paths["/api/v1/studio/tours"]["get"]["responses"]["429"]  # the token's limit
    assert "token" in studio["description"] and "headers" not in studio
