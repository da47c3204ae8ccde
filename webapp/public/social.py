"""What a tour or stop page says about itself to other sites: Open Graph and Twitter card
tags (title, description, poster as an absolute image URL) and schema.org JSON-LD
(``TouristTrip`` for a tour; ``TouristAttraction`` with its ``3DModel`` for a stop, the
model's ``license`` being its rights statement URI).

Templates write the JSON-LD with ``|tojson``, which escapes ``<``, ``>``, ``&`` and ``'``,
so no text a curator typed can close the ``<script>`` element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g

from tours.catalogue import StopView, TourView
from tours.locales import INTERFACE_LOCALES
from webapp.public import bp
from webapp.public.links import public_url

# Open Graph wants language_TERRITORY; the territory where each interface language is
# most spoken.
OG_LOCALES = {
    "vi": "vi_VN",
    "en": "en_US",
    "fr": "fr_FR",
    "zh": "zh_CN",
    "ko": "ko_KR",
    "ja": "ja_JP",
}
DESCRIPTION_LENGTH = 300


@dataclass(frozen=True)
class PageMetadata:
    """Open Graph / Twitter tags as (property, content) pairs, and the JSON-LD object."""

    tags: list[tuple[str, str]] = field(default_factory=list)
    json_ld: dict[str, Any] = field(default_factory=dict)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH - 1] + "…"


LINK_PREVIEW_POSTER = "og-1200"  # the 1200 × 630 JPEG the stop's poster job draws for previews


def _poster(stop: StopView | None, tour: TourView) -> str:
    """The absolute address of the stop's link-preview poster (or of the tour's poster)."""
    if stop is not None:
        key = (stop.posters or {}).get(LINK_PREVIEW_POSTER) or stop.poster_key
    else:
        key = tour.poster_key
    return public_url("media.blob", key=key) if key else ""


def _license(rights: dict[str, str] | None) -> dict[str, Any]:
    """schema.org's ``license`` and ``creditText`` (and ``creator``) from rights."""
    if not rights:
        return {}
    found: dict[str, Any] = {"license": rights["statement"]}
    if rights.get("attribution"):
        found["creditText"] = rights["attribution"]
    if rights.get("source"):
        found["creator"] = {"@type": "Organization", "name": rights["source"]}
    if rights.get("digitised"):
        found["dateCreated"] = rights["digitised"]
    return found


def _tags(
    title: str, description: str, url: str, image: str, alt: str, kind: str
) -> list[tuple[str, str]]:
    lang = str(g.get("lang") or INTERFACE_LOCALES[0])
    tags = [
        ("og:type", kind),
        ("og:site_name", current_app.config["SITE_NAME"]),
        ("og:title", title),
        ("og:description", description),
        ("og:url", url),
        ("og:locale", OG_LOCALES.get(lang, lang)),
        *(("og:locale:alternate", OG_LOCALES[tag]) for tag in INTERFACE_LOCALES if tag != lang),
        ("twitter:card", "summary_large_image" if image else "summary"),
        ("twitter:title", title),
        ("twitter:description", description),
    ]
    if image:
        tags += [("og:image", image), ("og:image:alt", alt), ("twitter:image", image)]
        tags += [("twitter:image:alt", alt)]
    return tags


def tour_metadata(tour: TourView) -> PageMetadata:
    """Metadata of a tour's overview page."""
    lang = str(g.get("lang") or INTERFACE_LOCALES[0])
    url = public_url("public.tour", lang=lang, slug=tour.slug)
    image = _poster(None, tour)
    description = _short(tour.summary.text)
    json_ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "TouristTrip",
        "name": tour.title.text,
        "description": description,
        "url": url,
        "inLanguage": lang,
        "itinerary": {
            "@type": "ItemList",
            "numberOfItems": len(tour.stops),
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": stop.number,
                    "item": {
                        "@type": "TouristAttraction",
                        "name": stop.title.text,
                        "url": public_url(
                            "public.stop", lang=lang, slug=tour.slug, number=stop.number
                        ),
                    },
                }
                for stop in tour.stops
            ],
        },
        **({"image": image} if image else {}),
        **_license(tour.rights),
    }
    tags = _tags(tour.title.text, description, url, image, tour.title.text, "website")
    return PageMetadata(tags, json_ld)


def stop_metadata(tour: TourView, stop: StopView) -> PageMetadata:
    """Metadata of a stop's page: the place, and the 3D model (or the 360° photograph) that
    shows it."""
    lang = str(g.get("lang") or INTERFACE_LOCALES[0])
    url = public_url("public.stop", lang=lang, slug=tour.slug, number=stop.number)
    image = _poster(stop, tour)
    description = _short(stop.model_alt.text or tour.summary.text)
    title = f"{stop.title.text} · {tour.title.text}"
    json_ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "TouristAttraction",
        "name": stop.title.text,
        "description": description,
        "url": url,
        **({"image": image} if image else {}),
        "isPartOf": {
            "@type": "TouristTrip",
            "name": tour.title.text,
            "url": public_url("public.tour", lang=lang, slug=tour.slug),
        },
    }
    # what shows the place: the 3D model, or the 360° photograph of a panorama stop
    model_key = stop.level_key("high") if stop.levels else None
    equirect = (stop.panorama or {}).get("equirect")
    subject = None
    if model_key:
        subject = ("3DModel", "model/gltf-binary", model_key, "model")
    elif equirect:
        subject = ("Photograph", "image/jpeg", equirect["key"], "panorama")
    if subject is not None:
        schema_type, encoding, key, credit = subject
        rights = next((rights for kind, rights in stop.credits if kind == credit), None)
        json_ld["subjectOf"] = {
            "@type": schema_type,
            "name": stop.title.text,
            "description": stop.model_alt.text,
            "encodingFormat": encoding,
            "contentUrl": public_url("media.blob", key=key),
            **({"thumbnailUrl": image} if image else {}),
            **_license(rights),
        }
    if stop.audio is not None:
        json_ld["audio"] = {
            "@type": "AudioObject",
            "contentUrl": public_url("media.blob", key=stop.audio.key),
            "encodingFormat": stop.audio.content_type,
            "inLanguage": stop.audio.locale,
            **_license(stop.audio.rights),
        }
    alt = stop.model_alt.text or stop.title.text
    return PageMetadata(_tags(title, description, url, image, alt, "article"), json_ld)


@bp.app_context_processor
def _social() -> dict[str, Any]:
    return {"tour_metadata": tour_metadata, "stop_metadata": stop_metadata}
