"""Posters drawn from a stop's exact camera: perspective as model-viewer's, framing fitted."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from models3d.camera import CameraView, fit_radius
from models3d.glb import read_glb
from models3d.gltfscene import draw_batches
from models3d.viewposter import POSTER_SHAPES, render_view, shown_view, stop_posters


@pytest.fixture(scope="module")
def cube(testdata: Path) -> tuple[dict, bytes]:
    doc, binary = read_glb((testdata / "BoxTextured.glb").read_bytes())  # a 1 m cube at 0
    return doc, binary or b""


@pytest.mark.parametrize(("width", "height"), [(200, 100), (120, 200)])
def test_the_front_face_projects_where_model_viewer_draws_it(
    cube: tuple[dict, bytes], width: int, height: int
) -> None:
    doc, binary = cube
    view = CameraView(theta=0, phi=90, radius=3, target=(0, 0, 0), field_of_view=30)
    image = render_view(doc, binary, view, width, height)
    assert image.size == (width, height)
    alpha = np.asarray(image)[:, :, 3]
    ys, xs = np.nonzero(alpha > 127)
    positions = np.concatenate([b.positions for b in draw_batches(doc, binary)])
    shown = shown_view(positions, view, width / height, None)
    focal = height / 2 / math.tan(math.radians(shown.field_of_view) / 2)
    half = 0.5 / (3 - 0.5) * focal  # the front face, 2.5 m from the camera
    assert (xs.max() - xs.min() + 1) / 2 == pytest.approx(half, abs=1.5)
    assert (ys.max() - ys.min() + 1) / 2 == pytest.approx(half, abs=1.5)
    assert (xs.min() + xs.max() + 1) / 2 == pytest.approx(width / 2, abs=1)
    assert (ys.min() + ys.max() + 1) / 2 == pytest.approx(height / 2, abs=1)


def test_shown_view_fits_the_framing_and_widens_like_model_viewer(
    cube: tuple[dict, bytes],
) -> None:
    doc, binary = cube
    positions = np.concatenate([b.positions for b in draw_batches(doc, binary)])
    view = CameraView(theta=30, phi=70, radius=3, target=(0, 0, 0), field_of_view=30)
    framing = {"half_width": 1.2, "half_height": 0.4}
    wide = shown_view(positions, view, 2.0, framing)
    assert wide.field_of_view == pytest.approx(30)  # wider than the model: as set
    assert wide.radius == pytest.approx(fit_radius(framing, 30, 2.0))
    narrow = shown_view(positions, view, 0.5, framing)
    assert narrow.field_of_view > 30  # narrower than the model: widened, as model-viewer does
    assert narrow.radius == pytest.approx(fit_radius(framing, narrow.field_of_view, 0.5))


def test_stop_posters_every_shape_and_width(cube: tuple[dict, bytes]) -> None:
    doc, binary = cube
    view = CameraView(theta=30, phi=70, radius=3, target=(0, 0, 0), field_of_view=30)
    posters = stop_posters(doc, binary, view, {"half_width": 0.8, "half_height": 0.8})
    expected = {
        f"{shape}-{width}": (width, round(height * width / css))
        for shape, (css, height, widths) in POSTER_SHAPES.items()
        for width in widths
    }
    assert {name: Image.open(io.BytesIO(data)).size for name, data in posters.items()} == expected
    assert Image.open(io.BytesIO(posters["og-1200"])).format == "JPEG"
    phone = Image.open(io.BytesIO(posters["phone-412"]))
    assert phone.format == "WEBP" and phone.mode == "RGBA"
    assert np.asarray(phone)[:, :, 3].max() == 255  # the cube is drawn
