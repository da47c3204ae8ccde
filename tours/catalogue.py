"""What tourists see: published tours, read from their revisions, in the visitor's language."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from models3d.camera import LIGHTING
from tours.document import document_locales
from tours.images import referenced_images, variant_width
from tours.locales import Picked, is_language_tag, pick
from tours.models import Tour, TourRevision
from tours.narration import MEDIA_PREFIX, ShownImage, render_narration

# The order in which the viewer prefers levels of detail when one is missing.
LEVEL_ORDER = ("thumb", "low", "medium", "high")
# Estimating a tour's length: narration heard or read, plus time to look at each model.
WORDS_PER_MINUTE = 150
CJK_CHARACTERS_PER_MINUTE = 260
LOOKING_SECONDS_PER_STOP = 60
# How many presented tours (a revision in one language) a web process keeps.
VIEWS_KEPT = 256
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class HotspotView:
    """A hotspot in the visitor's language: a point on a model (``position``, ``normal``) or
    a direction in a panorama (``yaw``, ``pitch``); ``link`` the stop number it leads to."""

    position: str
    normal: str
    label: Picked
    body: Picked
    body_html: str = ""
    view: dict[str, str] | None = None
    yaw: float | None = None
    pitch: float | None = None
    link: int | None = None


@dataclass(frozen=True)
class AudioView:
    """Narration audio of a stop in the visitor's language, with optional captions."""

    key: str
    content_type: str
    captions_key: str | None
    locale: str
    rights: dict[str, str] | None = None


@dataclass(frozen=True)
class StopView:
    """One stop of a published tour, in the visitor's language."""

    number: int
    title: Picked
    narration: Picked
    narration_html: str
    model_alt: Picked
    camera: dict[str, Any]
    levels: dict[str, dict[str, Any]]
    poster_key: str | None
    hotspots: list[HotspotView]
    audio: AudioView | None = None
    lighting: str | None = None
    posters: dict[str, str] | None = None
    # What the stop shows and under which rights: ("model" | "audio" | "image", rights).
    credits: tuple[tuple[str, dict[str, str]], ...] = ()
    units_known: bool = False
    ar_key: str | None = None
    # A panorama stop: the document's ``panorama`` (images, tiles) and its start view.
    panorama: dict[str, Any] | None = None
    view: dict[str, float] | None = None
    location: dict[str, float] | None = None  # where the stop is on the ground, if known

    @property
    def spots(self) -> list[HotspotView]:
        """The hotspots that are not links."""
        return [spot for spot in self.hotspots if spot.link is None]

    @property
    def links(self) -> list[HotspotView]:
        """A panorama's links to other stops."""
        return [spot for spot in self.hotspots if spot.link is not None]

    @property
    def lighting_preset(self) -> dict[str, Any] | None:
        """The model-viewer settings of the stop's lighting preset, if it has one."""
        return LIGHTING.get(self.lighting or "")

    def level_key(self, preferred: str) -> str | None:
        """The key of ``preferred``, or of the nearest level below it, or any level."""
        index = LEVEL_ORDER.index(preferred)
        for level in (*LEVEL_ORDER[index::-1], *LEVEL_ORDER[index + 1 :]):
            if level in self.levels:
                key: str = self.levels[level]["key"]
                return key
        return None


@dataclass(frozen=True)
class TourView:
    """A published tour, in the visitor's language."""

    slug: str
    revision: int
    default_locale: str
    title: Picked
    summary: Picked
    site_name: Picked
    locales: list[str]
    location: dict[str, float] | None
    stops: list[StopView]
    site_default: str = ""
    search_text: str = ""
    image_keys: tuple[str, ...] = ()
    rights: dict[str, str] | None = None

    @property
    def poster_key(self) -> str | None:
        return next((stop.poster_key for stop in self.stops if stop.poster_key), None)

    @property
    def fell_back(self) -> bool:
        return self.title.fell_back or self.summary.fell_back

    @property
    def minutes(self) -> int:
        """About how long the tour takes: narration at a calm pace, and a minute per model."""
        seconds = sum(narration_seconds(stop.narration.text) for stop in self.stops)
        seconds += LOOKING_SECONDS_PER_STOP * len(self.stops)
        return max(1, round(seconds / 60))

    @property
    def site_key(self) -> str:
        """A stable key of the tour's site for filters: its name in the tour's default language."""
        return fold(self.site_default)


def narration_seconds(markdown: str) -> float:
    """How long a narration takes to listen to: words, or characters in CJK scripts."""
    cjk = len(_CJK.findall(markdown))
    words = len(_WORD.findall(_CJK.sub(" ", markdown)))
    return 60 * (words / WORDS_PER_MINUTE + cjk / CJK_CHARACTERS_PER_MINUTE)


def fold(text: str) -> str:
    """``text`` for matching: case and accents removed (``Huế`` and ``hue`` match)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def _same_language(tag: str, wanted: str) -> bool:
    return tag == wanted or tag.split("-")[0].lower() == wanted.split("-")[0].lower()


def _audio_view(audio: dict[str, Any], lang: str) -> AudioView | None:
    """The stop's audio in ``lang`` (same primary language is enough), or None."""
    tags = sorted(audio, key=lambda tag: tag != lang)
    for tag in tags:
        entry = audio[tag]
        if entry and entry.get("key") and is_language_tag(tag) and _same_language(tag, lang):
            return AudioView(
                entry["key"],
                entry.get("type") or "audio/mpeg",
                entry.get("captions"),
                tag,
                entry.get("rights"),
            )
    return None


Choose = Callable[[Mapping[str, str]], Picked]


def _chooser(lang: str, default: str, preferences: Sequence[str]) -> Choose:
    """Picks texts in ``lang``, falling back along ``preferences``, then ``default``."""
    return lambda texts: pick(texts, lang, default, preferences)


Images = dict[str, ShownImage]


def _shown_images(images: dict[str, Any], choose: Choose) -> Images:
    """The tour's images with their alternative text in the visitor's language."""
    return {
        ref: ShownImage(
            copies=[
                (MEDIA_PREFIX + key, variant_width(int(target), image["width"]))
                for target, key in sorted(image["variants"].items(), key=lambda v: int(v[0]))
            ],
            width=image["width"],
            height=image["height"],
            alt=choose(image.get("alt") or {}).text,
        )
        for ref, image in images.items()
    }


def shown_images(images: dict[str, Any], lang: str, default: str) -> Images:
    """A document's ``images`` as texts in ``lang`` show them (for previews)."""
    return _shown_images(images, _chooser(lang, default, ()))


def _hotspot_view(spot: dict[str, Any], choose: Choose, images: Images) -> HotspotView:
    """A hotspot in the visitor's language; its text is Markdown, rendered like the narration."""
    body = choose(spot["body"])
    return HotspotView(
        position=spot.get("position", ""),
        normal=spot.get("normal", ""),
        label=choose(spot["label"]),
        body=body,
        body_html=render_narration(body.text, images),
        view=spot.get("view"),
        yaw=spot.get("yaw"),
        pitch=spot.get("pitch"),
        link=spot.get("link"),
    )


def _credits(
    model: dict[str, Any],
    audio: AudioView | None,
    markdown: list[str],
    images: dict[str, Any],
    kind: str = "model",
) -> tuple[tuple[str, dict[str, str]], ...]:
    """The rights of what a stop shows: its model (or panorama: ``kind``), its audio, the
    images its texts show."""
    credits: list[tuple[str, dict[str, str]]] = []
    if model.get("rights"):
        credits.append((kind, model["rights"]))
    if audio is not None and audio.rights:
        credits.append(("audio", audio.rights))
    refs = dict.fromkeys(ref for text in markdown for ref in referenced_images(text))
    for ref in refs:
        if (images.get(ref) or {}).get("rights"):
            credits.append(("image", images[ref]["rights"]))
    return tuple(credits)


def _stop_view(
    number: int,
    stop: dict[str, Any],
    lang: str,
    choose: Choose,
    images: Images,
    image_documents: dict[str, Any],
) -> StopView:
    narration = choose(stop["narration"])
    panorama = stop.get("panorama")
    model = stop.get("model") or panorama or {}
    hotspots = [_hotspot_view(spot, choose, images) for spot in stop["hotspots"]]
    audio = _audio_view(stop.get("audio") or {}, lang)
    markdown = [narration.text, *(spot.body.text for spot in hotspots)]
    return StopView(
        number=number,
        title=choose(stop["title"]),
        narration=narration,
        narration_html=render_narration(narration.text, images),
        model_alt=choose(stop["model_alt"]),
        camera=stop["camera"],
        levels=model.get("levels") or {},
        poster_key=model.get("poster"),
        hotspots=hotspots,
        audio=audio,
        lighting=stop.get("lighting"),
        posters=stop.get("posters"),
        credits=_credits(
            model, audio, markdown, image_documents, "panorama" if panorama else "model"
        ),
        units_known=bool(model.get("units_known")),
        ar_key=stop.get("ar"),
        panorama=panorama,
        view=stop.get("view"),
        location=stop.get("location"),
    )


def tour_view(
    document: dict[str, Any], revision: int, lang: str, preferences: Sequence[str] = ()
) -> TourView:
    """Present a tour document in ``lang``, falling back where a text is missing: first to
    the visitor's other ``preferences`` (best first), then to the tour's default language."""
    default = document["default_locale"]
    choose = _chooser(lang, default, preferences)
    images = document.get("images") or {}
    shown = _shown_images(images, choose)
    return TourView(
        slug=document["slug"],
        revision=revision,
        default_locale=default,
        title=choose(document["title"]),
        summary=choose(document["summary"]),
        site_name=choose(document["site_name"]),
        locales=document_locales(document),
        location=document.get("location"),
        stops=[
            _stop_view(number, stop, lang, choose, shown, images)
            for number, stop in enumerate(document["stops"], start=1)
        ],
        site_default=pick(document["site_name"], default, default).text,
        search_text=fold(
            " ".join(
                text
                for field in ("title", "summary", "site_name")
                for text in document[field].values()
            )
        ),
        image_keys=tuple(key for image in images.values() for key in image["variants"].values()),
        rights=document.get("rights"),
    )


def _published() -> Select[tuple[TourRevision]]:
    return select(TourRevision).join(
        Tour,
        (Tour.id == TourRevision.tour_id) & (Tour.published_number == TourRevision.number),
    )


def published_tours(session: Session, lang: str, preferences: Sequence[str] = ()) -> list[TourView]:
    """Every published tour, newest first."""
    revisions = session.scalars(_published().order_by(TourRevision.published_at.desc()))
    return [tour_view(rev.document, rev.number, lang, preferences) for rev in revisions]


def published_document(session: Session, slug: str) -> tuple[dict[str, Any], int] | None:
    """The published document of the tour ``slug`` and its revision number, if published."""
    revision = session.scalar(_published().where(Tour.slug == slug))
    return (revision.document, revision.number) if revision else None


class PresentedTours:
    """Tours already presented (narration rendered), by revision and language; the newest
    ``size`` are kept. A revision never changes, so an entry never goes stale: publishing
    makes a new revision, hence a new key."""

    def __init__(self, size: int = VIEWS_KEPT) -> None:
        self._size = size
        self._views: OrderedDict[tuple[int, str, str, tuple[str, ...]], TourView] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self, key: tuple[int, str, str, tuple[str, ...]], make: Callable[[], TourView]
    ) -> TourView:
        """The view under ``key``, made by ``make`` the first time."""
        with self._lock:
            view = self._views.get(key)
            if view is not None:
                self._views.move_to_end(key)
                return view
        view = make()
        with self._lock:
            self._views[key] = view
            while len(self._views) > self._size:
                self._views.popitem(last=False)
        return view

    def clear(self) -> None:
        with self._lock:
            self._views.clear()


PRESENTED = PresentedTours()


def published_tour(
    session: Session, slug: str, lang: str, preferences: Sequence[str] = ()
) -> TourView | None:
    """The published tour ``slug`` in ``lang``, or None when there is none.

    Presenting a tour renders its narration, so a web process does it once per revision,
    language and fallback preferences (see :class:`PresentedTours`)."""
    found = session.execute(
        select(TourRevision.id, TourRevision.number, TourRevision.published_at)
        .join(
            Tour,
            (Tour.id == TourRevision.tour_id) & (Tour.published_number == TourRevision.number),
        )
        .where(Tour.slug == slug)
    ).first()
    if found is None:
        return None
    revision_id, number, published_at = found

    def make() -> TourView:
        revision = session.get(TourRevision, revision_id)
        assert revision is not None
        return tour_view(revision.document, number, lang, preferences)

    # The time too, so that a database rebuilt with the same ids is never mistaken for the old.
    key = (revision_id, f"{slug} {published_at.isoformat()}", lang, tuple(preferences))
    return PRESENTED.get(key, make)


def _matches(tour: TourView, words: list[str]) -> bool:
    haystack = f"{tour.search_text} {tour.slug}"
    return all(word in haystack for word in words)


def search_tours(
    tours: list[TourView], query: str = "", language: str = "", site: str = ""
) -> list[TourView]:
    """The tours matching every word of ``query``, written in ``language``, at ``site``.

    Words match titles, summaries and site names in any language, with case and accents
    ignored. An empty criterion matches every tour.
    """
    words = fold(query).split()
    return [
        tour
        for tour in tours
        if (not words or _matches(tour, words))
        and (not language or any(_same_language(tag, language) for tag in tour.locales))
        and (not site or tour.site_key == fold(site))
    ]
