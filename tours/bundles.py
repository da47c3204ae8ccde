"""Tour bundles: a whole tour in one zip, to move it to another Heritour.

A bundle holds ``bundle.json`` (the versioned tour document, and a manifest of files with
their hashes, sizes and types; see ``tour-bundle.schema.json`` beside this module) and, under
``files/<key>``, every model level, poster, audio, captions and image file the tour uses.
Export is deterministic, so export → import → export gives the same ``bundle.json``.

Import trusts nothing: entry names are checked before anything is read (no zip-slip),
sizes are capped and measured while reading (no zip bombs), ``bundle.json`` is checked
against the JSON Schema, and every file must match the hash in its name and manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import IO, Any

import jsonschema
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models3d.camera import check_framing
from tours.authoring import AuthoringError, check_slug
from tours.blobstore import CHUNK, IMMUTABLE, BlobStore, InvalidKey, check_key
from tours.bundleparts import (
    bundle_error,
    check_audio_entry,
    check_panorama_stops,
    check_tile_sets,
    checked_rights,
    hotspot_row,
    panorama_asset_for,
    translated_rows,
)
from tours.document import model_document, tour_document
from tours.models import (
    AssetStatus,
    ModelAsset,
    Stop,
    StopAudio,
    StopText,
    Tour,
    TourImage,
    TourText,
)
from tours.panoramas import check_view, panorama_keys, split_tile_key
from tours.textlimits import TextRefused, check_document_texts

FORMAT = "heritour.bundle"
VERSION = 1
MANIFEST = "bundle.json"
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
SPOOL_BYTES = 8 * 1024 * 1024  # an entry bigger than this is unpacked to a temporary file
SCHEMA_FILE = "tour-bundle.schema.json"  # package data of ``tours``, so installs find it
TYPES = {
    "models": "model/gltf-binary",
    "posters": "image/webp",
    "captions": "text/vtt",
    "images": "image/webp",
    "panoramas": "image/jpeg",
    "tiles": "image/jpeg",
}
AUDIO_TYPES = {"audio/mpeg", "audio/aac", "audio/mp4", "audio/ogg"}
LEVEL_ORDER = ("high", "medium", "low", "thumb")


@dataclass(frozen=True)
class BundleLimits:
    """How much an imported bundle may hold."""

    max_unpacked_bytes: int
    max_files: int


@cache
def bundle_schema() -> dict[str, Any]:
    """The JSON Schema of ``bundle.json``."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def document_keys(document: dict[str, Any]) -> set[str]:
    """Every blob key a tour document refers to."""
    keys: set[str] = set()
    for stop in document["stops"]:
        model = stop.get("model") or {}
        keys.update(level["key"] for level in (model.get("levels") or {}).values())
        keys.update(k for k in (model.get("poster"), stop.get("poster")) if k)
        keys.update((stop.get("posters") or {}).values())
        keys.update(k for k in (stop.get("ar"),) if k)
        keys.update(panorama_keys(stop.get("panorama")))
        for audio in stop.get("audio", {}).values():
            keys.update(k for k in (audio["key"], audio.get("captions")) if k)
    for image in (document.get("images") or {}).values():
        keys.update(image["variants"].values())
    return keys


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The canonical encoding of ``bundle.json``."""
    return (json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def export_bundle(store: BlobStore, tour: Tour, out: IO[bytes]) -> dict[str, Any]:
    """Write the tour as a bundle zip into ``out``; returns the manifest."""
    document = tour_document(tour)
    files: dict[str, Any] = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for key in sorted(document_keys(document)):
            info = store.stat(key)
            if info is None:
                raise bundle_error("missing_blob", f"The store has no {key}.", key=key)
            digest, size = hashlib.sha256(), 0
            entry = zipfile.ZipInfo(f"files/{key}", date_time=(2020, 1, 1, 0, 0, 0))
            entry.compress_type = (
                zipfile.ZIP_STORED if key.endswith(".glb") else zipfile.ZIP_DEFLATED
            )
            with store.open(key) as source, archive.open(entry, "w", force_zip64=True) as target:
                while chunk := source.read(1024 * 1024):
                    digest.update(chunk)
                    target.write(chunk)
                    size += len(chunk)
            files[key] = {"sha256": digest.hexdigest(), "bytes": size, "type": info.content_type}
        manifest = {"format": FORMAT, "version": VERSION, "tour": document, "files": files}
        entry = zipfile.ZipInfo(MANIFEST, date_time=(2020, 1, 1, 0, 0, 0))
        archive.writestr(entry, manifest_bytes(manifest), zipfile.ZIP_DEFLATED)
    return manifest


def _checked_entries(archive: zipfile.ZipFile, limits: BundleLimits) -> dict[str, zipfile.ZipInfo]:
    entries: dict[str, zipfile.ZipInfo] = {}
    infos = archive.infolist()
    if len(infos) > limits.max_files + 1:
        raise bundle_error("bundle_too_large", "The bundle holds too many files.")
    if sum(info.file_size for info in infos) > limits.max_unpacked_bytes:
        raise bundle_error("bundle_too_large", "The bundle unpacks to more than the limit.")
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        if name != MANIFEST:
            key = name.removeprefix("files/")
            try:
                if not name.startswith("files/") or check_key(key) != key:
                    raise InvalidKey(name)
            except InvalidKey as error:
                raise bundle_error("unsafe_path", f"Unsafe entry {name!r}.", entry=name) from error
        if name in entries:
            raise bundle_error("invalid_bundle", f"{name!r} appears twice.", entry=name)
        entries[name] = info
    if MANIFEST not in entries:
        raise bundle_error("invalid_bundle", "The zip has no bundle.json.")
    return entries


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Read an entry, never more than its declared size or ``cap`` (no zip bombs)."""
    limit = min(info.file_size, cap)
    with archive.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise bundle_error("bundle_too_large", f"{info.filename} is larger than declared.")
    return data


@contextmanager
def _spool_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int
) -> Iterator[tuple[IO[bytes], str, int]]:
    """An entry unpacked in chunks into a temporary file (in memory only while small), with
    its sha256 and size; never more than its declared size or ``cap`` (no zip bombs)."""
    limit = min(info.file_size, cap)
    digest, size = hashlib.sha256(), 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise bundle_error(
                        "bundle_too_large", f"{info.filename} is larger than declared."
                    )
                digest.update(chunk)
                spool.write(chunk)
        spool.seek(0)
        yield spool, digest.hexdigest(), size


def _read_manifest(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[str, Any]:
    try:
        manifest = json.loads(_read_capped(archive, info, MAX_MANIFEST_BYTES))
    except (ValueError, UnicodeDecodeError) as error:
        raise bundle_error("invalid_bundle", "bundle.json is not JSON.") from error
    return check_manifest(manifest)


def check_manifest(manifest: Any) -> dict[str, Any]:
    """``manifest`` if it is a valid ``bundle.json``; else ``schema_invalid`` at the first
    problem. A text over its length limit gets that limit's own code (``<field>_too_long``)."""
    try:
        check_document_texts(manifest.get("tour") if isinstance(manifest, dict) else None)
    except TextRefused as error:
        raise bundle_error(error.code, error.message, **error.detail) from None
    validator = jsonschema.Draft202012Validator(bundle_schema())
    problems = sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path))
    if problems:
        where = "/".join(str(part) for part in problems[0].absolute_path)
        raise bundle_error("schema_invalid", problems[0].message, path=where)
    return dict(manifest)


def _type_for(key: str, declared: str) -> str:
    kind = key.split("/", 1)[0]
    if kind == "audio" and declared in AUDIO_TYPES:
        return declared
    if kind in TYPES:
        return TYPES[kind]
    raise bundle_error("invalid_bundle", f"{key} is not a kind of file a tour uses.", key=key)


def _store_files(
    archive: zipfile.ZipFile,
    entries: dict[str, zipfile.ZipInfo],
    manifest: dict[str, Any],
    store: BlobStore,
    limits: BundleLimits,
) -> None:
    files = manifest["files"]
    for key in sorted(document_keys(manifest["tour"])):
        info = entries.get(f"files/{key}")
        if key not in files or info is None:
            raise bundle_error("missing_blob", f"The bundle lacks {key}.", key=key)
        with _spool_entry(archive, info, limits.max_unpacked_bytes) as (spool, sha256, size):
            tile = split_tile_key(key)
            # a tile is named by its set (checked below), any other file by its own hash
            stem = sha256 if tile else key.split("/", 1)[1].split(".", 1)[0]
            if sha256 != files[key]["sha256"] or sha256 != stem or size != files[key]["bytes"]:
                raise bundle_error("blob_mismatch", f"{key} does not match its hash.", key=key)
            if key.startswith("audio/"):
                check_audio_entry(spool, key, files[key]["type"])
            if not store.exists(key):
                store.put(key, spool, _type_for(key, files[key]["type"]), IMMUTABLE)


def _asset_for(session: Session, document: dict[str, Any], sha256: str) -> ModelAsset:
    """An asset whose model document is the one in the bundle (reused when identical)."""
    stops = [s for s in document["stops"] if (s.get("model") or {}).get("sha256") == sha256]
    own = next((s for s in stops if not s.get("poster")), stops[0])
    wanted = own["model"]
    for asset in session.scalars(select(ModelAsset).where(ModelAsset.sha256 == sha256)):
        if asset.status == AssetStatus.READY and model_document(asset) == wanted:
            return asset
    levels = wanted["levels"]
    top = next(levels[name] for name in (*LEVEL_ORDER, *levels) if name in levels)
    asset = ModelAsset(
        name=wanted["name"],
        sha256=sha256,
        original_key=top["key"],
        size_bytes=top["bytes"],
        status=AssetStatus.READY,
        progress=100,
        stage="imported",
        levels=levels,
        poster_key=wanted["poster"],
        report={"bounds": wanted.get("bounds")},
        options={},
        rights=checked_rights(wanted),
    )
    session.add(asset)
    session.flush()
    return asset


def _stop_asset(session: Session, document: dict[str, Any], item: dict[str, Any]) -> int | None:
    if item.get("panorama"):
        return panorama_asset_for(session, item["panorama"]).id
    model = item.get("model")
    return _asset_for(session, document, model["sha256"]).id if model else None


def _build_tour(session: Session, document: dict[str, Any], slug: str) -> Tour:
    location = document.get("location") or {}
    tour = Tour(
        slug=slug,
        default_locale=document["default_locale"],
        latitude=location.get("latitude"),
        longitude=location.get("longitude"),
        rights=checked_rights(document),
    )
    tour.texts = translated_rows(
        TourText,
        {k: document[k] for k in ("title", "summary", "site_name")},
        {},
    )
    for position, item in enumerate(document["stops"]):
        view = item.get("view")
        place = item.get("location") or {}
        stop = Stop(
            position=position,
            model_asset_id=_stop_asset(session, document, item),
            panorama_view=check_view(view["yaw"], view["pitch"], view["fov"]) if view else None,
            camera_orbit=item["camera"]["orbit"],
            camera_target=item["camera"]["target"],
            field_of_view=item["camera"]["field_of_view"],
            framing=check_framing(item["camera"].get("framing")),
            lighting=item.get("lighting"),
            posters=item.get("posters"),
            ar_key=item.get("ar"),
            poster_key=item.get("poster"),
            latitude=place.get("latitude"),
            longitude=place.get("longitude"),
        )
        stop.texts = translated_rows(
            StopText, {k: item[k] for k in ("title", "narration", "model_alt")}, {}
        )
        stop.audio = [
            StopAudio(
                locale=locale,
                audio_key=audio["key"],
                content_type=audio["type"],
                captions_key=audio.get("captions"),
                rights=checked_rights(audio),
            )
            for locale, audio in sorted(item["audio"].items())
        ]
        stop.hotspots = [hotspot_row(i, spot) for i, spot in enumerate(item["hotspots"])]
        tour.stops.append(stop)
    for stop, item in zip(tour.stops, document["stops"], strict=True):
        for hotspot, spot in zip(stop.hotspots, item["hotspots"], strict=True):
            if spot.get("link"):
                hotspot.link_stop = tour.stops[spot["link"] - 1]
    tour.images = [
        TourImage(
            ref=ref,
            width=image["width"],
            height=image["height"],
            variants=image["variants"],
            alt=image["alt"],
            rights=checked_rights(image),
        )
        for ref, image in sorted((document.get("images") or {}).items())
    ]
    session.add(tour)
    return tour


def import_bundle(
    session: Session,
    store: BlobStore,
    data: IO[bytes],
    limits: BundleLimits,
    slug: str | None = None,
) -> Tour:
    """Import a bundle as a new draft tour (under ``slug`` if given); returns the tour."""
    try:
        archive = zipfile.ZipFile(data)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise bundle_error("invalid_bundle", "The file is not a zip.") from error
    with archive:
        entries = _checked_entries(archive, limits)
        manifest = _read_manifest(archive, entries[MANIFEST])
        document = manifest["tour"]
        slug = check_slug(session, slug or document["slug"])
        check_panorama_stops(document)
        check_tile_sets(document, manifest["files"])
        _store_files(archive, entries, manifest, store, limits)
    return _create_tour(session, document, slug)


def import_document(session: Session, document: dict[str, Any], slug: str | None = None) -> Tour:
    """Create a draft tour from a tour document whose files are already in the store.

    This is :func:`import_bundle` without the zip: the caller has checked the document
    (:func:`check_manifest`) and stored every key it names (the demo seed does this).
    """
    check_panorama_stops(document)
    return _create_tour(session, document, check_slug(session, slug or document["slug"]))


def _create_tour(session: Session, document: dict[str, Any], slug: str) -> Tour:
    """The tour and its stops, texts and hotspots, in one transaction."""
    try:
        tour = _build_tour(session, document, slug)
        session.commit()
    except IntegrityError as error:
        session.rollback()
        if session.scalar(select(Tour.id).where(Tour.slug == slug)) is not None:
            # another import (or a curator) took the slug since it was checked
            message = f"Another tour already uses the slug {slug!r}."
            raise AuthoringError("slug_taken", message) from error
        raise
    except Exception:
        session.rollback()
        raise
    return tour


def bundle_bytes(store: BlobStore, tour: Tour) -> bytes:
    """The bundle as bytes (for small tours and tests)."""
    buffer = io.BytesIO()
    export_bundle(store, tour, buffer)
    return buffer.getvalue()
