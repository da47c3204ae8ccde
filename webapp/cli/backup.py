"""``flask backup`` and ``flask restore``: a site's database and blobs in one archive.

The work is done by :mod:`tours.backup` and :mod:`tours.restore`; this module parses the
command line and reports. A refused restore exits with status 2 and an error code; a bug
with 1.
"""

from __future__ import annotations

from pathlib import Path

import click

from tours.backup import BackupError, write_backup
from tours.blobstore import BlobStoreError
from tours.restore import restore_backup
from webapp.extensions import blobs, db


class Refused(click.ClickException):
    """A refusal the operator can act on: exit status 2, the stable code, the sentence."""

    exit_code = 2

    def __init__(self, error: BackupError) -> None:
        super().__init__(f"[{error.code}] {error.message}")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--with-blobs", is_flag=True, help="Also copy the blobs into the archive.")
def backup(path: Path, with_blobs: bool) -> None:
    """Write a consistent backup of the database (and its blob list) to PATH (.tar or .tar.gz)."""
    try:
        summary = write_backup(db.engine, blobs.store, path, with_blobs=with_blobs)
    except BackupError as error:
        raise Refused(error) from error
    except BlobStoreError as error:
        raise click.ClickException(
            f"[store_unreachable] No backup was written; the blob store answered: {error}"
        ) from error
    except OSError as error:
        raise click.ClickException(f"[backup_failed] Could not write {path}: {error}") from error
    manifest = summary.manifest
    rows = sum(table["rows"] for table in manifest["tables"])
    copied = sum(1 for blob in manifest["blobs"] if blob["in_archive"])
    click.echo(
        f"Backed up {rows} rows of {len(manifest['tables'])} tables at schema revision "
        f"{manifest['schema_revision']}, {len(manifest['blobs'])} blobs listed, {copied} "
        f"copied, to {path}."
    )
    if summary.missing_blobs:
        click.echo(
            f"Warning: the {blobs.store.location} lacks {len(summary.missing_blobs)} blobs the "
            f"database refers to: {', '.join(summary.missing_blobs[:5])}",
            err=True,
        )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--allow-missing-blobs",
    is_flag=True,
    help="Restore even when blobs are neither in the archive nor in the store.",
)
def restore(path: Path, allow_missing_blobs: bool) -> None:
    """Rebuild the site from the backup at PATH, into an empty database and store."""
    try:
        summary = restore_backup(
            db.engine, blobs.store, path, allow_missing_blobs=allow_missing_blobs
        )
    except BackupError as error:
        raise Refused(error) from error
    except BlobStoreError as error:
        raise click.ClickException(
            f"[store_unreachable] Nothing was restored; the blob store answered: {error}"
        ) from error
    click.echo(
        f"Restored {sum(summary.rows.values())} rows of {len(summary.rows)} tables; "
        f"{summary.blobs_written} blobs written, {summary.blobs_present} already in the "
        f"{blobs.store.location}."
    )
    if summary.missing_blobs:
        click.echo(
            f"Warning: {len(summary.missing_blobs)} blobs are missing: "
            f"{', '.join(summary.missing_blobs[:5])}",
            err=True,
        )
