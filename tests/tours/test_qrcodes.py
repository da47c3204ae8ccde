"""QR codes for printed sheets: short links as scalable, titled SVG."""

from __future__ import annotations

import re

import segno

from tours.qrcodes import BORDER, qr_inline_svg, qr_svg


def test_qr_svg_scales_and_is_titled() -> None:
    svg = qr_svg("https://tours.example/s/hue-imperial-city/5", "Khải Định & co", scale=10)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    width, height, box = re.search(
        r'width="(\d+)" height="(\d+)" viewBox="0 0 (\d+ \d+)"', svg
    ).groups()
    assert width == height and box == f"{width} {height}"
    assert "<title>Khải Định &amp; co</title>" in svg


def test_short_links_make_small_codes_that_survive_wear() -> None:
    url = "https://heritage-tours.example.org/s/hue-imperial-city/12"
    code = segno.make_qr(url, error="m")
    assert code.version <= 4 and code.error == "M"  # few modules: easy to scan from a sign
    size = (code.symbol_size(scale=1, border=BORDER))[0]
    assert f'width="{size * 6}"' in qr_svg(url)


def test_inline_svg_is_an_image_for_screen_readers() -> None:
    svg = qr_inline_svg("https://tours.example/s/t/1", "Gate")
    assert svg.startswith('<svg role="img" ')
    assert qr_inline_svg("https://tours.example/s/t/1", "Gate") == svg
    assert qr_inline_svg("https://tours.example/s/t/2", "Gate") != svg
