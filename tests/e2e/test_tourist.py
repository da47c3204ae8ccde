"""A tourist on a phone: the demo stop renders its model, languages switch, texts are local."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

DEMO = "/{lang}/tours/hue-imperial-city/{n}"


def _canvas_is_drawn(page: Any) -> bool:
    """Whether model-viewer's canvas has pixels that differ from each other (not blank)."""
    return bool(
        page.evaluate(
            """() => {
            const viewer = document.querySelector('model-viewer');
            const canvas = viewer && viewer.shadowRoot.querySelector('canvas');
            if (!canvas || !viewer.loaded) return false;
            const copy = document.createElement('canvas');
            copy.width = 64; copy.height = 64;
            const ctx = copy.getContext('2d');
            ctx.drawImage(canvas, 0, 0, 64, 64);
            const data = ctx.getImageData(0, 0, 64, 64).data;
            const colours = new Set();
            for (let i = 0; i < data.length; i += 4) {
                colours.add(data[i] + ',' + data[i + 1] + ',' + data[i + 2]);
            }
            return colours.size > 8;
        }"""
        )
    )


def test_demo_stop_renders_the_model(page: Any) -> None:
    page.goto(DEMO.format(lang="en", n=1))
    page.wait_for_function(
        "document.querySelector('model-viewer')?.loaded === true", timeout=60_000
    )
    page.wait_for_function(
        "(() => { const v = document.querySelector('model-viewer');"
        " const c = v.shadowRoot.querySelector('canvas'); return c && c.width > 0; })()",
        timeout=30_000,
    )
    page.wait_for_timeout(1000)
    assert _canvas_is_drawn(page)


def test_language_switch_keeps_the_page(page: Any) -> None:
    page.goto(DEMO.format(lang="en", n=2))
    page.click("nav.languages a[hreflang=ko]")
    page.wait_for_url("**/ko/tours/hue-imperial-city/2")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert "2" in page.locator(".progress").inner_text()


@pytest.mark.parametrize(
    ("lang", "stop_label", "next_label"),
    [("vi", "Điểm 1 / 5", "Điểm tiếp theo"), ("ko", "5개 중 1번째 지점", "다음 지점")],
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
