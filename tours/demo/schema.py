"""Types of the demo tour's data: localised texts, camera views, hotspots, stops, the tour."""

from __future__ import annotations

from typing import TypedDict

LOCALES: tuple[str, ...] = ("vi", "en", "fr", "zh", "ko", "ja")

Localized = dict[str, str]
"""A text in several languages: locale tag to text."""


class Camera(TypedDict):
    """A model-viewer view: ``camera-orbit``, ``camera-target`` and ``field-of-view``."""

    orbit: str
    target: str
    field_of_view: str


class Hotspot(TypedDict):
    """A labelled point on the model, in model-viewer's ``data-position`` / ``data-normal``."""

    position: str
    normal: str
    label: Localized
    body: Localized


class Stop(TypedDict):
    """One stop: which model, how to look at it, what to read and what to point at."""

    monument: str
    camera: Camera
    title: Localized
    narration: Localized
    model_alt: Localized
    hotspots: list[Hotspot]


class Tour(TypedDict):
    """The tour's own fields."""

    slug: str
    default_locale: str
    latitude: float
    longitude: float
    title: Localized
    summary: Localized
    site_name: Localized
