"""Offline, a page that was not saved opens Heritour's own offline page, in the visitor's
language, listing the tours saved on the phone (not the browser's error)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

# Resolves once the service worker has kept ``page`` (or false after 60 s). It runs through
# page.evaluate, which awaits it: wait_for_function's predicates are synchronous, so a
# promise would count as true at once (microsoft/playwright#29132).
KEPT = """async (page) => {
    const cache = await caches.open('heritour-offline');
    const deadline = Date.now() + 60000;
    while (!(await cache.match(page))) {
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
}"""


@pytest.fixture
def phone(new_context: Callable[..., Any], levels_server: str) -> Iterator[Any]:
    """A phone page on the app serving the "levels" tour (vi and en)."""
    yield new_context(levels_server).new_page()


def test_unsaved_page_offline_shows_the_offline_page_with_saved_tours(phone: Any) -> None:
    phone.goto("/en/tours/levels/")
    phone.click("#save-offline")
    phone.wait_for_function(
        "() => document.getElementById('offline').dataset.state === 'saved'", timeout=120_000
    )
    phone.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    # Any page visited in French keeps the French offline page.
    phone.goto("/fr/")
    assert phone.evaluate(KEPT, "/fr/offline")

    phone.context.set_offline(True)
    phone.goto("/fr/tours/never-saved/")
    assert phone.locator("h1").inner_text() == "Vous êtes hors ligne"
    assert phone.evaluate("() => document.documentElement.lang") == "fr"
    phone.wait_for_selector("#saved-tours[data-state='listed']", timeout=60_000)
    link = phone.locator("#saved-tours a")
    assert link.count() == 1
    assert link.inner_text() == "Four levels"
    assert link.get_attribute("href") == "/en/tours/levels/"
    assert phone.locator("#saved-tours li").inner_text() == "Four levels (anglais)"
    assert not phone.locator("#no-saved-tours").is_visible()
    # The page's own stylesheet was kept too.
    assert phone.evaluate(
        "() => [...document.styleSheets]"
        ".some((s) => s.href.includes('/app.css') && s.cssRules.length)"
    )
    # The saved tour opens from the list, still offline.
    link.click()
    phone.wait_for_url("**/en/tours/levels/")
    assert phone.locator("h1").inner_text() == "Four levels"

    # The English offline page was kept with the saved tour itself.
    phone.goto("/en/never-saved-either")
    assert phone.locator("h1").inner_text() == "You are offline"
    phone.context.set_offline(False)
