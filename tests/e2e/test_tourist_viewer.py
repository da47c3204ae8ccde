"""The progressive viewer on a phone: poster first, thumb first, the level that fits the
device and network, and text-only when WebGL is missing."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}
SAVE_DATA_API = """Object.defineProperty(Navigator.prototype, 'connection', {
    get: () => ({saveData: true, effectiveType: '4g', downlink: 10})})"""
FAST_API = """Object.defineProperty(Navigator.prototype, 'connection', {
    get: () => ({saveData: false, effectiveType: '4g', downlink: 10})})"""
NO_WEBGL = """(() => { delete window.WebGLRenderingContext; delete window.WebGL2RenderingContext;
    const original = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
        return /webgl/.test(type) ? null : original.call(this, type, ...rest); }; })()"""


def _levels(page: Any) -> dict[str, str]:
    urls: dict[str, str] = page.evaluate(
        "() => ({...document.querySelector('model-viewer').dataset})"
    )
    return {level: urls[level] for level in ("thumb", "low", "medium", "high")}


def _requested_levels(requests: list[str], levels: dict[str, str]) -> list[str]:
    found = []
    for url in requests:
        for level, path in levels.items():
            if url.endswith(path):
                found.append(level)
    return found


@pytest.mark.parametrize(
    ("options", "init_script", "wanted"),
    [
        ({}, None, "medium"),  # an ordinary phone on an ordinary network
        ({"extra_http_headers": {"Save-Data": "on"}, **DESKTOP}, None, "low"),
        (DESKTOP, SAVE_DATA_API, "low"),
        (DESKTOP, FAST_API, "high"),  # a large screen with a fast connection
    ],
    ids=["phone", "save-data-header", "save-data-api", "desktop"],
)
def test_viewer_shows_thumb_then_the_level_that_fits(
    new_context: Any,
    levels_server: str,
    watch_network: Any,
    options: dict[str, Any],
    init_script: str | None,
    wanted: str,
) -> None:
    context = new_context(levels_server, **options)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    network = watch_network(page)
    page.goto("/en/tours/levels/1")
    page.wait_for_function(
        f"document.querySelector('model-viewer')?.dataset.loaded === '{wanted}'", timeout=60_000
    )
    network.wait_until_idle()  # the page is done: anything else would have been fetched by now
    levels = _levels(page)
    assert _requested_levels(network.requests, levels) == ["thumb", wanted]
    events = page.evaluate("() => window.heritourViewer.events")
    loads = [event["level"] for event in events if event["type"] == "load"]
    assert loads == ["thumb", wanted]


def test_level_choice_table(page: Any, live_server: str) -> None:
    page.goto("/en/tours/hue-imperial-city/1")
    url = page.evaluate("() => document.querySelector('script[src*=\"js/viewer.js\"]').src")
    cases = page.evaluate(
        """async (url) => {
        const { chooseLevel } = await import(url.replace('viewer.js', 'levels.js'));
        const base = { saveData: false, effectiveType: '4g', downlink: 10, deviceMemory: 4,
                       screenMin: 390, viewportWidth: 390, online: true };
        const table = [
            [{}, 'medium'],
            [{ saveData: true }, 'low'],
            [{ effectiveType: '3g', downlink: 1.2 }, 'low'],
            [{ effectiveType: '2g' }, 'low'],
            [{ downlink: 0.8 }, 'medium'],
            [{ screenMin: 320, viewportWidth: 320 }, 'low'],
            [{ deviceMemory: 1 }, 'low'],
            [{ online: false }, 'low'],
            [{ screenMin: 1080, viewportWidth: 1920 }, 'high'],
            [{ screenMin: 1080, viewportWidth: 1920, downlink: 3 }, 'medium'],
            [{ screenMin: 1080, viewportWidth: 1920, saveData: true }, 'low'],
            [{ screenMin: 1080, viewportWidth: 1920, effectiveType: '', downlink: null }, 'high'],
            [{ screenMin: 800, viewportWidth: 800 }, 'medium'],
        ];
        return table.map(([change, expected]) =>
            [JSON.stringify(change), chooseLevel({ ...base, ...change }), expected]);
    }""",
        url.split("?")[0],
    )
    assert [(case, got) for case, got, _ in cases] == [(case, want) for case, _, want in cases]


def test_poster_and_text_paint_before_any_3d_code(page: Any) -> None:
    page.goto("/en/tours/hue-imperial-city/1")
    page.wait_for_function(
        "() => document.querySelector('model-viewer')?.loaded === true", timeout=60_000
    )
    timing = page.evaluate(
        """() => {
        const entries = performance.getEntriesByType('resource');
        const poster = entries.find((e) => e.name.includes('/media/posters/'));
        const script = entries.find((e) => e.name.includes('model-viewer.min.js'));
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const lcp = new Promise((resolve) => new PerformanceObserver((list) => {
            resolve(list.getEntries().map((e) => (
                { element: e.element?.tagName, url: e.url, time: e.startTime })));
        }).observe({ type: 'largest-contentful-paint', buffered: true }));
        return lcp.then((candidates) => ({
            posterEnd: poster.responseEnd, run: window.heritourViewer.importedAt,
            scriptStart: script.startTime, scriptEnd: script.responseEnd,
            paint: paint.startTime, candidates }));
    }"""
    )
    # model-viewer is fetched and run only after the first paint and after the poster has
    # arrived; the poster is the largest paint, painted once, before model-viewer's code
    # has even arrived.
    assert timing["posterEnd"] < timing["scriptStart"] <= timing["run"]
    assert timing["paint"] < timing["scriptStart"]
    largest = timing["candidates"][-1]
    assert largest["element"] == "IMG" and "/media/posters/" in largest["url"]
    assert [c["url"] for c in timing["candidates"]].count(largest["url"]) == 1
    assert largest["time"] < timing["scriptEnd"]
    # Once the model is drawn, the poster fades out of the way.
    page.locator("figure.viewer.drawn").wait_for(timeout=60_000)
    page.locator("figure.viewer img.poster").wait_for(state="hidden")


def test_without_webgl_the_stop_turns_text_only(page: Any) -> None:
    page.context.add_init_script(NO_WEBGL)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/en/tours/hue-imperial-city/1")
    page.wait_for_function("() => document.documentElement.classList.contains('no-webgl')")
    assert page.locator("model-viewer").count() == 0
    poster = page.locator("figure.viewer img.poster")
    assert poster.is_visible()
    assert poster.get_attribute("alt")
    assert page.locator(".hotspot-list li").count() >= 1
    assert not any("model-viewer.min.js" in url or "/media/models/" in url for url in requests)


def test_text_only_mode_by_hand(page: Any) -> None:
    page.goto("/en/tours/hue-imperial-city/1")
    page.click("text=Text only")
    page.wait_for_url("**/en/tours/hue-imperial-city/1?mode=text")
    assert page.locator("model-viewer").count() == 0
    assert page.locator("figure.viewer img.poster").is_visible()
    page.click("a[rel=next]")  # stop 2 is a 360° panorama: its poster and its links
    page.wait_for_url("**/en/tours/hue-imperial-city/2?mode=text")
    assert page.locator("figure.viewer img.poster").is_visible()
    assert page.locator("#panorama-config").count() == 0
    page.click("a[rel=next]")
    page.wait_for_url("**/en/tours/hue-imperial-city/3?mode=text")
    page.click("text=Show the 3D model")
    page.wait_for_url("**/en/tours/hue-imperial-city/3")
    assert page.locator("model-viewer").count() == 1


def test_fallback_notice_in_the_visitors_language(new_context: Any, levels_server: str) -> None:
    """A Korean-only browser: no language it accepts has the text, so the tour's default."""
    page = new_context(levels_server, locale="ko-KR").new_page()
    page.goto("/ko/tours/levels/2")
    notice = page.locator(".fallback-notice")
    assert notice.is_visible()
    assert "한국어" in notice.inner_text() and "베트남어" in notice.inner_text()
    assert page.locator(".narration").get_attribute("lang") == "vi"
    assert page.locator(".progress").inner_text() == "2개 중 2번째 지점"


def test_tapping_a_hotspot_shows_its_label(page: Any) -> None:
    page.goto("/ko/tours/hue-imperial-city/3")  # a model stop (2 is a panorama)
    page.wait_for_function(
        "() => document.querySelector('model-viewer')?.loaded === true", timeout=60_000
    )
    spot = page.locator(".hotspot").first
    label = spot.get_attribute("data-label")
    assert label and any("\uac00" <= ch <= "\ud7a3" for ch in label)  # in Korean
    spot.tap()
    assert spot.get_attribute("aria-expanded") == "true"
    shown = page.evaluate(
        "() => getComputedStyle(document.querySelector('.hotspot'), '::after').content"
    )
    assert shown == f'"{label}"'
    assert page.locator(".hotspot-list li").first.inner_text().startswith(label)


def test_fallback_follows_the_browsers_other_languages(
    new_context: Any, levels_server: str
) -> None:
    """A browser that accepts Korean, then English: English before the tour's Vietnamese."""
    page = new_context(
        levels_server, extra_http_headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.8"}
    ).new_page()
    page.goto("/ko/tours/levels/2")
    notice = page.locator(".fallback-notice").inner_text()
    assert "한국어" in notice and "영어" in notice
    assert page.locator(".narration").get_attribute("lang") == "en"
