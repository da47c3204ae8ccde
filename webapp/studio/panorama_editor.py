"""The live panorama viewer of the stop editor: its configuration, built from the draft."""

from __future__ import annotations

from typing import Any

from flask import url_for

from tours.authoring import tour_languages
from tours.catalogue import tour_view
from tours.document import is_panorama, tour_document
from tours.locales import INTERFACE_LOCALES
from tours.models import AssetStatus, Stop
from webapp.public.panorama import panorama_config


def editor_config(stop: Stop, lang: str) -> dict[str, Any] | None:
    """The viewer configuration of a panorama stop as it is in the draft, in ``lang`` (its
    links open the studio's preview of their stop, and its ``panorama.json``); None when the
    stop shows no ready panorama."""
    if not is_panorama(stop.model) or stop.model is None:
        return None
    if stop.model.status != AssetStatus.READY:
        return None
    tour = stop.tour
    preview_lang = lang if lang in INTERFACE_LOCALES or lang in tour_languages(tour) else "en"
    view = tour_view(tour_document(tour), 0, lang)
    number = tour.stops.index(stop) + 1

    def page(target: int) -> str:
        return url_for("studio.preview_stop", tour_id=tour.id, lang=preview_lang, number=target)

    def config(target: int) -> str:
        return url_for(
            "studio.preview_panorama_json", tour_id=tour.id, lang=preview_lang, number=target
        )

    return panorama_config(view, view.stops[number - 1], page, config)
