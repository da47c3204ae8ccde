"""Backups of a site: one archive holding the database's rows and the blobs they name.

An archive is a tar file (gzip-compressed when its name ends in ``.gz`` or ``.tgz``)::

    tables/<table>.jsonl   one JSON object per row, tables in foreign-key order
    blobs/<key>            the blobs themselves, only with ``with_blobs``
    manifest.json          last: format, schema revision, tables, blobs (see below)

The rows are read inside one read transaction (a REPEATABLE READ, read-only transaction on
PostgreSQL; one ``BEGIN`` … ``ROLLBACK`` on SQLite, whose WAL journal gives it a snapshot),
so the backup is consistent while the site runs. Blobs are content-addressed and never
change, so they are copied after the transaction. Values are typed by their column: dates
and times as ISO 8601 (times in UTC), bytes as base64, JSON as JSON.

The archive is written to a hidden file beside ``path`` and renamed at the end: a failed
backup never leaves a file named like a good one. :mod:`tours.restore` reads it back.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import JSON, Connection, Date, DateTime, Engine, LargeBinary, Table, select, text
from sqlalchemy.orm import Session

from tours import models  # noqa: F401  (registers every table on the metadata)
from tours.blobstore import CHUNK, BlobStore, BlobStoreError
from tours.db import Base, utcnow
from tours.errors import CodedError
from tours.ingest import referenced_keys

log = logging.getLogger(__name__)

FORMAT = "heritour-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLES_DIR = "tables/"
BLOBS_DIR = "blobs/"
ROWS_SUFFIX = ".jsonl"
_CONTENT_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*/([0-9a-f]{64})\.[a-z0-9]+$")


class BackupError(CodedError):
    """A backup or a restore that cannot be done; ``code`` says why."""


@dataclass
class BackupSummary:
    """What a backup wrote: its manifest, and the referenced blobs the store lacks."""

    path: Path
    manifest: dict[str, Any]
    missing_blobs: list[str] = field(default_factory=list)


def content_sha256(key: str) -> str | None:
    """The sha256 a content-addressed key names (``kind/<sha256>.<ext>``), else None."""
    match = _CONTENT_KEY.match(key)
    return match.group(1) if match else None


def tables() -> list[Table]:
    """Every table of the app, parents before children (the order rows are restored in)."""
    return list(Base.metadata.sorted_tables)


def encode_value(column_type: Any, value: Any) -> Any:
    """A column's value as JSON: dates and times in ISO 8601, bytes in base64."""
    if value is None or isinstance(column_type, JSON):
        return value
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    return value


def decode_value(column_type: Any, value: Any) -> Any:
    """The inverse of :func:`encode_value`; raises ValueError for a value of the wrong kind."""
    if value is None or isinstance(column_type, JSON):
        return value
    if isinstance(column_type, DateTime):
        parsed = datetime.fromisoformat(_text(value))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if isinstance(column_type, Date):
        return date.fromisoformat(_text(value))
    if isinstance(column_type, LargeBinary):
        return base64.b64decode(_text(value), validate=True)
    python_type = _python_type(column_type)
    if python_type is bool and not isinstance(value, bool):
        raise ValueError(f"{value!r} is not a boolean")
    if python_type is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"{value!r} is not an integer")
    if python_type is float and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ValueError(f"{value!r} is not a number")
    if python_type is str and not isinstance(value, str):
        raise ValueError(f"{value!r} is not a string")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a string")
    return value


def _python_type(column_type: Any) -> type | None:
    try:
        python_type: type = column_type.python_type
    except NotImplementedError:
        return None
    return python_type


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection inside one read transaction: every query sees the same moment."""
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        connection = engine.connect().execution_options(**options)
        with connection, connection.begin() as transaction:
            yield connection
            transaction.rollback()
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("BEGIN")  # pysqlite begins no transaction for reads
        try:
            yield connection
        finally:
            connection.rollback()


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at, or None when it has none."""
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # no alembic_version table: a blank database
        return None


def write_backup(
    engine: Engine, store: BlobStore, path: Path, *, with_blobs: bool = False
) -> BackupSummary:
    """Write a backup of the database (and, ``with_blobs``, of its blobs) to ``path``."""
    path = Path(path)
    handle, partial_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".part"
    )
    os.close(handle)
    partial = Path(partial_name)
    try:
        gzip = path.name.endswith((".gz", ".tgz"))
        opened = (
            tarfile.open(partial, "w:gz", format=tarfile.PAX_FORMAT)  # noqa: SIM115
            if gzip
            else tarfile.open(partial, "w", format=tarfile.PAX_FORMAT)  # noqa: SIM115
        )
        with opened as archive:
            manifest = _write_rows(engine, archive)
            keys = manifest.pop("_keys")
            missing = _write_blobs(store, archive, keys, manifest, with_blobs)
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupSummary(path, manifest, missing)


def _write_rows(engine: Engine, archive: tarfile.TarFile) -> dict[str, Any]:
    """Add every table's rows to ``archive``, read in one snapshot; returns the manifest."""
    with read_snapshot(engine) as connection:
        revision = schema_revision(connection)
        if revision is None:
            raise BackupError("no_schema", "The database has no schema: run `flask db upgrade`.")
        entries = [_write_table(connection, archive, table) for table in tables()]
        with Session(bind=connection) as session:
            keys = sorted(referenced_keys(session))
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": revision,
        "created_at": utcnow().isoformat(),
        "database": engine.dialect.name,
        "tables": entries,
        "_keys": keys,
    }


def _write_table(connection: Connection, archive: tarfile.TarFile, table: Table) -> dict[str, Any]:
    columns = list(table.columns)
    query = select(table).order_by(*table.primary_key.columns)
    digest, count = hashlib.sha256(), 0
    with tempfile.TemporaryFile() as spool:
        result = connection.execution_options(yield_per=1000).execute(query)
        for row in result:
            record = {c.name: encode_value(c.type, row._mapping[c]) for c in columns}
            line = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode()
            digest.update(line)
            spool.write(line)
            count += 1
        size = spool.tell()
        spool.seek(0)
        info = tarfile.TarInfo(f"{TABLES_DIR}{table.name}{ROWS_SUFFIX}")
        info.size, info.mtime = size, int(utcnow().timestamp())
        archive.addfile(info, spool)
    return {
        "name": table.name,
        "columns": [c.name for c in columns],
        "rows": count,
        "bytes": size,
        "sha256": digest.hexdigest(),
    }


def _write_blobs(
    store: BlobStore,
    archive: tarfile.TarFile,
    keys: list[str],
    manifest: dict[str, Any],
    with_blobs: bool,
) -> list[str]:
    """List (and with ``with_blobs`` copy) the blobs; returns the keys the store lacks."""
    entries: list[dict[str, Any]] = []
    missing: list[str] = []
    for key in keys:
        info = store.stat(key)
        if info is None:
            missing.append(key)
            continue
        entry: dict[str, Any] = {
            "key": key,
            "size": info.size,
            "content_type": info.content_type,
            "sha256": content_sha256(key),
            "in_archive": with_blobs,
        }
        if with_blobs:
            entry["sha256"] = _copy_blob(store, archive, key, info.size, entry["sha256"])
        entries.append(entry)
    if missing:
        log.warning("backup: the store lacks %d referenced blobs", len(missing))
    manifest["blobs"] = entries
    manifest["missing_blobs"] = missing
    return missing


class HashingReader:
    """Reads through a stream, hashing and counting what passes."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size if size is not None and size >= 0 else CHUNK)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


def _copy_blob(
    store: BlobStore, archive: tarfile.TarFile, key: str, size: int, expected: str | None
) -> str:
    info = tarfile.TarInfo(BLOBS_DIR + key)
    info.size, info.mtime = size, int(utcnow().timestamp())
    try:
        with store.open(key) as stream:
            reader = HashingReader(stream)
            archive.addfile(info, reader)
    except (BlobStoreError, OSError) as error:
        raise BackupError(
            "blob_unreadable", f"Could not copy {key} from the store: {error}", {"key": key}
        ) from error
    sha256 = reader.digest.hexdigest()
    if expected is not None and sha256 != expected:
        raise BackupError(
            "blob_corrupt",
            f"The store's {key} does not hold the bytes its name promises (sha256 {sha256}).",
            {"key": key},
        )
    return sha256


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(utcnow().timestamp())
    archive.addfile(info, io.BytesIO(data))
