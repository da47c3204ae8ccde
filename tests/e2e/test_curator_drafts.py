"""Nothing a curator types is lost: switching the language tab, a failed save or leaving
the page keeps the text (drafts in the browser, a warning before leaving)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.e2e
EMAIL = "drafts@example.org"
LAPTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


@pytest.fixture(scope="module")
def studio_tour(
    tmp_path_factory: pytest.TempPathFactory, curator_studio: Any, one_stop_draft: Any
) -> Iterator[tuple[str, int, int]]:
    """A studio with one curator and a draft tour in vi and en: (url, tour id, stop id)."""
    seed = one_stop_draft(
        "drafts",
        {
            "vi": ("Nháp", "Tóm tắt.", "Huế"),
            "en": ("Drafts", "Summary.", "Hue"),
        },
    )
    with curator_studio(tmp_path_factory.mktemp("drafts"), EMAIL, seed) as (url, ids):
        yield url, *ids


@pytest.fixture
def curator(studio_tour: tuple[str, int, int], new_context: Any, sign_in_curator: Any) -> Any:
    page = new_context(studio_tour[0], locale="en-US", **LAPTOP).new_page()
    sign_in_curator(page, EMAIL)
    return page


def _type(page: Any, selector: str, text: str) -> None:
    """Type as a person does (key events), replacing what the field held."""
    field = page.locator(selector)
    field.click()
    field.press("Control+a")
    field.press_sequentially(text)


def test_switching_the_language_tab_keeps_the_text(
    curator: Any, studio_tour: tuple[str, int, int]
) -> None:
    _url, tour_id, _stop = studio_tour
    dialogs: list[str] = []
    curator.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    curator.goto(f"/studio/tours/{tour_id}?lang=en")
    _type(curator, "#tour-summary", "A walk through the gates.")
    curator.locator(".language-tabs a", has_text="vi").click()
    curator.wait_for_url("**lang=vi")
    assert curator.locator("#tour-summary").input_value() == "Tóm tắt."
    assert curator.locator(".draft-notice").count() == 0
    curator.locator(".language-tabs a", has_text="en").click()
    curator.wait_for_url("**lang=en")
    assert curator.locator("#tour-summary").input_value() == "A walk through the gates."
    notice = curator.locator(".draft-notice")
    assert notice.inner_text().startswith("Unsaved text from this browser was put back.")
    assert dialogs == []  # the tabs keep the draft, so they need not ask
    # Saved: the draft is gone, and the page shows what the server holds.
    notice.locator("xpath=ancestor::form").get_by_role("button", name="Save texts").click()
    curator.get_by_text("Saved.").wait_for()
    assert curator.locator("#tour-summary").input_value() == "A walk through the gates."
    assert curator.locator(".draft-notice").count() == 0
    assert (
        curator.evaluate(
            "() => Object.keys(localStorage).filter((k) => k.startsWith('heritour-draft:'))"
        )
        == []
    )


def test_a_failed_save_keeps_the_text_and_discard_drops_it(
    curator: Any, studio_tour: tuple[str, int, int]
) -> None:
    _url, tour_id, stop_id = studio_tour
    stop = f"/studio/tours/{tour_id}/stops/{stop_id}?lang=vi"
    curator.goto(stop)
    _type(curator, "#narration", "Lời kể **mới**, chưa lưu.")
    curator.route("**/texts/vi", lambda route: route.abort())  # the network fails on save
    form = curator.locator("#narration").locator("xpath=ancestor::form")
    form.get_by_role("button", name="Save texts").click()
    curator.wait_for_url(lambda url: url.startswith("chrome-error:"), timeout=60_000)
    curator.unroute("**/texts/vi")
    curator.goto(stop)
    assert curator.locator("#narration").input_value() == "Lời kể **mới**, chưa lưu."
    curator.locator("#narration-preview strong", has_text="mới").wait_for()
    curator.get_by_role("button", name="Discard it").click()
    assert curator.locator("#narration").input_value() == "Lời kể."
    curator.reload()
    assert curator.locator("#narration").input_value() == "Lời kể."
    assert curator.locator(".draft-notice").count() == 0


def test_leaving_with_unsaved_text_asks_first(
    curator: Any, studio_tour: tuple[str, int, int]
) -> None:
    _url, tour_id, stop_id = studio_tour
    stop = f"/studio/tours/{tour_id}/stops/{stop_id}?lang=vi"
    curator.goto(stop)
    dialogs: list[str] = []
    curator.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    _type(curator, "#stop-title", "Cổng Ngọ Môn")
    curator.locator(".crumbs a").click()
    curator.wait_for_function("() => document.readyState === 'complete'")
    assert dialogs == ["beforeunload"]
    assert "/stops/" in curator.url  # the curator stayed
    assert curator.locator("#stop-title").input_value() == "Cổng Ngọ Môn"
