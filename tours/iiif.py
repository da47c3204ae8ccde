"""A published tour as a IIIF Presentation 3 manifest, made from its revision document.

One ``Canvas`` per stop. Its painting annotation's body is a ``Choice`` of alternatives,
so a viewer shows the first one it can: for a model stop the model (a ``Model`` resource,
the best level of detail, ``model/gltf-binary``) and then the poster (an ``Image``); for a
stop without a model, the poster, then the stop's equirectangular picture when its
document carries one (a 360° panorama: IIIF 3.0 has no projection property, so it is a
plain ``Image`` of 2:1 shape). The canvas has the poster's shape. Narration audio (per
language) and its captions are annotations on the canvas (``describing``, ``supplementing``).

Texts are language maps in every language the document has them in; the labels of the
fields the interface writes (``Attribution``…) come from the caller, in every interface
language. Rights: the tour's statement is the manifest's ``rights``, with its attribution as
``requiredStatement``; each model, picture and audio file carries its own. IIIF wants the
``http://`` form of Creative Commons URIs (its JSON Schema checks it), so they are written so.

Nothing here knows URLs: :class:`ManifestLinks` gives them. A stop document may grow
fields this module does not know; it reads only the ones below and ignores the rest.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import nh3

from models3d.viewposter import POSTER_SHAPES
from tours.narration import render_narration

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
MODEL_FORMAT = "model/gltf-binary"
# The best level of detail first: a manifest is for reuse, not for a phone on 3G.
BEST_LEVELS = ("high", "medium", "low", "thumb")
# The stop's own posters (see models3d.viewposter), widest of the tourist's shapes first.
POSTER_PREFERENCE = ("wide", "phone")
SUMMARY_LENGTH = 300
DEFAULT_SIDE = 1024  # a poster whose size the document does not say is drawn square
_FORMATS = {"webp": "image/webp", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
_POSTER_NAME = re.compile(r"^([a-z]+)-(\d{1,5})$")

Labels = Mapping[str, Mapping[str, str]]  # field -> {interface locale: label}


@dataclass(frozen=True)
class ManifestLinks:
    """The absolute addresses a manifest names: its own, a blob's, the tour's pages (one per
    interface language) and its data; and the interface's labels in every language."""

    manifest: str
    media: Callable[[str], str]
    pages: Mapping[str, str]
    data: str
    labels: Labels = field(default_factory=dict)


def iiif_rights(uri: str) -> str:
    """A rights statement URI as IIIF wants it (``http://`` for Creative Commons)."""
    return re.sub(r"^https://creativecommons\.org/", "http://creativecommons.org/", uri)


def language_map(texts: Mapping[str, str] | None) -> dict[str, list[str]]:
    """``{locale: text}`` as a IIIF language map (empty texts left out)."""
    return {tag: [text] for tag, text in sorted((texts or {}).items()) if text and text.strip()}


def plain_summary(markdown: str) -> str:
    """A narration as a short plain text: Markdown rendered, tags dropped, cut at a word
    (the narration's own text, such as ``<b>``, is kept as the tourist reads it)."""
    text = html.unescape(nh3.clean(render_narration(markdown), tags=set()))
    text = " ".join(text.split())
    if len(text) > SUMMARY_LENGTH:
        text = text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    # IIIF reads a value that starts with "<" as HTML: such a text goes escaped in a <p>.
    return f"<p>{html.escape(text, quote=False)}</p>" if text.startswith("<") else text


def best_level_key(levels: Mapping[str, Any] | None) -> str | None:
    """The key of the best level of detail a model has (``high`` first)."""
    for name in BEST_LEVELS:
        entry = (levels or {}).get(name)
        if isinstance(entry, Mapping) and entry.get("key"):
            return str(entry["key"])
    return None


def image_format(key: str) -> str:
    """The media type of an image blob, from its key's extension."""
    return _FORMATS.get(key.rsplit(".", 1)[-1].lower(), "image/webp")


def stop_poster(stop: Mapping[str, Any]) -> tuple[str, int | None, int | None] | None:
    """The stop's best poster: ``(key, width, height)``, the size when the document says it.

    The posters drawn at the stop's camera come first (their names give their size), then
    the stop's own poster, then its model's or panorama's."""
    posters = stop.get("posters") or {}
    for shape in POSTER_PREFERENCE:
        sized = []
        for name, key in posters.items():
            match = _POSTER_NAME.match(name)
            if key and match and match.group(1) == shape and shape in POSTER_SHAPES:
                sized.append((int(match.group(2)), key))
        if sized:
            width, key = max(sized)
            base_width, base_height, _ = POSTER_SHAPES[shape]
            return key, width, round(base_height * width / base_width)
    media = stop.get("model") or stop.get("panorama") or {}
    for key in (stop.get("poster"), media.get("poster") if isinstance(media, Mapping) else None):
        if key:
            return str(key), None, None
    return None


def _rights_fields(rights: Mapping[str, Any] | None, labels: Labels) -> dict[str, Any]:
    """``rights`` and ``requiredStatement`` of a resource with these rights."""
    if not rights or not rights.get("statement"):
        return {}
    found: dict[str, Any] = {"rights": iiif_rights(str(rights["statement"]))}
    if rights.get("attribution"):
        found["requiredStatement"] = {
            "label": language_map(labels.get("attribution")),
            "value": {"none": [str(rights["attribution"])]},
        }
    return found


def _metadata(rights: Mapping[str, Any] | None, site: Mapping[str, str], labels: Labels) -> list:
    entries = []
    if language_map(site):
        entries.append({"label": language_map(labels.get("site")), "value": language_map(site)})
    for name in ("source", "digitised"):
        if rights and rights.get(name):
            value = {"none": [str(rights[name])]}
            entries.append({"label": language_map(labels.get(name)), "value": value})
    return entries


def _image(key: str, links: ManifestLinks, width: int | None, height: int | None) -> dict:
    body: dict[str, Any] = {"id": links.media(key), "type": "Image", "format": image_format(key)}
    if width and height:
        body.update(width=width, height=height)
    return body


def _choices(stop: Mapping[str, Any], links: ManifestLinks, poster: dict | None) -> list[dict]:
    """What the stop's painting annotation offers, the preferred first."""
    labels = links.labels
    items: list[dict[str, Any]] = []
    model = stop.get("model")
    key = best_level_key(model.get("levels")) if isinstance(model, Mapping) else None
    if isinstance(model, Mapping) and key:
        body: dict[str, Any] = {"id": links.media(key), "type": "Model", "format": MODEL_FORMAT}
        if alt := language_map(stop.get("model_alt")):
            body["label"] = alt
        items.append({**body, **_rights_fields(model.get("rights"), labels)})
    if poster is not None:
        items.append(poster)
    panorama = stop.get("panorama")
    if isinstance(panorama, Mapping):
        equirect = panorama.get("equirect")
        key = equirect.get("key") if isinstance(equirect, Mapping) else equirect
        if isinstance(key, str) and key:
            width, height = panorama.get("width"), panorama.get("height")
            image = _image(
                key,
                links,
                width if isinstance(width, int) else None,
                height if isinstance(height, int) else None,
            )
            items.append({**image, **_rights_fields(panorama.get("rights"), labels)})
    return items


def _audio_annotations(stop: Mapping[str, Any], canvas: str, links: ManifestLinks) -> list:
    annotations = []
    for tag, audio in sorted((stop.get("audio") or {}).items()):
        if not isinstance(audio, Mapping) or not audio.get("key"):
            continue
        body = {
            "id": links.media(str(audio["key"])),
            "type": "Sound",
            "format": str(audio.get("type") or "audio/mpeg"),
            "language": tag,
            **_rights_fields(audio.get("rights"), links.labels),
        }
        annotations.append((f"audio/{tag}", "describing", body))
        if audio.get("captions"):
            captions = {
                "id": links.media(str(audio["captions"])),
                "type": "Text",
                "format": "text/vtt",
                "language": tag,
            }
            annotations.append((f"captions/{tag}", "supplementing", captions))
    return [
        {
            "id": f"{canvas}/annotation/{name}",
            "type": "Annotation",
            "motivation": motivation,
            "body": body,
            "target": canvas,
        }
        for name, motivation, body in annotations
    ]


def _canvas(number: int, stop: Mapping[str, Any], links: ManifestLinks) -> dict[str, Any]:
    base = links.manifest.rsplit("/", 1)[0]
    canvas = f"{base}/canvas/{number}"
    found = stop_poster(stop)
    poster = _image(found[0], links, found[1], found[2]) if found else None
    width = (found[1] if found else None) or DEFAULT_SIDE
    height = (found[2] if found else None) or DEFAULT_SIDE
    result: dict[str, Any] = {"id": canvas, "type": "Canvas", "width": width, "height": height}
    label = language_map(stop.get("title")) or {"none": [str(number)]}
    result["label"] = label
    summaries = {tag: plain_summary(text) for tag, text in (stop.get("narration") or {}).items()}
    if summary := language_map(summaries):
        result["summary"] = summary
    if poster is not None:
        result["thumbnail"] = [poster]
    choices = _choices(stop, links, poster)
    if choices:
        body = choices[0] if len(choices) == 1 else {"type": "Choice", "items": choices}
        painting = {
            "id": f"{canvas}/annotation/painting",
            "type": "Annotation",
            "motivation": "painting",
            "body": body,
            "target": canvas,
        }
        result["items"] = [
            {"id": f"{canvas}/page/painting", "type": "AnnotationPage", "items": [painting]}
        ]
    else:
        result["items"] = []
    if audio := _audio_annotations(stop, canvas, links):
        result["annotations"] = [
            {"id": f"{canvas}/page/audio", "type": "AnnotationPage", "items": audio}
        ]
    return result


def manifest(document: Mapping[str, Any], links: ManifestLinks) -> dict[str, Any]:
    """The IIIF Presentation 3 manifest of a published tour ``document``."""
    labels = links.labels
    result: dict[str, Any] = {
        "@context": CONTEXT,
        "id": links.manifest,
        "type": "Manifest",
        "label": language_map(document.get("title")) or {"none": [str(document["slug"])]},
    }
    if summary := language_map(document.get("summary")):
        result["summary"] = summary
    rights = document.get("rights")
    if metadata := _metadata(rights, document.get("site_name") or {}, labels):
        result["metadata"] = metadata
    result.update(_rights_fields(rights, labels))
    title = language_map(document.get("title"))
    result["homepage"] = [
        {
            "id": page,
            "type": "Text",
            "label": title or {"none": [str(document["slug"])]},
            "format": "text/html",
            "language": [locale],
        }
        for locale, page in links.pages.items()
    ]
    result["seeAlso"] = [{"id": links.data, "type": "Dataset", "format": "application/json"}]
    canvases = [
        _canvas(number, stop, links)
        for number, stop in enumerate(document.get("stops") or [], start=1)
    ]
    thumbnail = next((c["thumbnail"] for c in canvases if c.get("thumbnail")), None)
    if thumbnail:
        result["thumbnail"] = thumbnail
    result["items"] = canvases
    return result
