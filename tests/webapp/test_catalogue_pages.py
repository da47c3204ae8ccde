"""The catalogue page and the tour API, a page at a time, searched in the database."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tours.models import Stop, StopText, Tour, TourText
from tours.publishing import publish_tour

PER_PAGE = 24


@pytest.fixture
def many_tours(db: Any, ready_asset: Any) -> int:
    """Thirty published tours, ``tour-0`` the oldest, the fourth one at Đại Nội."""
    count = 30
    for number in range(count):
        site = "Đại Nội" if number == 3 else "Huế"
        tour = Tour(slug=f"tour-{number}", default_locale="vi")
        tour.texts = [TourText(locale="vi", title=f"Chuyến {number}", site_name=site)]
        stop = Stop(position=0, model_asset_id=ready_asset.id)
        stop.texts = [StopText(locale="vi", title="Dừng", narration="Lời kể.")]
        tour.stops = [stop]
        db.add(tour)
        db.commit()
        publish_tour(db, tour)
    return count


def card_slugs(page: str) -> list[str]:
    return re.findall(r'href="/en/tours/([a-z0-9-]+)/"', page)


@pytest.mark.backends
def test_catalogue_pages_link_to_each_other(client: Any, many_tours: int) -> None:
    first = client.get("/en/").get_data(as_text=True)
    assert card_slugs(first) == [f"tour-{n}" for n in range(29, 29 - PER_PAGE, -1)]
    assert 'rel="next" href="/en/?page=2"' in first
    assert 'rel="prev"' not in first
    assert "Page 1 of 2" in first
    second = client.get("/en/?page=2").get_data(as_text=True)
    assert card_slugs(second) == [f"tour-{n}" for n in range(5, -1, -1)]
    assert 'rel="prev" href="/en/?page=1"' in second
    assert 'rel="next"' not in second


@pytest.mark.backends
@pytest.mark.parametrize("page", ["3", "0", "-1", "two", "9999999999"])
def test_catalogue_page_out_of_range_is_not_found(client: Any, many_tours: int, page: str) -> None:
    assert client.get(f"/en/?page={page}").status_code == 404


@pytest.mark.backends
def test_catalogue_search_is_accent_blind_and_keeps_the_query_on_page_links(
    client: Any, many_tours: int
) -> None:
    found = client.get("/en/?q=DAI+NOI").get_data(as_text=True)
    assert card_slugs(found) == ["tour-3"]
    assert "1 tour found" in found
    everything = client.get("/en/?q=hue").get_data(as_text=True)
    assert "29 tours found" in everything
    assert 'rel="next" href="/en/?page=2&amp;q=hue"' in everything


@pytest.mark.backends
def test_api_pages_with_next_links_until_the_last(client: Any, many_tours: int) -> None:
    seen: list[str] = []
    url: str | None = "/api/v1/tours?per_page=12"
    while url:
        body = client.get(url).json
        assert body["total"] == many_tours
        assert body["pages"] == 3
        seen += [tour["slug"] for tour in body["tours"]]
        url = body["next"]
    assert seen == [f"tour-{n}" for n in range(29, -1, -1)]


@pytest.mark.backends
def test_api_searches_folded(client: Any, many_tours: int) -> None:
    body = client.get("/api/v1/tours?q=%C4%91%E1%BA%A1i%20n%E1%BB%99i").json  # "đại nội"
    assert [tour["slug"] for tour in body["tours"]] == ["tour-3"]
    assert (body["total"], body["next"]) == (1, None)


@pytest.mark.backends
@pytest.mark.parametrize("query", ["page=0", "page=x", "per_page=101", "per_page=0"])
def test_api_refuses_bad_pages(client: Any, query: str) -> None:
    response = client.get(f"/api/v1/tours?{query}", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "invalid_page"
    assert error["message"] == "Ask for a page by its number, from 1 (for example ?page=2)."
