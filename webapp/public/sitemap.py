"""``/sitemap.xml``: every published page in every interface language, each with its
``hreflang`` alternates (and ``x-default``, the default language), as absolute addresses
on the site's public address (``HERITOUR_PUBLIC_URL``, else the request's own); and
``/robots.txt``, which names it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

from flask import Response

from tours.locales import INTERFACE_LOCALES
from tours.sitemap import published_pages
from webapp.extensions import db
from webapp.public import root_bp
from webapp.public.links import public_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def _add_page(
    urlset: ET.Element, endpoint: str, values: dict[str, Any], lastmod: datetime | None
) -> None:
    """One ``<url>`` per language for the page, each naming all its language versions."""
    addresses = {lang: public_url(endpoint, lang=lang, **values) for lang in INTERFACE_LOCALES}
    alternates = [*addresses.items(), ("x-default", addresses[INTERFACE_LOCALES[0]])]
    for address in addresses.values():
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = address
        if lastmod is not None:
            stamp = lastmod if lastmod.tzinfo else lastmod.replace(tzinfo=UTC)
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = stamp.isoformat(
                timespec="seconds"
            )
        for hreflang, href in alternates:
            ET.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang, href=href)


def sitemap_xml() -> bytes:
    """The sitemap document."""
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    _add_page(urlset, "public.catalogue", {}, None)
    for tour in published_pages(db.session):
        _add_page(urlset, "public.tour", {"slug": tour.slug}, tour.published_at)
        for number in range(1, tour.stops + 1):
            values = {"slug": tour.slug, "number": number}
            _add_page(urlset, "public.stop", values, tour.published_at)
        _add_page(urlset, "public.end", {"slug": tour.slug}, tour.published_at)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)


@root_bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Every published page in every interface language, for search engines."""
    response = Response(sitemap_xml(), mimetype="application/xml")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@root_bp.get("/robots.txt")
def robots() -> Response:
    """Crawlers may read the public pages, not the studio or the API; the sitemap lists them."""
    body = (
        "User-agent: *\n"
        "Disallow: /studio/\n"
        "Disallow: /api/\n"
        f"Sitemap: {public_url('tourist.sitemap')}\n"
    )
    response = Response(body, mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
