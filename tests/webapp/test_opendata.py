"""Standard exports over HTTP: the IIIF manifest of each published tour and the open data
dumps, on both databases; valid against the IIIF JSON Schema, in every language, public
reads (CORS, ETag, 304), never a 500 for a hostile address, nothing unpublished shown."""

from __future__ import annotations

import csv
import gzip
import io
import json
from typing import Any

import pytest

from tours.locales import INTERFACE_LOCALES

BY = "https://creativecommons.org/licenses/by/4.0/"
INC = "http://rightsstatements.org/vocab/InC/1.0/"
MANIFEST = "/iiif/citadel/manifest.json"
IIIF_TYPE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


@pytest.fixture
def rights_tour(db: Any, draft_tour: Any) -> Any:
    """``draft_tour`` with rights on the tour and its model, published."""
    from tours.publishing import publish_tour
    from tours.rights import check_rights, set_rights

    set_rights(db, draft_tour, check_rights(BY, "Hue Monuments Centre", "Hue team", "2024-05"))
    set_rights(db, draft_tour.stops[0].model, check_rights(INC, "Scan: Mai"))
    publish_tour(db, draft_tour)
    return draft_tour


def _labels(language_map: dict[str, list[str]]) -> set[str]:
    return set(language_map)


def test_manifest_of_a_published_tour_is_valid_iiif_in_every_language(
    client: Any, rights_tour: Any, iiif_errors: Any
) -> None:
    response = client.get(MANIFEST)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == IIIF_TYPE
    manifest = json.loads(response.data)
    assert iiif_errors([manifest]) == [[]]
    assert manifest["id"] == f"http://localhost{MANIFEST}"
    assert manifest["label"] == {"en": ["The Citadel"], "vi": ["Kinh thành"]}
    assert _labels(manifest["summary"]) == {"en", "vi"}
    assert manifest["rights"] == "http://creativecommons.org/licenses/by/4.0/"
    statement = manifest["requiredStatement"]
    assert statement["value"] == {"none": ["Hue Monuments Centre"]}
    assert _labels(statement["label"]) == set(INTERFACE_LOCALES)
    assert statement["label"]["en"] == ["Attribution"]
    assert (statement["label"]["fr"], statement["label"]["vi"]) == (["Crédit"], ["Ghi công"])
    assert [page["language"] for page in manifest["homepage"]] == [[x] for x in INTERFACE_LOCALES]
    assert manifest["homepage"][1]["id"] == "http://localhost/en/tours/citadel/"
    canvases = manifest["items"]
    assert [c["label"] for c in canvases] == [
        {"en": ["The gate"], "vi": ["Cổng"]},
        {"en": ["The tower"], "vi": ["Tháp"]},
    ]
    assert canvases[0]["summary"] == {"en": ["Narration of The gate."], "vi": ["Lời kể Cổng."]}
    body = canvases[0]["items"][0]["items"][0]["body"]
    model, poster = body["items"]
    level = rights_tour.stops[0].model.levels["high"]["key"]
    assert model == {
        "id": f"http://localhost/media/{level}",
        "type": "Model",
        "format": "model/gltf-binary",
        "label": {"en": ["Model of The gate"], "vi": ["Mô hình Cổng"]},
        "rights": INC,
        "requiredStatement": {"label": statement["label"], "value": {"none": ["Scan: Mai"]}},
    }
    assert poster["type"] == "Image" and poster["id"].startswith("http://localhost/media/posters/")
    assert manifest["thumbnail"] == [poster]
    assert manifest["seeAlso"][0]["id"] == "http://localhost/api/v1/tours/citadel"


def test_manifest_is_a_public_read_with_etag_and_cors(client: Any, published_tour: Any) -> None:
    first = client.get(MANIFEST)
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in first.headers["Access-Control-Expose-Headers"]
    assert first.headers["Cache-Control"].startswith("public")
    packed = client.get(MANIFEST, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.data)) == json.loads(first.data)
    etag = first.headers["ETag"]
    again = client.get(MANIFEST, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    preflight = client.options(
        MANIFEST,
        headers={"Origin": "https://museum.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]


def test_republishing_changes_the_manifest_etag(client: Any, db: Any, published_tour: Any) -> None:
    from tours.models import TourText
    from tours.publishing import publish_tour

    etag = client.get(MANIFEST).headers["ETag"]
    published_tour.texts.append(TourText(locale="fr", title="La Citadelle"))
    publish_tour(db, published_tour)
    response = client.get(MANIFEST, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert json.loads(response.data)["label"]["fr"] == ["La Citadelle"]


def test_unpublished_tours_have_no_manifest_and_are_not_in_the_dumps(
    client: Any, db: Any, draft_tour: Any
) -> None:
    from tours.publishing import publish_tour, unpublish_tour

    def seen() -> tuple[int, list[str], str]:
        status = client.get(MANIFEST).status_code
        tours = [
            t["slug"] for t in json.loads(client.get("/api/v1/dumps/tours.json").data)["tours"]
        ]
        return status, tours, client.get("/api/v1/dumps/stops.csv").get_data(as_text=True)

    status, tours, table = seen()
    assert (status, tours) == (404, [])
    assert "citadel" not in table
    publish_tour(db, draft_tour)
    status, tours, table = seen()
    assert (status, tours) == (200, ["citadel"])
    assert "citadel" in table
    unpublish_tour(db, draft_tour)
    status, tours, table = seen()
    assert (status, tours) == (404, [])
    assert "citadel" not in table


@pytest.mark.parametrize(
    "path",
    [
        "/iiif/nowhere/manifest.json",
        "/iiif/..%2F..%2Fetc/manifest.json",
        "/iiif/%00/manifest.json",
        "/iiif/" + "a" * 500 + "/manifest.json",
        "/iiif/Citadel/manifest.json",
        "/iiif/citadel%27%3B--/manifest.json",
        "/iiif/%C3%BF/manifest.json",
        "/iiif/citadel/manifest.json/..",
        "/iiif/citadel/",
        "/api/v1/dumps/tours.json/x",
    ],
)
def test_hostile_addresses_are_404_in_json(client: Any, published_tour: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json["error"]["code"] in {"tour_not_found", "not_found"}


def test_json_dump_holds_every_published_document_with_rights(
    client: Any, rights_tour: Any, db: Any
) -> None:
    from tours.catalogue import published_document

    response = client.get("/api/v1/dumps/tours.json")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    dump = json.loads(response.data)
    assert dump["format"] == "heritour.opendata" and dump["version"] == 1
    assert dump["media"] == "http://localhost/media/{key}"
    [entry] = dump["tours"]
    document, revision = published_document(db, "citadel")
    assert entry["document"] == document and entry["revision"] == revision
    assert entry["rights"]["statement"] == BY
    assert entry["document"]["stops"][0]["model"]["rights"]["statement"] == INC
    assert entry["manifest"] == f"http://localhost{MANIFEST}"
    assert set(entry["pages"]) == set(INTERFACE_LOCALES)
    etag = response.headers["ETag"]
    assert (
        client.get("/api/v1/dumps/tours.json", headers={"If-None-Match": etag}).status_code == 304
    )


def test_csv_dump_has_a_row_per_stop_and_language_with_texts_rights_and_addresses(
    client: Any, rights_tour: Any
) -> None:
    response = client.get("/api/v1/dumps/stops.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8; header=present"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["tour"], r["stop"], r["language"], r["title"], r["narration"]) for r in rows] == [
        ("citadel", "1", "en", "The gate", "Narration of **The gate**."),
        ("citadel", "1", "vi", "Cổng", "Lời kể **Cổng**."),
        ("citadel", "2", "en", "The tower", "Narration of **The tower**."),
        ("citadel", "2", "vi", "Tháp", "Lời kể **Tháp**."),
    ]
    first = rows[0]
    assert (first["media"], first["media_statement"], first["media_attribution"]) == (
        "model",
        INC,
        "Scan: Mai",
    )
    assert (first["tour_statement"], first["tour_attribution"]) == (BY, "Hue Monuments Centre")
    assert (first["tour_source"], first["tour_digitised"]) == ("Hue team", "2024-05")
    level = rights_tour.stops[0].model.levels["high"]["key"]
    assert first["model_url"] == f"http://localhost/media/{level}"
    assert first["poster_url"].startswith("http://localhost/media/posters/")
    assert first["panorama_url"] == ""
    etag = response.headers["ETag"]
    assert client.get("/api/v1/dumps/stops.csv", headers={"If-None-Match": etag}).status_code == 304


def test_api_index_and_openapi_name_the_exports(client: Any) -> None:
    index = client.get("/api/v1/").json
    assert index["dumps"] == {
        "json": "http://localhost/api/v1/dumps/tours.json",
        "csv": "http://localhost/api/v1/dumps/stops.csv",
    }
    assert index["iiif_manifest"] == "http://localhost/iiif/{slug}/manifest.json"
    assert index["stop"] == "http://localhost/api/v1/tours/{slug}/stops/{number}"
    assert index["openapi"] == "http://localhost/api/v1/openapi.json"
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/dumps/tours.json",
        "/api/v1/dumps/stops.csv",
        "/iiif/{slug}/manifest.json",
    ):
        assert "get" in paths[path], path


def test_pages_link_to_the_manifest_and_the_dumps(client: Any, published_tour: Any) -> None:
    tour = client.get("/fr/tours/citadel/").get_data(as_text=True)
    assert (
        f'<link rel="alternate" type=\'{IIIF_TYPE}\' href="http://localhost{MANIFEST}"'
        ' title="Manifeste IIIF">'
    ) in tour
    assert f'<a href="{MANIFEST}" type="application/ld+json">Manifeste IIIF</a>' in tour
    catalogue = client.get("/fr/").get_data(as_text=True)
    assert 'type="text/csv" href="http://localhost/api/v1/dumps/stops.csv"' in catalogue
    assert '<a href="/api/v1/dumps/tours.json" type="application/json">' in catalogue


def test_the_studio_preview_of_a_draft_links_no_manifest(curator: Any, draft_tour: Any) -> None:
    page = curator.get(f"/studio/tours/{draft_tour.id}/preview").get_data(as_text=True)
    assert "/iiif/" not in page and "application/ld+json;profile" not in page
