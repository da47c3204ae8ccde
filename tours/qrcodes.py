"""QR codes for printed tour sheets: one short, stable link per stop, drawn as SVG."""

from __future__ import annotations

import io
import re

import segno

# Quiet zone of four modules, as the QR specification asks; "M" survives some wear and glare.
BORDER = 4
ERROR_LEVEL = "m"


def qr_svg(url: str, title: str = "", scale: int = 6) -> str:
    """An SVG document of a QR code that encodes ``url``, with ``title`` for screen readers."""
    code = segno.make_qr(url, error=ERROR_LEVEL)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=scale,
        border=BORDER,
        xmldecl=False,
        svgns=True,
        title=title or url,
        svgclass="qr",
        lineclass=None,
        dark="#000",
        light="#fff",
    )
    svg = buffer.getvalue().decode("utf-8")
    # A viewBox lets the code scale to any printed size instead of being cropped.
    size = re.search(r'width="(\d+)" height="(\d+)"', svg)
    if size:
        width, height = size.groups()
        svg = svg.replace(size.group(0), f'{size.group(0)} viewBox="0 0 {width} {height}"', 1)
    return svg


def qr_inline_svg(url: str, title: str = "", scale: int = 4) -> str:
    """The same code as :func:`qr_svg`, ready to put inside an HTML page."""
    svg = qr_svg(url, title, scale)
    return svg.replace("<svg ", '<svg role="img" ', 1)
