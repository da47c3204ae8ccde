"""Writing panorama stops in the studio: the start view, hotspots placed by direction, and
links that take the visitor to another stop of the tour. Directions are degrees (see
:mod:`tours.panoramas`); texts of hotspots and links are saved like any hotspot's
(:func:`tours.authoring.save_hotspot_text`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tours.authoring import AuthoringError
from tours.models import AssetKind, Hotspot, Stop
from tours.panoramas import check_view


def _panorama_stop(stop: Stop) -> None:
    if stop.model is None or stop.model.kind != AssetKind.PANORAMA:
        raise AuthoringError("not_a_panorama_stop", "This stop does not show a panorama.")


def set_panorama_view(session: Session, stop: Stop, yaw: Any, pitch: Any, fov: Any) -> None:
    """Keep the start view of a panorama stop (degrees, from the live viewer or typed)."""
    _panorama_stop(stop)
    view = check_view(yaw, pitch, fov)
    if view is None:
        raise AuthoringError("invalid_view", "The view is not a direction the viewer can show.")
    stop.panorama_view = view
    stop.posters = None  # drawn again at this view (tours.stopposters)
    session.commit()


def _link_target(stop: Stop, link_stop_id: int | None) -> Stop | None:
    if link_stop_id is None:
        return None
    target = next((other for other in stop.tour.stops if other.id == link_stop_id), None)
    if target is None or target.id == stop.id:
        raise AuthoringError("invalid_link", "A link must lead to another stop of this tour.")
    return target


def add_panorama_hotspot(
    session: Session, stop: Stop, yaw: Any, pitch: Any, link_stop_id: int | None = None
) -> Hotspot:
    """Place a hotspot in a panorama, at a direction; with ``link_stop_id`` it is a link
    that takes the visitor to that stop of the tour."""
    _panorama_stop(stop)
    direction = check_view(yaw, pitch)
    if direction is None:
        raise AuthoringError("invalid_hotspot", "The hotspot's direction is not valid.")
    target = _link_target(stop, link_stop_id)
    hotspot = Hotspot(
        position=len(stop.hotspots),
        surface_position="",
        surface_normal="",
        yaw=direction["yaw"],
        pitch=direction["pitch"],
        link_stop=target,
    )
    stop.hotspots.append(hotspot)
    session.commit()
    return hotspot


def set_hotspot_link(session: Session, hotspot: Hotspot, link_stop_id: int | None) -> None:
    """Make a panorama hotspot a link to another stop (or, with None, a plain hotspot)."""
    _panorama_stop(hotspot.stop)
    hotspot.link_stop = _link_target(hotspot.stop, link_stop_id)
    session.commit()
