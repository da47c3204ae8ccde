"""Tour editor pages: create a tour, its texts and languages, its stops' order, publishing,
the translation matrix and the preview as a tourist."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers import Response

from tours.authoring import (
    AuthoringError,
    add_language,
    add_stop,
    create_tour,
    incomplete_languages,
    reorder_stops,
    save_tour_text,
    tour_languages,
    translation_matrix,
    update_tour,
)
from tours.catalogue import tour_view
from tours.document import tour_document
from tours.library import list_models
from tours.locales import INTERFACE_LOCALES
from tours.models import AssetStatus, Tour
from tours.publishing import PublishError, publish_problems, publish_tour, unpublish_tour
from webapp.errors import api_error
from webapp.extensions import db
from webapp.i18n import language_name, visitor_languages
from webapp.messages import error_message, flash_saved, problem_message
from webapp.public.panorama import panorama_config
from webapp.public.views import mode_args, text_mode
from webapp.studio import bp, get_or_404


def tour_or_404(tour_id: int) -> Tour:
    """The tour ``tour_id``, or a 404 page."""
    return get_or_404(Tour, tour_id)


def editing_language(tour: Tour) -> str:
    """The content language being edited (``?lang=``), the tour's default by default."""
    wanted = request.args.get("lang", "")
    return wanted if wanted in tour_languages(tour) else tour.default_locale


@bp.route("/tours/new", methods=["GET", "POST"])
def new_tour() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return render_template("studio/tour_new.html", languages=INTERFACE_LOCALES, form={})
    form = request.form
    try:
        tour = create_tour(
            db.session, form.get("slug", ""), form.get("default_locale", ""), form.get("title", "")
        )
    except AuthoringError as error:
        flash(error_message(error.code), "error")
        page = render_template("studio/tour_new.html", languages=INTERFACE_LOCALES, form=form)
        return page, 400
    return redirect(url_for("studio.tour", tour_id=tour.id))


@bp.get("/tours/<int:tour_id>")
def tour(tour_id: int) -> str:
    tour = tour_or_404(tour_id)
    languages = tour_languages(tour)
    lang = editing_language(tour)
    text = next((row for row in tour.texts if row.locale == lang), None)
    return render_template(
        "studio/tour.html",
        tour=tour,
        languages=languages,
        content_lang=lang,
        text=text,
        offered=[tag for tag in INTERFACE_LOCALES if tag not in languages],
        models=[m for m in list_models(db.session) if m.status == AssetStatus.READY],
        problems=[problem_message(problem) for problem in publish_problems(tour)],
        incomplete=incomplete_languages(tour),
        interface_locales=INTERFACE_LOCALES,
    )


def _back(tour: Tour, lang: str | None = None) -> Response:
    return redirect(url_for("studio.tour", tour_id=tour.id, lang=lang))


@bp.post("/tours/<int:tour_id>/settings")
def tour_settings(tour_id: int) -> Response:
    tour = tour_or_404(tour_id)
    form = request.form
    flash_saved(
        lambda: update_tour(
            db.session,
            tour,
            form.get("default_locale", ""),
            form.get("latitude", ""),
            form.get("longitude", ""),
        )
    )
    return _back(tour)


@bp.post("/tours/<int:tour_id>/languages")
def tour_add_language(tour_id: int) -> Response:
    tour = tour_or_404(tour_id)
    try:
        lang = add_language(db.session, tour, request.form.get("language", ""))
    except AuthoringError as error:
        flash(error_message(error.code), "error")
        return _back(tour)
    return _back(tour, lang)


@bp.post("/tours/<int:tour_id>/texts/<lang>")
def tour_texts(tour_id: int, lang: str) -> Response:
    tour = tour_or_404(tour_id)
    form = request.form
    flash_saved(
        lambda: save_tour_text(
            db.session,
            tour,
            lang,
            form.get("title", ""),
            form.get("summary", ""),
            form.get("site_name", ""),
        )
    )
    return _back(tour, lang)


@bp.post("/tours/<int:tour_id>/stops")
def tour_add_stop(tour_id: int) -> Response:
    tour = tour_or_404(tour_id)
    model_id = request.form.get("model", "")
    try:
        stop = add_stop(
            db.session, tour, int(model_id) if model_id.isascii() and model_id.isdigit() else None
        )
    except AuthoringError as error:
        flash(error_message(error.code), "error")
        return _back(tour)
    return redirect(url_for("studio.stop", tour_id=tour.id, stop_id=stop.id))


@bp.post("/tours/<int:tour_id>/stops/order")
def tour_stop_order(tour_id: int) -> Response | tuple[Response, int]:
    """The new order after drag and drop: ``{"stops": [id, ...]}``."""
    tour = tour_or_404(tour_id)
    body = request.get_json(silent=True)
    ids = body.get("stops") if isinstance(body, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        return api_error(400, "invalid_order")
    try:
        reorder_stops(db.session, tour, ids)
    except AuthoringError as error:
        return api_error(400, error.code)
    return jsonify(stops=[stop.id for stop in tour.stops])


@bp.post("/tours/<int:tour_id>/publish")
def tour_publish(tour_id: int) -> Response:
    tour = tour_or_404(tour_id)
    try:
        revision = publish_tour(db.session, tour)
    except PublishError as error:
        for problem in error.problems:
            flash(problem_message(problem), "error")
        return _back(tour)
    flash(_("Published revision %(number)d.", number=revision.number))
    incomplete = incomplete_languages(tour)
    if incomplete:
        names = ", ".join(language_name(tag, str(get_locale())) for tag in incomplete)
        flash(
            _(
                "Not complete in %(languages)s: visitors reading those languages see some "
                "texts in another language.",
                languages=names,
            ),
            "warning",
        )
    return _back(tour)


@bp.post("/tours/<int:tour_id>/unpublish")
def tour_unpublish(tour_id: int) -> Response:
    tour = tour_or_404(tour_id)
    unpublish_tour(db.session, tour)
    flash(_("The tour is no longer published."))
    return _back(tour)


@bp.get("/tours/<int:tour_id>/translations")
def tour_translations(tour_id: int) -> str:
    tour = tour_or_404(tour_id)
    languages, rows = translation_matrix(tour)
    return render_template("studio/translations.html", tour=tour, languages=languages, rows=rows)


def _preview(tour: Tour, lang: str, number: int | None) -> str:
    """The draft rendered by the tourist templates, its links kept inside the preview."""
    if lang not in INTERFACE_LOCALES and lang not in tour_languages(tour):
        abort(404)
    interface = (lang, tour.default_locale)
    g.lang = next((tag for tag in interface if tag in INTERFACE_LOCALES), "en")
    refresh()
    view = tour_view(tour_document(tour), 0, lang, visitor_languages())

    def links(number: int | None, **args: Any) -> str:
        if number is None:
            return url_for("studio.preview_tour", tour_id=tour.id, lang=lang, **args)
        return url_for("studio.preview_stop", tour_id=tour.id, lang=lang, number=number, **args)

    def panorama_links(number: int) -> str:
        return url_for("studio.preview_panorama_json", tour_id=tour.id, lang=lang, number=number)

    banner = Markup(render_template("studio/_preview_banner.html", tour=tour, lang=lang))
    page = {
        "tour": view,
        "text_mode": text_mode(),
        "mode_args": mode_args(),
        "preview_banner": banner,
        "tour_links": links,
        "panorama_links": panorama_links,
    }
    if number is None:
        return render_template("public/tour.html", **page)
    if not 1 <= number <= len(view.stops):
        abort(404)
    stop = view.stops[number - 1]
    return render_template("public/stop.html", stop=stop, save_data=False, **page)


@bp.get("/tours/<int:tour_id>/preview/<lang>/")
def preview_tour(tour_id: int, lang: str) -> str:
    return _preview(tour_or_404(tour_id), lang, None)


@bp.get("/tours/<int:tour_id>/preview/<lang>/<int:number>")
def preview_stop(tour_id: int, lang: str, number: int) -> str:
    return _preview(tour_or_404(tour_id), lang, number)


@bp.get("/tours/<int:tour_id>/preview/<lang>/<int:number>/panorama.json")
def preview_panorama_json(tour_id: int, lang: str, number: int) -> Response:
    """The draft's viewer configuration of panorama stop ``number``, as the tourist's
    ``panorama.json`` gives it, its links kept inside the preview (a link followed inside a
    headset loads the next panorama there); 404 for a model stop."""
    tour = tour_or_404(tour_id)
    if lang not in INTERFACE_LOCALES and lang not in tour_languages(tour):
        abort(404)
    view = tour_view(tour_document(tour), 0, lang, visitor_languages())
    if not 1 <= number <= len(view.stops) or view.stops[number - 1].panorama is None:
        abort(404)

    def page(target: int) -> str:
        return url_for("studio.preview_stop", tour_id=tour.id, lang=lang, number=target)

    def config(target: int) -> str:
        return url_for("studio.preview_panorama_json", tour_id=tour.id, lang=lang, number=target)

    return jsonify(panorama_config(view, view.stops[number - 1], page, config))
