"""The model library: listing models, re-processing one with other options, deleting one.

A model that a published tour shows cannot be deleted: the tour would lose it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tours.authoring import AuthoringError
from tours.models import AssetStatus, ModelAsset, Stop, Tour, TourRevision

UP_AXES = ("auto", "y", "z")
UNITS = ("m", "cm", "mm")


def list_models(session: Session) -> list[ModelAsset]:
    """Every model asset, newest first."""
    return list(session.scalars(select(ModelAsset).order_by(ModelAsset.id.desc())))


def model_status(asset: ModelAsset) -> dict[str, Any]:
    """What the library page polls: status, progress and, when done, the outcome."""
    return {
        "id": asset.id,
        "name": asset.name,
        "status": asset.status,
        "progress": asset.progress,
        "stage": asset.stage,
        "size_bytes": asset.size_bytes,
        "options": asset.options,
        "error": (
            {"code": asset.error_code, "message": asset.error_message} if asset.error_code else None
        ),
        "levels": asset.levels,
        "poster": asset.poster_key,
    }


def processing_options(up_axis: str, unit: str) -> dict[str, str]:
    """Options for the ingest pipeline, checked."""
    if up_axis not in UP_AXES or unit not in UNITS:
        raise AuthoringError("invalid_options", "Choose an up axis and a unit from the lists.")
    return {"up_axis": up_axis, "unit": unit}


def prepare_reprocess(session: Session, asset: ModelAsset, up_axis: str, unit: str) -> None:
    """Mark the asset for processing again with new options (the caller queues the job)."""
    if asset.status == AssetStatus.PROCESSING:
        raise AuthoringError("model_busy", "The model is being processed; wait until it is done.")
    asset.options = processing_options(up_axis, unit)
    asset.status, asset.progress, asset.stage = AssetStatus.UPLOADED, 0, "queued"
    asset.error_code = asset.error_message = None
    session.commit()


def tours_using(session: Session, asset: ModelAsset) -> tuple[list[Tour], list[Tour]]:
    """Published tours that show the model (in a draft or their live revision), and drafts."""
    published: dict[int, Tour] = {}
    drafts: dict[int, Tour] = {}
    for stop in session.scalars(select(Stop).where(Stop.model_asset_id == asset.id)):
        (published if stop.tour.published_number else drafts)[stop.tour.id] = stop.tour
    live = session.execute(
        select(Tour, TourRevision).join(
            TourRevision,
            (TourRevision.tour_id == Tour.id) & (TourRevision.number == Tour.published_number),
        )
    )
    for tour, revision in live:
        shas = {(stop.get("model") or {}).get("sha256") for stop in revision.document["stops"]}
        if asset.sha256 in shas:
            published[tour.id] = tour
    for tour_id in published:
        drafts.pop(tour_id, None)
    return list(published.values()), list(drafts.values())


def delete_model(session: Session, asset: ModelAsset) -> None:
    """Delete a model that no published tour uses; draft stops that used it lose their model.

    Stored blobs are kept: keys are content hashes that other assets or revisions may share.
    """
    published, _drafts = tours_using(session, asset)
    if published:
        raise AuthoringError(
            "model_in_published_tour",
            "A published tour shows this model; unpublish it or choose another model first.",
            {"tours": sorted(tour.slug for tour in published)},
        )
    for stop in session.scalars(select(Stop).where(Stop.model_asset_id == asset.id)):
        stop.model_asset_id = None
        stop.camera_orbit = stop.camera_target = stop.field_of_view = ""
        stop.poster_key = stop.framing = stop.posters = stop.ar_key = None
    session.delete(asset)
    session.commit()
