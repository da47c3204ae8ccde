"""The editor refuses texts over their limits, in the curator's language; the fields say so."""

from __future__ import annotations

import html
from typing import Any

import pytest
from flask_babel import force_locale

from tours.locales import INTERFACE_LOCALES
from tours.textlimits import TEXT_LIMITS, limit
from webapp.messages import error_message


@pytest.mark.parametrize("code", sorted(code for _limit, code in TEXT_LIMITS.values()))
def test_every_limit_has_a_sentence_in_every_language_naming_the_limit(app: Any, code: str) -> None:
    most = next(most for most, known in TEXT_LIMITS.values() if known == code)
    sentences = set()
    for locale in INTERFACE_LOCALES:
        with force_locale(locale):
            sentence = error_message(code)
        assert sentence != code and f"{most}" in sentence.replace(",", "").replace(".", "")
        sentences.add(sentence)
    assert len(sentences) == len(INTERFACE_LOCALES)


@pytest.mark.backends
def test_the_stop_editor_refuses_a_long_narration_and_says_why(
    curator: Any, db: Any, draft_tour: Any
) -> None:
    stop = draft_tour.stops[0]
    base = f"/studio/tours/{draft_tour.id}/stops/{stop.id}"
    editor = curator.get(f"{base}?lang=en").get_data(as_text=True)
    assert f'maxlength="{limit("narration")}"' in editor
    assert f'maxlength="{limit("body")}"' in editor
    page = curator.post(
        f"{base}/texts/en",
        data={"title": "Gate", "narration": "x" * (limit("narration") + 1)},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert (
        "The narration is too long: at most 20000 characters. Split it over several stops."
        in html.unescape(page)
    )
    db.expire_all()
    assert {t.locale: t.narration for t in stop.texts}["en"] == "Narration of **The gate**."


@pytest.mark.backends
def test_a_long_hotspot_label_gets_its_code_from_the_json_editor(
    curator: Any, draft_tour: Any
) -> None:
    stop = draft_tour.stops[0]
    response = curator.post(
        f"/studio/tours/{draft_tour.id}/stops/{stop.id}/hotspots",
        data={"position": "0m 0.1m 0m", "normal": "0 1 0", "lang": "en", "label": "L" * 121},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "hotspot_label_too_long"
    assert response.json["error"]["message"] == (
        "The hotspot's label is too long: at most 120 characters."
    )


@pytest.mark.backends
def test_the_tour_editor_states_the_summary_limit(curator: Any, draft_tour: Any) -> None:
    page = curator.get(f"/studio/tours/{draft_tour.id}").get_data(as_text=True)
    assert f'name="summary" rows="3" maxlength="{limit("summary")}"' in page
