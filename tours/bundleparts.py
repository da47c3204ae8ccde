"""Parts of a tour bundle's import: its errors, rights, translated rows and hotspots, and
the checks and assets of panorama stops (links to other stops, tile sets that hash to their
name). See :mod:`tours.bundles`."""

from __future__ import annotations

from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tours.authoring import AuthoringError
from tours.models import AssetKind, AssetStatus, Hotspot, HotspotText, ModelAsset
from tours.narrationaudio import check_audio
from tours.panoramas import (
    check_view,
    panorama_document,
    panorama_keys,
    set_hash,
    split_tile_key,
)
from tours.rights import RightsError, rights_document, rights_from_document


def bundle_error(code: str, message: str, **detail: Any) -> AuthoringError:
    return AuthoringError(code, message, detail)


def checked_rights(item: dict[str, Any]) -> dict[str, str] | None:
    """The ``rights`` of a document fragment, checked like the studio checks them."""
    try:
        return rights_from_document(item.get("rights"))
    except RightsError as error:
        raise bundle_error(error.code, error.message) from error


def hotspot_row(index: int, spot: dict[str, Any]) -> Hotspot:
    texts = translated_rows(HotspotText, {"label": spot["label"], "body": spot["body"]}, {})
    if "yaw" in spot:
        direction = check_view(spot["yaw"], spot["pitch"]) or {"yaw": 0.0, "pitch": 0.0}
        return Hotspot(
            position=index,
            surface_position="",
            surface_normal="",
            yaw=direction["yaw"],
            pitch=direction["pitch"],
            texts=texts,
        )
    return Hotspot(
        position=index,
        surface_position=spot["position"],
        surface_normal=spot["normal"],
        view=spot.get("view"),
        texts=texts,
    )


def translated_rows(
    factory: type, fields: dict[str, dict[str, str]], defaults: dict[str, str]
) -> list[Any]:
    locales = sorted({locale for texts in fields.values() for locale in texts})
    return [
        factory(
            locale=locale,
            **{name: texts.get(locale, defaults.get(name, "")) for name, texts in fields.items()},
        )
        for locale in locales
    ]


def check_tile_sets(document: dict[str, Any], files: dict[str, Any]) -> None:
    """Every panorama's tile set must hash to its name (over the manifest's tile hashes)."""
    for stop in document["stops"]:
        tiles = (stop.get("panorama") or {}).get("tiles")
        if not tiles:
            continue
        listing = {}
        for key in panorama_keys({"tiles": tiles}):
            parts = split_tile_key(key)
            if parts is None or key not in files:
                raise bundle_error("missing_blob", f"The bundle lacks {key}.", key=key)
            listing[parts[1]] = files[key]["sha256"]
        if set_hash(listing) != tiles["set"]:
            raise bundle_error("blob_mismatch", "A panorama's tiles do not match their set.")


def check_panorama_stops(document: dict[str, Any]) -> None:
    """Links lead to another stop of the tour; a panorama stop has no model."""
    count = len(document["stops"])
    for number, stop in enumerate(document["stops"], start=1):
        if stop.get("panorama") and stop.get("model"):
            raise bundle_error("schema_invalid", "A stop shows a model or a panorama.", stop=number)
        for spot in stop["hotspots"]:
            link = spot.get("link")
            if link is not None and (not stop.get("panorama") or link == number or link > count):
                raise bundle_error("invalid_link", "A link must lead to another stop.", stop=number)


def panorama_asset_for(session: Session, wanted: dict[str, Any]) -> ModelAsset:
    """A panorama asset whose document is the one in the bundle (reused when identical)."""
    found = select(ModelAsset).where(
        ModelAsset.sha256 == wanted["sha256"], ModelAsset.kind == AssetKind.PANORAMA
    )
    for asset in session.scalars(found):
        document = panorama_document(asset, rights_document(asset))
        if asset.status == AssetStatus.READY and document == wanted:
            return asset
    asset = ModelAsset(
        kind=AssetKind.PANORAMA,
        name=wanted["name"],
        sha256=wanted["sha256"],
        original_key=wanted["equirect"]["key"],
        size_bytes=wanted["equirect"]["bytes"],
        status=AssetStatus.READY,
        progress=100,
        stage="imported",
        levels={"preview": wanted["preview"], "equirect": wanted["equirect"]},
        tiles=wanted["tiles"],
        poster_key=wanted["poster"],
        report={
            "kind": "panorama",
            "panorama": {"width": wanted.get("width"), "height": wanted.get("height")},
        },
        options={},
        rights=checked_rights(wanted),
    )
    session.add(asset)
    session.flush()
    return asset


def check_audio_entry(spool: IO[bytes], key: str, declared: str) -> None:
    """Narration audio in a bundle is decoded as an upload is, and must be what it says."""
    try:
        found = check_audio(spool)
    except AuthoringError as error:
        raise bundle_error(error.code, error.message, key=key) from None
    if found != declared:
        raise bundle_error("unsupported_audio", f"{key} is {found}, not {declared}.", key=key)
