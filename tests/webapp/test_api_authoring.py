"""Writing tours with a token: a real model uploaded, processed, placed and published through
the API alone; refusals in the error shape, never a 500; the example client in the docs."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ALL_SCOPES = ["read:drafts", "write", "publish"]


@pytest.fixture
def token(db: Any, studio_users: dict[str, Any]) -> dict[str, str]:
    """The curator's token with every scope, as request headers."""
    from tours.apitokens import create_token

    secret = create_token(db, studio_users["curator"], "script", ALL_SCOPES).secret
    return {"Authorization": f"Bearer {secret}"}


def _upload(client: Any, headers: dict[str, str], path: Path, chunk: int) -> int:
    """Send ``path`` over tus in chunks of ``chunk`` bytes; returns the model id."""
    data = path.read_bytes()
    tus = {**headers, "Tus-Resumable": "1.0.0"}
    name = base64.b64encode(path.name.encode()).decode()
    created = client.post(
        "/api/v1/uploads",
        headers={**tus, "Upload-Length": str(len(data)), "Upload-Metadata": f"filename {name}"},
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    location = created.headers["Location"]
    offset = 0
    while offset < len(data):
        assert int(client.head(location, headers=tus).headers["Upload-Offset"]) == offset
        answer = client.patch(
            location,
            data=data[offset : offset + chunk],
            headers={
                **tus,
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
            },
        )
        assert answer.status_code == 204
        offset = int(answer.headers["Upload-Offset"])
    return int(answer.headers["Heritour-Model-Id"])


def test_upload_process_write_and_publish_with_a_token(
    app: Any, token: dict[str, str], testdata: Path
) -> None:
    client = app.test_client()
    model_id = _upload(client, token, testdata / "Duck.glb", 40_000)
    # Processing runs inline in tests (JOBS=immediate): the model is ready when asked.
    model = client.get(f"/api/v1/models/{model_id}", headers=token).json["model"]
    assert model["status"] == "ready", model
    assert set(model["levels"]) >= {"thumb", "low"} and model["report"]
    again = client.post(
        f"/api/v1/models/{model_id}/reprocess", json={"up_axis": "y", "unit": "cm"}, headers=token
    )
    assert again.status_code == 202 and again.json["model"]["options"]["unit"] == "cm"
    model = client.get(f"/api/v1/models/{model_id}", headers=token).json["model"]
    assert model["status"] == "ready", model
    bad = {"up_axis": "w", "unit": "cm"}
    refused = client.post(f"/api/v1/models/{model_id}/reprocess", json=bad, headers=token)
    assert refused.status_code == 400 and refused.json["error"]["code"] == "invalid_options"

    made = client.post(
        "/api/v1/studio/tours",
        json={"slug": "duck-pond", "default_locale": "en", "title": "The duck pond"},
        headers=token,
    )
    assert made.status_code == 201
    tour_id = made.json["tour"]["id"]
    rights = {"statement": "https://creativecommons.org/licenses/by/4.0/", "attribution": "Sony"}
    edited = client.patch(
        f"/api/v1/studio/tours/{tour_id}",
        json={
            "latitude": 16.47,
            "longitude": 107.58,
            "texts": {"en": {"summary": "Ducks."}, "vi": {"title": "Ao vịt"}},
            "rights": rights,
        },
        headers=token,
    )
    assert edited.status_code == 200, edited.json
    draft = edited.json["tour"]
    assert draft["texts"]["en"] == {"title": "The duck pond", "summary": "Ducks.", "site_name": ""}
    assert draft["languages"] == ["en", "vi"] and draft["rights"]["attribution"] == "Sony"
    assert [p["code"] for p in draft["problems"]] == ["no_stops"]

    texts = {"en": {"title": "A duck", "narration": "A *rubber* duck.", "model_alt": "Duck"}}
    stop = client.post(
        f"/api/v1/studio/tours/{tour_id}/stops",
        json={"model_id": model_id, "texts": texts, "camera": {"orbit": "0deg 75deg 2m"}},
        headers=token,
    )
    assert stop.status_code == 400 and stop.json["error"]["code"] == "invalid_camera"
    draft = client.get(f"/api/v1/studio/tours/{tour_id}", headers=token).json["tour"]
    assert draft["stops"] == []  # a refused POST adds nothing
    stop = client.post(
        f"/api/v1/studio/tours/{tour_id}/stops", json={"model_id": model_id}, headers=token
    )
    assert stop.status_code == 201 and stop.json["stop"]["kind"] == "model"
    stop_id = stop.json["stop"]["id"]
    camera = {"orbit": "0deg 75deg 2m", "target": "0m 0.5m 0m", "field_of_view": "30deg"}
    patched = client.patch(
        f"/api/v1/studio/tours/{tour_id}/stops/{stop_id}",
        json={"camera": camera, "texts": texts},
        headers=token,
    )
    assert patched.status_code == 200 and patched.json["stop"]["camera"] == camera
    hotspot = client.post(
        f"/api/v1/studio/tours/{tour_id}/stops/{stop_id}/hotspots",
        json={"position": "0m 0.5m 0.5m", "texts": {"en": {"label": "Beak", "body": "Yellow."}}},
        headers=token,
    )
    assert hotspot.status_code == 201
    assert hotspot.json["stop"]["hotspots"][0]["texts"]["en"]["label"] == "Beak"
    second = client.post(
        f"/api/v1/studio/tours/{tour_id}/stops", json={"model_id": model_id}, headers=token
    )
    order = [second.json["stop"]["id"], stop_id]
    reordered = client.put(
        f"/api/v1/studio/tours/{tour_id}/stops/order", json={"stops": order}, headers=token
    )
    assert [s["id"] for s in reordered.json["tour"]["stops"]] == order
    refused = client.post(f"/api/v1/studio/tours/{tour_id}/publication", headers=token)
    assert refused.status_code == 409
    assert {"code": "missing_narration", "stop": 1, "locale": ""} in refused.json["error"][
        "detail"
    ]["problems"]
    removed = client.delete(f"/api/v1/studio/tours/{tour_id}/stops/{order[0]}", headers=token)
    assert [s["id"] for s in removed.json["tour"]["stops"]] == [stop_id]

    published = client.post(f"/api/v1/studio/tours/{tour_id}/publication", headers=token)
    assert published.status_code == 200, published.json
    assert published.json["published_revision"] == 1
    public = client.get("/api/v1/tours/duck-pond")  # no token: the public API
    assert public.status_code == 200
    document = public.json["document"]
    assert document["stops"][0]["title"]["en"] == "A duck"
    listed = client.get("/api/v1/tours?q=duck").json["tours"]
    assert [tour["slug"] for tour in listed] == ["duck-pond"]
    down = client.delete(f"/api/v1/studio/tours/{tour_id}/publication", headers=token)
    assert down.status_code == 200 and client.get("/api/v1/tours/duck-pond").status_code == 404


def test_another_users_upload_is_not_found(
    app: Any, db: Any, token: dict[str, str], studio_users: dict[str, Any]
) -> None:
    from tours.apitokens import create_token

    client = app.test_client()
    tus = {**token, "Tus-Resumable": "1.0.0", "Upload-Length": "10"}
    location = client.post("/api/v1/uploads", headers=tus).headers["Location"]
    other = create_token(db, studio_users["admin"], "x", ALL_SCOPES).secret
    answer = client.head(location, headers={"Authorization": f"Bearer {other}"})
    assert answer.status_code == 404


BAD_BODIES: list[tuple[str, str, Any]] = [
    ("POST", "/api/v1/studio/tours", None),
    ("POST", "/api/v1/studio/tours", []),
    ("POST", "/api/v1/studio/tours", {"slug": 1, "default_locale": "en", "title": "x"}),
    ("POST", "/api/v1/studio/tours", {"slug": "a", "default_locale": "??", "title": "x"}),
    ("POST", "/api/v1/studio/tours", {"slug": "a", "default_locale": "en", "title": "x" * 201}),
    ("POST", "/api/v1/studio/tours", {"slug": "citadel", "default_locale": "en", "title": "x"}),
    ("PATCH", "{tour}", {"latitude": "north"}),
    ("PATCH", "{tour}", {"latitude": 91, "longitude": 0}),
    ("PATCH", "{tour}", {"latitude": True}),
    ("PATCH", "{tour}", {"languages": "en"}),
    ("PATCH", "{tour}", {"languages": [1]}),
    ("PATCH", "{tour}", {"texts": []}),
    ("PATCH", "{tour}", {"texts": {"en": "x"}}),
    ("PATCH", "{tour}", {"texts": {"en": {"summary": "x" * 2001}}}),
    ("PATCH", "{tour}", {"texts": {"not a tag": {"title": "x"}}}),
    ("PATCH", "{tour}", {"rights": {"statement": "https://example.org/"}}),
    ("PATCH", "{tour}", {"rights": "CC0"}),
    ("PATCH", "{tour}", {"default_locale": None}),
    ("POST", "{tour}/stops", {"model_id": "1"}),
    ("POST", "{tour}/stops", {"model_id": 10**9}),
    ("PUT", "{tour}/stops/order", {"stops": [1.5]}),
    ("PUT", "{tour}/stops/order", {"stops": []}),
    ("PATCH", "{stop}", {"camera": "0deg"}),
    ("PATCH", "{stop}", {"camera": {"orbit": 1}}),
    ("PATCH", "{stop}", {"panorama_view": {"yaw": 0, "pitch": 0, "fov": 60}}),
    ("PATCH", "{stop}", {"lighting": "disco"}),
    ("PATCH", "{stop}", {"texts": {"en": {"narration": "x" * 20_001}}}),
    ("PATCH", "{stop}", {"texts": {"en": {"model_alt": ["x"]}}}),
    ("POST", "{stop}/hotspots", {"position": "here"}),
    ("POST", "{stop}/hotspots", {"yaw": 0, "pitch": 0}),
    ("POST", "{stop}/hotspots", {"yaw": "x", "link_stop_id": "2"}),
    ("PATCH", "{hotspot}", {"link_stop_id": 1}),
    ("PATCH", "{hotspot}", {"view": {"orbit": "round"}}),
    ("PATCH", "{hotspot}", {"texts": {"en": {"label": "x" * 121}}}),
    ("PATCH", "/api/v1/studio/tours/999999", {}),
    ("GET", "{tour}/stops/999999", None),
    ("PATCH", "{stop}/hotspots/999999", {}),
    ("POST", "/api/v1/studio/tours/999999/publication", None),
]


@pytest.mark.parametrize(("method", "path", "body"), BAD_BODIES)
def test_refusals_are_4xx_in_the_error_shape(
    app: Any, draft_tour: Any, token: dict[str, str], method: str, path: str, body: Any
) -> None:
    stop = draft_tour.stops[0]
    tour_url = f"/api/v1/studio/tours/{draft_tour.id}"
    url = path.format(
        tour=tour_url,
        stop=f"{tour_url}/stops/{stop.id}",
        hotspot=f"{tour_url}/stops/{stop.id}/hotspots/{stop.hotspots[0].id}",
    )
    answer = app.test_client().open(url, method=method, json=body, headers=token)
    assert 400 <= answer.status_code < 500, answer.get_data(as_text=True)
    error = answer.json["error"]
    assert set(error) == {"code", "message", "detail"} and error["message"] != error["code"]


@pytest.fixture
def served(app: Any) -> Iterator[str]:
    """``app`` served over HTTP on a free loopback port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_the_example_client_in_the_docs_publishes_a_tour(
    app: Any, served: str, token: dict[str, str], testdata: Path
) -> None:
    secret = token["Authorization"].split()[1]
    script = ROOT / "docs" / "examples" / "heritour_client.py"
    result = subprocess.run(
        [
            sys.executable,
            str(script),
            "--site",
            served,
            "--slug",
            "teapot",
            "--title",
            "A teapot",
            "--narration",
            "The *Utah* teapot.",
            str(testdata / "Duck.glb"),
        ],
        env={**os.environ, "HERITOUR_TOKEN": secret},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "published teapot revision 1" in result.stdout
    assert app.test_client().get("/api/v1/tours/teapot").status_code == 200
    assert "docs/examples/heritour_client.py" in (ROOT / "docs" / "api-client.md").read_text()


def test_panorama_stops_with_a_token(
    app: Any, panorama_asset: Any, draft_tour: Any, token: dict[str, str]
) -> None:
    client = app.test_client()
    base = f"/api/v1/studio/tours/{draft_tour.id}/stops"
    made = client.post(
        base,
        json={
            "model_id": panorama_asset.id,
            "panorama_view": {"yaw": 45, "pitch": -10, "fov": 60},
            "texts": {"en": {"title": "The courtyard", "narration": "Stone and sky."}},
        },
        headers=token,
    )
    assert made.status_code == 201, made.json
    stop = made.json["stop"]
    assert stop["kind"] == "panorama" and stop["number"] == 3
    assert stop["panorama_view"] == {"yaw": 45.0, "pitch": -10.0, "fov": 60.0}
    gate = draft_tour.stops[0].id
    link = client.post(
        f"{base}/{stop['id']}/hotspots",
        json={"yaw": 120, "pitch": 0, "link_stop_id": gate, "texts": {"en": {"label": "Gate"}}},
        headers=token,
    )
    assert link.status_code == 201
    hotspot = link.json["stop"]["hotspots"][0]
    assert hotspot["link_stop_id"] == gate and hotspot["yaw"] == 120.0
    unlinked = client.patch(
        f"{base}/{stop['id']}/hotspots/{hotspot['id']}",
        json={"link_stop_id": None, "texts": {"vi": {"label": "Cổng"}}},
        headers=token,
    )
    assert unlinked.status_code == 200
    changed = unlinked.json["stop"]["hotspots"][0]
    assert changed["link_stop_id"] is None
    assert changed["texts"] == {
        "en": {"label": "Gate", "body": ""},
        "vi": {"label": "Cổng", "body": ""},
    }
    bad = client.post(f"{base}/{stop['id']}/hotspots", json={"yaw": 10, "pitch": 95}, headers=token)
    assert bad.status_code == 400 and bad.json["error"]["code"] == "invalid_hotspot"
    assert len(client.get(f"{base}/{stop['id']}", headers=token).json["stop"]["hotspots"]) == 1


def test_the_reference_page_names_token_scopes_and_body_fields(client: Any) -> None:
    html = client.get("/api/v1/docs", headers={"Accept-Language": "en"}).get_data(as_text=True)
    section = html.split('id="publishDraft"', 1)[1].split("</section>", 1)[0]
    assert "personal API token (Authorization: Bearer) with the scope publish." in section
    edit = html.split('id="editStop"', 1)[1].split("</section>", 1)[0]
    for field in ("camera", "model_id", "panorama_view", "texts"):
        assert f"<code>{field}</code>" in edit


def test_narration_audio_and_model_rights_with_a_token(
    app: Any, draft_tour: Any, token: dict[str, str], narration_audio: Any
) -> None:
    import io

    client = app.test_client()
    stop = draft_tour.stops[0]
    url = f"/api/v1/studio/tours/{draft_tour.id}/stops/{stop.id}/audio/en"
    form = {
        "audio": (io.BytesIO(narration_audio()), "gate.mp3"),
        "captions": (io.BytesIO(b"WEBVTT\n\n00:00.000 --> 00:01.000\nThe gate\n"), "gate.vtt"),
        "statement": "https://creativecommons.org/publicdomain/zero/1.0/",
    }
    answer = client.put(url, data=form, headers=token, content_type="multipart/form-data")
    assert answer.status_code == 200, answer.json
    assert answer.json["stop"]["audio"] == ["en"]
    assert stop.audio[0].rights["statement"].endswith("/zero/1.0/")
    wrong = {"audio": (io.BytesIO(b"not audio at all"), "x.mp3")}
    refused = client.put(url, data=wrong, headers=token, content_type="multipart/form-data")
    assert refused.status_code == 400 and refused.json["error"]["code"] == "unsupported_audio"
    cut = {"audio": (io.BytesIO(narration_audio("aac", 2.0)[:300]), "gate.aac")}
    damaged = client.put(url, data=cut, headers=token, content_type="multipart/form-data")
    assert damaged.status_code == 400 and damaged.json["error"]["code"] == "audio_undecodable"
    assert damaged.json["error"]["message"].startswith("Tệp âm thanh bị hỏng")  # the default, vi
    missing = client.put(url, data={}, headers=token, content_type="multipart/form-data")
    assert missing.status_code == 400 and missing.json["error"]["detail"] == {"field": "audio"}
    assert client.delete(url, headers=token).json["stop"]["audio"] == []

    rights_url = f"/api/v1/models/{stop.model_asset_id}/rights"
    rights = {"statement": "https://creativecommons.org/licenses/by/4.0/", "source": "Scan team"}
    refused = client.put(rights_url, json=rights, headers=token)
    assert refused.json["error"]["code"] == "rights_attribution_required"
    saved = client.put(rights_url, json={**rights, "attribution": "Hue"}, headers=token)
    assert saved.status_code == 200 and saved.json["model"]["rights"]["attribution"] == "Hue"
    assert client.put(rights_url, json={"source": 3}, headers=token).status_code == 400
