"""Checks of a backup archive before a restore writes anything (see :mod:`tours.restore`).

Only ``manifest.json``, ``tables/<known table>.jsonl`` and ``blobs/<valid key>`` regular
files may be in it (no links, no ``..``, no absolute names, no duplicates). The manifest must
be of a format this code reads, at the code's schema revision, with exactly the code's tables
and columns, and an honest sha256 for every content-addressed blob. Every table file's sha256
and row count, every row's columns and value types, and every blob's size and sha256 are
checked by reading the archive once. A failed check raises :class:`~tours.backup.BackupError`.
"""

from __future__ import annotations

import json
import re
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from hashlib import sha256
from pathlib import Path
from typing import IO, Any

from tours.backup import (
    BLOBS_DIR,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    ROWS_SUFFIX,
    TABLES_DIR,
    BackupError,
    HashingReader,
    content_sha256,
    decode_value,
    tables,
)
from tours.blobstore import InvalidKey, check_key
from tours.db import head_revision

MAX_MANIFEST_BYTES = 64 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CONTENT_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+(;[ \w.+=-]*)*$")


def refused(code: str, message: str, **detail: Any) -> BackupError:
    """The error of a restore refused before anything was written."""
    return BackupError(code, message, detail)


@contextmanager
def open_archive(path: Path) -> Iterator[tarfile.TarFile]:
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


def checked_members(archive: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
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


def read_member(archive: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    stream = archive.extractfile(member)
    assert stream is not None  # a regular file, checked by checked_members
    return stream


def read_manifest(archive: tarfile.TarFile, members: dict[str, tarfile.TarInfo]) -> dict[str, Any]:
    member = members[MANIFEST]
    if member.size > MAX_MANIFEST_BYTES:
        raise refused("bad_manifest", "The archive's manifest is too large to be one.")
    try:
        manifest = json.loads(read_member(archive, member).read())
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
        columns = entry.get("columns")
        if not isinstance(columns, list) or sorted(map(str, columns)) != sorted(code[name]):
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
    for key in missing:
        try:
            check_key(key)
        except InvalidKey:
            raise refused(
                "unsafe_member", f"The manifest names an invalid blob key {key!r}."
            ) from None


def verify_archive(
    archive: tarfile.TarFile, members: dict[str, tarfile.TarInfo], manifest: dict[str, Any]
) -> None:
    """Read every table and blob once: hashes, sizes, row counts and values must hold."""
    for entry in manifest["tables"]:
        member = members[TABLES_DIR + entry["name"] + ROWS_SUFFIX]
        count = sum(1 for _row in archive_rows(archive, member, entry))
        if count != entry["rows"]:
            raise refused(
                "badarchive_rows",
                f"The archive holds {count} rows of {entry['name']}, its manifest {entry['rows']}.",
            )
    for entry in manifest["blobs"]:
        if entry["in_archive"]:
            reader = HashingReader(read_member(archive, members[BLOBS_DIR + entry["key"]]))
            try:
                while reader.read(1024 * 1024):
                    pass
            except (tarfile.TarError, OSError, EOFError) as error:
                raise _truncated(error) from error
            check_blob(entry, reader)


def check_blob(entry: dict[str, Any], reader: HashingReader) -> None:
    if reader.size != entry["size"] or reader.digest.hexdigest() != entry["sha256"]:
        raise refused(
            "hash_mismatch",
            f"The archive's {entry['key']} is not the blob its manifest describes "
            f"(sha256 {reader.digest.hexdigest()}, {reader.size} bytes).",
            key=entry["key"],
        )


def archive_rows(
    archive: tarfile.TarFile, member: tarfile.TarInfo, entry: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """The decoded rows of one table file, its sha256 checked at the end."""
    table = next(t for t in tables() if t.name == entry["name"])
    columns = {c.name: c.type for c in table.columns}
    digest = sha256()
    stream = read_member(archive, member)
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
        raise refused("badarchive_rows", f"Row {number} of {table} is invalid: {error}") from error
