"""Images that curators put in narration and hotspot texts.

An upload is checked before it is decoded (a known format, bytes and pixels within the
configured limits, so a decompression bomb is refused from its header), turned upright,
stripped of every metadata block (EXIF, GPS, ICC, XMP, comments) by re-encoding, and
resized to WebP copies 320, 640 and 1280 pixels wide (never wider than the original). The
copies are stored content-addressed in the blob store, like posters and model levels.

Texts refer to an image as ``![](image:REF)``, where ``REF`` is derived from the uploaded
bytes; the alternative text is kept per language beside the image.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from tours.blobstore import BlobStore
from tours.models import Tour, TourImage

ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
WIDTHS = (320, 640, 1280)
WEBP_QUALITY = 82
REF_LENGTH = 16
MAX_ALT = 500
REFERENCE = re.compile(r"!\[[^\]]*\]\(image:([0-9a-f]{16})\)")


@dataclass(frozen=True)
class ImageLimits:
    """How large an uploaded image may be: bytes of the file, pixels and longest side."""

    max_bytes: int
    max_pixels: int
    max_side: int = 16384


class ImageError(Exception):
    """An upload that is not an image Heritour takes; ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ProcessedImage:
    """An accepted image: its reference, size upright, and WebP copies by the width asked
    for (a copy is the original's width when that is smaller: see :func:`variant_width`)."""

    ref: str
    width: int
    height: int
    variants: dict[int, bytes]


def _opened(data: bytes, limits: ImageLimits) -> Image.Image:
    """The image, decoded only once its header says it is within the limits."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ALLOWED_FORMATS:
                raise ImageError(
                    "image_format_not_allowed", f"{image.format} images are not accepted."
                )
            width, height = image.size
            if width * height > limits.max_pixels or max(width, height) > limits.max_side:
                raise ImageError("image_too_many_pixels", f"The image is {width}x{height}.")
            image.seek(0)  # the first frame of an animation
            image.load()
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageError("image_too_many_pixels", str(error)) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageError("image_not_an_image", "The file is not an image.") from error
    return image


def process_image(data: bytes, limits: ImageLimits) -> ProcessedImage:
    """Check, clean and resize an uploaded image (see the module's docstring)."""
    if not data:
        raise ImageError("image_empty", "The file is empty.")
    if len(data) > limits.max_bytes:
        raise ImageError("image_too_large", f"The file has {len(data)} bytes.")
    image = _opened(data, limits)
    try:
        return _cleaned_copies(image, hashlib.sha256(data).hexdigest()[:REF_LENGTH])
    except (OSError, ValueError, SyntaxError, EOFError) as error:  # broken EXIF, odd modes
        raise ImageError("image_not_an_image", "The image could not be read.") from error


def _cleaned_copies(image: Image.Image, ref: str) -> ProcessedImage:
    """Upright, without metadata, as WebP copies of each width."""
    upright = ImageOps.exif_transpose(image)
    mode = (
        "RGBA" if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info else "RGB"
    )
    clean = upright.convert(mode)
    clean.info = {}  # no EXIF, ICC profile, XMP or comments in the copies
    width, height = clean.size
    variants: dict[int, bytes] = {}
    for target in WIDTHS:
        size = (min(target, width), max(1, round(height * min(target, width) / width)))
        copy = clean if size == clean.size else clean.resize(size, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        copy.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
        variants[target] = buffer.getvalue()
        if target >= width:
            break  # the original's own width: never enlarged
    return ProcessedImage(ref, width, height, variants)


def variant_width(target: int, width: int) -> int:
    """The real width of the copy made for ``target`` from an image ``width`` pixels wide."""
    return min(target, width)


def referenced_images(markdown: str) -> list[str]:
    """The references of the images a text shows, in order, without repeats."""
    return list(dict.fromkeys(REFERENCE.findall(markdown)))


def image_markdown(ref: str) -> str:
    """What a curator writes in a text to show the image ``ref``."""
    return f"![](image:{ref})"


def image_variants(image: ProcessedImage, store: BlobStore) -> dict[str, str]:
    """Store the copies (content-addressed, once); their keys by the width asked for."""
    return {
        str(target): store.put_content("images", io.BytesIO(data), "webp", "image/webp")
        for target, data in sorted(image.variants.items())
    }


def add_tour_image(
    session: Session,
    store: BlobStore,
    tour: Tour,
    data: bytes,
    *,
    name: str,
    locale: str,
    alt: str,
    limits: ImageLimits,
) -> TourImage:
    """Add an uploaded image to ``tour`` with its alternative text in ``locale`` (required).

    The same picture uploaded twice is one image; the new alternative text replaces the old.
    """
    alt = alt.strip()[:MAX_ALT]
    if not alt:
        raise ImageError("image_alt_missing", "Describe the image for people who cannot see it.")
    processed = process_image(data, limits)
    found = next((image for image in tour.images if image.ref == processed.ref), None)
    if found is None:
        found = TourImage(
            ref=processed.ref,
            name=name[:255],
            width=processed.width,
            height=processed.height,
            variants=image_variants(processed, store),
            alt={},
        )
        tour.images.append(found)
    found.alt = {**found.alt, locale: alt}
    session.commit()
    return found


def set_image_alt(session: Session, image: TourImage, locale: str, alt: str) -> None:
    """Set (or, when empty, remove) the image's alternative text in ``locale``."""
    texts = {tag: text for tag, text in image.alt.items() if tag != locale}
    if alt.strip():
        texts[locale] = alt.strip()[:MAX_ALT]
    image.alt = texts
    session.commit()


def remove_tour_image(session: Session, image: TourImage) -> None:
    """Take the image out of its tour (texts that still show it then show nothing)."""
    image.tour.images.remove(image)
    session.commit()


def images_document(tour: Tour) -> dict[str, Any]:
    """The tour's images for its document: size, copies and alternative texts by ref."""
    return {
        image.ref: {
            "width": image.width,
            "height": image.height,
            "variants": dict(sorted(image.variants.items(), key=lambda item: int(item[0]))),
            "alt": dict(sorted(image.alt.items())),
            **({"rights": dict(sorted(image.rights.items()))} if image.rights else {}),
        }
        for image in tour.images
    }


def missing_alt_texts(tour: Tour) -> list[tuple[int | None, str, str]]:
    """Images shown by a text in a language without alternative text in that language:
    (stop number or None for the tour, language, ref)."""
    alts = {image.ref: image.alt for image in tour.images}
    found: list[tuple[int | None, str, str]] = []
    for number, stop in enumerate(tour.stops, start=1):
        texts = [(t.locale, t.narration) for t in stop.texts]
        texts += [(t.locale, t.body) for spot in stop.hotspots for t in spot.texts]
        for locale, markdown in texts:
            for ref in referenced_images(markdown):
                lacking = ref in alts and not alts[ref].get(locale, "").strip()
                if lacking and (number, locale, ref) not in found:
                    found.append((number, locale, ref))
    return found
