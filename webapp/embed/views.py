"""The embed page: one stop of a published tour, compact, for another site's iframe.

Its address follows the URL contract, ``/<lang>/embed/<slug>/<n>``: ``lang`` is the
interface language (the content falls back as on every page). ``/embed/<slug>/<n>`` (the
address to give when the language is the visitor's business) redirects by ``?lang=``, then
``Accept-Language``. Anything else under ``embed/`` is a 404 page made for a frame.
"""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from tours.catalogue import StopView, TourView, published_tour
from tours.locales import DEFAULT_LOCALE, INTERFACE_LOCALES
from webapp.embed import bp
from webapp.embed.oembed import frame_size, iframe_html
from webapp.extensions import db
from webapp.i18n import language_redirect, negotiate, visitor_languages
from webapp.public.caching import save_data_asked
from webapp.public.links import public_url
from webapp.public.views import mode_args


def embed_stop(slug: str, number: int) -> tuple[TourView, StopView] | None:
    """The published tour ``slug`` and its stop ``number`` in the page's language, if any."""
    tour = published_tour(db.session, slug, g.lang, visitor_languages())
    if tour is None or not 1 <= number <= len(tour.stops):
        return None
    return tour, tour.stops[number - 1]


def missing_page() -> tuple[str, int]:
    """The 404 page for a frame: no site chrome, a link to the catalogue in a new tab."""
    return render_template("embed/missing.html", catalogue=public_url("public.catalogue")), 404


@bp.errorhandler(404)
def _not_found(_error: Exception) -> tuple[str, int]:
    g.setdefault("lang", negotiate(request.accept_languages) or DEFAULT_LOCALE)
    return missing_page()


@bp.get("/<lang>/embed/<slug:slug>/<int:number>")
def stop(slug: str, number: int) -> Response | tuple[str, int]:
    found = embed_stop(slug, number)
    if found is None:
        return missing_page()
    tour, shown = found

    def links(target: int | None, **_args: Any) -> str:
        """Links between stops stay in the frame; the tour's overview opens on Heritour."""
        if target is None:
            return url_for("public.tour", slug=slug)
        return url_for("embed.stop", slug=slug, number=target)

    save_data = save_data_asked() == "on"
    page = render_template(
        "embed/stop.html",
        tour=tour,
        stop=shown,
        tour_links=links,
        mode_args=mode_args(),
        save_data=save_data,
        full_tour=public_url("public.stop", slug=slug, number=number),
        languages={
            code: url_for("embed.stop", slug=slug, number=number, lang=code)
            for code in INTERFACE_LOCALES
        },
    )
    response = Response(page, mimetype="text/html")
    response.vary.add("Save-Data")
    return response


@bp.get("/embed/<slug:slug>/<int:number>")
def stop_any_language(slug: str, number: int) -> Response:
    """To ``/<lang>/embed/<slug>/<n>`` in ``?lang=`` or the browser's language."""
    lang = request.args.get("lang", "")
    if lang not in INTERFACE_LOCALES:
        lang = negotiate(request.accept_languages) or DEFAULT_LOCALE
    return language_redirect(url_for("embed.stop", slug=slug, number=number, lang=lang))


@bp.get("/<lang>/embed/<path:rest>")
@bp.get("/embed/<path:rest>")
def missing(rest: str) -> tuple[str, int]:
    """Any other address under ``embed/``: the frame's 404 page, not the site's."""
    g.setdefault("lang", negotiate(request.accept_languages) or DEFAULT_LOCALE)
    return missing_page()


def oembed_link(tour: TourView, stop: StopView) -> Markup:
    """The oEmbed discovery link of a stop page (in its ``<head>``)."""
    page = public_url("public.stop", slug=tour.slug, number=stop.number)
    href = public_url("embed.oembed", url=page, format="json")
    title = f"{stop.title.text} · {tour.title.text}"
    return Markup(
        '<link rel="alternate" type="application/json+oembed" href="{}" title="{}">'
    ).format(href, title)


def embed_code(slug: str, number: int, title: str) -> str:
    """The iframe snippet a curator copies to show stop ``number`` on another site."""
    src = public_url("embed.stop_any_language", slug=slug, number=number)
    return iframe_html(src, title, frame_size(None, None))


@bp.app_context_processor
def _embed_helpers() -> dict[str, Any]:
    return {"oembed_link": oembed_link, "embed_code": embed_code}
