"""WCAG 2.2 AA on the tourist's pages, checked by axe-core (served by the app itself;
the ``violations`` fixture of conftest runs it)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

PAGES = [
    "/en/",
    "/vi/?q=hue&language=vi",
    "/en/tours/hue-imperial-city/",
    "/fr/tours/hue-imperial-city/1",
    "/ja/tours/hue-imperial-city/3",
    "/en/tours/hue-imperial-city/2",  # a 360° panorama
    "/ko/tours/hue-imperial-city/2?mode=text",
    "/zh/tours/hue-imperial-city/qr",
    "/fr/tours/hue-imperial-city/end",
    "/ja/offline",
    "/api/v1/docs",  # the partners' reference
]


@pytest.mark.parametrize("path", PAGES)
def test_tourist_pages_have_no_axe_violations(page: Any, violations: Any, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("load")
    assert violations(page) == []


def test_open_language_menu_has_no_axe_violations(page: Any, violations: Any) -> None:
    page.goto("/en/tours/hue-imperial-city/1")
    page.click(".language-menu summary")
    assert violations(page) == []


def test_fallback_page_has_no_axe_violations(
    new_context: Any, levels_server: str, violations: Any
) -> None:
    page = new_context(levels_server).new_page()
    page.goto("/ko/tours/levels/1")
    assert page.locator(".fallback-notice").is_visible()
    assert violations(page) == []
