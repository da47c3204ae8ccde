"""``/sitemap.xml``: valid XML listing every published page in every interface language,
with hreflang alternates and x-default, on the configured public address."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlsplit

from tours.locales import INTERFACE_LOCALES

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def _entries(body: bytes) -> dict[str, dict[str, str]]:
    """Each ``<loc>`` with its alternates (hreflang → href)."""
    root = ET.fromstring(body)
    assert root.tag == f"{{{NS['s']}}}urlset"
    entries = {}
    for url in root.findall("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        assert loc is not None and loc not in entries
        links = url.findall("x:link", NS)
        assert all(link.get("rel") == "alternate" for link in links)
        entries[loc] = {link.get("hreflang", ""): link.get("href", "") for link in links}
    return entries


def test_sitemap_lists_every_published_page_in_every_language(
    app: Any, client: Any, published_tour: Any, db: Any
) -> None:
    from tours.models import Tour, TourText

    db.add(Tour(slug="draft-only", texts=[TourText(locale="en", title="Draft")]))
    db.commit()
    app.config["PUBLIC_URL"] = "https://tours.example.org/"
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert response.data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    entries = _entries(response.data)
    base = "https://tours.example.org"
    paths = ["/", "/tours/citadel/", "/tours/citadel/1", "/tours/citadel/2", "/tours/citadel/end"]
    expected = {f"{base}/{lang}{path}" for lang in INTERFACE_LOCALES for path in paths}
    assert set(entries) == expected
    for loc, alternates in entries.items():
        path = loc.removeprefix(base)[3:]
        assert alternates == {
            **{lang: f"{base}/{lang}{path}" for lang in INTERFACE_LOCALES},
            "x-default": f"{base}/vi{path}",
        }
    # Every listed page exists (on this test server, at the same path).
    for loc in entries:
        assert client.get(urlsplit(loc).path).status_code == 200, loc
    assert "draft-only" not in response.get_data(as_text=True)


def test_sitemap_uses_the_requests_address_without_a_public_url(
    app: Any, client: Any, published_tour: Any
) -> None:
    app.config["PUBLIC_URL"] = ""
    entries = _entries(client.get("/sitemap.xml", base_url="http://heritage.test:8080").data)
    assert "http://heritage.test:8080/fr/tours/citadel/2" in entries
    lastmods = ET.fromstring(client.get("/sitemap.xml").data).findall("s:url/s:lastmod", NS)
    assert len(lastmods) == 4 * len(INTERFACE_LOCALES)  # not on the catalogue
    assert all(mod.text and mod.text.endswith("+00:00") for mod in lastmods)


def test_sitemap_without_tours_lists_the_catalogue(client: Any) -> None:
    entries = _entries(client.get("/sitemap.xml", base_url="https://x.example").data)
    assert set(entries) == {f"https://x.example/{lang}/" for lang in INTERFACE_LOCALES}


def test_robots_txt_names_the_sitemap(app: Any, client: Any) -> None:
    app.config["PUBLIC_URL"] = "https://tours.example.org"
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == (
        "User-agent: *\n"
        "Disallow: /studio/\n"
        "Disallow: /api/\n"
        "Sitemap: https://tours.example.org/sitemap.xml\n"
    )
