"""Safe extraction of uploaded zip archives.

Everything is checked from the zip directory before a byte is extracted: file count,
declared sizes, entry names (no ``..``, absolute paths, drive letters, backslash tricks,
symlinks), duplicates (also by case and Unicode normalisation) and nested archives. Then
entries are stream-extracted with a byte cap, so a lying directory cannot blow up the disk.
"""

from __future__ import annotations

import logging
import re
import stat
import unicodedata
import zipfile
from pathlib import Path

from models3d.errors import ModelError
from models3d.options import Limits

log = logging.getLogger(__name__)

ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".usdz")
ARCHIVE_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"7z\xbc\xaf", b"Rar!", b"\x1f\x8b", b"BZh")
_DRIVE = re.compile(r"^[A-Za-z]:")
CHUNK = 1 << 20


def safe_member_name(name: str) -> str:
    """Return the normalised relative POSIX name of a zip entry, or raise ``unsafe_path``."""
    detail = {"entry": name}
    if "\0" in name or not name:
        raise ModelError("unsafe_path", {**detail, "reason": "empty or NUL in name"})
    unified = name.replace("\\", "/")
    if unified.startswith("/") or _DRIVE.match(unified):
        raise ModelError("unsafe_path", {**detail, "reason": "absolute path"})
    parts = [p for p in unified.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise ModelError("unsafe_path", {**detail, "reason": "parent directory reference"})
    if any(_DRIVE.match(p) or ":" in p for p in parts):
        raise ModelError("unsafe_path", {**detail, "reason": "colon in a path component"})
    return "/".join(parts)


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)


def check_archive(zf: zipfile.ZipFile, limits: Limits) -> list[tuple[zipfile.ZipInfo, str]]:
    """Check a zip's directory against ``limits``; return (entry, safe name) for the files."""
    infos = zf.infolist()
    files = [i for i in infos if not i.is_dir()]
    if len(files) > limits.max_archive_files:
        raise ModelError(
            "archive_too_large", {"files": len(files), "max_files": limits.max_archive_files}
        )
    declared = sum(i.file_size for i in files)
    if declared > limits.max_unpacked_bytes:
        raise ModelError(
            "archive_too_large",
            {"unpacked_bytes": declared, "max_unpacked_bytes": limits.max_unpacked_bytes},
        )
    seen: dict[str, str] = {}
    result = []
    for info in infos:
        safe = safe_member_name(info.filename)
        if _is_symlink(info):
            raise ModelError("unsafe_path", {"entry": info.filename, "reason": "symbolic link"})
        key = unicodedata.normalize("NFC", safe).casefold()
        if key in seen:
            raise ModelError("duplicate_entry", {"entry": info.filename, "other": seen[key]})
        seen[key] = info.filename
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise ModelError("parse_error", {"entry": info.filename, "reason": "encrypted entry"})
        if safe.lower().endswith(ARCHIVE_SUFFIXES):
            raise ModelError("nested_archive", {"entry": info.filename})
        result.append((info, safe))
    return result


def extract_zip(path: Path, dest: Path, limits: Limits) -> list[str]:
    """Extract the zip at ``path`` into the empty folder ``dest`` safely.

    Returns the relative names written. Raises ModelError (``parse_error``,
    ``archive_too_large``, ``unsafe_path``, ``duplicate_entry``, ``nested_archive``).
    """
    root = dest.resolve()
    try:
        with zipfile.ZipFile(path) as zf:
            entries = check_archive(zf, limits)
            total = 0
            names = []
            for info, safe in entries:
                target = (root / safe).resolve()
                if not target.is_relative_to(root):
                    raise ModelError("unsafe_path", {"entry": info.filename})
                target.parent.mkdir(parents=True, exist_ok=True)
                written = 0
                with zf.open(info) as src, target.open("xb") as out:
                    while chunk := src.read(CHUNK):
                        if written == 0 and chunk.startswith(ARCHIVE_MAGIC):
                            raise ModelError("nested_archive", {"entry": info.filename})
                        written += len(chunk)
                        total += len(chunk)
                        if written > info.file_size or total > limits.max_unpacked_bytes:
                            raise ModelError(
                                "archive_too_large",
                                {"entry": info.filename, "reason": "entry larger than declared"},
                            )
                        out.write(chunk)
                names.append(safe)
    except zipfile.BadZipFile as exc:
        raise ModelError("parse_error", {"reason": f"damaged zip archive: {exc}"}) from exc
    except (EOFError, NotImplementedError, OSError) as exc:
        if isinstance(exc, FileExistsError):
            raise ModelError("duplicate_entry", {"entry": str(exc.filename)}) from exc
        raise ModelError("parse_error", {"reason": f"unreadable zip archive: {exc}"}) from exc
    log.debug("extracted %d files (%d bytes) from %s", len(names), total, path)
    return names
