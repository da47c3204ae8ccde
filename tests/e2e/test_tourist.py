"""A tourist on a phone: the demo stop renders its model, languages switch, texts are local."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

DEMO = "/{lang}/tours/hue-imperial-city/{n}"


def test_demo_stop_renders_the_model(page: Any, model_drawn: str) -> None:
    page.goto(DEMO.format(lang="en", n=1))
    page.wait_for_function(
        "() => document.querySelector('model-viewer')?.loaded === true", timeout=60_000
    )
    page.wait_for_function(
        "(() => { const v = document.querySelector('model-viewer');"
        " const c = v.shadowRoot.querySelector('canvas'); return c && c.width > 0; })()",
        timeout=30_000,
    )
    page.wait_for_function(model_drawn, timeout=30_000)  # a drawn model, not a blank canvas


def test_language_switch_keeps_the_page(page: Any) -> None:
    page.goto(DEMO.format(lang="en", n=2))
    assert not page.locator("nav.languages a[hreflang=ko]").is_visible()  # a closed menu
    page.click(".language-menu summary")
    page.click("nav.languages a[hreflang=ko]")
    page.wait_for_url("**/ko/tours/hue-imperial-city/2")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert "2" in page.locator(".progress").inner_text()


@pytest.mark.parametrize(
    ("lang", "stop_label", "next_label"),
    [("vi", "Điểm 1 / 7", "Điểm tiếp theo"), ("ko", "7개 중 1번째 지점", "다음 지점")],
)
def test_pages_show_their_own_language(
    page: Any, lang: str, stop_label: str, next_label: str
) -> None:
    page.goto(DEMO.format(lang=lang, n=1))
    assert page.locator(".progress").inner_text() == stop_label
    assert page.locator("a[rel=next]").inner_text() == next_label
    assert page.locator(".fallback-notice").count() == 0
    narration = page.locator(".narration").inner_text()
    if lang == "ko":
        assert any("\uac00" <= ch <= "\ud7a3" for ch in narration)  # Hangul syllables
    else:
        assert "Ngọ Môn" in narration


def test_header_fits_on_one_line_of_a_phone(page: Any) -> None:
    page.goto(DEMO.format(lang="vi", n=1))
    header = page.locator(".site-header").bounding_box()
    brand = page.locator(".brand").bounding_box()
    menu = page.locator(".language-menu summary").bounding_box()
    assert header["height"] <= 60
    assert abs((brand["y"] + brand["height"] / 2) - (menu["y"] + menu["height"] / 2)) < 4
    assert menu["x"] + menu["width"] <= 390


def test_swipe_moves_between_stops(page: Any) -> None:
    page.goto(DEMO.format(lang="en", n=2))
    cdp = page.context.new_cdp_session(page)

    def swipe(from_x: int, to_x: int, y: int = 700) -> None:
        cdp.send(
            "Input.dispatchTouchEvent",
            {"type": "touchStart", "touchPoints": [{"x": from_x, "y": y}]},
        )
        for step in range(1, 6):
            x = from_x + (to_x - from_x) * step / 5
            cdp.send(
                "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
            )
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    page.locator(".narration").scroll_into_view_if_needed()
    box = page.locator(".narration").bounding_box()
    y = int(box["y"] + min(box["height"] / 2, 40))
    swipe(320, 60, y)  # right to left: next stop
    page.wait_for_url("**/en/tours/hue-imperial-city/3")
    page.locator(".narration").scroll_into_view_if_needed()
    box = page.locator(".narration").bounding_box()
    y = int(box["y"] + min(box["height"] / 2, 40))
    swipe(60, 320, y)  # left to right: previous stop
    page.wait_for_url("**/en/tours/hue-imperial-city/2")
    assert page.locator(".progress").inner_text() == "Stop 2 of 7"
