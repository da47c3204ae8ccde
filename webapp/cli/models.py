"""``flask models``: model assets."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from tours.ingest import process_asset, store_original
from tours.uploads import ChunkedUploads
from webapp.extensions import db, jobs

group = AppGroup("models", help="Model assets.")


@group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--up", type=click.Choice(["auto", "y", "z"]), default="auto", show_default=True)
@click.option("--unit", type=click.Choice(["m", "cm", "mm"]), default="m", show_default=True)
@click.option("--wait/--no-wait", default=True, help="Process now instead of queueing.")
def import_scan(path: Path, up: str, unit: str, wait: bool) -> None:
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
            + ", ".join(f"{level} {info['bytes']:,} bytes" for level, info in asset.levels.items())
        )
        return
    click.echo(
        f"Model {asset.id} was {status}: {asset.error_code}: {asset.error_message}", err=True
    )
    raise SystemExit(2)


@group.command("clean-uploads")
def clean_uploads() -> None:
    """Remove the resumable uploads nobody touched for a day (an hourly job does it too)."""
    removed = ChunkedUploads(current_app.config["UPLOAD_DIR"], 0).remove_stale()
    click.echo(f"Removed {removed} abandoned uploads.")
