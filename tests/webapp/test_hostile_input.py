"""Hostile input never gives a 500, on PostgreSQL as on SQLite: control characters (NUL,
CR, LF) in any text or parameter, and ids too large for the database's integer columns.
PostgreSQL refuses a NUL in text and an id above 2**31 - 1 with an error, where SQLite
stores or compares them, so each case runs on both databases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

HUGE_IDS = [2**31, 2**63 - 1, 2**63, 10**30]
CONTROL = ["a\x00b", "a\rb", "a\nb", "\x00"]


@pytest.fixture
def bearer(db: Any, studio_users: dict[str, Any]) -> dict[str, str]:
    """The Authorization header of a curator's token with every scope."""
    from tours.apitokens import create_token

    token = create_token(
        db, studio_users["curator"], "hostile", ["read:drafts", "write", "publish"]
    )
    return {"Authorization": f"Bearer {token.secret}"}


def _bodies(tour: Any) -> list[tuple[str, str, Any]]:
    stop = tour.stops[0]
    base = f"/api/v1/studio/tours/{tour.id}"
    hotspot = f"{base}/stops/{stop.id}/hotspots/{stop.hotspots[0].id}"
    calls: list[tuple[str, str, Any]] = []
    for bad in CONTROL:
        calls += [
            ("POST", "/api/v1/studio/tours", {"slug": "x", "default_locale": "en", "title": bad}),
            ("POST", "/api/v1/studio/tours", {"slug": bad, "default_locale": "en", "title": "t"}),
            ("POST", "/api/v1/studio/tours", {"slug": "y", "default_locale": bad, "title": "t"}),
            ("PATCH", base, {"default_locale": bad}),
            ("PATCH", base, {"languages": [bad]}),
            ("PATCH", base, {"texts": {"en": {"title": bad, "summary": bad, "site_name": bad}}}),
            ("PATCH", base, {"texts": {bad: {"title": "t"}}}),
            ("PATCH", base, {"rights": {"attribution": bad, "source": bad}}),
            ("PATCH", base, {"rights": {"statement": bad, "digitised": bad}}),
            ("POST", f"{base}/stops", {"texts": {"en": {"title": bad, "narration": bad}}}),
            ("POST", f"{base}/stops", {"camera": {"orbit": bad}, "lighting": bad}),
            ("PATCH", f"{base}/stops/{stop.id}", {"texts": {"en": {"model_alt": bad}}}),
            ("PATCH", f"{base}/stops/{stop.id}", {"camera": {"target": bad}, "lighting": bad}),
            ("POST", f"{base}/stops/{stop.id}/hotspots", {"position": bad, "normal": bad}),
            ("PATCH", hotspot, {"texts": {"en": {"label": bad, "body": bad}}}),
            ("PATCH", hotspot, {"view": {"orbit": bad, "field_of_view": bad}}),
            ("PUT", f"/api/v1/models/{stop.model_asset_id}/rights", {"attribution": bad}),
            ("PUT", f"/api/v1/models/{stop.model_asset_id}/rights", {"statement": bad}),
            ("POST", f"/api/v1/models/{stop.model_asset_id}/reprocess", {"up_axis": bad}),
            ("POST", "/api/v1/narration/preview", {"markdown": bad}),
            ("POST", "/api/v1/s3-uploads/finish", {"key": bad, "name": bad}),
            ("POST", "/api/v1/s3-uploads/sign", {"method": "GET", "key": bad, "uploadId": bad}),
            ("POST", "/api/v1/events", {"tour": bad, "lang": "en", "event": "view"}),
        ]
    for huge in HUGE_IDS:
        calls += [
            ("PUT", f"{base}/stops/order", {"stops": [huge]}),
            ("POST", f"{base}/stops", {"model_id": huge}),
            ("PATCH", f"{base}/stops/{stop.id}", {"model_id": huge}),
            ("POST", f"{base}/stops/{stop.id}/hotspots", {"link_stop_id": huge}),
            ("PATCH", hotspot, {"link_stop_id": huge}),
            ("POST", "/api/v1/events", {"tour": tour.slug, "stop": huge, "lang": "en"}),
        ]
    return calls


def test_api_bodies_with_control_characters_and_huge_ids(
    client: Any, published_tour: Any, bearer: dict[str, str]
) -> None:
    wrong = []
    for method, url, body in _bodies(published_tour):
        response = client.open(url, method=method, json=body, headers=bearer)
        if not 200 <= response.status_code < 500:
            wrong.append((method, url, body, response.status_code))
        elif response.status_code >= 400 and "error" not in response.json:
            wrong.append((method, url, body, "not the house error shape"))
    assert wrong == [], "\n".join(map(repr, wrong))


def _urls(app: Any, tour: Any, value: Any) -> list[str]:
    """Every route with ``value`` for each of its parameters that may take it."""
    stop = tour.stops[0]
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods and "POST" not in rule.methods:
            continue
        values = {}
        for name in rule.arguments:
            converter = type(rule._converters[name]).__name__
            values[name] = value if "Int" not in converter or isinstance(value, int) else 1
        try:
            urls.append(rule.build(values)[1])
        except Exception:
            continue
    del stop
    return urls


@pytest.mark.parametrize("value", [*HUGE_IDS, *CONTROL, "%00", "a%0d%0ab"])
def test_every_route_with_hostile_parameters(
    app: Any, client_as: Callable[[str | None], Any], published_tour: Any, value: Any
) -> None:
    browser = client_as("curator")
    wrong = []
    for url in _urls(app, published_tour, value):
        for method in ("GET", "POST"):
            response = browser.open(
                url, method=method, data={"x": value if isinstance(value, str) else "1"}
            )
            response.close()
            if response.status_code >= 500:
                wrong.append((method, url, response.status_code))
    for query in ("q", "page", "per_page", "tour", "lang", "url", "next", "format"):
        for url in (
            "/api/v1/tours",
            "/en/",
            "/oembed",
            "/studio/login",
            "/api/v1/narration/preview",
        ):
            response = browser.get(url, query_string={query: value})
            if response.status_code >= 500 and (url, query) != ("/oembed", "format"):  # 501: oEmbed
                wrong.append(("GET", url, query, response.status_code))
    assert wrong == [], "\n".join(map(repr, wrong))


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "code"),
    [
        (
            "POST",
            "/api/v1/studio/tours",
            {"slug": "x", "default_locale": "en", "title": "a\x00"},
            400,
            "control_characters",
        ),
        (
            "PATCH",
            "/api/v1/studio/tours/{tour}",
            {"texts": {"en": {"title": "a\nb"}}},
            400,
            "control_characters",
        ),
        (
            "PATCH",
            "/api/v1/studio/tours/{tour}/stops/{stop}",
            {"texts": {"en": {"narration": "a\x00b"}}},
            400,
            "control_characters",
        ),
        (
            "PATCH",
            "/api/v1/studio/tours/{tour}/stops/{stop}",
            {"texts": {"en": {"narration": "one\r\ntwo\n\tthree"}}},
            200,
            None,
        ),
        ("POST", "/api/v1/studio/tours/{tour}/stops", {"model_id": 2**31}, 400, "model_not_found"),
        ("POST", "/api/v1/studio/tours/{tour}/stops", {"model_id": 10**30}, 400, "model_not_found"),
        ("GET", "/api/v1/studio/tours/2147483648", None, 404, "not_found"),
        ("GET", "/api/v1/tours?q=a%00b", None, 400, "invalid_search"),
        ("GET", "/api/v1/tours?q=a%0Ab", None, 400, "invalid_search"),
    ],
)
def test_refusals_of_hostile_input_are_exact(
    client: Any,
    draft_tour: Any,
    bearer: dict[str, str],
    method: str,
    url: str,
    body: Any,
    status: int,
    code: str | None,
) -> None:
    url = url.format(tour=draft_tour.id, stop=draft_tour.stops[0].id)
    response = client.open(url, method=method, json=body, headers=bearer)
    assert response.status_code == status, response.json
    if code is not None:
        assert response.json["error"]["code"] == code


def test_the_catalogue_page_refuses_a_search_with_a_nul(client: Any) -> None:
    response = client.get("/en/?q=a%00b", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "The search holds invisible control characters" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", CONTROL)
def test_the_studio_forms_refuse_control_characters(
    client: Any, client_as: Callable[[str | None], Any], draft_tour: Any, studio: Any, value: str
) -> None:
    login = client.post(
        "/studio/login",
        data={"email": value, "password": value, "csrf_token": studio.csrf_token(client)},
    )
    assert login.status_code == 401
    admin = client_as("admin")
    form = {"title": "T" + value, "summary": "", "site_name": ""}
    page = admin.post(f"/studio/tours/{draft_tour.id}/texts/en", data=form, follow_redirects=True)
    assert "invisible control characters" in page.get_data(as_text=True)
    stop = draft_tour.stops[0].id
    for url, data in [
        ("/studio/users", {"email": f"a{value}@example.org", "password": value, "role": "curator"}),
        ("/studio/tokens", {"name": value, "scope": ["write"]}),
        (f"/studio/tours/{draft_tour.id}/stops", {"model": "\u00b2"}),
        (f"/studio/tours/{draft_tour.id}/stops/{stop}/model", {"model": "\u00b2"}),
        (f"/studio/tours/{draft_tour.id}/stops/{stop}/texts/en", {"title": value}),
        (f"/studio/tours/{draft_tour.id}/settings", {"default_locale": value}),
        (f"/studio/tours/{draft_tour.id}/languages", {"locale": value}),
    ]:
        response = admin.post(url, data=data)
        assert response.status_code < 500, (url, data)


@pytest.mark.parametrize(
    "url", ["/api/v1/tours?page=\u00b2", "/en/?page=\u00b2", "/oembed?url=x&maxwidth=\u00b2"]
)
def test_digits_that_are_not_ascii_are_refused(client: Any, url: str) -> None:
    assert client.get(url).status_code in {400, 404}


@pytest.mark.parametrize(
    "body",
    [
        {"method": "PUT", "uploadId": {}},  # falsy, but not "no upload": it was signed as one
        {"method": "PUT", "uploadId": "u", "partNumber": "1"},
        {"method": "PUT", "uploadId": "u", "partNumber": 1.5},
        {"method": "GET", "key": ["incoming/x"], "uploadId": "u"},
    ],
)
def test_direct_upload_signing_refuses_fields_of_the_wrong_type(
    client: Any, bearer: dict[str, str], backend: str, body: dict[str, Any]
) -> None:
    answer = client.post("/api/v1/s3-uploads/sign", json=body, headers=bearer)
    if backend == "sqlite-local":  # the local store takes uploads through the app
        assert answer.json["error"]["code"] == "direct_upload_unavailable"
    else:
        assert answer.status_code == 400
        assert answer.json["error"]["code"] == "invalid_upload_request"
