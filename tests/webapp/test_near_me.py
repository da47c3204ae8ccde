"""Near me: the catalogue sorted by the distance of each tour's site from the visitor, and
directions to the site in the phone's own maps app."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tours.nearby import Point, distance_km, location_point, parse_point

HUE = Point(16.4698, 107.5786)


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        (Point(0, 0), Point(0, 1), 111.195),  # one degree of the equator
        (Point(0, 0), Point(0, 180), 20015.115),  # half the equator
        (Point(90, 0), Point(-90, 0), 20015.115),  # pole to pole
        (HUE, HUE, 0.0),
    ],
)
def test_distance_is_the_great_circle(a: Point, b: Point, km: float) -> None:
    assert distance_km(a, b) == pytest.approx(km, abs=0.001)
    assert distance_km(b, a) == pytest.approx(km, abs=0.001)


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("16.47,107.579", Point(16.47, 107.579)),
        (" -33.8688 , 151.2093 ", Point(-33.8688, 151.2093)),
        ("91,0", None),
        ("0,181", None),
        ("16.47", None),
        ("a,b", None),
        ("1e3,2", None),
        ("", None),
    ],
)
def test_points_are_read_strictly(text: str, point: Point | None) -> None:
    assert parse_point(text) == point


def test_a_location_without_numbers_is_no_point() -> None:
    assert location_point({"latitude": 1, "longitude": 2}) == Point(1, 2)
    assert location_point({"latitude": "x", "longitude": 2}) is None
    assert location_point(None) is None and location_point({"latitude": 1}) is None


@pytest.fixture
def located_tours(db: Any, ready_asset: Any) -> list[str]:
    """Four published tours, newest last: Huế, Hội An, Hà Nội, and one with no location."""
    from tours.models import Stop, StopText, Tour, TourText
    from tours.publishing import publish_tour

    places = [
        ("hue", (16.4698, 107.5786)),
        ("hoi-an", (15.8801, 108.3380)),
        ("ha-noi", (21.0285, 105.8542)),
        ("nowhere", None),
    ]
    for slug, place in places:
        tour = Tour(slug=slug, default_locale="en")
        if place:
            tour.latitude, tour.longitude = place
        tour.texts = [TourText(locale="en", title=slug.title(), summary="S", site_name=slug)]
        stop = Stop(position=0, model_asset_id=ready_asset.id)
        stop.texts = [StopText(locale="en", title="One", narration="N", model_alt="A")]
        tour.stops.append(stop)
        db.add(tour)
        db.commit()
        publish_tour(db, tour)
    return [slug for slug, _place in places]


def _slugs(html: str) -> list[str]:
    return re.findall(r'<li class="card">\s*<a href="/en/tours/([^/]+)/"', html)


def test_catalogue_sorts_tours_by_distance_from_the_visitor(
    client: Any, located_tours: list[str]
) -> None:
    newest = client.get("/en/").get_data(as_text=True)
    assert _slugs(newest) == ["nowhere", "ha-noi", "hoi-an", "hue"]
    assert 'id="near-me-button" hidden' in newest and "js/near-me.js" in newest
    answer = client.get("/en/?near=21.03,105.85")
    assert answer.headers["Cache-Control"] == "private, no-cache"  # no shared cache keeps it
    assert client.get("/en/").headers["Cache-Control"].startswith("public")
    in_hanoi = answer.get_data(as_text=True)
    assert _slugs(in_hanoi) == ["ha-noi", "hue", "hoi-an", "nowhere"]
    distances = re.findall(r'<p class="meta distance">([^<]+)</p>', in_hanoi)
    assert distances == ["0.5 km away", "539 km away", "630 km away"]
    assert "Nearest tours first." in in_hanoi and '<a href="/en/">Newest first</a>' in in_hanoi
    assert '<input type="hidden" name="near" value="21.03,105.85">' in in_hanoi
    at_hue = client.get("/en/?near=16.47,107.58&q=o").get_data(as_text=True)
    assert _slugs(at_hue) == ["hoi-an", "ha-noi", "nowhere"]  # the search still applies
    assert _slugs(client.get("/en/?near=nonsense").get_data(as_text=True)) == _slugs(newest)


def test_near_me_keeps_the_position_on_page_links(client: Any, located_tours: list[str]) -> None:
    from tours.listing import catalogue_page
    from webapp.extensions import db

    page = catalogue_page(db.session, "en", size=2, number=2, near=Point(21.03, 105.85))
    assert [card.slug for card in page.cards] == ["hoi-an", "nowhere"]
    assert page.total == 4 and page.cards[1].distance_km is None


def test_tour_page_gives_directions_in_the_phones_maps_app(
    client: Any, located_tours: list[str]
) -> None:
    html = client.get("/en/tours/hue/").get_data(as_text=True)
    assert '<a href="geo:16.4698,107.5786?q=16.4698,107.5786(hue)">' in html
    assert '<a href="https://maps.apple.com/?daddr=16.4698,107.5786&amp;q=hue">' in html
    assert "tile" not in html.split('class="directions"')[1].split("</p>")[0]
    assert 'class="directions"' not in client.get("/en/tours/nowhere/").get_data(as_text=True)


def test_curator_places_a_stop_and_tourists_get_directions_to_it(
    curator: Any, db: Any, draft_tour: Any, client: Any
) -> None:
    from tours.publishing import publish_tour

    stop = draft_tour.stops[1]
    url = f"/studio/tours/{draft_tour.id}/stops/{stop.id}"
    editor = curator.get(url).get_data(as_text=True)
    assert 'action="' + url + '/location"' in editor and 'id="stop-latitude"' in editor
    refused = curator.post(f"{url}/location", data={"latitude": "95", "longitude": "1"})
    assert refused.status_code == 302
    assert "Latitude and longitude must be numbers" in curator.get(url).get_data(as_text=True)
    saved = curator.post(f"{url}/location", data={"latitude": "16.4533", "longitude": "107.5447"})
    assert saved.status_code == 302
    assert "The stop&#39;s location is saved." in curator.get(url).get_data(as_text=True)
    db.refresh(stop)
    assert (stop.latitude, stop.longitude) == (16.4533, 107.5447)
    publish_tour(db, draft_tour)

    overview = client.get("/en/tours/citadel/").get_data(as_text=True)
    assert '<li data-latitude="16.4533" data-longitude="107.5447">' in overview
    assert overview.count('<p class="directions">') == 1  # the tour itself has no location
    assert 'href="geo:16.4533,107.5447?q=16.4533,107.5447(The%20tower)"' in overview
    assert 'id="near-stops-button" hidden' in overview and "js/near-me.js" in overview
    page = client.get("/en/tours/citadel/2").get_data(as_text=True)
    assert "Directions to this stop:" in page and "maps.apple.com/?daddr=16.4533,107.5447" in page
    assert "Directions to this stop:" not in client.get("/en/tours/citadel/1").get_data(
        as_text=True
    )

    curator.post(f"{url}/location", data={"latitude": "", "longitude": ""})
    db.refresh(stop)
    assert stop.latitude is None and stop.longitude is None


def test_stop_locations_travel_in_bundles(db: Any, draft_tour: Any) -> None:
    from tours.document import tour_document

    draft_tour.stops[0].latitude, draft_tour.stops[0].longitude = 16.4668, 107.579
    db.commit()
    document = tour_document(draft_tour)
    assert document["stops"][0]["location"] == {"latitude": 16.4668, "longitude": 107.579}
    assert "location" not in document["stops"][1]


def test_the_demo_places_each_of_its_stops() -> None:
    import json
    from pathlib import Path

    import tours.demo

    bundle = json.loads((Path(tours.demo.__file__).parent / "tour.json").read_text())
    places = [stop.get("location") for stop in bundle["tour"]["stops"]]
    tour = location_point(bundle["tour"]["location"])
    assert tour is not None and all(places)
    for place in places:  # every stop lies within 15 km of the tour's site
        point = location_point(place)
        assert point is not None and distance_km(tour, point) < 15
