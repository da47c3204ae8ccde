"""Rebuild a site from a backup made by :mod:`tours.backup`.

The restore refuses, having written nothing, unless the archive is whole and honest and the
target is empty:

1. Every member of the archive is checked before anything is written: only
   ``manifest.json``, ``tables/<known table>.jsonl`` and ``blobs/<valid key>`` regular files
   (no links, no ``..``, no absolute names, no duplicates); the manifest's format, its schema
   revision (it must be the code's Alembic head), its tables and their columns (exactly the
   code's); every table file's sha256 and row count, every row's columns and value types;
   every blob's size and sha256 (which must be the one a content-addressed key names).
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

import json
import re
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

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
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    ROWS_SUFFIX,
    TABLES_DIR,
    BackupError,
    _HashingReader,
    content_sha256,
    decode_value,
    schema_revision,
    tables,
)
from tours.blobstore import IMMUTABLE, BlobStore, BlobStoreError, InvalidKey, check_key
from tours.db import head_revision, migrate_connection

MAX_MANIFEST_BYTES = 64 * 1024 * 1024
BATCH = 500
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CONTENT_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+(;[ \w.+=-]*)*$")


@dataclass
class RestoreSummary:
    """What a restore did (or, refused, would have done)."""

    rows: dict[str, int]
    blobs_written: int = 0
    blobs_present: int = 0
    missing_blobs: list[str] = field(default_factory=list)


def refused(code: str, message: str, **detail: Any) -> BackupError:
    """The error of a restore refused before anything was written."""
    return BackupError(code, message, detail)


def restore_backup(
    engine: Engine, store: BlobStore, path: Path, *, allow_missing_blobs: bool = False
) -> RestoreSummary:
    """Restore the archive at ``path`` into the empty site (``engine``, ``store``)."""
    with _open_archive(Path(path)) as archive:
        members = _members(archive)
        manifest = _read_manifest(archive, members)
        _verify(archive, members, manifest)
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


@contextmanager
def _open_archive(path: Path) -> Iterator[tarfile.TarFile]:
    try:
        archive = tarfile.open(path, "r:*")  # noqa: SIM115  (closed below)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise refused(
            "unreadable_archive", f"{path} is not a readable backup archive: {error}"
        ) from error
    with archive:
        yield archive


def _truncated(error: BaseException) -> BackupError:
    return refused(
        "truncated_archive",
        f"The archive is damaged or cut short ({error}); use a complete copy of the backup.",
    )


def _members(archive: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    """The archive's members by name, each checked to be a file we expect."""
    known = {table.name for table in tables()}
    try:
        listed = archive.getmembers()
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        raise _truncated(error) from error
    members: dict[str, tarfile.TarInfo] = {}
    for member in listed:
        name = member.name
        if name in members:
            raise refused("duplicate_member", f"The archive holds {name!r} twice.", name=name)
        if not member.isreg():
            raise refused("unexpected_member", f"{name!r} in the archive is not a plain file.")
        if name.startswith(BLOBS_DIR):
            try:
                check_key(name.removeprefix(BLOBS_DIR))
            except InvalidKey:
                raise refused(
                    "unsafe_member", f"{name!r} in the archive is not a valid blob name."
                ) from None
        elif name.startswith(TABLES_DIR) and name.endswith(ROWS_SUFFIX):
            table = name.removeprefix(TABLES_DIR).removesuffix(ROWS_SUFFIX)
            if table not in known:
                raise refused(
                    "unknown_table", f"The archive has rows of an unknown table {table!r}."
                )
        elif name != MANIFEST:
            raise refused("unsafe_member", f"{name!r} does not belong in a backup archive.")
        members[name] = member
    if MANIFEST not in members:
        raise refused(
            "no_manifest",
            "The archive has no manifest.json: it is not a backup, or it was cut short.",
        )
    return members


def _read(archive: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    stream = archive.extractfile(member)
    assert stream is not None  # a regular file, checked by _members
    return stream


def _read_manifest(archive: tarfile.TarFile, members: dict[str, tarfile.TarInfo]) -> dict[str, Any]:
    member = members[MANIFEST]
    if member.size > MAX_MANIFEST_BYTES:
        raise refused("bad_manifest", "The archive's manifest is too large to be one.")
    try:
        manifest = json.loads(_read(archive, member).read())
    except (tarfile.TarError, OSError, EOFError) as error:
        raise _truncated(error) from error
    except ValueError as error:
        raise refused("bad_manifest", f"The manifest is not JSON: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise refused("bad_manifest", "The manifest is not a Heritour backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise refused(
            "unsupported_format",
            f"The archive's format version {manifest.get('format_version')!r} is not "
            f"{FORMAT_VERSION}, the one this version of Heritour reads.",
        )
    head = head_revision()
    if manifest.get("schema_revision") != head:
        raise refused(
            "schema_mismatch",
            f"The backup was made at schema revision {manifest.get('schema_revision')!r}, the "
            f"code is at {head!r}. Restore with the Heritour version that made the backup, "
            "then upgrade it.",
        )
    _check_manifest_tables(manifest, members)
    _check_manifest_blobs(manifest, members)
    return manifest


def _check_manifest_tables(manifest: dict[str, Any], members: dict[str, tarfile.TarInfo]) -> None:
    code = {table.name: [c.name for c in table.columns] for table in tables()}
    entries = manifest.get("tables")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise refused("bad_manifest", "The manifest lists no tables.")
    names = [entry.get("name") for entry in entries]
    if sorted(map(str, names)) != sorted(code) or len(set(names)) != len(names):
        unknown = sorted(set(map(str, names)) - set(code))
        raise refused(
            "unknown_table" if unknown else "bad_manifest",
            f"The manifest's tables are not the code's (unknown: {unknown or 'none'}).",
        )
    for entry in entries:
        name = entry["name"]
        if sorted(entry.get("columns") or []) != sorted(code[name]):
            raise refused(
                "unknown_column",
                f"The columns of {name} in the archive are not the code's: "
                f"{entry.get('columns')!r}.",
                table=name,
            )
        if not isinstance(entry.get("rows"), int) or not _SHA256.match(str(entry.get("sha256"))):
            raise refused("bad_manifest", f"The manifest's entry for {name} is incomplete.")
        if TABLES_DIR + name + ROWS_SUFFIX not in members:
            raise refused("truncated_archive", f"The archive lacks the rows of {name}.")


def _check_manifest_blobs(manifest: dict[str, Any], members: dict[str, tarfile.TarInfo]) -> None:
    entries = manifest.get("blobs")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise refused("bad_manifest", "The manifest lists no blobs.")
    seen: set[str] = set()
    for entry in entries:
        key = entry.get("key")
        try:
            check_key(str(key))
        except InvalidKey:
            raise refused(
                "unsafe_member", f"The manifest names an invalid blob key {key!r}."
            ) from None
        named = content_sha256(str(key))
        sha256 = entry.get("sha256")
        if named is not None and sha256 != named:
            raise refused(
                "hash_mismatch",
                f"The manifest gives {key} the sha256 {sha256!r}, not the one its name holds.",
                key=key,
            )
        size, in_archive = entry.get("size"), entry.get("in_archive")
        if not isinstance(size, int) or size < 0 or not isinstance(in_archive, bool):
            raise refused("bad_manifest", f"The manifest's entry for {key} is incomplete.")
        if not _CONTENT_TYPE.match(str(entry.get("content_type"))):
            raise refused("bad_manifest", f"The manifest's content type for {key} is invalid.")
        if in_archive and not _SHA256.match(str(sha256)):
            raise refused("bad_manifest", f"The manifest gives no sha256 for {key}.")
        if in_archive != (BLOBS_DIR + key in members) or key in seen:
            raise refused(
                "truncated_archive" if in_archive else "unsafe_member",
                f"The archive's blob {key} does not match its manifest entry.",
                key=key,
            )
        seen.add(key)
    extra = {n for n in members if n.startswith(BLOBS_DIR)} - {BLOBS_DIR + k for k in seen}
    if extra:
        raise refused(
            "unsafe_member",
            f"The archive holds blobs its manifest does not list: {sorted(extra)[:5]}.",
        )
    missing = manifest.get("missing_blobs", [])
    if not isinstance(missing, list) or not all(isinstance(k, str) for k in missing):
        raise refused("bad_manifest", "The manifest's list of missing blobs is invalid.")


def _verify(
    archive: tarfile.TarFile, members: dict[str, tarfile.TarInfo], manifest: dict[str, Any]
) -> None:
    """Read every table and blob once: hashes, sizes, row counts and values must hold."""
    for entry in manifest["tables"]:
        member = members[TABLES_DIR + entry["name"] + ROWS_SUFFIX]
        count = sum(1 for _row in _rows(archive, member, entry))
        if count != entry["rows"]:
            raise refused(
                "bad_rows",
                f"The archive holds {count} rows of {entry['name']}, its manifest {entry['rows']}.",
            )
    for entry in manifest["blobs"]:
        if entry["in_archive"]:
            reader = _HashingReader(_read(archive, members[BLOBS_DIR + entry["key"]]))
            try:
                while reader.read(1024 * 1024):
                    pass
            except (tarfile.TarError, OSError, EOFError) as error:
                raise _truncated(error) from error
            _check_blob(entry, reader)


def _check_blob(entry: dict[str, Any], reader: _HashingReader) -> None:
    if reader.size != entry["size"] or reader.digest.hexdigest() != entry["sha256"]:
        raise refused(
            "hash_mismatch",
            f"The archive's {entry['key']} is not the blob its manifest describes "
            f"(sha256 {reader.digest.hexdigest()}, {reader.size} bytes).",
            key=entry["key"],
        )


def _rows(
    archive: tarfile.TarFile, member: tarfile.TarInfo, entry: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """The decoded rows of one table file, its sha256 checked at the end."""
    from hashlib import sha256

    table = next(t for t in tables() if t.name == entry["name"])
    columns = {c.name: c.type for c in table.columns}
    digest = sha256()
    stream = _read(archive, member)
    try:
        for number, line in enumerate(stream, start=1):
            digest.update(line)
            yield _decode_row(table.name, columns, line, number)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise _truncated(error) from error
    if digest.hexdigest() != entry["sha256"]:
        raise refused(
            "hash_mismatch", f"The rows of {table.name} are not the ones the manifest describes."
        )


def _decode_row(table: str, columns: dict[str, Any], line: bytes, number: int) -> dict[str, Any]:
    try:
        record = json.loads(line)
        if not isinstance(record, dict):
            raise ValueError("not an object")
        if set(record) != set(columns):
            unknown = sorted(set(record) - set(columns))
            raise refused(
                "unknown_column",
                f"Row {number} of {table} has the columns {sorted(record)}"
                + (f" (unknown: {unknown})." if unknown else "."),
                table=table,
            )
        return {name: decode_value(columns[name], value) for name, value in record.items()}
    except ValueError as error:
        raise refused("bad_rows", f"Row {number} of {table} is invalid: {error}") from error


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
    for row in _rows(archive, members[TABLES_DIR + entry["name"] + ROWS_SUFFIX], entry):
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
        reader = _HashingReader(_read(archive, members[BLOBS_DIR + key]))
        store.put(key, reader, entry["content_type"], IMMUTABLE)  # type: ignore[arg-type]
        written.append(key)
        _check_blob(entry, reader)
        summary.blobs_written += 1
