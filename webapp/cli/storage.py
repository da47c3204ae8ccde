"""``flask storage``: the blob store."""

from __future__ import annotations

from urllib.parse import urlsplit

import click
from flask.cli import AppGroup

from tours.blobstore import BlobStoreError
from webapp.extensions import blobs

group = AppGroup("storage", help="The blob store.")


@group.command("cors")
@click.argument("origins", nargs=-1, required=True)
def cors(origins: tuple[str, ...]) -> None:
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
