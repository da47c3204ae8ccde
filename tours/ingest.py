"""Ingest: keep the original upload, run ``models3d`` on it, publish the outputs atomically.

An asset goes ``uploaded → processing → ready | rejected | failed``. Outputs are stored
under content-addressed keys and become visible only in the single commit that marks the
asset ready, so a failed or rejected job never leaves half a model behind.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import models3d
from tours.blobstore import BlobStore
from tours.models import AssetStatus, ModelAsset

log = logging.getLogger(__name__)

GLB_TYPE = "model/gltf-binary"
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,8})$")


@dataclass(frozen=True)
class IngestSettings:
    """What a job needs besides the asset: where things live and the limits to apply."""

    sessions: sessionmaker
    store: BlobStore
    limits: models3d.Limits


def original_extension(name: str) -> str:
    """The lower-case extension of an uploaded file's name, or ``bin``."""
    match = _EXTENSION.search(name)
    return match.group(1).lower() if match else "bin"


def store_original(
    session: Session,
    store: BlobStore,
    data: IO[bytes],
    name: str,
    options: dict[str, Any] | None = None,
) -> ModelAsset:
    """Keep the upload unchanged under its content hash, and record a new asset for it."""
    key = store.put_content("originals", data, original_extension(name), "application/octet-stream")
    info = store.stat(key)
    asset = ModelAsset(
        name=name[:255],
        sha256=key.split("/")[1].split(".")[0],
        original_key=key,
        size_bytes=info.size if info else 0,
        status=AssetStatus.UPLOADED,
        options=options or {},
    )
    session.add(asset)
    session.commit()
    return asset


def _progress_reporter(settings: IngestSettings, asset_id: int) -> Callable[[int, str], None]:
    def report(percent: int, stage: str) -> None:
        with settings.sessions() as session:
            asset = session.get(ModelAsset, asset_id)
            if asset is not None:
                asset.progress, asset.stage = percent, stage[:64]
                session.commit()

    return report


def _store_outputs(store: BlobStore, result: models3d.ProcessResult) -> tuple[dict, str]:
    levels: dict[str, Any] = {}
    report_levels = result.report.get("levels", {})
    for level, path in result.levels.items():
        with path.open("rb") as stream:
            key = store.put_content("models", stream, "glb", GLB_TYPE)
        levels[level] = {
            "key": key,
            "bytes": path.stat().st_size,
            "triangles": report_levels.get(level, {}).get("triangles"),
        }
    with result.poster.open("rb") as stream:
        poster_key = store.put_content("posters", stream, "webp", "image/webp")
    return levels, poster_key


def process_asset(settings: IngestSettings, asset_id: int) -> str:
    """Run the pipeline on one asset and record the outcome; returns the final status.

    Idempotent: a ready asset is left alone, so a retried job does no harm. Blob store
    errors propagate, so the job queue can retry them.
    """
    with settings.sessions() as session:
        asset = session.get(ModelAsset, asset_id)
        if asset is None or asset.status == AssetStatus.READY:
            return asset.status if asset else "missing"
        asset.status, asset.progress, asset.stage = AssetStatus.PROCESSING, 0, "queued"
        asset.error_code = asset.error_message = None
        session.commit()
        options = models3d.ProcessOptions(
            up_axis=asset.options.get("up_axis", "auto"),
            unit=asset.options.get("unit", "m"),
            limits=settings.limits,
        )
        with tempfile.TemporaryDirectory(prefix="heritour-ingest-") as work:
            source = Path(work) / "original"
            with source.open("wb") as out:
                settings.store.copy_to(asset.original_key, out)
            try:
                result = models3d.process_isolated(
                    source,
                    Path(work) / "out",
                    original_name=asset.name,
                    options=options,
                    progress=_progress_reporter(settings, asset_id),
                )
            except models3d.ModelError as error:
                asset.status, asset.error_code, asset.error_message = (
                    AssetStatus.REJECTED,
                    error.code,
                    error.message,
                )
                session.commit()
                return asset.status
            levels, poster_key = _store_outputs(settings.store, result)
        asset.levels, asset.poster_key, asset.report = levels, poster_key, result.report
        asset.status, asset.progress, asset.stage = AssetStatus.READY, 100, "done"
        session.commit()
        return asset.status


def unfinished_assets(session: Session) -> list[int]:
    """Assets whose processing never finished (say, the worker stopped mid-job)."""
    pending = (AssetStatus.UPLOADED, AssetStatus.PROCESSING)
    return list(session.scalars(select(ModelAsset.id).where(ModelAsset.status.in_(pending))))


def mark_failed(settings: IngestSettings, asset_id: int, reason: str) -> None:
    """Record that processing broke for a reason that is ours, not the upload's."""
    with settings.sessions() as session:
        asset = session.get(ModelAsset, asset_id)
        if asset is not None and asset.status != AssetStatus.READY:
            asset.status, asset.error_code = AssetStatus.FAILED, "processing_failed"
            asset.error_message = reason[:2000]
            session.commit()
