"""The demo tour seeded on first run: "Huế, the imperial city".

Its texts are data: ``tour.json`` is a ``bundle.json`` manifest (``docs/bundles.md``) in all
six interface languages, whose stops have no model yet. Its models are code:
:mod:`tours.demo.monuments` generates one monument per model stop, in the stops' order, and
:mod:`tours.demo.panorama_art` paints the two 360° panoramas of the stops that have
``"panorama": null``; :func:`tours.seed.seed_demo` ingests them like uploads, puts each in its
stop and imports the document.
Camera and hotspot strings use model-viewer's syntax, and hotspot positions lie on the
surface of the generated model (``tests/tours/test_demo_content.py``).

Facts were checked against published sources; where sources disagree (who designed the
Trường Tiền bridge) the text says so rather than pick one.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

DOCUMENT_FILE = "tour.json"


def demo_manifest() -> dict[str, Any]:
    """A fresh copy of the demo's ``bundle.json`` manifest (its stops' models are null)."""
    text = resources.files(__package__).joinpath(DOCUMENT_FILE).read_text(encoding="utf-8")
    manifest: dict[str, Any] = json.loads(text)
    return manifest
