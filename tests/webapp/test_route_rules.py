"""Every route of the app is classified, and its rules are tried, not only read: a new route
fails here until someone says who may use it.

- A public route is listed in ``PUBLIC`` with the reason it is public, and an anonymous
  visitor actually reaches it. Every other route is in the studio's role table
  (``tests.webapp.test_studio.ACCESS``), whose sweep (``test_roles_on_every_route``) requests
  each of them anonymously and expects the login page or 401.
- Every POST, PUT, PATCH and DELETE of every route is refused without a CSRF token (400 with
  the code ``csrf_failed``) when it comes from a signed-in browser, unless ``CSRF_EXEMPT``
  says why not. API routes that carry a personal token are judged by the token instead
  (``test_api_tokens``).
- Every route under ``/api/v1/`` (and the IIIF manifests and oEmbed) is in the OpenAPI
  document, with exactly its methods and path parameters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.webapp.test_studio import ACCESS
from webapp.api.openapi import OTHER_OPERATIONS, PAGES_FOR_PEOPLE

# Routes anyone may use, and why.
PUBLIC = {
    "root": "sends visitors to their language's catalogue",
    "static": "the app's own scripts, styles and images",
    "health.healthz": "probed by load balancers and monitors, which hold no session",
    "public.catalogue": "the tourists' pages are the site",
    "public.tour": "the tourists' pages are the site",
    "public.stop": "the tourists' pages are the site",
    "public.end": "the tourists' pages are the site",
    "public.offline_page": "shown by the service worker when there is no network",
    "public.offline_pack": "what a tourist saves for offline use",
    "public.panorama_json": "the panorama viewer's scene of a published stop",
    "public.qr_sheet": "printable QR codes of a published tour, for the site's signs",
    "public.qr_download": "one QR code of a published stop",
    "tourist.manifest": "the web app manifest, read by browsers",
    "tourist.robots": "read by search engines",
    "tourist.service_worker": "installed by the tourists' browsers",
    "tourist.short_link": "the short address printed in the QR codes",
    "tourist.sitemap": "read by search engines",
    "media.blob": "published media (models, posters, audio) by content address",
    "embed.stop": "a published stop framed by another site",
    "embed.stop_any_language": "a published stop framed by another site",
    "embed.missing": "says the embedded stop does not exist, inside the frame",
    "embed.oembed": "oEmbed discovery, read by other sites' servers",
    "iiif.manifest": "IIIF manifests of published tours, for other collections",
    "api.index": "the API's entry point",
    "api.list_tours": "the open read API of published tours",
    "api.get_tour": "the open read API of published tours",
    "api.get_stop": "the open read API of published stops",
    "api.dump_json": "open data dump of published tours",
    "api.dump_csv": "open data dump of published stops",
    "api.openapi": "the API's description",
    "api.docs": "the API's reference for people",
    "api.count_event": "the anonymous visit counter of the tourists' pages",
    "studio.login": "signing in must be possible before one is signed in",
    "studio.login_code": "the second step of signing in",
    "studio.set_language": "choosing the studio's language on the login page",
}
PUBLIC_API = {endpoint for endpoint in PUBLIC if endpoint.startswith("api.")}
# Changes that need no CSRF token, and why.
CSRF_EXEMPT = {
    ("api.count_event", "POST"): (
        "an anonymous beacon (navigator.sendBeacon) that counts a page view; it reads no "
        "session and changes nothing a visitor owns"
    ),
}
CHANGES = {"POST", "PUT", "PATCH", "DELETE"}
_REASON_WORDS = 3


def _methods(rule: Any) -> set[str]:
    methods = set(rule.methods) - {"OPTIONS"}
    if "GET" in methods:
        methods.discard("HEAD")  # Flask answers HEAD for every GET
    return methods


def _url(rule: Any, values: dict[str, Any]) -> str:
    return str(rule.build({arg: values[arg] for arg in rule.arguments})[1])


def test_every_route_is_classified(app: Any) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    signed_in = {endpoint for endpoint, who in ACCESS.items() if who != "anyone"}
    unclassified = endpoints - set(PUBLIC) - signed_in
    assert unclassified == set(), "add each to PUBLIC (with a reason) or to test_studio.ACCESS"
    assert set(PUBLIC) <= endpoints and signed_in <= endpoints, "a table names a gone route"
    assert set(PUBLIC).isdisjoint(signed_in)
    anyone = {endpoint for endpoint, who in ACCESS.items() if who == "anyone"}
    assert anyone <= set(PUBLIC)
    assert all(len(reason.split()) >= _REASON_WORDS for reason in PUBLIC.values())
    for endpoint, _method in CSRF_EXEMPT:
        assert endpoint in PUBLIC, "only a public route may take changes without a token"


def test_public_routes_let_an_anonymous_visitor_in(
    app: Any, published_tour: Any, ready_asset: Any
) -> None:
    values = {
        "lang": "en",
        "slug": published_tour.slug,
        "number": 1,
        "filename": "css/site.css",
        "key": ready_asset.levels["low"]["key"],
        "rest": "nothing/here",
        "code": "en",
    }
    client = app.test_client()
    wrong = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in PUBLIC:
            continue
        for method in _methods(rule) - CHANGES:
            response = client.open(_url(rule, values), method=method)
            response.close()  # the open data dumps stream
            location = response.headers.get("Location", "")
            if response.status_code in {401, 403} or "/studio/login" in location:
                if rule.endpoint not in {"studio.login_code"}:  # asks for the password first
                    wrong.append((rule.endpoint, method, response.status_code, location))
            elif response.status_code >= 500:
                wrong.append((rule.endpoint, method, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))


def test_every_change_needs_a_csrf_token(
    app: Any, client_as: Callable[[str | None], Any], draft_tour: Any
) -> None:
    """Signed in as an admin (every route is open to one), without the token, and then with
    a forged one: each change is refused before it is looked at."""
    from webapp.messages import error_message

    stop = draft_tour.stops[0]
    values = {
        "tour_id": draft_tour.id,
        "stop_id": stop.id,
        "hotspot_id": stop.hotspots[0].id,
        "asset_id": stop.model_asset_id,
        "user_id": 1,
        "session_id": 1,
        "token_id": 1,
        "image_id": 1,
        "lang": "en",
        "code": "en",
        "upload_id": "0" * 32,
    }
    browser = client_as("admin")
    del browser.environ_base["HTTP_X_CSRFTOKEN"]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        sentence = error_message("csrf_failed")
    tried, wrong = 0, []
    for rule in app.url_map.iter_rules():
        for method in sorted(_methods(rule) & CHANGES):
            if (rule.endpoint, method) in CSRF_EXEMPT:
                continue
            url = _url(rule, values)
            for headers in ({}, {"X-CSRFToken": "forged"}):
                response = browser.open(url, method=method, headers=headers, data={"x": "1"})
                tried += 1
                if response.status_code != 400:
                    wrong.append((method, url, response.status_code))
                elif url.startswith("/api/"):
                    if response.json["error"]["code"] != "csrf_failed":
                        wrong.append((method, url, response.json["error"]["code"]))
                elif sentence not in response.get_data(as_text=True):
                    wrong.append((method, url, "not the CSRF error page"))
    assert wrong == [], "\n".join(map(str, wrong))
    assert tried > 100  # the sweep found the routes
    assert browser.get("/studio/").status_code == 200  # still signed in: nothing was changed


def test_exempt_changes_are_taken_without_a_token(client: Any, published_tour: Any) -> None:
    event = {"tour": published_tour.slug, "stop": 1, "lang": "en", "event": "view"}
    response = client.post("/api/v1/events", json={**event, "device": "phone"})
    assert response.status_code == 204


def test_every_api_route_is_in_the_openapi_document(app: Any, client: Any) -> None:
    document = client.get("/api/v1/openapi.json").json
    routes = {}
    for rule in app.url_map.iter_rules():
        listed = rule.rule.startswith(("/api/v1/", "/iiif/")) or rule.endpoint in OTHER_OPERATIONS
        if listed and rule.endpoint not in PAGES_FOR_PEOPLE:
            path = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule)
            routes[path] = rule
    assert set(routes) == set(document["paths"])
    for path, rule in routes.items():
        item = document["paths"][path]
        documented = {key.upper() for key in item if key != "parameters"}
        assert documented == _methods(rule), path
        names = [parameter["name"] for parameter in item.get("parameters", [])]
        assert names == sorted(rule.arguments), path
