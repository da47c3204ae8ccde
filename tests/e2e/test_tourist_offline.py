"""Saving a tour for offline use, then following it with the network off."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

TOUR = "/{lang}/tours/hue-imperial-city/"
PANORAMA_STOPS = (2, 5)


def test_saved_tour_opens_every_stop_offline(page: Any, model_drawn: str) -> None:
    page.goto(TOUR.format(lang="fr"))
    section = page.locator("#offline")
    assert section.is_visible()
    progress_seen: list[str] = []
    page.expose_function("reportProgress", lambda text: progress_seen.append(text))
    page.evaluate(
        """() => new MutationObserver(() =>
            window.reportProgress(document.getElementById('offline-status').textContent))
            .observe(document.getElementById('offline-status'), {childList: true, subtree: true})"""
    )
    page.click("#save-offline")
    page.wait_for_function(
        "() => document.getElementById('offline').dataset.state === 'saved'", timeout=120_000
    )
    total = page.evaluate("() => document.getElementById('offline-progress').max")
    assert total > 20
    assert page.evaluate("() => document.getElementById('offline-progress').value") == total
    # Progress was told as it went, in French: "… 1 sur N …", then the end.
    assert f" 1 sur {total} " in progress_seen[1] or f" 1 sur {total} " in progress_seen[0]
    assert progress_seen[-1] == page.locator("#offline").get_attribute("data-msg-saved")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)

    page.context.set_offline(True)
    for number in range(1, 8):
        page.goto(f"{TOUR.format(lang='fr')}{number}")
        assert page.locator(".progress").inner_text() == f"Étape {number} sur 7"
        if number in PANORAMA_STOPS:  # drawn from the saved preview and small tiles
            page.wait_for_function(
                "() => document.getElementById('panorama')?.classList.contains('drawn')",
                timeout=60_000,
            )
            continue
        page.wait_for_function(model_drawn, timeout=60_000)
        loaded = page.wait_for_function(
            "() => document.querySelector('model-viewer').dataset.loaded"
        )
        assert loaded.json_value() in ("thumb", "low")
    page.goto(f"{TOUR.format(lang='fr')}3?mode=text")
    assert page.locator("figure.viewer img.poster").is_visible()
    page.goto(TOUR.format(lang="fr"))
    page.wait_for_function("() => document.getElementById('offline').dataset.state === 'saved'")
    page.context.set_offline(False)


def test_overview_hides_saving_without_service_workers(new_context: Any, live_server: str) -> None:
    context = new_context(live_server, service_workers="block")
    context.add_init_script("delete Navigator.prototype.serviceWorker")
    page = context.new_page()
    page.goto(TOUR.format(lang="en"))
    assert not page.locator("#offline").is_visible()
    assert page.locator("a.button", has_text="Start the tour").is_visible()
