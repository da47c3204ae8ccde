"""Visitor insight: beacons counted per day without identifying anyone, in batches, and the
studio's dashboard and exports showing exactly the counted figures."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from sqlalchemy import func, inspect, select

EVENTS_URL = "/api/v1/events"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """Counts written after three events (never by the clock, in these tests)."""
    return {**app_config, "INSIGHT_BATCH": 3, "INSIGHT_FLUSH_SECONDS": 3600}


def event(**changes: Any) -> str:
    """A beacon's body: a view of stop 1 on a phone, with ``changes``."""
    body = {"tour": "citadel", "stop": 1, "lang": "en", "event": "view", "device": "phone"}
    return json.dumps(body | changes)


def beacon(client: Any, headers: dict[str, str] | None = None, **fields: Any) -> Any:
    """Send one event as navigator.sendBeacon does (a text/plain body)."""
    return client.post(
        EVENTS_URL, data=event(**fields), content_type="text/plain", headers=headers or {}
    )


def stored(db: Any) -> int:
    from tours.models import VisitCount

    db.expire_all()
    return db.scalar(select(func.coalesce(func.sum(VisitCount.count), 0)))


# Known visits: (stop, language, event, device) -> how many.
VISITS = {
    (1, "en", "view", "phone"): 5,
    (2, "en", "view", "phone"): 3,
    (1, "vi", "view", "desktop"): 2,
    (2, "ko", "view", "tablet"): 1,
    (0, "en", "complete", "phone"): 2,
    (1, "en", "audio", "phone"): 4,
    (2, "en", "ar", "phone"): 1,
    (1, "vi", "model_error", "desktop"): 1,
    (0, "vi", "offline_save", "desktop"): 1,
    (2, "en", "vr", "headset"): 1,
}


def test_known_visits_appear_in_the_dashboard_and_the_exports(
    client: Any, curator: Any, db: Any, published_tour: Any
) -> None:
    from tours.insight import today

    for (stop, lang, event, device), times in VISITS.items():
        for _ in range(times):
            answer = beacon(client, stop=stop, lang=lang, event=event, device=device)
            assert answer.status_code == 204, answer.get_data(as_text=True)
            assert "Set-Cookie" not in answer.headers

    rows = curator.get(f"/studio/tours/{published_tour.id}/insight.json?days=7").json["rows"]
    day = today().isoformat()
    assert sorted(
        (r["stop"] or 0, r["language"], r["event"], r["device"], r["count"]) for r in rows
    ) == sorted((*key, n) for key, n in VISITS.items())
    assert {r["day"] for r in rows} == {day} and {r["tour"] for r in rows} == {"citadel"}

    text = curator.get(f"/studio/tours/{published_tour.id}/insight.csv").get_data(as_text=True)
    table = list(csv.DictReader(io.StringIO(text)))
    assert [r["count"] for r in table] == [str(r["count"]) for r in rows]
    assert table[0].keys() == {"day", "tour", "stop", "language", "event", "device", "count"}

    curator.get("/studio/language/en")
    page = curator.get(f"/studio/tours/{published_tour.id}/insight").get_data(as_text=True)
    totals = {
        "view": 11,
        "complete": 2,
        "offline_save": 1,
        "ar": 1,
        "vr": 1,
        "audio": 4,
        "model_error": 1,
    }
    for event, total in totals.items():
        assert f'<dd data-event="{event}">{total}</dd>' in page
    # The funnel counts views of each stop; languages and devices count views.
    assert '<th scope="row">Stop 1</th><td>7</td>' in page
    assert '<th scope="row">Stop 2</th><td>4</td>' in page
    assert '<th scope="row">English</th><td>8</td>' in page
    assert '<th scope="row">Vietnamese</th><td>2</td>' in page
    assert '<th scope="row">Korean</th><td>1</td>' in page
    assert '<th scope="row">Phone</th><td>8</td>' in page
    assert '<th scope="row">Desktop</th><td>2</td>' in page


def test_counts_are_written_in_batches(client: Any, db: Any, published_tour: Any) -> None:
    from webapp.extensions import insight

    for _ in range(2):
        beacon(client)
    assert stored(db) == 0  # waiting in the process, not one write per event
    beacon(client, stop=2)
    assert stored(db) == 3  # the batch is written at once
    beacon(client)
    insight.buffer.flush()  # as when the process ends
    assert stored(db) == 4


@pytest.mark.parametrize("header", [{"DNT": "1"}, {"Sec-GPC": "1"}])
def test_do_not_track_and_global_privacy_control_turn_counting_off(
    client: Any, db: Any, published_tour: Any, header: dict[str, str]
) -> None:
    from webapp.extensions import insight

    assert beacon(client, header).status_code == 204
    insight.buffer.flush()
    assert stored(db) == 0
    beacon(client)
    insight.buffer.flush()
    assert stored(db) == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("not json", 400, "invalid_event"),
        ("[1, 2]", 400, "invalid_event"),
        (event(event="click"), 400, "invalid_event"),
        (event(stop="1"), 400, "invalid_event"),
        (event(stop=True), 400, "invalid_event"),
        (event(stop=10**30), 400, "invalid_event"),
        (event(lang="de"), 400, "invalid_event"),
        (event(device="fridge"), 400, "invalid_event"),
        (event(tour="a\u0000b"), 400, "invalid_event"),
        (event(tour="x" * 5000), 400, "invalid_event"),
        (event(tour="nowhere"), 404, "tour_not_found"),
        (event(stop=3), 404, "tour_not_found"),
    ],
)
def test_broken_events_get_a_code_and_count_nothing(
    client: Any, db: Any, published_tour: Any, body: str, status: int, code: str
) -> None:
    from webapp.extensions import insight

    answer = client.post(EVENTS_URL, data=body, content_type="text/plain")
    assert answer.status_code == status
    assert answer.json["error"]["code"] == code and answer.json["error"]["message"]
    insight.buffer.flush()
    assert stored(db) == 0


def test_drafts_are_not_counted(client: Any, db: Any, draft_tour: Any) -> None:
    assert beacon(client).json["error"]["code"] == "tour_not_found"


def test_nothing_stored_can_name_a_visitor(app: Any, db: Any) -> None:
    columns = {c["name"] for c in inspect(db.get_bind()).get_columns("visit_counts")}
    assert columns == {
        "id",
        "day",
        "tour_id",
        "stop_number",
        "language",
        "event",
        "device",
        "count",
    }


def test_public_pages_carry_the_beacon_and_previews_do_not(
    app: Any, client: Any, curator: Any, published_tour: Any
) -> None:
    for path, stop, event in [
        ("/en/tours/citadel/", "0", "view"),
        ("/en/tours/citadel/2", "2", "view"),
        ("/en/tours/citadel/2?mode=text", "2", "view"),
        ("/en/tours/citadel/end", "0", "complete"),
    ]:
        page = client.get(path).get_data(as_text=True)
        assert f'data-tour="citadel" data-stop="{stop}" data-lang="en" data-event="{event}"' in page
    preview = curator.get(f"/studio/tours/{published_tour.id}/preview/en/1").get_data(as_text=True)
    assert "insight.js" not in preview
    app.config["INSIGHT"] = False
    assert "insight.js" not in client.get("/en/tours/citadel/1").get_data(as_text=True)
    assert beacon(client).status_code == 204
