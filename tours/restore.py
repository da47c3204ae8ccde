"""Rebuild a site from a backup made by :mod:`tours.backup`.

The restore refuses, having written nothing, unless the archive is whole and honest and the
target is empty:

1. Every member of the archive, the manifest, every row and every blob is checked before
   anything is written (see :mod:`tours.backupcheck`); the archive must be at the code's
   Alembic head revision.
2. The target database must be blank (no tables; it is then migrated to head inside the
   restore's transaction) or migrated to head with every table empty.
3. Blobs the database refers to that are neither in the archive nor already in the target
   store are reported; the restore stops there unless ``allow_missing_blobs``.

Then, in one transaction, the rows are inserted table by table in foreign-key order,
PostgreSQL's sequences are moved past the restored ids, and the archive's blobs are put into
the store (their sha256 checked again while streaming); only then is the transaction
committed. If anything fails, the transaction is rolled back and the blobs this restore
added are deleted. An archive made on SQLite restores into PostgreSQL and the reverse.
"""

from __future__ import annotations

import tarfile
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Engine,
    MetaData,
    Table,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

from tours.backup import (
    BLOBS_DIR,
    ROWS_SUFFIX,
    TABLES_DIR,
    BackupError,
    HashingReader,
    schema_revision,
    tables,
)
from tours.backupcheck import (
    archive_rows,
    check_blob,
    checked_members,
    open_archive,
    read_manifest,
    read_member,
    refused,
    verify_archive,
)
from tours.blobstore import IMMUTABLE, BlobStore, BlobStoreError, InvalidKey, check_key
from tours.db import head_revision, migrate_connection

BATCH = 500


@dataclass
class RestoreSummary:
    """What a restore did (or, refused, would have done)."""

    rows: dict[str, int]
    blobs_written: int = 0
    blobs_present: int = 0
    missing_blobs: list[str] = field(default_factory=list)


def restore_backup(
    engine: Engine, store: BlobStore, path: Path, *, allow_missing_blobs: bool = False
) -> RestoreSummary:
    """Restore the archive at ``path`` into the empty site (``engine``, ``store``)."""
    with open_archive(Path(path)) as archive:
        members = checked_members(archive)
        manifest = read_manifest(archive, members)
        verify_archive(archive, members, manifest)
        blank = _check_target(engine)
        summary = RestoreSummary(rows={t["name"]: t["rows"] for t in manifest["tables"]})
        _check_blobs(store, manifest, summary)
        if summary.missing_blobs and not allow_missing_blobs:
            shown = ", ".join(summary.missing_blobs[:5])
            raise refused(
                "missing_blobs",
                f"{len(summary.missing_blobs)} blobs the database refers to are neither in the "
                f"archive nor in the target store (e.g. {shown}). Copy them into the store, "
                "back up again with --with-blobs, or pass --allow-missing-blobs.",
                keys=summary.missing_blobs,
            )
        _write(engine, store, archive, members, manifest, blank, summary)
    return summary


def _app_table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _check_target(engine: Engine) -> bool:
    """Whether the target is blank (True) or migrated to head and empty; else refuse."""
    with engine.connect() as connection:
        return _target_state(connection)


def _target_state(connection: Connection) -> bool:
    present = _app_table_names(connection)
    if not present:
        return True
    revision = schema_revision(connection)
    head = head_revision()
    if revision != head:
        raise refused(
            "target_schema_mismatch",
            f"The target database is at schema revision {revision!r}, not {head!r}: give the "
            "restore a blank database, or one just migrated with `flask db upgrade`.",
        )
    for table in tables():
        if connection.execute(select(func.count()).select_from(table)).scalar():
            raise refused(
                "target_not_empty",
                f"The target database is not empty ({table.name} has rows): restore into a "
                "new database.",
                table=table.name,
            )
    return False


def _check_blobs(store: BlobStore, manifest: dict[str, Any], summary: RestoreSummary) -> None:
    listed = {entry["key"] for entry in manifest["blobs"]}
    try:
        for entry in manifest["blobs"]:
            if not entry["in_archive"]:
                if store.exists(entry["key"]):
                    summary.blobs_present += 1
                else:
                    summary.missing_blobs.append(entry["key"])
        summary.missing_blobs += [
            key
            for key in manifest.get("missing_blobs", [])
            if key not in listed and not store.exists(check_key(key))
        ]
    except (BlobStoreError, InvalidKey) as error:
        raise refused("store_unreachable", f"The target store answered: {error}") from error


def _insertable(table: Table) -> Table:
    """``table`` with JSON columns that store None as SQL NULL (as rows made by the app do)."""
    columns = [
        Column(c.name, JSON(none_as_null=True) if isinstance(c.type, JSON) else c.type)
        for c in table.columns
    ]
    return Table(table.name, MetaData(), *columns)


def _write(
    engine: Engine,
    store: BlobStore,
    archive: tarfile.TarFile,
    members: dict[str, tarfile.TarInfo],
    manifest: dict[str, Any],
    blank: bool,
    summary: RestoreSummary,
) -> None:
    written: list[str] = []
    try:
        with engine.connect() as connection, connection.begin():
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")  # DDL and rows, all or nothing
            if blank:
                migrate_connection(connection, "head")
            if _target_state(connection):
                raise refused("target_not_empty", "The target database changed meanwhile.")
            for entry in manifest["tables"]:
                _insert(connection, archive, members, entry)
            if connection.dialect.name == "postgresql":
                _reset_sequences(connection)
            _put_blobs(store, archive, members, manifest, written, summary)
    except BaseException as error:
        for key in written:
            with suppress(BlobStoreError):
                store.delete(key)
        if isinstance(error, SQLAlchemyError):
            raise BackupError(
                "restore_failed",
                f"The database refused the rows, nothing was restored: {error.__class__.__name__}: "
                f"{str(error).splitlines()[0]}",
            ) from error
        raise


def _insert(
    connection: Connection,
    archive: tarfile.TarFile,
    members: dict[str, tarfile.TarInfo],
    entry: dict[str, Any],
) -> None:
    table = _insertable(next(t for t in tables() if t.name == entry["name"]))
    batch: list[dict[str, Any]] = []
    for row in archive_rows(archive, members[TABLES_DIR + entry["name"] + ROWS_SUFFIX], entry):
        batch.append(row)
        if len(batch) >= BATCH:
            connection.execute(table.insert(), batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)


def _reset_sequences(connection: Connection) -> None:
    """Move each id sequence past the restored ids, so new rows get fresh ones."""
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].autoincrement is False:
            continue
        name, column = table.name, keys[0].name
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE((SELECT MAX("{column}") FROM "{name}"), 0) + 1, false)'
            ),
            {"table": name, "column": column},
        )


def _put_blobs(
    store: BlobStore,
    archive: tarfile.TarFile,
    members: dict[str, tarfile.TarInfo],
    manifest: dict[str, Any],
    written: list[str],
    summary: RestoreSummary,
) -> None:
    for entry in manifest["blobs"]:
        if not entry["in_archive"]:
            continue
        key = entry["key"]
        present = store.stat(key)
        if present is not None and present.size == entry["size"]:
            summary.blobs_present += 1
            continue
        reader = HashingReader(read_member(archive, members[BLOBS_DIR + key]))
        store.put(key, reader, entry["content_type"], IMMUTABLE)  # type: ignore[arg-type]
        written.append(key)
        check_blob(entry, reader)
        summary.blobs_written += 1
