"""Embeds in the browser: a partner site on another origin frames a stop of the demo tour
on a phone; the model and the panorama draw inside the frame, the narration opens, the
language changes; a page that is not an embed is refused in a frame."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e

SLUG = "hue-imperial-city"
FRAMES = {
    "/model": f"/en/embed/{SLUG}/1",
    "/panorama": f"/en/embed/{SLUG}/2",
    "/refused": f"/en/tours/{SLUG}/1",
}
DRAWN = "() => document.querySelector('figure.viewer')?.classList.contains('drawn')"


def _partner_site(app_url: str) -> Callable[..., list[bytes]]:
    """A site on another origin whose pages each hold one iframe of the app."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        target = FRAMES.get(environ["PATH_INFO"])
        if target is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        page = (
            "<!doctype html><html lang='en'><meta name='viewport' content='width=device-width'>"
            "<title>A partner site</title><h1>A partner site</h1>"
            f"<iframe id='stop' src='{app_url}{target}' width='100%' height='560' "
            "title='A stop of a tour' style='border:0'></iframe>"
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]

    return wsgi


@pytest.fixture(scope="module")
def partner(live_server: str, serve: Any) -> Iterator[str]:
    with serve(_partner_site(live_server)) as url:
        assert urlsplit(url).netloc != urlsplit(live_server).netloc  # another origin
        yield url


def _framed(new_context: Any, partner: str, live_server: str, path: str) -> tuple[Any, Any]:
    """The partner's page ``path`` on a phone, and the frame of the app inside it."""
    context = new_context(partner, extra_netloc=urlsplit(live_server).netloc, locale="en-US")
    page = context.new_page()
    page.goto(path)
    frame = page.frame_locator("#stop")
    frame.locator("h1").wait_for()
    child = next(f for f in page.frames if f is not page.main_frame)
    return page, child


def _colours(png: bytes) -> int:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        small = image.convert("RGB").resize((64, 64))
        return len(small.getcolors(64 * 64) or [])


def test_embeds_a_stop_in_a_page_served_from_another_origin_and_uses_it(
    new_context: Any, partner: str, live_server: str, model_drawn: str
) -> None:
    page, frame = _framed(new_context, partner, live_server, "/model")
    assert frame.url == f"{live_server}/en/embed/{SLUG}/1"
    frame.wait_for_function(model_drawn, timeout=120_000)
    frame.wait_for_function(DRAWN, timeout=30_000)  # the poster gave way to the model
    assert _colours(page.locator("#stop").screenshot()) > 8

    narration = frame.locator("details.embed-narration")
    text = narration.locator(".narration")
    assert not text.is_visible()
    narration.locator("summary").click()
    text.wait_for(state="visible")
    assert "1833" in text.inner_text()
    narration.locator("summary").click()
    text.wait_for(state="hidden")

    frame.locator(".language-menu summary").click()
    frame.get_by_role("link", name="Français").click()
    french = page.frame_locator("#stop")
    french.locator("html[lang=fr]").wait_for()
    child = next(f for f in page.frames if f is not page.main_frame)
    assert child.url == f"{live_server}/fr/embed/{SLUG}/1"
    assert "porte du Midi" in french.locator("h1").inner_text()
    assert french.locator("details.embed-narration summary").inner_text() == "Récit"
    whole = french.locator(".embed-source a")
    assert whole.get_attribute("target") == "_blank" and whole.get_attribute("rel") == "noopener"
    assert whole.get_attribute("href") == f"{live_server}/fr/tours/{SLUG}/1"


def test_a_panorama_draws_in_the_frame(new_context: Any, partner: str, live_server: str) -> None:
    page, frame = _framed(new_context, partner, live_server, "/panorama")
    frame.wait_for_function(DRAWN, timeout=120_000)
    frame.locator("figure.viewer img.poster").wait_for(state="hidden", timeout=10_000)  # faded
    assert _colours(page.locator("#stop").screenshot()) > 8


def test_pages_that_are_not_embeds_are_refused_in_a_frame(
    new_context: Any, partner: str, live_server: str
) -> None:
    context = new_context(partner, extra_netloc=urlsplit(live_server).netloc)
    page = context.new_page()
    with page.expect_response(f"{live_server}{FRAMES['/refused']}") as answer:
        page.goto("/refused")
    assert answer.value.headers["x-frame-options"] == "DENY"
    page.wait_for_load_state("load")
    child = next(f for f in page.frames if f is not page.main_frame)
    assert child.url.startswith("chrome-error://")  # Chromium shows its own error instead
    assert page.frame_locator("#stop").locator(".site-header, figure.viewer").count() == 0
