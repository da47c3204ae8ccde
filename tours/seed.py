"""The demo tour: generated monuments put through the ingest pipeline, then the demo's
tour document imported like a bundle, and published."""

from __future__ import annotations

import io
import logging
from typing import Any

from sqlalchemy import func, select

from tours.bundles import check_manifest, import_document
from tours.demo import demo_manifest
from tours.demo.monuments import MONUMENTS, build_monument
from tours.document import model_document
from tours.ingest import IngestSettings, process_asset, store_original
from tours.models import AssetStatus, ModelAsset, Tour
from tours.publishing import publish_tour

log = logging.getLogger(__name__)


def _ingest_monument(settings: IngestSettings, name: str) -> dict[str, Any]:
    """Upload one generated monument like a curator would, process it now, and return
    its model document (what a stop of a tour document says about its model)."""
    with settings.sessions() as session:
        asset = store_original(
            session, settings.store, io.BytesIO(build_monument(name)), f"{name}.glb"
        )
        asset_id = asset.id
    status = process_asset(settings, asset_id)
    if status != AssetStatus.READY:
        raise RuntimeError(f"demo model {name} was not accepted: {status}")
    with settings.sessions() as session:
        ready = session.get(ModelAsset, asset_id)
        assert ready is not None
        return model_document(ready)


def seed_demo(settings: IngestSettings) -> Tour | None:
    """Create and publish the demo tour, unless the database already has a tour."""
    with settings.sessions() as session:
        if session.scalar(select(func.count(Tour.id))):
            return None
    manifest = demo_manifest()
    stops = manifest["tour"]["stops"]
    if len(stops) != len(MONUMENTS):
        raise RuntimeError(f"the demo has {len(stops)} stops but {len(MONUMENTS)} monuments")
    for stop, name in zip(stops, MONUMENTS, strict=True):
        stop["model"] = _ingest_monument(settings, name)
    check_manifest(manifest)
    with settings.sessions() as session:
        tour = import_document(session, manifest["tour"])
        publish_tour(session, tour)
        log.info("seeded demo tour %s", tour.slug)
        return tour
