"""``flask static``: static files."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.public.assets import precompress

group = AppGroup("static", help="Static files.")


@group.command("precompress")
def precompress_vendor() -> None:
    """Compress the third-party files in static/vendor once, at their best setting."""
    assert current_app.static_folder is not None
    written = precompress(Path(current_app.static_folder) / "vendor")
    click.echo(f"Wrote {len(written)} compressed copies.")
