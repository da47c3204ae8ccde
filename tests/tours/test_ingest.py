"""Ingest: originals kept unchanged, outputs published atomically, jobs on every queue."""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any, BinaryIO

import pytest

import models3d
from tours.blobstore import BlobInfo, BlobStore, BlobStoreError
from tours.blobstore.multipart import UploadRequest
from tours.ingest import STORE_UNAVAILABLE, IngestSettings, process_asset, store_original
from tours.jobs import RETRIES, JobQueue, make_queue
from tours.models import AssetStatus, ModelAsset


@pytest.fixture
def settings(app: Any) -> IngestSettings:
    from webapp.extensions import jobs

    return jobs.settings


def _upload(db: Any, store: BlobStore, data: bytes, name: str, **options: str) -> ModelAsset:
    return store_original(db, store, io.BytesIO(data), name, options)


def test_original_is_kept_unchanged_and_content_addressed(
    db: Any, store: BlobStore, testdata: Path
) -> None:
    data = (testdata / "Duck.glb").read_bytes()
    asset = _upload(db, store, data, "Duck.glb", up_axis="y")
    sha = hashlib.sha256(data).hexdigest()
    assert (asset.sha256, asset.original_key, asset.size_bytes) == (
        sha,
        f"originals/{sha}.glb",
        len(data),
    )
    assert (asset.status, asset.options) == (AssetStatus.UPLOADED, {"up_axis": "y"})
    assert store.read(asset.original_key) == data
    again = _upload(db, store, data, "duck-copy.glb")
    assert again.original_key == asset.original_key and again.id != asset.id


def test_processing_publishes_levels_and_poster(
    db: Any, store: BlobStore, settings: IngestSettings, testdata: Path
) -> None:
    asset = _upload(db, store, (testdata / "Duck.glb").read_bytes(), "Duck.glb")
    assert process_asset(settings, asset.id) == AssetStatus.READY
    db.refresh(asset)
    assert (asset.status, asset.progress, asset.error_code) == (AssetStatus.READY, 100, None)
    assert set(asset.levels) == {"thumb", "low", "medium", "high"}
    for level in asset.levels.values():
        stored = store.stat(level["key"])
        assert stored is not None and stored.size == level["bytes"]
        assert stored.content_type == "model/gltf-binary"
        assert store.read(level["key"])[:4] == b"glTF"
    assert asset.poster_key and store.read(asset.poster_key)[8:12] == b"WEBP"
    assert asset.report["triangles"] == 4212
    # Idempotent: a retried job leaves a ready asset as it is.
    assert process_asset(settings, asset.id) == AssetStatus.READY


def test_rejected_upload_leaves_nothing_published(
    db: Any, store: BlobStore, settings: IngestSettings
) -> None:
    asset = _upload(db, store, b"this is not a model", "broken.glb")
    assert process_asset(settings, asset.id) == AssetStatus.REJECTED
    db.refresh(asset)
    assert asset.status == AssetStatus.REJECTED
    assert asset.error_code in {"content_mismatch", "parse_error", "unsupported_format"}
    assert asset.error_message
    assert (asset.levels, asset.poster_key, asset.report) == ({}, None, None)
    assert store.read(asset.original_key) == b"this is not a model"  # the original is never lost


class FlakyStore:
    """A store that fails the first ``failures`` writes of outputs, then works."""

    def __init__(self, inner: BlobStore, failures: int) -> None:
        self.inner, self.failures = inner, failures

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def add_content(self, *args: Any, **kwargs: Any) -> tuple[str, bool]:
        if self.failures > 0:
            self.failures -= 1
            raise BlobStoreError("connection reset")
        return self.inner.add_content(*args, **kwargs)


TRUCK = "CesiumMilkTruck.glb"  # three distinct levels and a poster: four writes


class FailingStore(BlobStore):
    """The real store, except that its ``fail_at``-th write fails (a dropped connection).

    ``before_failure`` runs just before, with the keys written so far.
    """

    def __init__(
        self,
        inner: BlobStore,
        fail_at: int,
        before_failure: Callable[[list[str]], None] | None = None,
    ) -> None:
        self.inner, self.fail_at, self.before_failure = inner, fail_at, before_failure
        self.puts = 0
        self.written: list[str] = []

    def put(
        self, key: str, data: IO[bytes], content_type: str, cache_control: str | None = None
    ) -> BlobInfo:
        self.puts += 1
        if self.puts == self.fail_at:
            if self.before_failure is not None:
                self.before_failure(list(self.written))
            raise BlobStoreError("connection reset")
        info = self.inner.put(key, data, content_type, cache_control)
        self.written.append(key)
        return info

    def open(self, key: str, byte_range: tuple[int, int | None] | None = None) -> BinaryIO:
        return self.inner.open(key, byte_range)

    def stat(self, key: str) -> BlobInfo | None:
        return self.inner.stat(key)

    def delete(self, key: str) -> None:
        self.inner.delete(key)

    def delivery_url(self, key: str, expires_in: int = 3600) -> str | None:
        return self.inner.delivery_url(key, expires_in)

    def check(self) -> None:
        self.inner.check()

    @property
    def location(self) -> str:
        return self.inner.location

    def create_if_missing(self) -> None:
        self.inner.create_if_missing()

    def local_path(self, key: str) -> Path | None:
        return self.inner.local_path(key)

    @property
    def takes_direct_uploads(self) -> bool:
        return self.inner.takes_direct_uploads

    def presign_upload(self, request: UploadRequest, expires_in: int) -> str:
        return self.inner.presign_upload(request, expires_in)

    def allow_origins(self, origins: list[str]) -> bool:
        return self.inner.allow_origins(origins)


def test_storage_failure_removes_what_the_attempt_wrote(
    db: Any, store: BlobStore, settings: IngestSettings, testdata: Path
) -> None:
    asset = _upload(db, store, (testdata / TRUCK).read_bytes(), TRUCK)
    failing = FailingStore(store, fail_at=3)
    with pytest.raises(BlobStoreError):
        process_asset(IngestSettings(settings.sessions, failing, settings.limits), asset.id)
    db.refresh(asset)
    assert (asset.status, asset.error_code, asset.error_message) == (
        AssetStatus.FAILED,
        "processing_failed",
        STORE_UNAVAILABLE,
    )
    assert (asset.levels, asset.poster_key, asset.report) == ({}, None, None)
    assert len(failing.written) == 2 and failing.written[0].startswith("models/")
    assert not any(store.exists(key) for key in failing.written)
    assert store.read(asset.original_key)[:4] == b"glTF"  # the original is never lost


@pytest.mark.parametrize("other_status", [AssetStatus.READY, AssetStatus.PROCESSING])
def test_storage_failure_keeps_blobs_others_may_use(
    db: Any, store: BlobStore, settings: IngestSettings, testdata: Path, other_status: str
) -> None:
    """Keys are content hashes: another asset may have stored or used the same bytes."""
    data = (testdata / TRUCK).read_bytes()
    asset = _upload(db, store, data, TRUCK)

    def another_asset_uses(written: list[str]) -> None:
        with settings.sessions() as session:
            other = ModelAsset(
                name="same scan",
                sha256=asset.sha256,
                original_key=asset.original_key,
                size_bytes=len(data),
                status=other_status,
                levels={"thumb": {"key": written[0]}} if other_status == "ready" else {},
            )
            session.add(other)
            session.commit()

    failing = FailingStore(store, fail_at=3, before_failure=another_asset_uses)
    with pytest.raises(BlobStoreError):
        process_asset(IngestSettings(settings.sessions, failing, settings.limits), asset.id)
    kept = [store.exists(key) for key in failing.written]
    # A ready asset refers to the first key only; one in progress may come to use both.
    assert kept == ([True, False] if other_status == "ready" else [True, True])


def test_job_retries_after_a_partial_store_failure(
    app: Any, db: Any, store: BlobStore, settings: IngestSettings, testdata: Path
) -> None:
    asset = _upload(db, store, (testdata / TRUCK).read_bytes(), TRUCK)
    failing = FailingStore(store, fail_at=3)
    queue = make_queue(
        {**app.config, "JOBS": "immediate"},
        IngestSettings(settings.sessions, failing, settings.limits),
    )
    assert _run_with_retries(queue, asset.id) == 1
    db.refresh(asset)
    assert asset.status == AssetStatus.READY
    assert all(store.exists(level["key"]) for level in asset.levels.values())
    assert asset.poster_key and store.exists(asset.poster_key)


def test_crash_of_our_code_is_failed_not_rejected(
    db: Any,
    store: BlobStore,
    settings: IngestSettings,
    testdata: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "sitecustomize.py").write_text("import os\nos._exit(3)\n")  # the child dies
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    asset = _upload(db, store, (testdata / "BoxTextured.glb").read_bytes(), "BoxTextured.glb")
    assert process_asset(settings, asset.id) == AssetStatus.FAILED
    db.refresh(asset)
    assert (asset.status, asset.error_code, asset.error_message) == (
        AssetStatus.FAILED,
        "processing_failed",
        models3d.MESSAGES["processing_failed"],
    )
    assert (asset.levels, asset.poster_key) == ({}, None)


def _run_with_retries(queue: JobQueue, asset_id: int) -> int:
    """Enqueue the job, then run each scheduled retry at once; return how many ran."""
    queue.process_model(asset_id)
    retries = 0
    tomorrow = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)  # huey's naive UTC
    while due := queue.huey.read_schedule(tomorrow):
        for task in due:
            retries += 1
            task.eta = None  # due now: skip the retry delay
            queue.huey.execute(task)
    return retries


@pytest.mark.parametrize(
    ("failures", "retries", "status", "error_code"),
    [
        (2, 2, AssetStatus.READY, None),  # the store comes back: the third try succeeds
        (99, RETRIES, AssetStatus.FAILED, "processing_failed"),  # it never does: give up
    ],
)
def test_job_retries_transient_store_errors(
    app: Any,
    db: Any,
    store: BlobStore,
    settings: IngestSettings,
    testdata: Path,
    failures: int,
    retries: int,
    status: AssetStatus,
    error_code: str | None,
) -> None:
    asset = _upload(db, store, (testdata / "Duck.glb").read_bytes(), "Duck.glb")
    flaky = IngestSettings(settings.sessions, FlakyStore(store, failures), settings.limits)  # type: ignore[arg-type]
    queue = make_queue({**app.config, "JOBS": "immediate"}, flaky)
    assert _run_with_retries(queue, asset.id) == retries
    db.refresh(asset)
    assert (asset.status, asset.error_code) == (status, error_code)
    assert sorted(asset.levels) == (sorted(models3d.LEVELS) if status == AssetStatus.READY else [])


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_jobs_travel_through_the_real_queue(
    kind: str,
    app: Any,
    db: Any,
    store: BlobStore,
    settings: IngestSettings,
    testdata: Path,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    config = {
        **app.config,
        "JOBS": kind,
        "JOBS_SQLITE_PATH": str(tmp_path / "queue.db"),
        # Redis is asked for only when needed: the sqlite case runs on a machine without it.
        "REDIS_URL": request.getfixturevalue("redis_url") if kind == "redis" else "",
        "JOBS_QUEUE": f"heritour-test-{uuid.uuid4().hex[:8]}",  # our own queue on a shared Redis
    }
    queue = make_queue(config, settings)
    asset = _upload(db, store, (testdata / "BoxTextured.glb").read_bytes(), "BoxTextured.glb")
    queue.process_model(asset.id)
    assert queue.huey.pending_count() == 1
    task = queue.huey.dequeue()
    assert task is not None
    queue.huey.execute(task)
    db.refresh(asset)
    assert asset.status == AssetStatus.READY
    queue.huey.storage.flush_all()


# 360° panoramas (issue 12): the pipeline's outputs stored as images, a poster and a tile set


def _panorama_upload(
    db: Any, store: BlobStore, monkeypatch: pytest.MonkeyPatch, outputs: Any
) -> ModelAsset:
    """An uploaded panorama whose processing gives ``outputs`` (the pipeline's own folder
    layout, see the ``panorama_outputs`` fixture); the pipeline itself is tested in models3d."""

    def process(source: Path, out_dir: Path, **_kwargs: Any) -> Any:
        return outputs

    monkeypatch.setattr(models3d, "process_isolated", process)
    return _upload(db, store, outputs.levels["equirect"].read_bytes(), "courtyard.jpg")


def _expected_tile_set(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*.jpg"))
    }


def test_panorama_outputs_are_stored_as_images_poster_and_tile_set(
    db: Any,
    store: BlobStore,
    settings: IngestSettings,
    monkeypatch: pytest.MonkeyPatch,
    panorama_outputs: Any,
) -> None:
    asset = _panorama_upload(db, store, monkeypatch, panorama_outputs)
    assert process_asset(settings, asset.id) == AssetStatus.READY
    db.refresh(asset)
    assert asset.kind == "panorama"
    folder = panorama_outputs.poster.parent
    for name in ("preview", "equirect"):
        data = (folder / f"{name}.jpg").read_bytes()
        key = f"panoramas/{hashlib.sha256(data).hexdigest()}.jpg"
        assert asset.levels[name]["key"] == key and store.read(key) == data
        assert store.stat(key).content_type == "image/jpeg"  # type: ignore[union-attr]
    tiles = _expected_tile_set(folder / "tiles")
    listing = "".join(f"{path} {sha}\n" for path, sha in sorted(tiles.items()))
    set_id = hashlib.sha256(listing.encode()).hexdigest()
    assert asset.tiles is not None and asset.tiles["set"] == set_id
    assert (asset.tiles["count"], asset.tiles["tile_size"]) == (10, 256)
    assert asset.tiles["levels"] == [
        {"width": 512, "cols": 2, "rows": 1},
        {"width": 1024, "cols": 4, "rows": 2},
    ]
    for path in tiles:
        assert store.read(f"tiles/{set_id}/{path}") == (folder / "tiles" / path).read_bytes()
    assert asset.poster_key and store.read(asset.poster_key)[8:12] == b"WEBP"


def test_panorama_storage_failure_leaves_no_tile_behind(
    db: Any,
    store: BlobStore,
    settings: IngestSettings,
    monkeypatch: pytest.MonkeyPatch,
    panorama_outputs: Any,
) -> None:
    asset = _panorama_upload(db, store, monkeypatch, panorama_outputs)
    failing = FailingStore(store, fail_at=7)  # two images, then the fifth tile fails
    with pytest.raises(BlobStoreError):
        process_asset(IngestSettings(settings.sessions, failing, settings.limits), asset.id)
    db.refresh(asset)
    assert (asset.status, asset.levels, asset.tiles) == (AssetStatus.FAILED, {}, None)
    assert [key.split("/")[0] for key in failing.written] == ["panoramas"] * 2 + ["tiles"] * 4
    assert not any(store.exists(key) for key in failing.written)
    # The job's retry stores everything again.
    assert process_asset(settings, asset.id) == AssetStatus.READY


def test_tiles_are_in_use_while_an_asset_or_a_revision_names_their_set(
    db: Any, store: BlobStore, panorama_tour: Any
) -> None:
    from tours.ingest import keys_in_use
    from tours.publishing import publish_tour

    asset = panorama_tour.stops[2].model
    set_id = asset.tiles["set"]
    tile, stranger = f"tiles/{set_id}/0/0_0.jpg", f"tiles/{'0' * 64}/0/0_0.jpg"
    assert keys_in_use(db, {tile, stranger}) == {tile}
    publish_tour(db, panorama_tour)
    asset.tiles = None  # say, the asset was re-processed: the published tour still shows them
    db.commit()
    assert keys_in_use(db, {tile, stranger}) == {tile}


def _jpeg(width: int, height: int) -> bytes:
    from PIL import Image

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _blob_keys(store: BlobStore, db: Any) -> set[str]:
    """Every key the database names (originals included)."""
    from tours.panoramas import tile_set_keys

    keys: set[str] = set()
    for asset in db.query(ModelAsset).all():
        keys.add(asset.original_key)
        keys.update(level["key"] for level in asset.levels.values())
        keys.update(k for k in (asset.poster_key,) if k)
        keys.update(tile_set_keys(asset.tiles))
    return keys


def test_a_panorama_upload_goes_through_the_real_pipeline(
    db: Any, store: BlobStore, settings: IngestSettings
) -> None:
    asset = _upload(db, store, _jpeg(2048, 1024), "courtyard.jpg")
    assert process_asset(settings, asset.id) == AssetStatus.READY
    db.refresh(asset)
    assert (asset.kind, asset.report["kind"]) == ("panorama", "panorama")
    assert asset.levels["preview"]["width"] == 1024
    assert store.read(asset.levels["equirect"]["key"])[:3] == b"\xff\xd8\xff"
    assert asset.tiles is not None and asset.tiles["count"] >= 2
    for key in _blob_keys(store, db):
        assert store.exists(key), key


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (_jpeg(2048, 1024)[:3000], "image_truncated"),
        (_jpeg(1500, 1000), "panorama_aspect"),
    ],
)
def test_a_broken_panorama_is_rejected_with_nothing_left_behind(
    db: Any, store: BlobStore, settings: IngestSettings, data: bytes, code: str
) -> None:
    asset = _upload(db, store, data, "broken.jpg")
    assert process_asset(settings, asset.id) == AssetStatus.REJECTED
    db.refresh(asset)
    assert (asset.error_code, asset.levels, asset.tiles, asset.poster_key) == (code, {}, None, None)
    assert asset.kind == "model"  # nothing was made of it
