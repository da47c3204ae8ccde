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
    """Run a job worker in the foreground (for Redis-backed scale-out).

    On start it removes the work folders of killed workers and queues again the jobs they
    left; while it runs, it does the latter periodically (see tours.jobs)."""
    if jobs.queue.huey.immediate:
        raise click.UsageError("With HERITOUR_JOBS=immediate jobs run inline: no worker.")
    jobs.queue.create_consumer(workers).run()


@group.command("requeue")
def requeue() -> None:
    """Queue every unfinished model now, without waiting for leases to run out.

    Workers do this by themselves; this is a manual nudge. A job that a live worker holds
    is not run twice."""
    pending = unfinished_assets(db.session)
    for asset_id in pending:
        jobs.queue.process_model(asset_id)
    click.echo(f"Queued {len(pending)} model(s) again.")
