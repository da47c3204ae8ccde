"""Faults caused for real: a worker killed with SIGKILL, a server stopped mid-job, Redis
restarted. Jobs resume by themselves and end ``ready`` with one set of outputs; the child
dies with its worker and no work folder stays behind.

The job is held mid-way by a ``sitecustomize`` in the pipeline's child (``python -m
models3d.worker``): the first child writes its pid to ``held`` and waits for a ``release``
file; later children run straight through. Every wait is for an event or a condition.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tours.ingest import store_original
from tours.jobs import make_queue
from tours.models import AssetStatus, ModelAsset

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 240.0  # a loaded two-core machine processes slowly
LEASE_SECONDS = 2
NO_DISK = ("--save", "", "--appendonly", "no", "--dir")  # a restart loses the queue
HOLD = """\
import os, time
hold = os.environ.get("HERITOUR_TEST_HOLD")
if hold and b"models3d.worker" in open("/proc/self/cmdline", "rb").read():
    mine = os.path.join(hold, "held-%d" % os.getpid())
    with open(mine, "w") as out:
        out.write(str(os.getpid()))
    try:
        os.link(mine, os.path.join(hold, "held"))  # only the first child holds
    except FileExistsError:
        pass
    else:
        while not os.path.exists(os.path.join(hold, "release")):
            time.sleep(0.05)
"""


def wait_for(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
    """Poll ``condition`` until it gives a true value; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def _gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] in {"Z", "X"}


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])


class Faults:
    """The environment of a worker or server process sharing the test app's database,
    store and queue, with the hold in its pipeline children and its own TMPDIR."""

    def __init__(self, app: Any, tmp_path: Path, kind: str, redis_url: str = "") -> None:
        self.hold = tmp_path / "hold"
        self.tmp = tmp_path / "tmp"
        self.hold.mkdir()
        self.tmp.mkdir()
        (self.hold / "sitecustomize.py").write_text(HOLD)
        self.config = {
            **app.config,
            "JOBS": kind,
            "JOBS_QUEUE": f"heritour-test-{uuid.uuid4().hex[:8]}",
            "JOBS_SQLITE_PATH": str(tmp_path / "queue.db"),
            "REDIS_URL": redis_url,
            "JOBS_LEASE_SECONDS": LEASE_SECONDS,
        }
        keys = ("DATABASE_URL", "BLOB_STORE", "BLOB_DIR", "JOBS", "JOBS_QUEUE")
        keys += ("JOBS_SQLITE_PATH", "REDIS_URL", "JOBS_LEASE_SECONDS", "SECRET_KEY")
        keys += ("S3_ENDPOINT_URL", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")
        self.env = {
            **os.environ,
            **{f"HERITOUR_{key}": str(self.config[key]) for key in keys if key in self.config},
            "HERITOUR_TEST_HOLD": str(self.hold),
            "PYTHONPATH": str(self.hold),
            "TMPDIR": str(self.tmp),
        }
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, *command: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", *command],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=(self.tmp.parent / f"process-{len(self.processes)}.log").open("wb"),
        )
        self.processes.append(process)
        return process

    def held_child(self, parent: subprocess.Popen[bytes]) -> int:
        """Wait until the held child runs; its pid (a child of ``parent``)."""
        held = self.hold / "held"
        wait_for(lambda: held.exists() or parent.poll() is not None, "the job to start")
        assert parent.poll() is None, self.log()
        pid = int(held.read_text())
        assert _parent(pid) == parent.pid
        return pid

    def work_folders(self) -> list[Path]:
        return sorted(self.tmp.glob("heritour-ingest-*"))

    def log(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.tmp.parent.glob("*.log")))

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait()


@pytest.fixture
def faults_factory(tmp_path: Path) -> Iterator[Callable[..., Faults]]:
    made: list[Faults] = []

    def make(app: Any, kind: str, redis_url: str = "") -> Faults:
        made.append(Faults(app, tmp_path, kind, redis_url))
        return made[-1]

    yield make
    for faults in made:
        faults.stop()


class PrivateRedis:
    """A redis-server of our own on a Unix socket, to restart without touching the shared one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.socket = folder / "redis.sock"
        self.url = f"unix://{self.socket}?db=0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        import redis

        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (.ci/run installs it)"
        self.process = subprocess.Popen(
            [binary, "--port", "0", "--unixsocket", str(self.socket), *NO_DISK, str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(unix_socket_path=str(self.socket))

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_for(answers, "redis-server to answer", timeout=30)
        client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def _upload(db: Any, store: Any, testdata: Path, name: str) -> ModelAsset:
    data = io.BytesIO((testdata / name).read_bytes())
    return store_original(db, store, data, name)


def _asset(db: Any, asset_id: int) -> ModelAsset:
    db.expire_all()
    asset = db.get(ModelAsset, asset_id)
    assert asset is not None
    return asset


def _finished(db: Any, *ids: int) -> bool:
    done = (AssetStatus.READY, AssetStatus.FAILED, AssetStatus.REJECTED)
    return all(_asset(db, asset_id).status in done for asset_id in ids)


def _blob_keys(app: Any, store: Any) -> set[str]:
    if app.config.get("BLOB_STORE") == "s3":
        listing = store.client.list_objects_v2(Bucket=app.config["S3_BUCKET"])
        return {item["Key"] for item in listing.get("Contents", [])}
    root = Path(app.config["BLOB_DIR"]) / "objects"  # the local store's layout (meta/ beside)
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def _expected_keys(assets: list[ModelAsset]) -> set[str]:
    keys: set[str] = set()
    for asset in assets:
        keys |= {asset.original_key, str(asset.poster_key)}
        keys |= {level["key"] for level in asset.levels.values()}
    return keys


def _assert_one_set_of_outputs(app: Any, db: Any, store: Any, ids: list[int]) -> None:
    assets = [_asset(db, asset_id) for asset_id in ids]
    assert [asset.status for asset in assets] == [AssetStatus.READY] * len(ids)
    assert [asset.error_code for asset in assets] == [None] * len(ids)
    assert [(asset.lease_owner, asset.lease_expires_at) for asset in assets] == [
        (None, None)
    ] * len(ids)
    assert db.query(ModelAsset).count() == len(ids)  # no second row for a re-run
    assert _blob_keys(app, store) == _expected_keys(assets)  # every blob used, none twice


@pytest.mark.parametrize(
    ("backend", "kind"), [("sqlite-local", "sqlite"), ("postgres-s3", "redis")]
)
def test_worker_killed_mid_job_and_redis_restarted(
    app: Any,
    db: Any,
    store: Any,
    testdata: Path,
    kind: str,
    faults_factory: Callable[..., Faults],
    request: pytest.FixtureRequest,
) -> None:
    """SIGKILL a worker mid-job (and restart Redis, losing its queue): a new worker resumes
    the job by itself, and runs the one whose queue entry was lost."""
    redis: PrivateRedis | None = (
        request.getfixturevalue("private_redis") if kind == "redis" else None
    )
    faults = faults_factory(app, kind, redis.url if redis else "")
    queue = make_queue(faults.config, app.extensions["ingest"])
    first = _upload(db, store, testdata, "BoxTextured.glb")
    queue.process_model(first.id)
    worker = faults.start("jobs", "worker", "--workers", "1")
    child = faults.held_child(worker)
    assert _asset(db, first.id).status == AssetStatus.PROCESSING
    second = _upload(db, store, testdata, "Duck.glb")
    queue.process_model(second.id)  # waits in the queue behind the held job

    worker.send_signal(signal.SIGKILL)
    worker.wait()
    wait_for(lambda: _gone(child), "the child to die with its worker", timeout=30)
    assert len(faults.work_folders()) == 1  # a SIGKILL runs no clean-up
    if redis is not None:  # restarted without its data: the second job's entry is lost
        redis.stop()
        redis.start()
        assert queue.huey.pending_count() == 0

    faults.start("jobs", "worker", "--workers", "1")
    wait_for(lambda: _finished(db, first.id, second.id), "both jobs to finish")
    _assert_one_set_of_outputs(app, db, store, [first.id, second.id])
    assert (_asset(db, first.id).attempts, _asset(db, second.id).attempts) == (2, 1)
    assert faults.work_folders() == []  # the killed worker's folder was removed too


@pytest.mark.parametrize("backend", ["postgres-s3"])
def test_server_stopped_mid_job_resumes_it_on_restart(
    app: Any, db: Any, store: Any, testdata: Path, faults_factory: Callable[..., Faults]
) -> None:
    """`flask serve` (its job worker inside) stopped with SIGTERM mid-job: started again,
    it finishes the job by itself."""
    faults = faults_factory(app, "sqlite")
    queue = make_queue(faults.config, app.extensions["ingest"])
    asset = _upload(db, store, testdata, "BoxTextured.glb")
    queue.process_model(asset.id)
    server = faults.start("serve", "--port", "0")
    child = faults.held_child(server)
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=TIMEOUT) == -signal.SIGTERM
    wait_for(lambda: _gone(child), "the child to die with the server", timeout=30)
    assert _asset(db, asset.id).status == AssetStatus.PROCESSING

    faults.start("serve", "--port", "0")
    wait_for(lambda: _finished(db, asset.id), "the job to finish")
    _assert_one_set_of_outputs(app, db, store, [asset.id])
    assert _asset(db, asset.id).attempts == 2
    assert faults.work_folders() == []
