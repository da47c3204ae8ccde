"""The catalogue in the database: search folded over every language, filters and pages."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tours.listing import (
    Criteria,
    catalogue_languages,
    catalogue_page,
    catalogue_sites,
    catalogue_version,
    tours_at_site,
)
from tours.models import CatalogueEntry, Stop, StopText, Tour, TourText
from tours.publishing import publish_tour, unpublish_tour

TOURS = {
    "dai-noi": {
        "vi": ("Đại Nội", "Hoàng thành Huế.", "Huế"),
        "en": ("The Imperial City", "Walls and gates.", "Hue"),
    },
    "thien-mu": {
        "vi": ("Chùa Thiên Mụ", "Ngôi chùa bên sông Hương.", "Huế"),
        "fr": ("La pagode de la Dame céleste", "Au bord de la rivière.", "Hué"),
    },
    "my-son": {
        "en": ("My Son sanctuary", "Cham towers in the forest.", "Quảng Nam"),
        "ko-KR": ("미선 유적", "참파 탑.", "꽝남"),
    },
}


def make_tour(db: Any, asset: Any, slug: str, texts: dict[str, tuple[str, str, str]]) -> Tour:
    """A one-stop tour with ``texts`` (locale → title, summary, site), published."""
    default = next(iter(texts))
    tour = Tour(slug=slug, default_locale=default)
    tour.texts = [
        TourText(locale=locale, title=title, summary=summary, site_name=site)
        for locale, (title, summary, site) in texts.items()
    ]
    stop = Stop(position=0, model_asset_id=asset.id)
    stop.texts = [StopText(locale=default, title="Stop", narration="word " * 300)]
    tour.stops = [stop]
    db.add(tour)
    db.commit()
    publish_tour(db, tour)
    return tour


@pytest.fixture
def tours(db: Any, ready_asset: Any) -> dict[str, Tour]:
    return {slug: make_tour(db, ready_asset, slug, texts) for slug, texts in TOURS.items()}


def slugs(db: Any, criteria: Criteria, lang: str = "en", **page: Any) -> list[str]:
    return [card.slug for card in catalogue_page(db, lang, criteria, **page).cards]


@pytest.mark.backends
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("hue", ["thien-mu", "dai-noi"]),
        ("HUẾ", ["thien-mu", "dai-noi"]),
        ("DAI NOI", ["dai-noi"]),
        ("đại", ["dai-noi"]),
        ("celeste", ["thien-mu"]),
        ("Céleste pagode", ["thien-mu"]),
        ("quang nam", ["my-son"]),
        ("미선", ["my-son"]),
        ("towers", ["my-son"]),
        ("my-son", ["my-son"]),
        ("hue towers", []),
        ("%", []),
        ("_", []),
        ("", ["my-son", "thien-mu", "dai-noi"]),
    ],
)
def test_search_ignores_case_and_accents_in_every_language(
    db: Any, tours: dict[str, Tour], query: str, found: list[str]
) -> None:
    assert slugs(db, Criteria(query)) == found


@pytest.mark.backends
def test_filters_by_language_and_site(db: Any, tours: dict[str, Tour]) -> None:
    assert catalogue_languages(db) == ["en", "fr", "ko-KR", "vi"]
    assert slugs(db, Criteria(language="ko")) == ["my-son"]
    assert slugs(db, Criteria(language="ko-KR")) == ["my-son"]
    assert slugs(db, Criteria(language="fr")) == ["thien-mu"]
    assert catalogue_sites(db, "vi") == [("hue", "Huế"), ("quang nam", "Quảng Nam")]
    assert slugs(db, Criteria(site="hue")) == ["thien-mu", "dai-noi"]
    assert slugs(db, Criteria(query="chua", site="hue")) == ["thien-mu"]
    assert [card.slug for card in tours_at_site(db, "hue", "en")] == ["thien-mu", "dai-noi"]


@pytest.mark.backends
def test_cards_are_in_the_visitors_language_with_fallback(db: Any, tours: dict[str, Tour]) -> None:
    cards = {card.slug: card for card in catalogue_page(db, "fr").cards}
    assert cards["thien-mu"].title.text == "La pagode de la Dame céleste"
    assert not cards["thien-mu"].fell_back
    assert cards["dai-noi"].title.text == "Đại Nội"
    assert cards["dai-noi"].fell_back
    english = {card.slug: card for card in catalogue_page(db, "fr", preferences=["en"]).cards}
    assert english["dai-noi"].title.text == "The Imperial City"
    assert english["dai-noi"].title.locale == "en"
    card = cards["my-son"]
    assert (card.stop_count, card.minutes, card.revision) == (1, 3, 1)
    assert card.poster_key == tours["my-son"].stops[0].model.poster_key
    assert card.locales == ["en", "ko-KR"]


@pytest.mark.backends
def test_pages_hold_the_newest_first(db: Any, ready_asset: Any) -> None:
    for number in range(7):
        make_tour(db, ready_asset, f"tour-{number}", {"en": (f"Tour {number}", "", "Hue")})
    first = catalogue_page(db, "en", number=1, size=3)
    assert [card.slug for card in first.cards] == ["tour-6", "tour-5", "tour-4"]
    assert (first.total, first.pages, first.has_previous, first.has_next) == (7, 3, False, True)
    last = catalogue_page(db, "en", number=3, size=3)
    assert [card.slug for card in last.cards] == ["tour-0"]
    assert (last.has_previous, last.has_next) == (True, False)
    assert catalogue_page(db, "en", number=4, size=3).cards == []
    assert catalogue_page(db, "en", Criteria("tour 1"), size=3).total == 1


@pytest.mark.backends
@pytest.mark.parametrize(
    ("within", "found", "total"),
    [
        (None, ["thien-mu", "dai-noi", "my-son"], 3),
        (100.0, ["thien-mu", "dai-noi"], 2),
        (1.0, ["thien-mu"], 1),
        (0.0, [], 0),
    ],
)
def test_nearest_first_and_only_within_a_distance(
    db: Any, tours: dict[str, Tour], within: float | None, found: list[str], total: int
) -> None:
    from tours.nearby import Point

    places = {"dai-noi": (16.4698, 107.5786), "thien-mu": (16.4537, 107.5449)}
    for slug, (latitude, longitude) in places.items():
        tours[slug].latitude, tours[slug].longitude = latitude, longitude
        db.commit()
        publish_tour(db, tours[slug])
    near = Point(16.455, 107.545)  # a few hundred metres from the pagoda
    page = catalogue_page(db, "en", near=near, within_km=within)
    assert [card.slug for card in page.cards] == found and page.total == total
    distances = [card.distance_km for card in page.cards]
    if within is None:
        assert distances[0] is not None and distances[0] < 1 < (distances[1] or 0) < 10
        assert distances[2] is None  # no place: last
    assert all(distance is not None and distance <= within for distance in distances if within)
    narrowed = catalogue_page(db, "en", Criteria(site="hue"), near=near, within_km=100.0)
    assert [card.slug for card in narrowed.cards] == ["thien-mu", "dai-noi"]


@pytest.mark.backends
def test_publishing_and_unpublishing_keep_one_entry_per_tour(
    db: Any, tours: dict[str, Tour]
) -> None:
    version = catalogue_version(db)
    tour = tours["dai-noi"]
    english = next(text for text in tour.texts if text.locale == "en")
    english.title = "Tử Cấm Thành"  # was "The Imperial City"
    db.commit()
    publish_tour(db, tour)
    assert catalogue_version(db) != version
    entries = db.scalars(select(CatalogueEntry).where(CatalogueEntry.tour_id == tour.id)).all()
    assert [entry.card["revision"] for entry in entries] == [2]
    assert slugs(db, Criteria("tu cam thanh")) == ["dai-noi"]
    assert slugs(db, Criteria("imperial")) == []
    version = catalogue_version(db)
    unpublish_tour(db, tour)
    assert catalogue_version(db) != version
    assert slugs(db, Criteria("hue")) == ["thien-mu"]
    assert catalogue_languages(db) == ["en", "fr", "ko-KR", "vi"]
    unpublish_tour(db, tours["my-son"])
    assert catalogue_languages(db) == ["fr", "vi"]


def test_migration_prepares_tours_published_before_it(tmp_path: Any) -> None:
    """0007 fills the catalogue with the tours already published, and only those."""
    import json

    from sqlalchemy import text

    from tours.db import make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(engine, "0005")
    document = {
        "slug": "dai-noi",
        "default_locale": "vi",
        "title": {"vi": "Đại Nội"},
        "summary": {},
        "site_name": {"vi": "Huế"},
        "stops": [],
    }
    with engine.begin() as connection:
        for tour_id, slug, published in [(1, "dai-noi", 1), (2, "draft", None)]:
            connection.execute(
                text(
                    "INSERT INTO tours (id, slug, default_locale, published_number, created_at,"
                    " updated_at) VALUES (:id, :slug, 'vi', :published, :now, :now)"
                ),
                {"id": tour_id, "slug": slug, "published": published, "now": "2026-12-01"},
            )
            connection.execute(
                text(
                    "INSERT INTO tour_revisions (tour_id, number, document, published_at)"
                    " VALUES (:id, 1, :document, '2026-12-01 10:00:00')"
                ),
                {"id": tour_id, "document": json.dumps({**document, "slug": slug})},
            )
    migrate(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT slug, site_key, search_text FROM catalogue_entries")
        ).all()
        languages = connection.execute(text("SELECT locale FROM catalogue_languages")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [("dai-noi", "hue", "dai noi hue dai-noi")]
    assert [tuple(row) for row in languages] == [("vi",)]


@pytest.mark.backends
def test_postgres_searches_through_the_trigram_index(
    db: Any, tours: dict[str, Tour], backend: str
) -> None:
    """The query the catalogue sends can use the pg_trgm index (SQLite has none to use)."""
    from sqlalchemy import func, text

    from tours.listing import _conditions

    query = select(func.count()).select_from(CatalogueEntry).where(*_conditions(Criteria("hue")))
    if backend != "postgres-s3":
        sql = db.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'ix_catalogue_entries_search_trgm'")
        ).scalar_one()
        assert sql.endswith("WHERE 0")  # an empty partial index: LIKE '%x%' cannot use one
        return
    db.execute(text("SET LOCAL enable_seqscan = off"))
    compiled = query.compile(db.get_bind(), compile_kwargs={"literal_binds": True})
    plan = "\n".join(row[0] for row in db.execute(text(f"EXPLAIN {compiled}")))
    db.rollback()
    assert "ix_catalogue_entries_search_trgm" in plan, plan
