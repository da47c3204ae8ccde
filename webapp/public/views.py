"""Catalogue, tour overview and stop pages. Server-rendered; they work without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, g, render_template, request, url_for
from jinja2 import pass_context
from jinja2.runtime import Context

from tours.catalogue import TourView, published_tour
from tours.listing import (
    Criteria,
    catalogue_languages,
    catalogue_page,
    catalogue_sites,
    catalogue_total,
    search_query,
    tours_at_site,
)
from tours.nearby import parse_point
from webapp.errors import error_page
from webapp.extensions import db
from webapp.i18n import visitor_languages
from webapp.public import bp
from webapp.public.caching import save_data_asked
from webapp.public.links import public_url

TEXT_MODE = "text"
OTHERS = 12  # other tours at the same site shown at the end of a tour


def tour_or_404(slug: str) -> TourView:
    """The published tour ``slug`` in the page's language, or a 404."""
    tour = published_tour(db.session, slug, g.lang, visitor_languages())
    if tour is None:
        abort(404)
    return tour


def text_mode() -> bool:
    """Whether the visitor asked for the text-only pages (``?mode=text``)."""
    return request.args.get("mode") == TEXT_MODE


def mode_args() -> dict[str, str]:
    """Query arguments that keep the visitor's mode on links between pages."""
    return {"mode": TEXT_MODE} if text_mode() else {}


@pass_context
def tour_url(context: Context, slug: str, number: int | None = None, **args: Any) -> str:
    """The address of a tour's overview (or of its stop ``number``). A page that shows a tour
    somewhere else, like the studio's preview of a draft, passes ``tour_links`` to its
    template to keep the visitor there."""
    links: Callable[..., str] | None = context.get("tour_links")
    if links is not None:
        return links(number, **args)
    if number is None:
        return url_for("public.tour", slug=slug, **args)
    return url_for("public.stop", slug=slug, number=number, **args)


@bp.app_context_processor
def _links() -> dict[str, Any]:
    return {"tour_url": tour_url}


def page_number() -> int:
    """The page the visitor asked for (``?page=``, from 1); a 404 for anything else."""
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or int(raw) < 1:
        abort(404)
    return int(raw)


@bp.get("/")
def catalogue() -> str | tuple[str, int]:
    query = search_query(request.args.get("q", ""))
    if query is None:
        return error_page(400, "invalid_search")
    languages = catalogue_languages(db.session)
    language = request.args.get("language", "")
    language = language if language in languages else ""
    sites = catalogue_sites(db.session, g.lang, visitor_languages())
    site = request.args.get("site", "")
    site = site if site in dict(sites) else ""
    criteria = Criteria(query, language, site)
    near = parse_point(request.args.get("near", ""))  # "near me": lat,lon from the browser
    page = catalogue_page(
        db.session, g.lang, criteria, page_number(), preferences=visitor_languages(), near=near
    )
    if page.number > page.pages:
        abort(404)
    searched = bool(query or language or site)
    search_args = {k: v for k, v in {"q": query, "language": language, "site": site}.items() if v}
    near_arg = {"near": f"{near.latitude},{near.longitude}"} if near else {}
    return render_template(
        "public/catalogue.html",
        tours=page.cards,
        page=page,
        page_args={**search_args, **near_arg},
        search_args=search_args,
        near=near_arg.get("near", ""),
        total=catalogue_total(db.session) if searched else page.total,
        query=query,
        tour_languages=languages,
        language=language,
        sites=sites,
        site=site,
        searched=searched,
    )


@bp.get("/tours/<slug:slug>/")
def tour(slug: str) -> str:
    return render_template(
        "public/tour.html", tour=tour_or_404(slug), text_mode=text_mode(), mode_args=mode_args()
    )


@bp.get("/tours/<slug:slug>/<int:number>")
def stop(slug: str, number: int) -> str:
    tour = tour_or_404(slug)
    if not 1 <= number <= len(tour.stops):
        abort(404)
    save_data = save_data_asked() == "on"
    return render_template(
        "public/stop.html",
        tour=tour,
        stop=tour.stops[number - 1],
        text_mode=text_mode(),
        mode_args=mode_args(),
        save_data=save_data,
    )


@bp.get("/tours/<slug:slug>/end")
def end(slug: str) -> str:
    """The end of a tour: what was seen, the way back, other tours at the site, sharing."""
    tour = tour_or_404(slug)
    at_site = tours_at_site(db.session, tour.site_key, g.lang, visitor_languages(), OTHERS + 1)
    others = [other for other in at_site if other.slug != tour.slug][:OTHERS]
    return render_template(
        "public/end.html",
        tour=tour,
        others=others,
        share_url=public_url("tourist.short_link", slug=tour.slug),
        text_mode=text_mode(),
        mode_args=mode_args(),
    )
