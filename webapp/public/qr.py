"""Printable QR sheets: one code per stop, each a short link that opens the stop in the
phone's own language."""

from __future__ import annotations

from flask import Response, abort, render_template
from markupsafe import Markup

from tours.qrcodes import qr_inline_svg, qr_svg
from webapp.public import bp
from webapp.public.links import public_url
from webapp.public.views import tour_or_404


def short_url(slug: str, number: int) -> str:
    """The absolute short link of a stop, the one printed in its QR code."""
    return public_url("tourist.short_link", slug=slug, number=number)


@bp.get("/tours/<slug:slug>/qr")
def qr_sheet(slug: str) -> str:
    """A page to print: every stop with its QR code, title and short link."""
    tour = tour_or_404(slug)
    codes = [
        (
            stop,
            short_url(slug, stop.number),
            Markup(qr_inline_svg(short_url(slug, stop.number), stop.title.text)),
        )
        for stop in tour.stops
    ]
    return render_template("public/qr.html", tour=tour, codes=codes)


@bp.get("/tours/<slug:slug>/qr/<int:number>.svg")
def qr_download(slug: str, number: int) -> Response:
    """One stop's QR code as an SVG file, to place in a sign or a leaflet."""
    tour = tour_or_404(slug)
    if not 1 <= number <= len(tour.stops):
        abort(404)
    svg = qr_svg(short_url(slug, number), tour.stops[number - 1].title.text, scale=10)
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-{number}.svg"'
    return response
