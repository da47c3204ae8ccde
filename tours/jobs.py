"""Background jobs on Huey: SQLite for one machine, Redis for many, immediate in tests.

Nothing is built at import time: ``make_queue`` creates the Huey instance and registers
the tasks on it, bound to the settings the app passes in.

The queue only carries wake-up calls; a job's state is its asset's row, with a lease
(:mod:`tours.leases`). So a lost queue entry (Redis restarted without its data) or a worker
killed mid-job loses nothing: :meth:`JobQueue.create_consumer` removes the work folders of
dead workers and queues again what is due, and the periodic ``recover_jobs`` task does the
latter every ``min(lease, 60)`` seconds on each consumer.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper
from huey.consumer import Consumer, Scheduler

import models3d
from tours.blobstore import BlobStoreError
from tours.ingest import STORE_UNAVAILABLE, IngestSettings, mark_failed, process_asset
from tours.leases import due_assets
from tours.stopposters import render_stop_posters
from tours.uploads import ChunkedUploads
from tours.workdirs import remove_stale

log = logging.getLogger(__name__)
RETRIES = 3
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass(frozen=True)
class JobQueue:
    """The Huey instance and the tasks registered on it."""

    huey: Huey
    process_model: TaskWrapper
    stop_posters: TaskWrapper
    recover_jobs: TaskWrapper
    clean_uploads: TaskWrapper
    settings: IngestSettings

    def requeue_due(self, *, starting: bool = False) -> int:
        """Queue again the jobs that lost their worker or their queue entry; how many."""
        with self.settings.sessions() as session:
            due = due_assets(session, self.settings.lease, starting=starting)
        for asset_id in due:
            self.process_model(asset_id)
        if due:
            log.info("queued %d unfinished job(s) again: %s", len(due), due)
        return len(due)

    def create_consumer(self, workers: int = 1) -> Consumer:
        """A consumer with thread workers, after clearing what dead workers left behind:
        their work folders, and their jobs (queued again)."""
        remove_stale()
        self.requeue_due(starting=True)
        seconds = max(1, min(60, int(self.settings.lease.seconds)))
        scheduler = type("LeaseScheduler", (Scheduler,), {"periodic_task_seconds": seconds})
        consumer_class = type("LeaseConsumer", (Consumer,), {"scheduler_class": scheduler})
        consumer: Consumer = consumer_class(self.huey, workers=workers, worker_type="thread")
        return consumer

    def start_consumer(self, workers: int = 1) -> Any:
        """Start worker threads in this process (the embedded default); returns the consumer.

        Huey's consumer installs signal handlers that only its own run loop acts on, so
        with them Ctrl+C and SIGTERM would no longer stop the process. The process keeps its
        own handlers; the workers are daemon threads and end with it.
        """
        consumer = self.create_consumer(workers)
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


def _always(_moment: Any) -> bool:
    """Run a periodic task at every tick of the scheduler (see ``create_consumer``)."""
    return True


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

    @huey.periodic_task(_always, name="recover_jobs")
    def recover_jobs() -> int:
        return queue.requeue_due()

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

    queue = JobQueue(huey, process_model, stop_posters, recover_jobs, clean_uploads, settings)
    return queue
