"""The demo tour: generated monuments put through the ingest pipeline, then published."""

from __future__ import annotations

import io
import logging

from sqlalchemy import func, select

from tours.demo.content import STOPS, TOUR
from tours.demo.monuments import build_monument
from tours.ingest import IngestSettings, process_asset, store_original
from tours.models import AssetStatus, Hotspot, HotspotText, Stop, StopText, Tour, TourText
from tours.publishing import publish_tour

log = logging.getLogger(__name__)


def _ingest_monument(settings: IngestSettings, name: str) -> int:
    """Upload one generated monument like a curator would, and process it now."""
    with settings.sessions() as session:
        asset = store_original(
            session, settings.store, io.BytesIO(build_monument(name)), f"{name}.glb"
        )
        asset_id = asset.id
    status = process_asset(settings, asset_id)
    if status != AssetStatus.READY:
        raise RuntimeError(f"demo model {name} was not accepted: {status}")
    return asset_id


def seed_demo(settings: IngestSettings) -> Tour | None:
    """Create and publish the demo tour, unless the database already has a tour."""
    with settings.sessions() as session:
        if session.scalar(select(func.count(Tour.id))):
            return None
    asset_ids = {stop["monument"]: _ingest_monument(settings, stop["monument"]) for stop in STOPS}
    with settings.sessions() as session:
        tour = Tour(
            slug=TOUR["slug"],
            default_locale=TOUR["default_locale"],
            latitude=TOUR["latitude"],
            longitude=TOUR["longitude"],
        )
        tour.texts = [
            TourText(
                locale=locale,
                title=title,
                summary=TOUR["summary"].get(locale, ""),
                site_name=TOUR["site_name"].get(locale, ""),
            )
            for locale, title in TOUR["title"].items()
        ]
        for position, content in enumerate(STOPS):
            stop = Stop(
                position=position,
                model_asset_id=asset_ids[content["monument"]],
                camera_orbit=content["camera"]["orbit"],
                camera_target=content["camera"]["target"],
                field_of_view=content["camera"]["field_of_view"],
            )
            stop.texts = [
                StopText(
                    locale=locale,
                    title=title,
                    narration=content["narration"].get(locale, ""),
                    model_alt=content["model_alt"].get(locale, ""),
                )
                for locale, title in content["title"].items()
            ]
            stop.hotspots = [
                Hotspot(
                    position=index,
                    surface_position=spot["position"],
                    surface_normal=spot["normal"],
                    texts=[
                        HotspotText(locale=locale, label=label, body=spot["body"].get(locale, ""))
                        for locale, label in spot["label"].items()
                    ],
                )
                for index, spot in enumerate(content["hotspots"])
            ]
            tour.stops.append(stop)
        session.add(tour)
        session.commit()
        session.refresh(tour)
        publish_tour(session, tour)
        log.info("seeded demo tour %s", tour.slug)
        return tour
