"""Publishing freezes a draft into an immutable revision; drafts never leak to tourists."""

from __future__ import annotations

from typing import Any

import pytest

from tours.catalogue import published_document, published_tours
from tours.catalogue import published_tour as view_of
from tours.models import AssetStatus
from tours.publishing import Problem, PublishError, publish_problems, publish_tour, unpublish_tour


def test_publish_makes_numbered_revisions(db: Any, draft_tour: Any) -> None:
    assert view_of(db, "citadel", "en") is None
    first = publish_tour(db, draft_tour)
    second = publish_tour(db, draft_tour)
    assert (first.number, second.number) == (1, 2)
    assert view_of(db, "citadel", "en").revision == 2


def test_draft_edits_do_not_change_what_tourists_see(db: Any, published_tour: Any) -> None:
    published_tour.texts[1].title = "Edited draft title"
    published_tour.stops.pop()
    db.commit()
    view = view_of(db, "citadel", "en")
    assert view is not None and (view.title.text, len(view.stops)) == ("The Citadel", 2)
    publish_tour(db, published_tour)
    view = view_of(db, "citadel", "en")
    assert view is not None and (view.title.text, len(view.stops)) == ("Edited draft title", 1)


def test_unpublish_takes_the_tour_down(db: Any, published_tour: Any) -> None:
    unpublish_tour(db, published_tour)
    assert view_of(db, "citadel", "vi") is None
    assert published_tours(db, "vi") == []


def test_publish_lists_what_is_missing(db: Any, draft_tour: Any, ready_asset: Any) -> None:
    ready_asset.status = AssetStatus.PROCESSING
    draft_tour.stops[1].texts = [t for t in draft_tour.stops[1].texts if t.locale != "vi"]
    db.commit()
    assert publish_problems(draft_tour) == [
        Problem("model_not_ready", 1),
        Problem("model_not_ready", 2),
        Problem("missing_narration", 2),
    ]
    with pytest.raises(PublishError) as raised:
        publish_tour(db, draft_tour)
    assert len(raised.value.problems) == 3
    assert view_of(db, "citadel", "vi") is None


def test_document_keeps_translations_side_by_side(db: Any, published_tour: Any) -> None:
    found = published_document(db, "citadel")
    assert found is not None
    document, revision = found
    assert revision == 1
    assert document["format"] == "heritour.tour" and document["version"] == 1
    assert document["title"] == {"en": "The Citadel", "vi": "Kinh thành"}
    stop = document["stops"][0]
    assert stop["title"] == {"en": "The gate", "vi": "Cổng"}
    assert stop["hotspots"][0]["label"] == {"en": "Roof", "vi": "Mái"}
    assert set(stop["model"]["levels"]) == {"thumb", "low", "medium", "high"}


def test_view_falls_back_and_says_so(db: Any, published_tour: Any) -> None:
    view = view_of(db, "citadel", "ko")
    assert view is not None
    assert (view.title.text, view.title.locale, view.title.fell_back) == ("Kinh thành", "vi", True)
    assert view.stops[0].narration_html == "<p>Lời kể <strong>Cổng</strong>.</p>\n"
    assert view.locales == ["en", "vi"]
