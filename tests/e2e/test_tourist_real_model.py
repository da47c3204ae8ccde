"""A real model, put through the ingest pipeline, on a tourist's phone (412 × 915).

CesiumMilkTruck.glb (textured, several meshes) comes out of the pipeline with a ``thumb``
that differs from ``low`` and ``medium``, so the viewer really swaps models. On every path
that swaps levels (the upgrade after the thumb, the visitor's own choice, and the fallback
when a level cannot be fetched, as offline), the poster must give way to the drawn model.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tours.db import migrate

pytestmark = pytest.mark.e2e
PHONE_412 = {"viewport": {"width": 412, "height": 915}}
MODEL = "CesiumMilkTruck.glb"
POSTER_HIDDEN = """() => {
    const poster = document.querySelector('figure.viewer > img.poster');
    const style = getComputedStyle(poster);
    return style.visibility === 'hidden' && Number(style.opacity) === 0;
}"""


def _loaded(level: str) -> str:
    return f"document.querySelector('model-viewer')?.dataset.loaded === '{level}'"


@pytest.fixture(scope="module")
def real_site(
    tmp_path_factory: pytest.TempPathFactory, serve: Any, e2e_app: Any, testdata: Path
) -> Iterator[tuple[str, dict[str, str]]]:
    """One published stop showing ``MODEL`` as the ingest pipeline made it: the site's
    address and the blob key of each level."""
    from tours.ingest import process_asset, store_original
    from tours.models import AssetStatus, ModelAsset, Stop, StopText, Tour, TourText
    from tours.publishing import publish_tour
    from webapp.extensions import db, jobs

    app = e2e_app(tmp_path_factory.mktemp("real-model"))
    with app.app_context():
        migrate(db.engine)
        settings = jobs.settings
        data = io.BytesIO((testdata / MODEL).read_bytes())
        asset_id = store_original(db.session, settings.store, data, MODEL).id
        assert process_asset(settings, asset_id) == AssetStatus.READY
        levels = db.session.get(ModelAsset, asset_id).levels
        # the point of this model: the thumb is not the level a phone swaps to
        assert levels["thumb"]["key"] != levels["medium"]["key"] != levels["low"]["key"]
        tour = Tour(slug="truck", default_locale="en")
        tour.texts = [TourText(locale="en", title="A truck", summary="A real model.")]
        stop = Stop(position=0, model_asset_id=asset_id)
        stop.texts = [
            StopText(locale="en", title="The truck", narration="A truck.", model_alt="A truck")
        ]
        tour.stops.append(stop)
        db.session.add(tour)
        db.session.commit()
        publish_tour(db.session, tour)
    with serve(app) as url:
        yield url, {level: entry["key"] for level, entry in levels.items()}


def _level_url(page: Any, level: str) -> str:
    url: str = page.evaluate(f"document.querySelector('model-viewer').dataset.{level}")
    return url


def test_poster_gives_way_after_each_level_swap(
    new_context: Any, real_site: tuple[str, dict[str, str]], model_drawn: str
) -> None:
    page = new_context(real_site[0], **PHONE_412).new_page()
    page.goto("/en/tours/truck/1")
    # initial thumb, then the upgrade to the level that fits a phone
    page.wait_for_function(_loaded("medium"), timeout=60_000)
    page.wait_for_function(POSTER_HIDDEN, timeout=60_000)
    page.wait_for_function(model_drawn, timeout=60_000)
    loads = [
        e["level"] for e in page.evaluate("window.heritourViewer.events") if e["type"] == "load"
    ]
    assert loads == ["thumb", "medium"]
    # the visitor's own choice of detail
    page.get_by_label("Model detail").select_option("low")
    page.wait_for_function(_loaded("low"), timeout=60_000)
    assert page.evaluate(
        "document.querySelector('model-viewer').getAttribute('src')"
    ) == _level_url(page, "low")
    page.wait_for_function(POSTER_HIDDEN, timeout=60_000)
    page.wait_for_function(model_drawn, timeout=60_000)


def test_poster_gives_way_when_a_level_cannot_be_fetched(
    new_context: Any, real_site: tuple[str, dict[str, str]], model_drawn: str
) -> None:
    url, keys = real_site
    page = new_context(url, **PHONE_412).new_page()
    # as offline with only the saved (low) level: the medium level's request fails
    page.route(f"**/{keys['medium']}", lambda route: route.abort("internetdisconnected"))
    page.goto("/en/tours/truck/1")
    assert _level_url(page, "medium").endswith(keys["medium"])
    page.wait_for_function(_loaded("low"), timeout=60_000)
    page.wait_for_function(POSTER_HIDDEN, timeout=60_000)
    page.wait_for_function(model_drawn, timeout=60_000)
    events = page.evaluate("window.heritourViewer.events")
    assert [(e["type"], e.get("level")) for e in events if e["type"] in ("load", "error")] == [
        ("load", "thumb"),
        ("error", None),
        ("load", "low"),
    ]
