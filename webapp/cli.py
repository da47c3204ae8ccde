"""Command-line tasks: ``flask db upgrade`` and ``flask demo seed``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask
from werkzeug.serving import run_simple

from tours.blobstore import BlobStoreError
from tours.db import migrate, write_migration
from tours.ingest import process_asset, store_original, unfinished_assets
from webapp.extensions import blobs, db, jobs
from webapp.public.assets import precompress


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

    @db_group.command("revision")
    @click.argument("message")
    def db_revision(message: str) -> None:
        """Write a migration for model changes (run on a scratch database)."""
        write_migration(db.engine, message)

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
        if jobs.queue.huey.immediate:
            raise click.UsageError("With HERITOUR_JOBS=immediate jobs run inline: no worker.")
        consumer = jobs.queue.huey.create_consumer(workers=workers, worker_type="thread")
        consumer.run()

    @jobs_group.command("requeue")
    def jobs_requeue() -> None:
        """Queue again every model whose processing never finished."""
        pending = unfinished_assets(db.session)
        for asset_id in pending:
            jobs.queue.process_model(asset_id)
        click.echo(f"Queued {len(pending)} model(s) again.")

    @app.cli.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True)
    def serve(host: str, port: int) -> None:
        """Serve the app with the job worker in the same process (the embedded default)."""
        if not jobs.queue.huey.immediate:  # immediate jobs run inside each request
            jobs.queue.start_consumer(app.config["JOBS_WORKERS"])
        for asset_id in unfinished_assets(db.session):
            jobs.queue.process_model(asset_id)
        click.echo(f"Heritour is running at http://{host}:{port}/")
        run_simple(host, port, app, threaded=True)

    @app.cli.group("static")
    def static_group() -> None:
        """Static files."""

    @static_group.command("precompress")
    def static_precompress() -> None:
        """Compress the third-party files in static/vendor once, at their best setting."""
        assert app.static_folder is not None
        written = precompress(Path(app.static_folder) / "vendor")
        click.echo(f"Wrote {len(written)} compressed copies.")

    @app.cli.group("storage")
    def storage_group() -> None:
        """The blob store."""

    @storage_group.command("cors")
    @click.argument("origins", nargs=-1, required=True)
    def storage_cors(origins: tuple[str, ...]) -> None:
        """Let the site's ORIGINS (e.g. https://tours.example.org) use the S3 bucket."""
        store = blobs.store
        for origin in origins:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
                raise click.BadParameter(f"{origin} is not an origin like https://host[:port]")
        try:
            if not store.allow_origins(list(origins)):
                raise click.UsageError(f"The {store.location} needs no CORS rule.")
        except BlobStoreError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"The {store.location} accepts requests from {', '.join(origins)}.")

    @app.cli.group("models")
    def models_group() -> None:
        """Model assets."""

    @models_group.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--up", type=click.Choice(["auto", "y", "z"]), default="auto", show_default=True)
    @click.option("--unit", type=click.Choice(["m", "cm", "mm"]), default="m", show_default=True)
    @click.option("--wait/--no-wait", default=True, help="Process now instead of queueing.")
    def models_import(path: Path, up: str, unit: str, wait: bool) -> None:
        """Import a scan from a file, as if a curator had uploaded it."""
        with path.open("rb") as stream:
            asset = store_original(
                db.session, jobs.settings.store, stream, path.name, {"up_axis": up, "unit": unit}
            )
        if not wait:
            jobs.queue.process_model(asset.id)
            click.echo(f"Queued model {asset.id} ({asset.sha256[:12]}).")
            return
        status = process_asset(jobs.settings, asset.id)
        db.session.refresh(asset)
        if status == "ready":
            click.echo(
                f"Model {asset.id} is ready: "
                + ", ".join(
                    f"{level} {info['bytes']:,} bytes" for level, info in asset.levels.items()
                )
            )
            return
        click.echo(
            f"Model {asset.id} was {status}: {asset.error_code}: {asset.error_message}", err=True
        )
        raise SystemExit(2)
