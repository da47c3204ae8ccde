"""The last stop leads to the end of the tour, whose link can be shared or copied."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_end_of_tour_copies_the_tours_link(
    new_context: Callable[..., Any], levels_server: str
) -> None:
    context = new_context(levels_server, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto("/en/tours/levels/2?mode=text")
    page.click("a.end-link")
    page.wait_for_url("**/en/tours/levels/end?mode=text")
    assert page.locator("h1").inner_text() == "End of the tour"
    # Headless Chromium has no share sheet: the copy button is the way to share.
    assert page.locator("#share-button").is_hidden()
    page.click("#copy-link")
    page.wait_for_function(
        "() => document.getElementById('share-status').textContent === 'Link copied.'",
        timeout=60_000,
    )
    assert page.evaluate("() => navigator.clipboard.readText()") == f"{levels_server}/s/levels/"
    page.click("text=Back to the start")
    page.wait_for_url("**/en/tours/levels/1?mode=text")


def test_end_of_tour_uses_the_phones_share_sheet(
    new_context: Callable[..., Any], levels_server: str
) -> None:
    context = new_context(levels_server, locale="fr-FR")
    # The phone's share sheet, as Android and iOS browsers offer it (headless has none).
    context.add_init_script(
        "navigator.share = (data) => { window.heritourShared = data; return Promise.resolve(); };"
    )
    page = context.new_page()
    page.goto("/fr/tours/levels/end")
    page.click("#share-button")
    shared = page.wait_for_function("() => window.heritourShared").json_value()
    # The tour has no French: a browser that accepts only French gets the tour's Vietnamese.
    assert shared == {
        "title": "Bốn mức",
        "text": "Une visite guidée : Bốn mức",
        "url": f"{levels_server}/s/levels/",
    }
