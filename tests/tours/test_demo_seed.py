"""Seeding the demo: ``tours/demo/tour.json`` is a valid bundle manifest, and ``flask demo
seed`` turns it, with the generated monuments, into exactly that tour, published."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy import select

from tours.authoring import AuthoringError
from tours.bundles import SCHEMA_FILE, bundle_schema, check_manifest
from tours.demo import DOCUMENT_FILE, demo_manifest
from tours.demo.monuments import MONUMENTS
from tours.document import tour_document
from tours.models import AssetStatus, ModelAsset, Tour, TourRevision
from tours.seed import PANORAMAS

ROOT = Path(__file__).resolve().parents[2]


def test_demo_document_is_a_valid_bundle_manifest() -> None:
    manifest = demo_manifest()
    jsonschema.Draft202012Validator(bundle_schema()).validate(manifest)
    assert check_manifest(manifest) == manifest
    assert manifest["files"] == {}, "the models are generated, not shipped"


def test_schema_problems_in_a_document_are_reported() -> None:
    manifest = demo_manifest()
    manifest["tour"]["stops"][2]["camera"]["orbit"] = 42
    with pytest.raises(AuthoringError) as caught:
        check_manifest(manifest)
    assert caught.value.code == "schema_invalid"
    assert caught.value.detail == {"path": "tour/stops/2/camera/orbit"}


def test_demo_manifest_is_a_fresh_copy() -> None:
    first = demo_manifest()
    first["tour"]["stops"].clear()
    assert len(demo_manifest()["tour"]["stops"]) == len(MONUMENTS) + len(PANORAMAS)


@pytest.mark.parametrize(
    ("package", "resource"), [("tours", SCHEMA_FILE), ("tours", f"demo/{DOCUMENT_FILE}")]
)
def test_data_files_are_package_data(package: str, resource: str) -> None:
    """An installed Heritour (not only a checkout) finds the schema and the demo: the file
    matches a package-data pattern, expanded as setuptools does (a recursive glob)."""
    folder = ROOT / package
    assert (folder / resource).is_file()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"][package]
    shipped = {path for pattern in patterns for path in folder.glob(pattern)}
    assert folder / resource in shipped, patterns


def test_seed_imports_the_document_with_the_generated_models(app: Any, db: Any) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "Seeded the demo tour 'hue-imperial-city'." in result.output

    tour = db.scalars(select(Tour)).one()
    seeded = tour_document(tour)
    expected = copy.deepcopy(demo_manifest()["tour"])
    assert len(seeded["stops"]) == len(expected["stops"]) == len(MONUMENTS) + len(PANORAMAS)
    pairs = list(zip(seeded["stops"], expected["stops"], strict=True))
    models = [(stop, wanted) for stop, wanted in pairs if "panorama" not in wanted]
    panoramas = [(stop, wanted) for stop, wanted in pairs if "panorama" in wanted]
    for name, (stop, wanted) in zip(PANORAMAS, panoramas, strict=True):
        asset = db.scalars(select(ModelAsset).where(ModelAsset.name == f"{name}.jpg")).one()
        assert (asset.kind, asset.status) == ("panorama", AssetStatus.READY)
        assert stop["panorama"]["tiles"] == asset.tiles and asset.tiles["count"] > 2
        assert stop["model"] is None and wanted["panorama"] is None
        wanted["panorama"] = stop["panorama"]
    for name, (stop, wanted) in zip(MONUMENTS, models, strict=True):
        asset = db.scalars(select(ModelAsset).where(ModelAsset.sha256 == stop["model"]["sha256"]))
        ready = asset.one()
        assert (ready.name, ready.status) == (f"{name}.glb", AssetStatus.READY)
        assert set(stop["model"]["levels"]) >= {"high", "low"}
        assert stop["model"]["poster"], "the ingest pipeline drew a poster"
        assert wanted["model"] is None
        wanted["model"] = stop["model"]
    assert seeded == expected
    check_manifest({"format": "heritour.bundle", "version": 1, "tour": seeded, "files": {}})

    revision = db.scalars(select(TourRevision).where(TourRevision.tour_id == tour.id)).one()
    assert tour.published_number == revision.number
    assert revision.document == seeded

    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    assert "nothing seeded" in again.output
    assert db.scalars(select(Tour)).all() == [tour]
