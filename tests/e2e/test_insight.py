"""Visitor insight in a real browser: a phone's visit sends one beacon with nothing that names
the visitor, Global Privacy Control sends none, and the studio draws the counted figures."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

# Wraps sendBeacon so that the page's own calls are recorded (they still go out).
RECORD_BEACONS = """
window.heritourBeacons = [];
const send = navigator.sendBeacon.bind(navigator);
navigator.sendBeacon = (url, data) => {
    window.heritourBeacons.push(String(url));
    return send(url, data);
};
"""


def test_a_phone_visit_sends_one_anonymous_beacon(
    new_context: Callable[..., Any], levels_server: str
) -> None:
    page = new_context(levels_server).new_page()
    with page.expect_request("**/api/v1/events") as sent:
        page.goto("/en/tours/levels/2?mode=text")
    request = sent.value
    assert json.loads(request.post_data) == {
        "tour": "levels",
        "stop": 2,
        "lang": "en",
        "event": "view",
        "device": "phone",
    }
    response = request.response()
    assert response.status == 204 and "set-cookie" not in response.headers


def test_global_privacy_control_sends_nothing(
    new_context: Callable[..., Any], levels_server: str
) -> None:
    context = new_context(levels_server)
    context.add_init_script(RECORD_BEACONS)
    counted = context.new_page()
    counted.goto("/en/tours/levels/1?mode=text")
    counted.wait_for_function("() => window.heritourBeacons.length === 1")

    context.add_init_script(
        "Object.defineProperty(navigator, 'globalPrivacyControl', {value: true})"
    )
    private = context.new_page()
    private.goto("/en/tours/levels/1?mode=text", wait_until="load")  # deferred scripts have run
    assert private.evaluate("() => window.heritourBeacons") == []


def test_the_dashboard_draws_the_counted_figures(
    tmp_path: Path,
    new_context: Callable[..., Any],
    curator_studio: Callable[..., Any],
    one_stop_draft: Callable[..., Any],
    sign_in_curator: Callable[[Any, str], None],
) -> None:
    seed_tour = one_stop_draft("counted", {"en": ("Counted", "A tour.", "Here")})

    def seed(session: Any) -> int:
        from tours.models import VisitCount

        tour_id, _stop_id = seed_tour(session)
        day = datetime.now(UTC).date()
        session.add_all(
            [
                VisitCount(
                    day=day,
                    tour_id=tour_id,
                    stop_number=1,
                    language=lang,
                    event="view",
                    device=device,
                    count=count,
                )
                for lang, device, count in [("en", "phone", 6), ("vi", "desktop", 3)]
            ]
        )
        session.commit()
        return tour_id

    with curator_studio(tmp_path, "curator@example.org", seed=seed) as (url, tour_id):
        page = new_context(url, locale="en-GB").new_page()
        sign_in_curator(page, "curator@example.org")
        page.goto(f"/studio/language/en?next=/studio/tours/{tour_id}/insight")
        page.wait_for_function("() => window.Chart && Chart.getChart('chart-devices')")
        assert page.locator('dd[data-event="view"]').inner_text() == "9"
        rows = page.locator('table[data-chart="chart-devices"] tbody tr')
        assert rows.all_inner_texts() == ["Phone\t6", "Desktop\t3"]
        # The bars are drawn: the canvas has pixels in the accent colour's family.
        drawn = page.evaluate(
            """() => {
                const canvas = document.getElementById('chart-devices');
                const { width, height } = canvas;
                const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
                let ink = 0;
                for (let i = 0; i < data.length; i += 4) {
                    if (data[i + 3] > 0 && data[i] > data[i + 2] + 40) ink++;
                }
                return ink;
            }"""
        )
        assert drawn > 500
        assert page.evaluate("() => Chart.getChart('chart-devices').data.datasets[0].data") == [
            6,
            3,
        ]
