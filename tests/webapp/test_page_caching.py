"""Public pages can be kept by proxies and revalidated (ETag, 304); studio pages cannot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import template_rendered

from tours.publishing import publish_tour, unpublish_tour

PAGES = ["/en/", "/en/tours/citadel/", "/en/tours/citadel/2", "/en/tours/citadel/end"]
PUBLIC = "public, max-age=0, s-maxage=10, stale-while-revalidate=60"


@pytest.fixture
def visitor(client: Any) -> Any:
    """A returning visitor: their language cookie is already set, as pages set it."""
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def rendered(app: Any) -> Iterator[list[str]]:
    """The names of the templates rendered while the test runs."""
    names: list[str] = []

    def record(_sender: Any, template: Any, **_extra: Any) -> None:
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


@pytest.mark.backends
@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_an_etag_and_public_cache_control(
    visitor: Any, published_tour: Any, rendered: list[str], path: str
) -> None:
    response = visitor.get(path)
    assert response.status_code == 200
    etag, weak = response.get_etag()
    assert weak and len(etag) == 32
    assert response.headers["Cache-Control"] == PUBLIC
    assert "Accept-Language" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers
    rendered.clear()
    again = visitor.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.get_etag() == (etag, True)
    assert again.headers["Cache-Control"] == PUBLIC
    assert rendered == []  # answered before anything was rendered


@pytest.mark.backends
def test_publishing_and_unpublishing_change_what_is_served_at_once(
    visitor: Any, db: Any, published_tour: Any
) -> None:
    page = visitor.get("/en/tours/citadel/")
    etag = page.headers["ETag"]
    english = next(text for text in published_tour.texts if text.locale == "en")
    english.title = "The Imperial Citadel"
    db.commit()
    assert visitor.get("/en/tours/citadel/", headers={"If-None-Match": etag}).status_code == 304
    publish_tour(db, published_tour)
    fresh = visitor.get("/en/tours/citadel/", headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert "The Imperial Citadel" in fresh.get_data(as_text=True)
    assert fresh.headers["ETag"] != etag
    catalogue = visitor.get("/en/").headers["ETag"]
    unpublish_tour(db, published_tour)
    gone = visitor.get("/en/", headers={"If-None-Match": catalogue})
    assert gone.status_code == 200
    assert "The Imperial Citadel" not in gone.get_data(as_text=True)
    assert visitor.get("/en/tours/citadel/").status_code == 404


@pytest.mark.backends
def test_etag_differs_by_language_query_and_accept_language(
    visitor: Any, published_tour: Any
) -> None:
    tags = {
        visitor.get(path, headers=headers).headers["ETag"]
        for path, headers in [
            ("/en/", {}),
            ("/en/?q=hue", {}),
            ("/en/", {"Accept-Language": "fr"}),
            ("/en/", {"Accept-Language": "ko, en"}),
        ]
    }
    assert len(tags) == 4
    visitor.set_cookie("lang", "vi")
    assert visitor.get("/vi/").headers["ETag"] not in tags


@pytest.mark.backends
def test_a_page_that_sets_the_language_cookie_stays_private(
    client: Any, published_tour: Any
) -> None:
    response = client.get("/fr/")
    assert "lang=fr" in response.headers["Set-Cookie"]
    assert response.headers["Cache-Control"] == "private, no-cache"


@pytest.mark.backends
def test_missing_pages_are_not_cached_publicly(visitor: Any, published_tour: Any) -> None:
    for path in ["/en/tours/nowhere/", "/en/tours/citadel/9"]:
        response = visitor.get(path)
        assert response.status_code == 404
        assert "public" not in response.headers.get("Cache-Control", "")
        assert "ETag" not in response.headers


@pytest.mark.backends
@pytest.mark.parametrize("path", ["/studio/login", "/studio/"])
def test_studio_pages_are_never_stored(client: Any, path: str) -> None:
    assert client.get(path).headers["Cache-Control"] == "no-store"


@pytest.mark.backends
def test_signed_in_studio_pages_are_never_stored(curator: Any, published_tour: Any) -> None:
    response = curator.get("/studio/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


@pytest.mark.backends
def test_stop_pages_vary_on_save_data(visitor: Any, published_tour: Any) -> None:
    full = visitor.get("/en/tours/citadel/1")
    light = visitor.get("/en/tours/citadel/1", headers={"Save-Data": "on"})
    assert "Save-Data" in full.headers["Vary"] and "Save-Data" in light.headers["Vary"]
    assert full.headers["ETag"] != light.headers["ETag"]
    assert full.data != light.data
    stale = visitor.get(
        "/en/tours/citadel/1", headers={"Save-Data": "on", "If-None-Match": full.headers["ETag"]}
    )
    assert stale.status_code == 200
