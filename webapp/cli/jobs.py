"""``flask jobs``: background jobs."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tours.ingest import unfinished_assets
from webapp.extensions import db, jobs

group = AppGroup("jobs", help="Background jobs.")


@group.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def worker(workers: int) -> None:
    """Run a job worker in the foreground (for Redis-backed scale-out)."""
    if jobs.queue.huey.immediate:
        raise click.UsageError("With HERITOUR_JOBS=immediate jobs run inline: no worker.")
    consumer = jobs.queue.huey.create_consumer(workers=workers, worker_type="thread")
    consumer.run()


@group.command("requeue")
def requeue() -> None:
    """Queue again every model whose processing never finished."""
    pending = unfinished_assets(db.session)
    for asset_id in pending:
        jobs.queue.process_model(asset_id)
    click.echo(f"Queued {len(pending)} model(s) again.")
