"""Job leases: who holds a job, when another worker may take it over, and the end of
endless interruptions; work folders of dead workers."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import models3d
from tours.db import utcnow
from tours.ingest import IngestSettings, process_asset, store_original
from tours.leases import LeasePolicy, claim, due_assets, new_owner, owner_is_dead
from tours.models import AssetStatus, ModelAsset
from tours.workdirs import remove_stale, workdir

POLICY = LeasePolicy(seconds=60, max_attempts=3)


@pytest.fixture
def settings(app: Any) -> IngestSettings:
    from webapp.extensions import jobs

    return jobs.settings


def _asset(db: Any, store: Any, **values: Any) -> ModelAsset:
    asset = store_original(db, store, io.BytesIO(b"not processed here"), "a.glb")
    for name, value in values.items():
        setattr(asset, name, value)
    db.commit()
    return asset


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()  # reaped: the pid names no process now
    return process.pid


def test_a_live_lease_is_kept_and_an_expired_one_taken_over(
    db: Any, store: Any, settings: IngestSettings
) -> None:
    elsewhere = "0ther-b00t:1234:beef"  # a worker on another machine: only expiry tells
    asset = _asset(
        db,
        store,
        status=AssetStatus.PROCESSING,
        lease_owner=elsewhere,
        lease_expires_at=utcnow() + timedelta(minutes=1),
        attempts=1,
    )
    assert not owner_is_dead(elsewhere)
    assert due_assets(db, POLICY) == []
    assert claim(settings.sessions, asset.id, new_owner(), POLICY) == ("busy", 0)
    asset.lease_expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    assert due_assets(db, POLICY) == [asset.id]
    mine = new_owner()
    assert claim(settings.sessions, asset.id, mine, POLICY) == ("claimed", 2)
    db.refresh(asset)
    assert (asset.status, asset.lease_owner) == (AssetStatus.PROCESSING, mine)
    assert claim(settings.sessions, asset.id, new_owner(), POLICY) == ("busy", 0)


def test_a_dead_owner_on_this_machine_is_seen_at_once(
    db: Any, store: Any, settings: IngestSettings
) -> None:
    owner = new_owner().split(":")[0] + f":{_dead_pid()}:cafe"
    asset = _asset(
        db,
        store,
        status=AssetStatus.PROCESSING,
        lease_owner=owner,
        lease_expires_at=utcnow() + timedelta(minutes=1),
    )
    assert owner_is_dead(owner) and not owner_is_dead(new_owner())
    assert due_assets(db, POLICY) == [asset.id]
    db.refresh(asset)
    assert (asset.lease_owner, asset.lease_expires_at) == (None, None)
    assert claim(settings.sessions, asset.id, new_owner(), POLICY)[0] == "claimed"


def test_queued_assets_are_queued_again_after_patience_or_on_start(db: Any, store: Any) -> None:
    asset = _asset(db, store)
    assert due_assets(db, POLICY) == []  # just queued
    assert due_assets(db, POLICY, starting=True) == [asset.id]  # the queue may have lost it
    assert due_assets(db, POLICY) == []  # touched: not again before patience
    asset.updated_at = utcnow() - POLICY.patience - timedelta(seconds=1)
    db.commit()
    assert due_assets(db, POLICY) == [asset.id]
    ready = _asset(db, store, status=AssetStatus.READY)
    assert ready.id not in due_assets(db, POLICY, starting=True)


def test_endless_interruptions_end_as_processing_failed(
    db: Any, store: Any, settings: IngestSettings
) -> None:
    asset = _asset(db, store, status=AssetStatus.PROCESSING, attempts=settings.lease.max_attempts)
    assert process_asset(settings, asset.id) == AssetStatus.FAILED
    db.refresh(asset)
    assert (asset.status, asset.error_code, asset.error_message) == (
        AssetStatus.FAILED,
        "processing_failed",
        models3d.MESSAGES["processing_failed"],
    )
    assert (asset.attempts, asset.lease_owner) == (settings.lease.max_attempts + 1, None)


def test_a_child_killed_from_outside_is_run_again_not_blamed_on_the_upload(
    db: Any,
    store: Any,
    settings: IngestSettings,
    testdata: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kill = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"  # as `kill -9` would
    (tmp_path / "sitecustomize.py").write_text(kill)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    data = io.BytesIO((testdata / "BoxTextured.glb").read_bytes())
    asset = store_original(db, store, data, "BoxTextured.glb")
    assert process_asset(settings, asset.id) == "interrupted"
    db.refresh(asset)
    assert (asset.status, asset.error_code, asset.lease_owner, asset.attempts) == (
        AssetStatus.PROCESSING,
        None,
        None,
        1,
    )
    assert due_assets(db, settings.lease) == [asset.id]
    monkeypatch.delenv("PYTHONPATH")
    assert process_asset(settings, asset.id) == AssetStatus.READY
    db.refresh(asset)
    assert (asset.status, asset.attempts) == (AssetStatus.READY, 2)


def test_work_folders_of_dead_workers_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    script = "from tours.workdirs import workdir\nwith workdir() as w: print(w)\n"
    script = "import os\n" + script.replace("print(w)", "print(w, flush=True); os._exit(0)")
    left = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.strip()  # exits inside the block, as a killed worker would: no clean-up
    assert Path(left).is_dir()
    with workdir() as alive:
        assert remove_stale() == [Path(left)]
        assert alive.is_dir() and not Path(left).exists()
    assert not alive.exists()
