"""Ingest: keep the original upload, run ``models3d`` on it, publish the outputs atomically.

An asset goes ``uploaded → processing → ready | rejected | failed``: ``rejected`` when the
upload is at fault (it says why, by code), ``failed`` when we are (a bug, a crash, the file
store). Outputs are stored under content-addressed keys and become visible only in the
single commit that marks the asset ready. When storing fails part of the way, the blobs
this attempt wrote are deleted again unless something else uses them, so a failed or
rejected job never leaves half a model behind.

Each run holds the asset's lease (:mod:`tours.leases`): the claim, the progress and the
final commit all name this worker, so a job taken over after its worker died cannot be
finished twice. It works in a locked folder (:mod:`tours.workdirs`) that a worker starting
later removes if this one was killed. A child stopped from outside
(:class:`models3d.ProcessingInterrupted`) leaves the asset ``processing`` without a lease,
to be run again; a job interrupted ``max_attempts`` times ends ``failed``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

import models3d
from tours.blobstore import BlobStore, BlobStoreError
from tours.blobstore.multipart import is_incoming_key
from tours.leases import Heartbeat, LeasePolicy, claim, new_owner, release
from tours.models import (
    AssetKind,
    AssetStatus,
    ModelAsset,
    Stop,
    StopAudio,
    TourImage,
    TourRevision,
)
from tours.panoramas import store_image, store_tiles, tile_set_keys
from tours.workdirs import workdir

log = logging.getLogger(__name__)

GLB_TYPE = "model/gltf-binary"
STORE_UNAVAILABLE = "The file store did not answer; try again later."
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,8})$")


@dataclass(frozen=True)
class IngestSettings:
    """What a job needs besides the asset: where things live and the limits to apply."""

    sessions: sessionmaker
    store: BlobStore
    limits: models3d.Limits
    lease: LeasePolicy = field(default_factory=LeasePolicy)


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


def record_incoming(
    session: Session, key: str, size: int, name: str, options: dict[str, Any] | None = None
) -> ModelAsset:
    """Record a new asset for a direct upload still under its ``incoming/`` key, without
    reading it: the job moves it to its content-addressed place (:func:`_adopt_incoming`)."""
    asset = ModelAsset(
        name=name[:255],
        sha256="",
        original_key=key,
        size_bytes=size,
        status=AssetStatus.UPLOADED,
        options=options or {},
    )
    session.add(asset)
    session.commit()
    return asset


def _adopt_incoming(store: BlobStore, session: Session, asset: ModelAsset) -> None:
    """Keep a direct upload under its content hash (in the job, not the web process)."""
    incoming = asset.original_key
    if not is_incoming_key(incoming):
        return
    with store.open(incoming) as stream:
        key = store.put_content(
            "originals", stream, original_extension(asset.name), "application/octet-stream"
        )
    asset.original_key, asset.sha256 = key, key.split("/")[1].split(".")[0]
    session.commit()
    store.delete(incoming)


def _progress_reporter(
    settings: IngestSettings, asset_id: int, owner: str
) -> Callable[[int, str], None]:
    def report(percent: int, stage: str) -> None:
        with settings.sessions() as session:
            session.execute(
                update(ModelAsset)
                .where(ModelAsset.id == asset_id, ModelAsset.lease_owner == owner)
                .values(progress=percent, stage=stage[:64])
                .execution_options(synchronize_session=False)
            )
            session.commit()

    return report


def _put_file(
    store: BlobStore, kind: str, path: Path, extension: str, content_type: str, written: list[str]
) -> str:
    """Store a file under its content key; a key that was not there yet goes in ``written``."""
    with path.open("rb") as stream:
        key, fresh = store.add_content(kind, stream, extension, content_type)
    if fresh:
        written.append(key)
    return key


def _store_panorama(
    store: BlobStore, result: models3d.ProcessResult, written: list[str]
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Store a panorama's images, its tile set and its poster: (levels, tiles, poster key)."""
    report = result.report.get("panorama") or {}
    levels = {name: store_image(store, path, written) for name, path in result.levels.items()}
    preview = report.get("preview") or {}
    if "preview" in levels and preview.get("width"):
        levels["preview"].update(width=preview["width"], height=preview.get("height"))
    if "equirect" in levels and report.get("width"):
        levels["equirect"].update(width=report["width"], height=report.get("height"))
    folder = result.tiles or result.poster.parent / "tiles"
    tiles = store_tiles(store, Path(folder), report, written)
    poster_key = _put_file(store, "posters", result.poster, "webp", "image/webp", written)
    return levels, tiles, poster_key


def _store_outputs(
    store: BlobStore, result: models3d.ProcessResult, written: list[str]
) -> tuple[dict[str, Any], str]:
    levels: dict[str, Any] = {}
    report_levels = result.report.get("levels", {})
    for level, path in result.levels.items():
        levels[level] = {
            "key": _put_file(store, "models", path, "glb", GLB_TYPE, written),
            "bytes": path.stat().st_size,
            "triangles": report_levels.get(level, {}).get("triangles"),
        }
        if "points" in report_levels.get(level, {}):  # a point cloud's level
            levels[level]["points"] = report_levels[level]["points"]
    poster_key = _put_file(store, "posters", result.poster, "webp", "image/webp", written)
    return levels, poster_key


def referenced_keys(session: Session) -> set[str]:
    """Every blob key a row of the database refers to, tiles listed one by one.

    Model assets (original, poster, levels, tile pyramid), stops (poster, rendered posters,
    AR model), narration audio and captions, tour images (their WebP copies) and every
    published tour revision (see :func:`tours.bundles.document_keys`). Garbage collection
    after a failed ingest (:func:`keys_in_use`) and backups (:mod:`tours.backup`) use it."""
    from tours.bundles import document_keys  # bundles builds on much of the domain

    keys: set[str] = set()
    for levels, tiles, poster, original in session.execute(
        select(ModelAsset.levels, ModelAsset.tiles, ModelAsset.poster_key, ModelAsset.original_key)
    ):
        keys.update(key for key in (poster, original) if key)
        for level in (levels or {}).values():
            if isinstance(level, dict) and level.get("key"):
                keys.add(level["key"])
        keys.update(tile_set_keys(tiles))
    for poster, posters, ar_key in session.execute(
        select(Stop.poster_key, Stop.posters, Stop.ar_key)
    ):
        keys.update(key for key in (poster, ar_key, *(posters or {}).values()) if key)
    for audio, captions in session.execute(select(StopAudio.audio_key, StopAudio.captions_key)):
        keys.update(key for key in (audio, captions) if key)
    for variants in session.scalars(select(TourImage.variants)):
        keys.update((variants or {}).values())
    for document in session.scalars(select(TourRevision.document)):
        keys.update(document_keys(document))
    return keys


def keys_in_use(session: Session, keys: set[str]) -> set[str]:
    """Which of ``keys`` a model asset, a stop, a tour image or a published tour revision
    refers to (see :func:`referenced_keys`)."""
    return referenced_keys(session) & keys


def _discard(session: Session, store: BlobStore, asset: ModelAsset, written: list[str]) -> None:
    """Delete the blobs an unfinished attempt wrote, unless something else uses them.

    Keys are content hashes: another asset may have stored the same bytes meanwhile. Keys
    that a row refers to are kept, and so is everything while another asset made from the
    same original is being processed (it may be about to refer to them).
    """
    if not written:
        return
    twin = session.scalar(
        select(ModelAsset.id).where(
            ModelAsset.sha256 == asset.sha256,
            ModelAsset.id != asset.id,
            ModelAsset.status == AssetStatus.PROCESSING,
        )
    )
    if twin is not None:
        log.warning(
            "asset %s: keeping %d new blobs, asset %s may use them", asset.id, len(written), twin
        )
        return
    for key in sorted(set(written) - keys_in_use(session, set(written))):
        try:
            store.delete(key)
        except BlobStoreError:
            log.warning("asset %s: could not delete unused blob %s", asset.id, key, exc_info=True)


def _finish(session: Session, asset_id: int, owner: str, **values: Any) -> str:
    """End the run with ``values`` and give the lease up, if ``owner`` still holds it;
    returns the status, or ``busy`` when another worker took the job over meanwhile."""
    done = session.execute(
        update(ModelAsset)
        .where(ModelAsset.id == asset_id, ModelAsset.lease_owner == owner)
        .values(lease_owner=None, lease_expires_at=None, **values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if not done.rowcount:  # type: ignore[attr-defined]
        log.warning("asset %s: lost the lease, another worker finishes the job", asset_id)
        return "busy"
    return str(values["status"])


def _record(
    session: Session, asset: ModelAsset, owner: str, status: str, code: str, message: str
) -> str:
    return _finish(session, asset.id, owner, status=status, error_code=code, error_message=message)


def _process(
    settings: IngestSettings, session: Session, asset: ModelAsset, written: list[str], owner: str
) -> str:
    options = models3d.ProcessOptions(
        up_axis=asset.options.get("up_axis", "auto"),
        unit=asset.options.get("unit", "m"),
        limits=settings.limits,
    )
    _adopt_incoming(settings.store, session, asset)
    with workdir() as work:
        source = work / "original"
        with source.open("wb") as out:
            settings.store.copy_to(asset.original_key, out)
        try:
            result = models3d.process_isolated(
                source,
                work / "out",
                original_name=asset.name,
                options=options,
                progress=_progress_reporter(settings, asset.id, owner),
                tmp_dir=work / "tmp",
            )
        except models3d.ModelError as error:
            return _record(session, asset, owner, AssetStatus.REJECTED, error.code, error.message)
        except models3d.ProcessingInterrupted:
            raise
        except models3d.ProcessingError as error:
            log.error("processing asset %s failed on our side: %s", asset.id, error.detail)
            return _record(session, asset, owner, AssetStatus.FAILED, error.code, error.message)
        values: dict[str, Any] = {}
        if result.report.get("kind") == AssetKind.PANORAMA:
            levels, tiles, poster_key = _store_panorama(settings.store, result, written)
            values.update(kind=AssetKind.PANORAMA, tiles=tiles)
        else:
            levels, poster_key = _store_outputs(settings.store, result, written)
    values.update(levels=levels, poster_key=poster_key, report=result.report)
    return _finish(
        session, asset.id, owner, status=AssetStatus.READY, progress=100, stage="done", **values
    )


def process_asset(settings: IngestSettings, asset_id: int) -> str:
    """Run the pipeline on one asset and record the outcome; returns the final status.

    ``rejected`` (the upload's fault) and ``failed`` (ours) carry a code and a sentence.
    Idempotent: a ready asset is left alone, and one that another worker holds gives
    ``busy``, so a job queued twice does no harm. ``interrupted``: the child was stopped
    from outside; the asset stays ``processing``, free for any worker to run again. Blob
    store errors are recorded as ``failed``, with the blobs this attempt wrote removed,
    then propagate, so the job queue can retry them. Any other exception (a bug) also
    removes them before it propagates.
    """
    owner = new_owner()
    outcome, attempts = claim(settings.sessions, asset_id, owner, settings.lease)
    if outcome != "claimed":
        return AssetStatus.READY if outcome == "ready" else outcome
    with settings.sessions() as session:
        asset = session.get(ModelAsset, asset_id)
        assert asset is not None  # just claimed; assets are not deleted while processing
        if attempts > settings.lease.max_attempts:
            log.error("asset %s: interrupted %d times, giving up", asset_id, attempts - 1)
            message = models3d.MESSAGES["processing_failed"]
            return _record(session, asset, owner, AssetStatus.FAILED, "processing_failed", message)
        written: list[str] = []
        try:
            with Heartbeat(settings.sessions, asset_id, owner, settings.lease):
                return _process(settings, session, asset, written, owner)
        except models3d.ProcessingInterrupted as error:
            log.warning("asset %s: processing was interrupted: %s", asset_id, error.detail)
            session.rollback()
            release(settings.sessions, asset_id, owner)
            return "interrupted"
        except BlobStoreError:
            session.rollback()
            _discard(session, settings.store, asset, written)
            _record(
                session, asset, owner, AssetStatus.FAILED, "processing_failed", STORE_UNAVAILABLE
            )
            raise
        except Exception:
            session.rollback()  # a bug: the job records it; what this attempt wrote goes
            _discard(session, settings.store, asset, written)
            release(settings.sessions, asset_id, owner)
            raise


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
            asset.lease_owner = asset.lease_expires_at = None
            session.commit()
