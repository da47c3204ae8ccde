"""Command-line tasks: ``flask db upgrade`` and ``flask demo seed``."""

from __future__ import annotations

import click
from flask import Flask

from tours.db import migrate
from webapp.extensions import db, jobs


def init_app(app: Flask) -> None:
    """Register the command groups."""

    @app.cli.group("db")
    def db_group() -> None:
        """Database schema."""

    @db_group.command("upgrade")
    def db_upgrade() -> None:
        """Create or migrate the database schema to the latest version."""
        migrate(db.engine)
        click.echo("Database is up to date.")

    @app.cli.group("demo")
    def demo_group() -> None:
        """The demo tour."""

    @demo_group.command("seed")
    def demo_seed() -> None:
        """Seed the demo tour if the database has no tour yet."""
        from tours.seed import seed_demo

        tour = seed_demo(jobs.settings)
        if tour is None:
            click.echo("The database already has tours; nothing seeded.")
        else:
            click.echo(f"Seeded the demo tour '{tour.slug}'.")

    @app.cli.group("jobs")
    def jobs_group() -> None:
        """Background jobs."""

    @jobs_group.command("worker")
    @click.option("--workers", default=2, show_default=True, help="Worker threads.")
    def jobs_worker(workers: int) -> None:
        """Run a job worker in the foreground (for Redis-backed scale-out)."""
        consumer = jobs.queue.huey.create_consumer(workers=workers, worker_type="thread")
        consumer.run()

    @app.cli.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True)
    def serve(host: str, port: int) -> None:
        """Serve the app with the job worker in the same process (the embedded default)."""
        jobs.queue.start_consumer(app.config["JOBS_WORKERS"])
        click.echo(f"Heritour is running at http://{host}:{port}/")
        app.run(host=host, port=port, use_reloader=False, threaded=True)
