"""``flask serve``: the app and its job worker in one process."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from webapp.extensions import jobs


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def command(host: str, port: int) -> None:
    """Serve the app with the job worker in the same process (the embedded default)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if jobs.queue.huey.immediate:  # immediate jobs run inside each request
        jobs.queue.requeue_due(starting=True)
    else:  # the consumer queues again what a stopped server left unfinished
        jobs.queue.start_consumer(app.config["JOBS_WORKERS"])
    click.echo(f"Heritour is running at http://{host}:{port}/")
    run_simple(host, port, app, threaded=True)
