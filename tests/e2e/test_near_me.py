"""Near me on a phone: with the visitor's permission, the catalogue sorts tours and a tour
sorts its stops by distance, and each located stop links to the phone's maps app. Without
permission the page says so and keeps its order. Nothing is fetched from other hosts (the
guarded context blocks and records any such request)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.e2e

SLUG = "hue-imperial-city"
AT_THIEN_MU = {"latitude": 16.4540, "longitude": 107.5450}  # beside the pagoda's tower


def test_a_visitor_on_site_gets_tours_and_stops_nearest_first(
    new_context: Any, live_server: str
) -> None:
    context = new_context(
        live_server, geolocation=AT_THIEN_MU, permissions=["geolocation"], locale="en-US"
    )
    page = context.new_page()
    page.goto("/en/")
    page.get_by_role("button", name="Tours near me").click()
    page.wait_for_url(lambda url: "near=" in url)
    assert parse_qs(urlsplit(page.url).query) == {"near": ["16.454,107.545"]}  # about 100 m
    distance = page.locator(".card .distance")
    assert distance.inner_text() == "4.0 km away"
    assert page.get_by_text("Nearest tours first.").is_visible()

    page.goto(f"/en/tours/{SLUG}/")
    stops = page.locator("ol.stops > li")
    before = stops.locator("a > span").all_inner_texts()
    page.get_by_role("button", name="Stops near me").click()
    page.get_by_role("status").filter(has_text="Nearest stops first.").wait_for()
    after = stops.locator("a > span").all_inner_texts()
    assert sorted(after) == sorted(before) and after != before
    assert after[0] == before[2]  # the Phước Duyên tower, a few steps away
    assert stops.first.locator(".distance").inner_text() == "0.1 km away"
    assert after[-1] == before[6]  # Khải Định's tomb, far south
    maps = stops.first.get_by_role("link", name="Open in the maps app")
    assert maps.get_attribute("href").startswith("geo:16.4533,107.5447?q=16.4533,107.5447(")
    apple = stops.first.get_by_role("link", name="Open in Apple Maps")
    assert apple.get_attribute("href").startswith("https://maps.apple.com/?daddr=16.4533,107.5447")


def test_without_permission_the_order_stays_and_the_page_says_why(
    new_context: Any, live_server: str
) -> None:
    page = new_context(live_server, locale="en-US").new_page()
    page.goto(f"/en/tours/{SLUG}/")
    before = page.locator("ol.stops > li a > span").all_inner_texts()
    page.get_by_role("button", name="Stops near me").click()
    page.get_by_role("status").filter(has_text="Your position is not available.").wait_for()
    assert page.locator("ol.stops > li a > span").all_inner_texts() == before
