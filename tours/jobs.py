"""Background jobs on Huey: SQLite for one machine, Redis for many, immediate in tests.

Nothing is built at import time: ``make_queue`` creates the Huey instance and registers
the tasks on it, bound to the settings the app passes in.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper

import models3d
from tours.blobstore import BlobStoreError
from tours.ingest import STORE_UNAVAILABLE, IngestSettings, mark_failed, process_asset
from tours.stopposters import render_stop_posters
from tours.uploads import ChunkedUploads

log = logging.getLogger(__name__)
RETRIES = 3
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass(frozen=True)
class JobQueue:
    """The Huey instance and the tasks registered on it."""

    huey: Huey
    process_model: TaskWrapper
    stop_posters: TaskWrapper
    clean_uploads: TaskWrapper

    def start_consumer(self, workers: int = 1) -> Any:
        """Start worker threads in this process (the embedded default); returns the consumer.

        Huey's consumer installs signal handlers that only its own run loop acts on, so
        with them Ctrl+C and SIGTERM would no longer stop the process. The process keeps its
        own handlers; the workers are daemon threads and end with it.
        """
        consumer = self.huey.create_consumer(workers=workers, worker_type="thread")
        kept = {number: signal.getsignal(number) for number in STOP_SIGNALS}
        consumer.start()
        for number, handler in kept.items():
            signal.signal(number, handler)
        return consumer


def _make_huey(config: Mapping[str, Any]) -> Huey:
    kind, name = config["JOBS"], config["JOBS_QUEUE"]
    if kind == "immediate":
        return MemoryHuey(name, immediate=True)
    if kind == "sqlite":
        return SqliteHuey(name, filename=config["JOBS_SQLITE_PATH"])
    if kind == "redis":
        return RedisHuey(name, url=config["REDIS_URL"])
    raise ValueError(f"unknown JOBS {kind!r}: use 'sqlite', 'redis' or 'immediate'")


def make_queue(config: Mapping[str, Any], settings: IngestSettings) -> JobQueue:
    """Create the queue named by ``config["JOBS"]`` with Heritour's tasks on it."""
    huey = _make_huey(config)

    @huey.task(retries=RETRIES, retry_delay=2, context=True, name="process_model")
    def process_model(asset_id: int, task: Any = None) -> str:
        try:
            return process_asset(settings, asset_id)
        except BlobStoreError:
            if task is not None and task.retries > 0:
                raise
            mark_failed(settings, asset_id, STORE_UNAVAILABLE)
            raise
        except Exception:
            log.exception("processing asset %s failed", asset_id)  # a bug: the log has it
            mark_failed(settings, asset_id, models3d.MESSAGES["processing_failed"])
            return "failed"

    @huey.task(retries=RETRIES, retry_delay=2, name="stop_posters")
    def stop_posters(stop_id: int) -> str:
        try:
            return render_stop_posters(settings, stop_id)
        except BlobStoreError:
            raise  # retried
        except Exception:
            log.exception("the posters of stop %s could not be drawn", stop_id)
            return "failed"  # the page keeps the captured poster

    @huey.periodic_task(crontab(minute="17"), name="clean_uploads")
    def clean_uploads() -> int:
        """Every hour: remove the resumable uploads nobody touched for a day."""
        if not config.get("UPLOAD_DIR"):
            return 0
        removed = ChunkedUploads(config["UPLOAD_DIR"], 0).remove_stale()
        if removed:
            log.info("removed %d abandoned uploads", removed)
        return removed

    return JobQueue(
        huey=huey,
        process_model=process_model,
        stop_posters=stop_posters,
        clean_uploads=clean_uploads,
    )
