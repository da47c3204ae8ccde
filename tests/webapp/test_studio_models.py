"""The model library: uploads (form, tus, S3 direct), hostile input, status, delete rule."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest


def _tus_create(client: Any, length: int, name: str, **meta: str) -> Any:
    pairs = {"filename": name, **meta}
    header = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in pairs.items())
    return client.post(
        "/api/v1/uploads",
        headers={"Tus-Resumable": "1.0.0", "Upload-Length": str(length), "Upload-Metadata": header},
    )


def _patch(client: Any, location: str, offset: int, data: bytes) -> Any:
    return client.patch(
        location,
        data=data,
        headers={
            "Tus-Resumable": "1.0.0",
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
        },
    )


def test_tus_upload_in_chunks_resumes_and_processes(
    curator: Any, db: Any, testdata: Path, app: Any
) -> None:
    from tours.models import ModelAsset

    data = (testdata / "Duck.glb").read_bytes()
    created = _tus_create(curator, len(data), "../../etc/Duck model.glb", up_axis="y", unit="cm")
    assert created.status_code == 201 and created.headers["Tus-Resumable"] == "1.0.0"
    location = created.headers["Location"]
    assert location.startswith("/api/v1/uploads/")
    half = len(data) // 2
    assert _patch(curator, location, 0, data[:half]).headers["Upload-Offset"] == str(half)
    # The connection dropped: the client asks where to resume.
    head = curator.head(location, headers={"Tus-Resumable": "1.0.0"})
    assert (head.status_code, head.headers["Upload-Offset"]) == (200, str(half))
    assert head.headers["Upload-Length"] == str(len(data))
    stale = _patch(curator, location, 0, data[:10])
    assert stale.status_code == 409 and stale.json["error"]["code"] == "offset_mismatch"
    done = _patch(curator, location, half, data[half:])
    assert done.status_code == 204 and done.headers["Upload-Offset"] == str(len(data))
    asset = db.get(ModelAsset, int(done.headers["Heritour-Model-Id"]))
    assert asset.name == "Duck model.glb"
    assert asset.options == {"up_axis": "y", "unit": "cm"}
    db.refresh(asset)
    assert asset.status == "ready", asset.error_message
    assert asset.size_bytes == len(data)
    assert list(Path(app.config["UPLOAD_DIR"]).glob("*")) == []
    status = curator.get(f"/api/v1/models/{asset.id}").json["model"]
    assert (status["status"], status["progress"]) == ("ready", 100)
    assert set(status["levels"]) == {"thumb", "low", "medium", "high"}
    page = curator.get(f"/studio/models/{asset.id}").get_data(as_text=True)
    assert "<model-viewer" in page and "Phone verdict" in page


def test_tus_refuses_hostile_input(curator: Any, app: Any, studio: Any, client_as: Any) -> None:
    app.config["MAX_UPLOAD_MB"] = 1
    too_large = _tus_create(curator, 2 * 1024 * 1024, "big.glb")
    assert too_large.status_code == 413
    assert too_large.json["error"]["code"] == "upload_too_large"
    created = _tus_create(curator, 10, "a.glb")
    location = created.headers["Location"]
    longer = _patch(curator, location, 0, b"x" * 11)
    assert longer.status_code == 413 and longer.json["error"]["code"] == "upload_too_large"
    assert (
        curator.head(location, headers={"Tus-Resumable": "1.0.0"}).headers["Upload-Offset"] == "0"
    )
    for bad in ("/api/v1/uploads/..%2f..%2fsecret", "/api/v1/uploads/" + "g" * 32):
        assert curator.head(bad).status_code == 404
    old = curator.post("/api/v1/uploads", headers={"Upload-Length": "5"})
    assert old.status_code == 412
    assert old.json["error"]["message"] == "Send the header Tus-Resumable: 1.0.0."
    odd_name = curator.post(
        "/api/v1/uploads",
        headers={"Tus-Resumable": "1.0.0", "Upload-Length": "5", "Upload-Metadata": "name \xff"},
    )
    assert odd_name.status_code == 201  # a name that is not base64 is dropped, not a crash
    # Another curator cannot see or continue this upload.
    other = client_as("admin")
    assert other.head(location, headers={"Tus-Resumable": "1.0.0"}).status_code == 404
    assert curator.delete(location, headers={"Tus-Resumable": "1.0.0"}).status_code == 204
    assert curator.head(location).status_code == 404


def test_form_upload_without_javascript(curator: Any, db: Any, testdata: Path) -> None:
    from tours.models import ModelAsset

    data = (testdata / "BoxTextured.glb").read_bytes()
    response = curator.post(
        "/studio/models/",
        data={"file": (io.BytesIO(data), "Box<script>.glb"), "up_axis": "auto", "unit": "m"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    asset = db.query(ModelAsset).one()
    assert asset.name == "Box_script_.glb"
    library = curator.get("/studio/models/").get_data(as_text=True)
    assert "Box_script_.glb" in library and "<script>.glb" not in library


def test_rejected_upload_says_why(curator: Any, db: Any) -> None:
    from tours.models import ModelAsset

    curator.post(
        "/studio/models/",
        data={"file": (io.BytesIO(b"not a model at all"), "junk.glb")},
        content_type="multipart/form-data",
    )
    asset = db.query(ModelAsset).one()
    db.refresh(asset)
    assert asset.status == "rejected" and asset.error_code == "parse_error"
    page = curator.get(f"/studio/models/{asset.id}").get_data(as_text=True)
    assert "parse_error" in page and "Export the model again" in page
    # In the curator's language, on the page and in the status the library polls.
    curator.get("/studio/language/vi")
    page = curator.get(f"/studio/models/{asset.id}").get_data(as_text=True)
    assert "Export the model again" not in page
    status = curator.get(f"/api/v1/models/{asset.id}").json["model"]
    assert status["error"]["code"] == "parse_error"
    assert status["error"]["message"] in page


def test_reprocess_with_other_options(
    curator: Any, db: Any, ready_asset: Any, monkeypatch: Any
) -> None:
    from types import SimpleNamespace

    import webapp.studio.views_models as views

    queued: list[int] = []
    fake_jobs = SimpleNamespace(queue=SimpleNamespace(process_model=queued.append))
    monkeypatch.setattr(views, "jobs", fake_jobs)
    response = curator.post(
        f"/studio/models/{ready_asset.id}/reprocess", data={"up_axis": "z", "unit": "mm"}
    )
    assert response.status_code == 302
    db.refresh(ready_asset)
    assert (ready_asset.status, ready_asset.options) == ("uploaded", {"up_axis": "z", "unit": "mm"})
    assert queued == [ready_asset.id]
    bad = curator.post(f"/studio/models/{ready_asset.id}/reprocess", data={"up_axis": "w"})
    assert bad.status_code == 302
    db.refresh(ready_asset)
    assert ready_asset.options["up_axis"] == "z"


def test_model_of_a_published_tour_cannot_be_deleted(
    curator: Any, db: Any, published_tour: Any
) -> None:
    from tours.models import ModelAsset

    asset_id = published_tour.stops[0].model_asset_id
    answer = curator.delete(f"/api/v1/models/{asset_id}")
    assert answer.status_code == 409
    assert answer.json["error"]["code"] == "model_in_published_tour"
    assert answer.json["error"]["detail"] == {"tours": ["citadel"]}
    page = curator.post(f"/studio/models/{asset_id}/delete", follow_redirects=True)
    assert "A published tour shows this model" in page.get_data(as_text=True)
    assert db.get(ModelAsset, asset_id) is not None
    curator.post(f"/studio/tours/{published_tour.id}/unpublish")
    assert curator.delete(f"/api/v1/models/{asset_id}").status_code == 200
    db.expire_all()
    assert db.get(ModelAsset, asset_id) is None
    assert all(stop.model_asset_id is None for stop in published_tour.stops)


def test_status_list_for_polling(curator: Any, ready_asset: Any) -> None:
    models = curator.get("/api/v1/models").json["models"]
    assert [(m["id"], m["status"], m["progress"]) for m in models] == [
        (ready_asset.id, "ready", ready_asset.progress)
    ]


def test_direct_upload_to_s3(curator: Any, db: Any, backend: str, testdata: Path) -> None:
    """The browser's side of Uppy's AwsS3 plugin, done with urllib against moto."""
    import urllib.request
    import xml.etree.ElementTree as ET

    if backend != "postgres-s3":
        answer = curator.post("/api/v1/s3-uploads/sign", json={"method": "POST"})
        assert answer.status_code == 409
        assert answer.json["error"]["code"] == "direct_upload_unavailable"
        return
    from tours.models import ModelAsset

    data = (testdata / "Duck.glb").read_bytes()

    def s3(method: str, url: str, body: bytes | None = None) -> tuple[bytes, Any]:
        data = body if body is not None or method != "POST" else b""
        headers = {"Content-Type": "application/octet-stream"}
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read(), response.headers

    start = curator.post("/api/v1/s3-uploads/sign", json={"method": "POST", "key": "../x"}).json
    assert start["key"].startswith("incoming/")
    xml, _headers = s3("POST", start["url"])
    upload_id = ET.fromstring(xml).findtext("{*}UploadId")
    key = start["key"]
    etags = []
    # One part: S3 wants at least 5 MB in every part but the last.
    for number, chunk in enumerate([data], start=1):
        signed = curator.post(
            "/api/v1/s3-uploads/sign",
            json={"method": "PUT", "key": key, "uploadId": upload_id, "partNumber": number},
        ).json
        _body, headers = s3("PUT", signed["url"], chunk)
        etags.append(headers["ETag"])
    listing = curator.post(
        "/api/v1/s3-uploads/sign", json={"method": "GET", "key": key, "uploadId": upload_id}
    ).json
    assert ET.fromstring(s3("GET", listing["url"])[0]).findall("{*}Part")
    complete = curator.post(
        "/api/v1/s3-uploads/sign", json={"method": "POST", "key": key, "uploadId": upload_id}
    ).json
    parts = "".join(
        f"<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>"
        for n, e in enumerate(etags, start=1)
    )
    s3(
        "POST",
        complete["url"],
        f"<CompleteMultipartUpload>{parts}</CompleteMultipartUpload>".encode(),
    )
    finished = curator.post(
        "/api/v1/s3-uploads/finish", json={"key": key, "name": "Duck.glb", "up_axis": "auto"}
    )
    assert finished.status_code == 200, finished.json
    asset = db.get(ModelAsset, finished.json["model"]["id"])
    db.refresh(asset)
    assert (asset.status, asset.size_bytes) == ("ready", len(data))


@pytest.mark.parametrize(
    "body",
    [
        {"method": "PUT", "key": "originals/abc.glb", "uploadId": "u", "partNumber": 1},
        {"method": "DELETE", "key": "models/x.glb"},
        {"method": "GET", "key": "incoming/" + "a" * 32},
        {"method": "PUT", "key": "incoming/" + "a" * 32, "uploadId": "u", "partNumber": 10001},
    ],
)
def test_s3_signing_refuses_other_requests(
    curator: Any, backend: str, body: dict[str, Any]
) -> None:
    answer = curator.post("/api/v1/s3-uploads/sign", json=body)
    expected = 400 if backend == "postgres-s3" else 409
    assert answer.status_code == expected


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/models/99999999999999999999999",
        "/api/v1/models/%C2%B2",  # "²" is a digit to str.isdigit, not to int()
        "/studio/models/99999999999999999999999",
        "/studio/tours/99999999999999999999999",
        "/studio/tours/99999999999999999999999/translations",
        "/studio/tours/99999999999999999999999/bundle.zip",
    ],
)
def test_ids_too_large_for_the_database_are_404(curator: Any, url: str) -> None:
    assert curator.get(url).status_code == 404


def test_every_model_error_has_a_translated_sentence(app: Any) -> None:
    from models3d.errors import MESSAGES
    from webapp.messages import model_error

    with app.test_request_context(headers={"Accept-Language": "en"}):
        missing = [code for code in MESSAGES if model_error(code, "") == ""]
    assert missing == []
