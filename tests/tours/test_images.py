"""Images for narration and hotspots: checked before decoding, cleaned, resized to WebP."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from tours.images import (
    ImageError,
    ImageLimits,
    image_markdown,
    process_image,
    referenced_images,
)

LIMITS = ImageLimits(max_bytes=5 * 1024 * 1024, max_pixels=20_000_000, max_side=10_000)


def _encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _jpeg_with_gps(size: tuple[int, int], orientation: int = 1) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "Secret Camera Co."  # Make
    exif[0x8825] = {1: "N", 2: (16.0, 28.0, 0.0)}  # GPS
    return _encoded(image, "JPEG", exif=exif.tobytes(), comment=b"private note")


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` (a decompression bomb's shape)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_a_photo_becomes_clean_webp_copies_of_each_width() -> None:
    data = _jpeg_with_gps((2000, 1000))
    image = process_image(data, LIMITS)
    assert (image.width, image.height) == (2000, 1000)
    assert sorted(image.variants) == [320, 640, 1280]
    for width, webp in image.variants.items():
        copy = Image.open(io.BytesIO(webp))
        assert copy.format == "WEBP"
        assert copy.size == (width, width // 2)
        assert not copy.getexif() and "exif" not in copy.info and "icc_profile" not in copy.info
        assert b"Secret Camera" not in webp and b"private note" not in webp
    assert image.ref == process_image(data, LIMITS).ref and len(image.ref) == 16


def test_orientation_is_applied_before_the_metadata_goes() -> None:
    image = process_image(_jpeg_with_gps((400, 200), orientation=6), LIMITS)  # rotated 90°
    assert (image.width, image.height) == (200, 400)
    assert sorted(image.variants) == [320]
    assert Image.open(io.BytesIO(image.variants[320])).size == (200, 400)


def test_small_images_are_never_enlarged_and_keep_transparency() -> None:
    png = _encoded(Image.new("RGBA", (500, 100), (0, 0, 0, 0)), "PNG")
    image = process_image(png, LIMITS)
    assert sorted(image.variants) == [320, 640]
    copies = {w: Image.open(io.BytesIO(b)) for w, b in image.variants.items()}
    assert copies[320].size == (320, 64) and copies[640].size == (500, 100)
    assert copies[640].mode == "RGBA"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "image_empty"),
        (b"<html><script>alert(1)</script></html>", "image_not_an_image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image_not_an_image"),
        (_png_header_only(100_000, 100_000), "image_too_many_pixels"),  # decompression bomb
        (_png_header_only(20_000, 10), "image_too_many_pixels"),  # a side beyond the limit
        (b"\x00" * (5 * 1024 * 1024 + 1), "image_too_large"),
        (_jpeg_with_gps((800, 600))[:2000], "image_not_an_image"),  # cut off in the middle
    ],
    ids=["empty", "html", "broken-png", "bomb", "too-wide", "too-many-bytes", "truncated"],
)
def test_hostile_inputs_get_stable_codes(data: bytes, code: str) -> None:
    with pytest.raises(ImageError) as caught:
        process_image(data, LIMITS)
    assert caught.value.code == code


def test_formats_outside_the_list_are_refused() -> None:
    tiff = _encoded(Image.new("RGB", (10, 10)), "TIFF")
    with pytest.raises(ImageError) as caught:
        process_image(tiff, LIMITS)
    assert caught.value.code == "image_format_not_allowed"


def test_references_in_markdown() -> None:
    ref = "0123456789abcdef"
    text = f"See {image_markdown(ref)} and ![x](image:{ref}) and ![](image:fedcba9876543210)"
    assert referenced_images(text) == [ref, "fedcba9876543210"]
    assert referenced_images("![](image:nothex) ![](/media/x.webp)") == []
