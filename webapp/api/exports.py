"""Standard exports of published tours: a IIIF Presentation 3 manifest per tour
(``/iiif/<slug>/manifest.json``), open data dumps of every tour (``/api/v1/dumps/``: JSON
documents and a CSV of stops), and the API's index that points to them.

All are public reads (see :mod:`webapp.api.reads`): CORS, ETag, 304. The dumps are streamed,
a few tours at a time, so memory stays bounded however many tours there are.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, stream_with_context
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tours.catalogue import published_document
from tours.iiif import ManifestLinks, manifest
from tours.listing import catalogue_version
from tours.locales import INTERFACE_LOCALES
from tours.opendata import csv_dump, json_dump, published_revisions
from webapp.api import bp, iiif_bp
from webapp.api.reads import cors_preflight, not_modified, public_read, read_etag
from webapp.errors import api_error
from webapp.extensions import db
from webapp.public.links import public_url

IIIF_PROFILE = "http://iiif.io/api/presentation/3/context.json"
IIIF_TYPE = f'application/ld+json;profile="{IIIF_PROFILE}"'
DUMP_JSON = "heritour-tours.json"
DUMP_CSV = "heritour-stops.csv"
# Public reads: CORS on every answer, errors included.
READ_ENDPOINTS = frozenset(
    {
        "api.index",
        "api.dump_json",
        "api.dump_csv",
        "api.list_tours",
        "api.get_tour",
        "api.get_stop",
        "api.openapi",
        "iiif.manifest",
    }
)


def media_url(key: str) -> str:
    """The absolute address of a blob."""
    return public_url("media.blob", key=key)


def _labels() -> dict[str, dict[str, str]]:
    """The labels a manifest writes, in every interface language."""
    labels: dict[str, dict[str, str]] = {"attribution": {}, "site": {}, "source": {}}
    labels["digitised"] = {}
    for locale in INTERFACE_LOCALES:
        with force_locale(locale):
            labels["attribution"][locale] = _("Attribution")
            labels["site"][locale] = _("Site")
            labels["source"][locale] = _("Source")
            labels["digitised"][locale] = _("Digitised")
    return labels


def tour_links(slug: str) -> dict[str, Any]:
    """Where a published tour is found: its pages, data and IIIF manifest."""
    return {
        "pages": {
            locale: public_url("public.tour", lang=locale, slug=slug)
            for locale in INTERFACE_LOCALES
        },
        "data": public_url("api.get_tour", slug=slug),
        "manifest": public_url("iiif.manifest", slug=slug),
    }


@iiif_bp.route("/<slug:slug>/manifest.json", endpoint="manifest", methods=["GET", "OPTIONS"])
def manifest_view(slug: str) -> Response | tuple[Response, int]:
    """The IIIF Presentation 3 manifest of a published tour.
    ---
    get:
      summary: IIIF Presentation 3 manifest of a published tour
      operationId: getIiifManifest
      description: >
        One canvas per stop: the model (a `Model` resource, its best level, glTF binary) or
        the panorama, offered with the stop's poster as alternatives (a `Choice`), the
        narration audio and captions per language; labels and summaries in every language of
        the tour; `rights` and `requiredStatement` from the rights statements. Answers
        conditional requests (ETag) and may be read from any origin (CORS).
      responses:
        200:
          description: The manifest.
          content: {application/ld+json: {schema: {type: object}}}
        304: {description: The copy the client holds is current.}
        404: {description: No published tour has this slug., schema: Error}
    """
    if request.method == "OPTIONS":
        return cors_preflight()
    found = published_document(db.session, slug)
    if found is None:
        return api_error(404, "tour_not_found", {"slug": slug})
    document, revision = found
    etag = read_etag(f"{slug}:{revision}:{catalogue_version(db.session)}")
    if (cached := not_modified(etag)) is not None:
        return cached
    where = tour_links(slug)
    links = ManifestLinks(
        manifest=where["manifest"],
        media=media_url,
        pages=where["pages"],
        data=where["data"],
        labels=_labels(),
    )
    response = jsonify(manifest(document, links))
    response.mimetype = "application/ld+json"
    response.headers["Content-Type"] = IIIF_TYPE
    return public_read(response, etag)


def _dump_response(pieces: Any, mimetype: str, filename: str, etag: str) -> Response:
    response = Response(stream_with_context(pieces), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return public_read(response, etag)


@bp.get("/dumps/tours.json")
def dump_json() -> Response:
    """Every published tour, as JSON.
    ---
    get:
      summary: Open data dump of every published tour (JSON)
      operationId: dumpToursJson
      description: >
        Every published tour with its revision, publication time, rights, addresses (pages in
        every interface language, its data, its IIIF manifest) and its whole tour document
        (texts per language, stops, models with their levels, posters, audio, hotspots and
        rights). Blob keys in documents become addresses with the `media` template. Streamed;
        answers conditional requests (ETag) and may be read from any origin (CORS).
      responses:
        200: {description: The dump., schema: {type: object}}
        304: {description: The copy the client holds is current.}
    """
    etag = read_etag(catalogue_version(db.session))
    if (cached := not_modified(etag)) is not None:
        return cached
    head = {
        "media": media_url("a/b").removesuffix("a/b") + "{key}",
        "csv": public_url("api.dump_csv"),
    }
    pieces = json_dump(published_revisions(db.session), head, tour_links)
    return _dump_response(pieces, "application/json", DUMP_JSON, etag)


@bp.get("/dumps/stops.csv")
def dump_csv() -> Response:
    """Every stop of every published tour, as CSV.
    ---
    get:
      summary: Open data dump of every stop of every published tour (CSV)
      operationId: dumpStopsCsv
      description: >
        One row per stop and language (each language the stop's title or narration is
        written in): tour slug, revision, stop number, `language`, `title` and `narration`
        (Markdown) in it, the tour's latitude and longitude, what the stop shows (`model`
        or `panorama`) and its rights (`media_statement` the licence or rights statement
        URI, `media_attribution`, `media_source`, `media_digitised`), the rights of the
        tour's texts (`tour_*`), and the addresses of the best model level, the poster, the
        panorama, and the narration audio and captions in that language. UTF-8,
        comma-separated, CRLF line ends.
      responses:
        200:
          description: The dump.
          content: {text/csv: {schema: {type: string}}}
        304: {description: The copy the client holds is current.}
    """
    etag = read_etag(catalogue_version(db.session))
    if (cached := not_modified(etag)) is not None:
        return cached
    pieces = csv_dump(published_revisions(db.session), media_url)
    response = _dump_response(pieces, "text/csv", DUMP_CSV, etag)
    response.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
    return response


@bp.get("/")
def index() -> Response:
    """Where everything the API offers is.
    ---
    get:
      summary: The API's entry point
      operationId: apiIndex
      responses:
        200: {description: Addresses of the API's documents and exports., schema: {type: object}}
    """
    template = public_url("iiif.manifest", slug="SLUG").replace("SLUG", "{slug}")
    return jsonify(
        openapi=public_url("api.openapi"),
        docs=public_url("api.docs"),
        tours=public_url("api.list_tours"),
        tour=public_url("api.get_tour", slug="SLUG").replace("SLUG", "{slug}"),
        stop=public_url("api.get_stop", slug="SLUG", number=1).replace("SLUG", "{slug}")[:-1]
        + "{number}",
        iiif_manifest=template,
        dumps={
            "json": public_url("api.dump_json"),
            "csv": public_url("api.dump_csv"),
        },
    )


@iiif_bp.app_context_processor
def _open_data_links() -> dict[str, Any]:
    """Templates link to the manifests and dumps by their public addresses."""
    return {"public_url": public_url}


def _cors_on_reads(response: Response) -> Response:
    if request.endpoint in READ_ENDPOINTS and request.method in {"GET", "HEAD", "OPTIONS"}:
        return public_read(response)
    return response


bp.after_request(_cors_on_reads)
iiif_bp.after_request(_cors_on_reads)
