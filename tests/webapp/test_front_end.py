"""The front end's rules (docs/front-end.md): ARIA references resolve on every page, one
helper sends the studio's requests, no URL is written in a script, globals are documented."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(
    path for path in (ROOT / "webapp" / "static" / "js").rglob("*.js") if "vendor" not in path.parts
)
REFERENCES = ("aria-controls", "aria-describedby", "aria-labelledby", "for")
# Routes that answer something other than an HTML page (files, JSON, redirects).
NOT_PAGES = {"static", "media", "api", "iiif", "health", "tourist"}
NOT_PAGE_ENDPOINTS = {
    "root",
    "studio.set_language",
    "studio.export_tour",
    "studio.preview_panorama_json",
    "studio.tour_insight_export",
    "public.offline_pack",
    "public.panorama_json",
    "public.qr_download",
    "embed.oembed",
    "embed.missing",
    "embed.stop_any_language",
    "studio.login_code",  # only between the password and the code (test_studio_two_factor)
    "studio.two_factor_qr",
}


class _Ids(HTMLParser):
    """The ids of a page and the ids its ARIA attributes (and labels) refer to."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.references: list[tuple[str, str, str]] = []  # tag, attribute, id

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1
            elif name in REFERENCES and value and (name != "for" or tag == "label"):
                self.references += [(tag, name, ref) for ref in value.split()]


def _pages(app: Any, tour: Any) -> list[str]:
    values = {
        "lang": "en",
        "slug": tour.slug,
        "number": 1,
        "tour_id": tour.id,
        "stop_id": tour.stops[0].id,
        "asset_id": tour.stops[0].model_asset_id,
    }
    pages = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        if (
            "GET" not in rule.methods
            or blueprint in NOT_PAGES
            or rule.endpoint in NOT_PAGE_ENDPOINTS
        ):
            continue
        with app.test_request_context():
            from flask import url_for

            pages.append(url_for(rule.endpoint, **{k: values[k] for k in rule.arguments}))
    return sorted(set(pages))


def test_every_aria_reference_points_at_an_element_of_the_page(
    app: Any, client_as: Any, published_tour: Any
) -> None:
    client = client_as("admin")
    pages = _pages(app, published_tour)
    assert len(pages) >= 14  # the public pages and the whole studio
    references = 0
    for page in pages:
        visitor = app.test_client() if page == "/studio/login" else client  # signed in: 302
        response = visitor.get(page, headers={"Accept-Language": "en"})
        assert response.status_code == 200 and response.mimetype == "text/html", page
        references += _check(page, response.get_data(as_text=True))
    assert references > 20  # the check ran on real references


def test_aria_references_of_panorama_pages_resolve(
    client_as: Any, db: Any, panorama_tour: Any
) -> None:
    """A panorama stop for tourists (and in text-only mode), and its editor in the studio."""
    from tours.publishing import publish_tour

    publish_tour(db, panorama_tour)
    client = client_as("curator")
    stop = panorama_tour.stops[2]
    pages = [
        "/en/tours/citadel/3",
        "/en/tours/citadel/4?mode=text",
        f"/studio/tours/{panorama_tour.id}/stops/{stop.id}",
        f"/studio/models/{stop.model_asset_id}",
    ]
    references = 0
    for page in pages:
        response = client.get(page, headers={"Accept-Language": "en"})
        assert response.status_code == 200, page
        references += _check(page, response.get_data(as_text=True))
    assert references > 10


def test_aria_references_of_error_states_resolve(
    app: Any, client_as: Any, db: Any, studio: Any
) -> None:
    """The states the page walk does not reach: a refused sign-in, a tour not ready."""
    from tours.authoring import create_tour

    visitor = app.test_client()
    token = studio.csrf_token(visitor)
    refused = visitor.post(
        "/studio/login",
        data={"email": "nobody@example.org", "password": "wrong password", "csrf_token": token},
    )
    assert 'aria-describedby="login-error"' in refused.get_data(as_text=True)
    assert _check("refused sign-in", refused.get_data(as_text=True)) >= 1
    tour = create_tour(db, "empty", "en", "Empty")
    db.commit()
    page = client_as("curator").get(f"/studio/tours/{tour.id}").get_data(as_text=True)
    assert 'aria-describedby="publish-problems"' in page
    assert _check("tour with problems", page) >= 1


def _check(page: str, html: str) -> int:
    """Assert ``html`` has unique ids and no dangling reference; how many references it has."""
    parser = _Ids()
    parser.feed(html)
    duplicated = sorted(name for name, count in parser.ids.items() if count > 1)
    assert not duplicated, (page, duplicated)
    missing = [ref for ref in parser.references if ref[2] not in parser.ids]
    assert not missing, (page, missing)
    return len(parser.references)


def test_the_parser_finds_a_dangling_reference() -> None:
    parser = _Ids()
    parser.feed('<button aria-controls="menu other">x</button><ul id="menu"></ul>')
    assert [ref for ref in parser.references if ref[2] not in parser.ids] == [
        ("button", "aria-controls", "other")
    ]


def test_studio_requests_go_through_one_helper() -> None:
    helper = ROOT / "webapp" / "static" / "js" / "studio" / "request.js"
    assert helper in SCRIPTS
    for path in SCRIPTS:
        if path == helper:
            continue
        text = path.read_text()
        for sign in ("X-CSRFToken", "csrf-token", 'method: "POST"', "method: 'POST'"):
            assert sign not in text, (path.name, sign)
        if "fetch(" in text and "credentials" in text and "studio" in path.parts:
            assert "method:" not in text.split("fetch(", 1)[1].split(")", 1)[0], path.name


def test_no_script_writes_an_address_of_the_app() -> None:
    address = re.compile(r"""["'`]/(?:api|studio|media|static|[a-z]{2}/tours)/""")
    for path in SCRIPTS:
        if path.name == "sw.js":  # the worker sorts requests by kind: static and media first
            continue
        assert not address.search(path.read_text()), path.name


def test_every_global_a_script_sets_is_documented() -> None:
    documented = (ROOT / "docs" / "front-end.md").read_text()
    for path in SCRIPTS:
        for name in re.findall(r"window\.(\w+)\s*=(?!=)", path.read_text()):
            assert f"window.{name}" in documented, (path.name, name)
