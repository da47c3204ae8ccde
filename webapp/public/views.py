"""Catalogue, tour overview and stop pages. Server-rendered; they work without JavaScript."""

from __future__ import annotations

from flask import abort, g, render_template

from tours.catalogue import TourView, published_tour, published_tours
from webapp.extensions import db
from webapp.public import bp


def _tour_or_404(slug: str) -> TourView:
    tour = published_tour(db.session, slug, g.lang)
    if tour is None:
        abort(404)
    return tour


@bp.get("/")
def catalogue() -> str:
    return render_template("public/catalogue.html", tours=published_tours(db.session, g.lang))


@bp.get("/tours/<slug>/")
def tour(slug: str) -> str:
    return render_template("public/tour.html", tour=_tour_or_404(slug))


@bp.get("/tours/<slug>/<int:number>")
def stop(slug: str, number: int) -> str:
    tour = _tour_or_404(slug)
    if not 1 <= number <= len(tour.stops):
        abort(404)
    return render_template("public/stop.html", tour=tour, stop=tour.stops[number - 1])
