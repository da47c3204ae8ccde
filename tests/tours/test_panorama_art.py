"""The demo's panoramas: made by code, the same bytes each time, monuments in view."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tours.demo.panorama_art import VIEWPOINTS, paint_panorama

WIDTH = 512


@pytest.mark.parametrize("name", sorted(VIEWPOINTS))
def test_a_viewpoint_is_a_repeatable_equirectangular_jpeg(name: str) -> None:
    data = paint_panorama(name, WIDTH)
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size, image.mode) == ("JPEG", (WIDTH, WIDTH // 2), "RGB")
    assert paint_panorama(name, WIDTH) == data


def test_the_monument_ahead_stands_above_the_horizon() -> None:
    """Straight ahead (the image's centre column) something that is neither sky nor trees
    rises above the horizon: the Noon Gate; behind the viewer there is only sky."""
    pixels = np.asarray(Image.open(io.BytesIO(paint_panorama("citadel-courtyard", WIDTH))))
    horizon = WIDTH // 4
    ahead = pixels[horizon - 12 : horizon - 4, WIDTH // 2].astype(int)
    behind = pixels[horizon - 12 : horizon - 4, 2].astype(int)
    assert (behind[:, 2] > behind[:, 0]).all()  # blue sky
    assert (ahead[:, 0] > ahead[:, 2]).any()  # red, yellow or stone: the gate


def test_an_unknown_viewpoint_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        paint_panorama("nowhere", WIDTH)
