"""Images for a tour's texts: upload (with its description), describe in each language,
remove. The forms sit on the stop editor and work without JavaScript."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tours.authoring import tour_languages
from tours.images import (
    ImageError,
    ImageLimits,
    add_tour_image,
    image_markdown,
    remove_tour_image,
    set_image_alt,
)
from tours.models import Tour, TourImage
from webapp.extensions import blobs, db
from webapp.messages import error_message
from webapp.studio import bp
from webapp.studio.views_tours import tour_or_404


def image_limits() -> ImageLimits:
    """The configured limits of an uploaded image."""
    config = current_app.config
    return ImageLimits(
        max_bytes=config["MAX_IMAGE_MB"] * 1024 * 1024,
        max_pixels=config["MAX_IMAGE_PIXELS"],
        max_side=config["MAX_IMAGE_SIDE"],
    )


def _language(tour: Tour) -> str:
    lang = request.form.get("lang", "")
    if lang not in tour_languages(tour):
        abort(404)
    return lang


def _back(tour: Tour, lang: str) -> Response:
    """To the stop editor the form was on (``stop``), or to the tour."""
    stop_id = request.form.get("stop", "")
    stop = next((s for s in tour.stops if str(s.id) == stop_id), None)
    if stop is None:
        return redirect(url_for("studio.tour", tour_id=tour.id, lang=lang))
    target = url_for("studio.stop", tour_id=tour.id, stop_id=stop.id, lang=lang)
    return redirect(f"{target}#images")


def _image_or_404(tour: Tour, image_id: int) -> TourImage:
    image = next((image for image in tour.images if image.id == image_id), None)
    if image is None:
        abort(404)
    return image


@bp.post("/tours/<int:tour_id>/images")
def tour_image_add(tour_id: int) -> Response:
    tour = tour_or_404(tour_id)
    lang = _language(tour)
    upload = request.files.get("image")
    limits = image_limits()
    data = upload.stream.read(limits.max_bytes + 1) if upload else b""
    try:
        image = add_tour_image(
            db.session,
            blobs.store,
            tour,
            data,
            name=(upload.filename or "") if upload else "",
            locale=lang,
            alt=request.form.get("alt", ""),
            limits=limits,
        )
    except ImageError as error:
        flash(error_message(error.code), "error")
        return _back(tour, lang)
    flash(
        _(
            "Image added. Write %(code)s in the narration or a hotspot text to show it.",
            code=image_markdown(image.ref),
        )
    )
    return _back(tour, lang)


@bp.post("/tours/<int:tour_id>/images/<int:image_id>/alt")
def tour_image_alt(tour_id: int, image_id: int) -> Response:
    tour = tour_or_404(tour_id)
    lang = _language(tour)
    image = _image_or_404(tour, image_id)
    alt = request.form.get("alt", "")
    if not alt.strip():
        flash(error_message("image_alt_missing"), "error")
        return _back(tour, lang)
    set_image_alt(db.session, image, lang, alt)
    flash(_("Saved."))
    return _back(tour, lang)


@bp.post("/tours/<int:tour_id>/images/<int:image_id>/delete")
def tour_image_delete(tour_id: int, image_id: int) -> Response:
    tour = tour_or_404(tour_id)
    lang = _language(tour)
    remove_tour_image(db.session, _image_or_404(tour, image_id))
    flash(_("The image is removed."))
    return _back(tour, lang)
