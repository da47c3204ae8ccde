"""The demo tour: its generated monuments (GLB) and its texts, cameras and hotspots
(``tours/demo/tour.json``)."""

from __future__ import annotations

import io
import json
import re
import struct
from collections.abc import Iterator
from functools import cache

import numpy as np
import pytest
import trimesh

from tours.demo import demo_manifest
from tours.demo.monuments import MONUMENTS, UnknownMonument, build_monument
from tours.narration import render_narration

Localized = dict[str, str]
LOCALES = ("vi", "en", "fr", "zh", "ko", "ja")  # every interface language, in this order
TOUR = demo_manifest()["tour"]
ALL_STOPS = TOUR["stops"]
STOPS = [stop for stop in ALL_STOPS if "panorama" not in stop]  # the model stops
PANORAMA_STOPS = [stop for stop in ALL_STOPS if "panorama" in stop]
MODELS = dict(zip(MONUMENTS, STOPS, strict=False))  # checked by the first test

MAX_BYTES = 1_500_000
MAX_TRIANGLES = 30_000
SURFACE_TOLERANCE = 0.02  # metres between a hotspot and the model's surface

_NUMBER = r"-?\d+(?:\.\d+)?"
ORBIT = re.compile(rf"^({_NUMBER})deg ({_NUMBER})deg ({_NUMBER})m$")
VECTOR = re.compile(rf"^({_NUMBER})m ({_NUMBER})m ({_NUMBER})m$")
FIELD_OF_VIEW = re.compile(rf"^({_NUMBER})deg$")


@cache
def glb(name: str) -> bytes:
    """Each monument is built once per test session."""
    return build_monument(name)


@cache
def mesh(name: str) -> trimesh.Trimesh:
    scene = trimesh.load(io.BytesIO(glb(name)), file_type="glb", force="scene")
    assert isinstance(scene, trimesh.Scene)
    return scene.to_mesh()


def vector(text: str) -> np.ndarray:
    match = VECTOR.match(text)
    assert match, f"not a model-viewer vector: {text!r}"
    return np.array([float(v) for v in match.groups()])


def texts() -> Iterator[tuple[str, Localized]]:
    """Every translated field of the tour, with a name that says where it is."""
    yield "tour.title", TOUR["title"]
    yield "tour.summary", TOUR["summary"]
    yield "tour.site_name", TOUR["site_name"]
    for n, stop in enumerate(ALL_STOPS, start=1):
        yield f"stop{n}.title", stop["title"]
        yield f"stop{n}.narration", stop["narration"]
        yield f"stop{n}.model_alt", stop["model_alt"]
        for h, hotspot in enumerate(stop["hotspots"], start=1):
            yield f"stop{n}.hotspot{h}.label", hotspot["label"]
            yield f"stop{n}.hotspot{h}.body", hotspot["body"]


HOTSPOTS = [
    pytest.param(name, hotspot, id=f"{name}-{h}")
    for name, stop in MODELS.items()
    for h, hotspot in enumerate(stop["hotspots"], start=1)
]


# The models


def test_one_monument_per_stop() -> None:
    """Model stop n shows monument n: the document leaves the model out, the seed fills it in."""
    assert len(MONUMENTS) == len(STOPS) == 5
    assert len(set(MONUMENTS)) == 5
    assert all(stop["model"] is None for stop in STOPS)


@pytest.mark.parametrize("name", MONUMENTS)
def test_monument_is_binary_gltf_2(name: str) -> None:
    data = glb(name)
    magic, version, length = struct.unpack_from("<4sII", data)
    assert (magic, version, length) == (b"glTF", 2, len(data))
    chunk_length, chunk_type = struct.unpack_from("<I4s", data, 12)
    assert chunk_type == b"JSON"
    document = json.loads(data[20 : 20 + chunk_length])
    assert document["asset"]["version"] == "2.0"
    materials = document["materials"]
    assert len(materials) >= 2, "parts carry their own materials"
    for material in materials:
        assert material["name"]
        assert len(material["pbrMetallicRoughness"]["baseColorFactor"]) == 4
    assert all("NORMAL" in p["attributes"] for m in document["meshes"] for p in m["primitives"])


@pytest.mark.parametrize("name", MONUMENTS)
def test_monument_is_deterministic(name: str) -> None:
    assert build_monument(name) == glb(name)


@pytest.mark.parametrize("name", MONUMENTS)
def test_monument_fits_the_budget(name: str) -> None:
    assert len(glb(name)) < MAX_BYTES
    assert 0 < len(mesh(name).faces) <= MAX_TRIANGLES


@pytest.mark.parametrize("name", MONUMENTS)
def test_monument_stands_on_the_ground_centred(name: str) -> None:
    low, high = mesh(name).bounds
    assert low[1] == pytest.approx(0.0, abs=1e-3)
    centre, size = (low + high) / 2, high - low
    assert abs(centre[0]) < 0.01 * size[0]
    assert abs(centre[2]) < 0.01 * size[2]
    assert high[1] > 1.0, "Y is up: the model has height"


def test_unknown_monument_is_refused() -> None:
    with pytest.raises(UnknownMonument):
        build_monument("eiffel-tower")


# The texts


def test_tour_fields() -> None:
    assert TOUR["slug"] == "hue-imperial-city"
    assert TOUR["default_locale"] == "vi"
    assert TOUR["location"]["latitude"] == pytest.approx(16.47, abs=0.05)
    assert TOUR["location"]["longitude"] == pytest.approx(107.58, abs=0.05)


@pytest.mark.parametrize(("where", "text"), list(texts()), ids=[w for w, _ in texts()])
def test_every_text_is_in_all_six_locales(where: str, text: Localized) -> None:
    assert tuple(text) == LOCALES
    assert all(value.strip() == value and value for value in text.values()), where


@pytest.mark.parametrize("stop", ALL_STOPS, ids=[f"stop{n}" for n in range(1, 8)])
def test_narration_is_plain_markdown_of_tour_length(stop: dict) -> None:
    for locale, narration in stop["narration"].items():
        assert "<" not in narration and "![" not in narration, locale
        html = render_narration(narration)
        assert html.count("<p>") >= 2 and "<img" not in html, locale
    # About 80 to 150 words; Vietnamese is counted in syllables, Chinese and Japanese in
    # characters, Korean in spaced word groups.
    bounds = {"en": (80, 150), "fr": (80, 160), "vi": (90, 190), "ko": (60, 130)}
    for locale, (least, most) in bounds.items():
        words = len(stop["narration"][locale].split())
        assert least <= words <= most, (locale, words)
    for locale in ("zh", "ja"):
        assert 150 <= len(stop["narration"][locale]) <= 400, locale


@pytest.mark.parametrize(("name", "stop"), MODELS.items(), ids=MONUMENTS)
def test_camera_strings_parse(name: str, stop: dict) -> None:
    camera = stop["camera"]
    orbit = ORBIT.match(camera["orbit"])
    assert orbit, camera["orbit"]
    _, phi, radius = (float(v) for v in orbit.groups())
    assert 0 < phi < 180 and radius > 0
    target = vector(camera["target"])
    low, high = mesh(name).bounds
    assert np.all(target >= low) and np.all(target <= high), "the camera looks at the model"
    fov = FIELD_OF_VIEW.match(camera["field_of_view"])
    assert fov and 12 <= float(fov.group(1)) <= 30


@pytest.mark.parametrize(("name", "stop"), MODELS.items(), ids=MONUMENTS)
def test_camera_distance_is_not_clamped_by_model_viewer(name: str, stop: dict) -> None:
    """model-viewer 4 clamps the orbit radius unless min/max-camera-orbit are set.

    By default the camera may come no nearer than 2.2 times the model's bounding radius
    about the target, nor go farther than the distance that frames the whole model at
    30 degrees. A radius outside that range would not be the view the curator wrote.
    """
    orbit = ORBIT.match(stop["camera"]["orbit"])
    assert orbit
    radius = float(orbit.group(3))
    vertices = mesh(name).vertices
    target = vector(stop["camera"]["target"])
    nearest = 2.2 * np.linalg.norm(vertices - target, axis=1).max()
    centre = vertices.min(axis=0) / 2 + vertices.max(axis=0) / 2
    farthest = np.linalg.norm(vertices - centre, axis=1).max() / np.sin(np.radians(15.0))
    assert nearest <= radius <= farthest, (nearest, radius, farthest)


# The hotspots


@pytest.mark.parametrize("stop", STOPS, ids=MONUMENTS)
def test_each_stop_has_hotspots(stop: dict) -> None:
    assert len(stop["hotspots"]) >= 2


@pytest.mark.parametrize(("name", "hotspot"), HOTSPOTS)
def test_hotspot_lies_on_the_model_surface(name: str, hotspot: dict) -> None:
    model = mesh(name)
    point = vector(hotspot["position"])
    triangles = model.triangles
    nearest = trimesh.triangles.closest_point(triangles, np.tile(point, (len(triangles), 1)))
    distances = np.linalg.norm(nearest - point, axis=1)
    assert distances.min() < SURFACE_TOLERANCE, f"{distances.min():.3f} m off the surface"
    # The normal points out of the surface it sits on.
    normal = vector(hotspot["normal"])
    normal /= np.linalg.norm(normal)
    touching = distances < distances.min() + 1e-4
    alignment = model.face_normals[touching] @ normal
    assert alignment.max() > 0.9, alignment.max()


# The panoramas (painted by tours.demo.panorama_art, processed by the seed)


def test_two_panorama_stops_linked_to_each_other_and_to_model_stops() -> None:
    from tours.seed import PANORAMAS

    assert len(PANORAMA_STOPS) == len(PANORAMAS) == 2
    numbers = [ALL_STOPS.index(stop) + 1 for stop in PANORAMA_STOPS]
    for number, stop in zip(numbers, PANORAMA_STOPS, strict=True):
        assert stop["model"] is None and stop["panorama"] is None
        links = [spot["link"] for spot in stop["hotspots"] if "link" in spot]
        plain = [spot for spot in stop["hotspots"] if "link" not in spot]
        assert len(plain) >= 2, "hotspots besides the links"
        assert number not in links and all(1 <= link <= len(ALL_STOPS) for link in links)
        assert set(numbers) - {number} <= set(links), "linked to the other panorama"
        assert any("panorama" not in ALL_STOPS[link - 1] for link in links), "and to a model"


@pytest.mark.parametrize("stop", PANORAMA_STOPS, ids=["courtyard", "river-bank"])
def test_panorama_directions_are_in_range(stop: dict) -> None:
    from tours.panoramas import check_view

    view = stop["view"]
    assert check_view(view["yaw"], view["pitch"], view["fov"]) == {
        key: float(value) for key, value in view.items()
    }
    for spot in stop["hotspots"]:
        assert check_view(spot["yaw"], spot["pitch"]) is not None
