"""/healthz and the JSON API, including its error shape and OpenAPI document."""

from __future__ import annotations

from typing import Any

from webapp import create_app


def test_healthz_ok(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "blob_store": "ok"}}


def test_healthz_reports_unreachable_store(app_config: dict[str, Any]) -> None:
    broken = create_app(
        {
            **app_config,
            "BLOB_STORE": "s3",
            "S3_ENDPOINT_URL": "http://127.0.0.1:9",
            "S3_CREATE_BUCKET": False,
        }
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "ok"
    assert response.json["checks"]["blob_store"] == "unreachable"  # no host or path leaks


def test_healthz_reports_unreachable_database(app_config: dict[str, Any]) -> None:
    broken = create_app({**app_config, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/x"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "unreachable"


def test_api_lists_and_returns_tours(client: Any, published_tour: Any, ready_asset: Any) -> None:
    listing = client.get("/api/v1/tours").json
    assert listing == {
        "tours": [
            {
                "slug": "citadel",
                "revision": 1,
                "default_locale": "vi",
                "locales": ["en", "vi"],
                "title": {"text": "The Citadel", "language": "en", "fell_back": False},
                "summary": {"text": "A walk through.", "language": "en", "fell_back": False},
                "site_name": {"text": "Hue", "language": "en", "fell_back": False},
                "poster": f"http://localhost/media/{ready_asset.poster_key}",
                "location": None,
                "stops": 2,
                "minutes": 2,
                "rights": None,
                "url": "/api/v1/tours/citadel",
            }
        ],
        "page": 1,
        "per_page": 50,
        "pages": 1,
        "total": 1,
        "next": None,
        "previous": None,
    }
    tour = client.get("/api/v1/tours/citadel").json
    assert tour["revision"] == 1
    assert tour["stops"] == [
        {"number": 1, "url": "http://localhost/api/v1/tours/citadel/stops/1"},
        {"number": 2, "url": "http://localhost/api/v1/tours/citadel/stops/2"},
    ]
    assert tour["document"]["title"] == {"en": "The Citadel", "vi": "Kinh thành"}


def test_api_errors_have_the_house_shape(client: Any) -> None:
    response = client.get("/api/v1/tours/nowhere")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "tour_not_found"
    assert response.json["error"]["detail"] == {"slug": "nowhere"}
    unknown = client.get("/api/v1/nothing-here")
    assert unknown.status_code == 404
    assert unknown.json == {
        "error": {"code": "not_found", "message": unknown.json["error"]["message"], "detail": {}}
    }
    assert client.post("/api/v1/tours").json["error"]["code"] == "method_not_allowed"


def test_unexpected_errors_are_translated_500s(app: Any) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    response = app.test_client().get("/boom", headers={"Accept-Language": "ja"})
    assert response.status_code == 500
    assert "問題が発生しました" in response.get_data(as_text=True)
