"""Camera views in model-viewer's notation and the framed region kept on any canvas."""

from __future__ import annotations

import math
from typing import Any

import pytest

from models3d.camera import CameraView, check_framing, fit_radius, framed_box, parse_view


@pytest.mark.parametrize(
    ("orbit", "target", "fov", "expected"),
    [
        ("30deg 75deg 2m", "0m 0.5m 0m", "30deg", CameraView(30, 75, 2, (0, 0.5, 0), 30)),
        ("0deg 90deg 150cm", "1m -2m .5m", "45deg", CameraView(0, 90, 1.5, (1, -2, 0.5), 45)),
        (f"{math.pi}rad 0.5rad 20mm", "0m 0m 0m", "0.5rad", None),  # checked below
        ("30deg 75deg 0m", "0m 0m 0m", "30deg", None),  # no distance
        ("30deg 75deg 2m", "0m 0m", "30deg", None),
        ("30deg 75deg 2m", "0m 0m 0m", "180deg", None),
        ("auto auto auto", "0m 0m 0m", "30deg", None),
    ],
)
def test_parse_view(orbit: str, target: str, fov: str, expected: CameraView | None) -> None:
    view = parse_view(orbit, target, fov)
    if orbit.endswith("20mm"):
        assert view is not None
        assert (view.theta, view.phi, view.radius) == pytest.approx((180, math.degrees(0.5), 0.02))
        assert view.field_of_view == pytest.approx(math.degrees(0.5))
    else:
        assert view == expected


def test_camera_position_follows_model_viewer_angles() -> None:
    front = CameraView(0, 90, 2, (0, 1, 0), 30).position()
    assert front == pytest.approx((0, 1, 2))
    side = CameraView(90, 90, 2, (0, 0, 0), 30).position()
    assert side == pytest.approx((2, 0, 0))
    above = CameraView(0, 0, 3, (1, 0, 0), 30).position()
    assert above == pytest.approx((1, 3, 0))


@pytest.mark.parametrize("aspect", [412 / 420, 637 / 420, 1280 / 900, 0.5])
def test_fit_radius_keeps_the_framed_box_in_view(aspect: float) -> None:
    framing = framed_box(4.0, 30, 645 / 420)  # framed on the studio's canvas
    radius = fit_radius(framing, 30, aspect)
    seen = framed_box(radius, 30, aspect)
    ratios = (
        seen["half_width"] / framing["half_width"],
        seen["half_height"] / framing["half_height"],
    )
    assert min(ratios) == pytest.approx(1)  # all of it in view, touching one side
    assert fit_radius(framing, 30, 645 / 420) == pytest.approx(4.0)  # the same canvas: same view


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"half_width": 1, "half_height": 0.5}, {"half_width": 1.0, "half_height": 0.5}),
        ({"half_width": 1, "half_height": 0}, None),
        ({"half_width": True, "half_height": 1}, None),
        ({"half_width": float("nan"), "half_height": 1}, None),
        ({"half_width": 1e9, "half_height": 1}, None),
        ({"half_width": 1, "half_height": 1, "extra": 1}, None),
        ([1, 1], None),
        (None, None),
    ],
)
def test_check_framing(value: Any, expected: dict[str, float] | None) -> None:
    assert check_framing(value) == expected
