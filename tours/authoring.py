"""Writing tours in the studio: tour texts and languages, stops, camera views and hotspots.

Every function validates what a curator typed and raises :class:`AuthoringError` with a
stable ``code`` when something cannot be accepted. The draft tables change freely;
tourists only ever see a published revision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models3d.camera import LIGHTING, check_framing
from tours.db import is_id
from tours.errors import CodedError
from tours.locales import is_language_tag, normalize_tag
from tours.models import Hotspot, HotspotText, ModelAsset, Stop, StopText, Tour, TourText
from tours.textlimits import TextRefused, check_text

LIGHTING_PRESETS: dict[str, dict[str, Any]] = LIGHTING  # the presets a stop may use
SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
MAX_SLUG_LENGTH = 80
_SLUG = re.compile(rf"^{SLUG_PATTERN}$")
_NUMBER = r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?"
_ORBIT = re.compile(rf"^{_NUMBER}(?:deg|rad) {_NUMBER}(?:deg|rad) {_NUMBER}(?:m|cm|mm)$")
_POINT = re.compile(rf"^{_NUMBER}m {_NUMBER}m {_NUMBER}m$")
_VECTOR = re.compile(rf"^{_NUMBER} {_NUMBER} {_NUMBER}$")
_FOV = re.compile(rf"^{_NUMBER}(?:deg|rad)$")


class AuthoringError(CodedError):
    """A change the studio cannot make; ``detail`` says where."""


def _fits(field: str, text: str) -> str:
    """``text`` if it is within the length limit of ``field`` (see :mod:`tours.textlimits`)."""
    try:
        return check_text(field, text)
    except TextRefused as error:
        raise AuthoringError(error.code, error.message, error.detail) from None


def list_tours(session: Session) -> list[Tour]:
    """Every tour, by slug."""
    return list(session.scalars(select(Tour).order_by(Tour.slug)))


def language_tag(tag: str) -> str:
    """The canonical form of a BCP 47 tag typed by a curator, or :class:`AuthoringError`."""
    tag = tag.strip()
    if not is_language_tag(tag):
        raise AuthoringError("invalid_language", f"{tag!r} is not a BCP 47 language tag.")
    return normalize_tag(tag)


def parse_location(latitude: str, longitude: str) -> tuple[float | None, float | None]:
    """Latitude and longitude typed as text; both empty means no location."""
    if not latitude.strip() and not longitude.strip():
        return None, None
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError as error:
        raise AuthoringError(
            "invalid_location", "Latitude and longitude must be numbers."
        ) from error
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise AuthoringError("invalid_location", "The location is outside the globe.")
    return lat, lon


def check_slug(session: Session, slug: str) -> str:
    """``slug`` in lower case if it is well-formed and free, else :class:`AuthoringError`."""
    slug = slug.strip().lower()
    if not _SLUG.match(slug) or len(slug) > MAX_SLUG_LENGTH:
        raise AuthoringError(
            "invalid_slug", "The slug may use a-z, 0-9 and single hyphens (at most 80)."
        )
    if session.scalar(select(Tour.id).where(Tour.slug == slug)) is not None:
        raise AuthoringError("slug_taken", f"Another tour already uses the slug {slug!r}.")
    return slug


def create_tour(session: Session, slug: str, default_locale: str, title: str) -> Tour:
    """A new draft tour with its title in its default language."""
    slug = check_slug(session, slug)
    locale = language_tag(default_locale)
    if not title.strip():
        raise AuthoringError("missing_title", "Give the tour a title.")
    tour = Tour(slug=slug, default_locale=locale)
    tour.texts = [TourText(locale=locale, title=_fits("title", title.strip()))]
    session.add(tour)
    session.commit()
    return tour


def update_tour(
    session: Session, tour: Tour, default_locale: str, latitude: str, longitude: str
) -> None:
    """Change the tour's default language and its location."""
    tour.default_locale = language_tag(default_locale)
    tour.latitude, tour.longitude = parse_location(latitude, longitude)
    add_language(session, tour, tour.default_locale)
    session.commit()


def tour_languages(tour: Tour) -> list[str]:
    """The tour's languages: its default first, then the others by tag."""
    tags = {text.locale for text in tour.texts}
    for stop in tour.stops:
        tags.update(text.locale for text in stop.texts)
    tags.discard(tour.default_locale)
    return [tour.default_locale, *sorted(tags)]


def add_language(session: Session, tour: Tour, tag: str) -> str:
    """Add a language to the tour (an empty text row until someone writes it)."""
    locale = language_tag(tag)
    if not any(text.locale == locale for text in tour.texts):
        tour.texts.append(TourText(locale=locale, title=""))
    session.commit()
    return locale


def _text_row(rows: list[Any], factory: type, locale: str) -> Any:
    row = next((row for row in rows if row.locale == locale), None)
    if row is None:
        row = factory(locale=locale)
        rows.append(row)
    return row


def save_tour_text(
    session: Session, tour: Tour, locale: str, title: str, summary: str, site_name: str
) -> None:
    """Set the tour's title, summary and site name in one language."""
    texts = (_fits("title", title.strip()), _fits("summary", summary.strip()))
    site = _fits("site_name", site_name.strip())
    row = _text_row(tour.texts, TourText, language_tag(locale))
    row.title, row.summary, row.site_name = *texts, site
    session.commit()


def add_stop(session: Session, tour: Tour, model_asset_id: int | None = None) -> Stop:
    """Append a stop to the tour."""
    if model_asset_id is not None and (
        not is_id(model_asset_id) or session.get(ModelAsset, model_asset_id) is None
    ):
        raise AuthoringError("model_not_found", "That model does not exist.")
    stop = Stop(position=len(tour.stops), model_asset_id=model_asset_id)
    tour.stops.append(stop)
    session.commit()
    return stop


def _renumber(tour: Tour, stops: list[Stop]) -> None:
    for index, stop in enumerate(stops):
        stop.position = index
    tour.stops[:] = stops  # a stop left out is deleted (delete-orphan)


def remove_stop(session: Session, stop: Stop) -> None:
    """Delete a stop and close the gap it leaves; links to it from panoramas go with it."""
    tour = stop.tour
    for other in tour.stops:
        other.hotspots[:] = [spot for spot in other.hotspots if spot.link_stop_id != stop.id]
        for index, spot in enumerate(other.hotspots):
            spot.position = index
    _renumber(tour, [other for other in tour.stops if other.id != stop.id])
    session.commit()


def move_stop(session: Session, stop: Stop, offset: int) -> None:
    """Move a stop ``offset`` places (−1 is up); moving past an end does nothing."""
    stops = list(stop.tour.stops)
    index = stops.index(stop)
    target = max(0, min(len(stops) - 1, index + offset))
    stops.insert(target, stops.pop(index))
    _renumber(stop.tour, stops)
    session.commit()


def reorder_stops(session: Session, tour: Tour, stop_ids: list[int]) -> None:
    """Put the stops in the order of ``stop_ids``, which must name each stop once."""
    by_id = {stop.id: stop for stop in tour.stops}
    if sorted(stop_ids) != sorted(by_id):
        raise AuthoringError("invalid_order", "The new order must list every stop once.")
    _renumber(tour, [by_id[stop_id] for stop_id in stop_ids])
    session.commit()


def set_stop_model(session: Session, stop: Stop, model_asset_id: int | None) -> None:
    """Choose the model a stop shows; a new model resets the camera view and the poster."""
    if model_asset_id is not None and (
        not is_id(model_asset_id) or session.get(ModelAsset, model_asset_id) is None
    ):
        raise AuthoringError("model_not_found", "That model does not exist.")
    if model_asset_id != stop.model_asset_id:
        stop.model_asset_id = model_asset_id
        stop.camera_orbit = stop.camera_target = stop.field_of_view = ""
        stop.poster_key = stop.framing = stop.posters = stop.ar_key = None
        stop.panorama_view = None
    session.commit()


def save_stop_text(
    session: Session, stop: Stop, locale: str, title: str, narration: str, model_alt: str
) -> None:
    """Set a stop's title, narration (Markdown) and model description in one language."""
    texts = (_fits("title", title.strip()), _fits("narration", narration))
    alt = _fits("model_alt", model_alt)
    row = _text_row(stop.texts, StopText, language_tag(locale))
    row.title, row.narration, row.model_alt = *texts, alt
    session.commit()


def set_camera(
    session: Session,
    stop: Stop,
    orbit: str,
    target: str,
    field_of_view: str,
    poster_key: str | None = None,
    framing: dict[str, Any] | None = None,
) -> None:
    """Keep the view chosen in the viewer (model-viewer's own notation) and its poster.

    ``framing`` is the rectangle the curator had in view around the target (half sizes in
    metres, see ``models3d.camera``); without it the orbit is shown as it is on any canvas.
    """
    checks = ((orbit, _ORBIT), (target, _POINT), (field_of_view, _FOV))
    if not all(pattern.match(value.strip()) for value, pattern in checks):
        raise AuthoringError("invalid_camera", "The camera view is not in a form the viewer uses.")
    checked = check_framing(framing) if framing is not None else None
    if framing is not None and checked is None:
        raise AuthoringError("invalid_camera", "The framed region is not valid.")
    stop.camera_orbit, stop.camera_target = orbit.strip(), target.strip()
    stop.field_of_view = field_of_view.strip()
    stop.framing = checked
    stop.posters = None  # drawn again for this camera by a job (tours.stopposters)
    if poster_key is not None:
        stop.poster_key = poster_key
    session.commit()


def set_lighting(session: Session, stop: Stop, preset: str) -> None:
    """Choose the stop's lighting preset (``models3d.camera.LIGHTING``); "" for the default."""
    preset = preset.strip()
    if preset and preset not in LIGHTING:
        raise AuthoringError("invalid_lighting", "Choose a lighting from the list.")
    stop.lighting = preset or None
    stop.posters = None  # drawn again in this light (clay changes the colours)
    session.commit()


def set_stop_location(session: Session, stop: Stop, latitude: str, longitude: str) -> None:
    """Where the stop is on the ground (typed as text; both empty: nowhere in particular)."""
    stop.latitude, stop.longitude = parse_location(latitude, longitude)
    session.commit()


def set_hotspot_view(
    session: Session, hotspot: Hotspot, orbit: str, target: str, field_of_view: str
) -> None:
    """Give a hotspot its own camera view (model-viewer's notation); all empty removes it."""
    values = orbit.strip(), target.strip(), field_of_view.strip()
    if not any(values):
        hotspot.view = None
    else:
        checks = zip(values, (_ORBIT, _POINT, _FOV), strict=True)
        if not all(pattern.match(value) for value, pattern in checks):
            raise AuthoringError(
                "invalid_camera", "The camera view is not in a form the viewer uses."
            )
        hotspot.view = dict(zip(("orbit", "target", "field_of_view"), values, strict=True))
    session.commit()


def _point(value: str, pattern: re.Pattern[str], what: str) -> str:
    value = " ".join(value.split())
    if not pattern.match(value):
        raise AuthoringError("invalid_hotspot", f"The hotspot's {what} is not valid.")
    return value


def add_hotspot(session: Session, stop: Stop, position: str, normal: str) -> Hotspot:
    """Place a hotspot at a point of the model's surface (model-viewer's notation)."""
    hotspot = Hotspot(
        position=len(stop.hotspots),
        surface_position=_point(position, _POINT, "position"),
        surface_normal=_point(normal or "0 1 0", _VECTOR, "normal"),
    )
    stop.hotspots.append(hotspot)
    session.commit()
    return hotspot


def save_hotspot_text(
    session: Session, hotspot: Hotspot, locale: str, label: str, body: str
) -> None:
    """Set a hotspot's label and text in one language."""
    texts = (_fits("label", label.strip()), _fits("body", body.strip()))
    row = _text_row(hotspot.texts, HotspotText, language_tag(locale))
    row.label, row.body = texts
    session.commit()


def remove_hotspot(session: Session, hotspot: Hotspot) -> None:
    """Delete a hotspot and renumber the others."""
    stop = hotspot.stop
    stop.hotspots.remove(hotspot)  # delete-orphan removes the row
    for index, other in enumerate(stop.hotspots):
        other.position = index
    session.commit()


@dataclass(frozen=True)
class MatrixRow:
    """One text of a tour, and in which languages it is written."""

    kind: str
    stop: int | None
    hotspot: int | None
    done: dict[str, bool]
    stop_id: int | None = None
    hotspot_id: int | None = None


def _done(rows: list[Any], attribute: str, languages: list[str]) -> dict[str, bool]:
    written = {row.locale for row in rows if getattr(row, attribute).strip()}
    return {lang: lang in written for lang in languages}


def translation_matrix(tour: Tour) -> tuple[list[str], list[MatrixRow]]:
    """For every text of the tour, which of its languages are done."""
    languages = tour_languages(tour)
    rows = [
        MatrixRow(kind, None, None, _done(tour.texts, kind, languages))
        for kind in ("title", "summary", "site_name")
    ]
    for number, stop in enumerate(tour.stops, start=1):
        rows += [
            MatrixRow(kind, number, None, _done(stop.texts, kind, languages), stop.id)
            for kind in ("title", "narration", "model_alt")
        ]
        audio = {item.locale for item in stop.audio}
        done = {lang: lang in audio for lang in languages}
        rows.append(MatrixRow("audio", number, None, done, stop.id))
        for index, hotspot in enumerate(stop.hotspots, start=1):
            rows += [
                MatrixRow(
                    kind, number, index, _done(hotspot.texts, kind, languages), stop.id, hotspot.id
                )
                for kind in ("label", "body")
            ]
    return languages, rows


def incomplete_languages(tour: Tour) -> dict[str, int]:
    """The tour's languages that lack texts written in another of its languages, with how
    many texts each lacks. Audio is optional and not counted."""
    languages, rows = translation_matrix(tour)
    missing = {lang: 0 for lang in languages}
    for row in rows:
        if row.kind == "audio" or not any(row.done.values()):
            continue
        for lang, done in row.done.items():
            missing[lang] += not done
    return {lang: count for lang, count in missing.items() if count}
