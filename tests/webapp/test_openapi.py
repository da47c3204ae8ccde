"""The OpenAPI document is generated from the routes: valid, complete and exact."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate


def test_document_is_valid_openapi_3_1(client: Any) -> None:
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_studio_routes_need_a_session_with_csrf_or_a_token_with_a_scope(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]
    delete = paths["/api/v1/models/{asset_id}"]["delete"]
    assert delete["security"] == [{"session": [], "csrf": []}, {"bearer": ["write"]}]
    publish = paths["/api/v1/studio/tours/{tour_id}/publication"]["post"]
    assert publish["security"][1] == {"bearer": ["publish"]}
    assert paths["/api/v1/models"]["get"]["security"][1] == {"bearer": ["read:drafts"]}
    for status in ("401", "403", "429"):
        assert status in publish["responses"]
    changes = {"post", "put", "patch", "delete"}
    for path, item in paths.items():  # every change from a session may lack its CSRF token
        for method in changes & set(item):
            if "studio" in item[method].get("tags", []):
                answer = item[method]["responses"]["400"]
                assert "csrf_failed" in answer["description"], (path, method)
    assert delete["responses"]["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert "security" not in paths["/api/v1/tours/{slug}"]["get"]  # the public API is open


def test_the_reference_page_shows_every_operation_in_the_readers_language(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]
    page = client.get("/api/v1/docs", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert "<caption>Paramètres</caption>" in html
    for path, item in paths.items():
        for method in set(item) - {"parameters"}:
            assert f"<code>{method.upper()} {path}</code>" in html
    assert '<p lang="en"><strong>Published tours</strong></p>' in html  # written in English
