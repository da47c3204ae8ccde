"""WCAG 2.2 AA on the tourist's pages, checked by axe-core (served by the app itself)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = [
    "/en/",
    "/vi/?q=hue&language=vi",
    "/en/tours/hue-imperial-city/",
    "/fr/tours/hue-imperial-city/1",
    "/ja/tours/hue-imperial-city/3",
    "/ko/tours/hue-imperial-city/2?mode=text",
    "/zh/tours/hue-imperial-city/qr",
]


def _violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(url="/static/vendor/axe.min.js")
    result: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
        const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
        return result.violations.map((v) => ({
            id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
    }""",
        TAGS,
    )
    return result


@pytest.mark.parametrize("path", PAGES)
def test_tourist_pages_have_no_axe_violations(page: Any, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("load")
    assert _violations(page) == []


def test_open_language_menu_has_no_axe_violations(page: Any) -> None:
    page.goto("/en/tours/hue-imperial-city/1")
    page.click(".language-menu summary")
    assert _violations(page) == []


def test_fallback_page_has_no_axe_violations(new_context: Any, levels_server: str) -> None:
    page = new_context(levels_server).new_page()
    page.goto("/ko/tours/levels/1")
    assert page.locator(".fallback-notice").is_visible()
    assert _violations(page) == []
