"""Rights and attribution in the studio: the statement, the credit line and the source of
a model, a tour, an audio file and an image. The forms work without JavaScript."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tours.models import ModelAsset
from tours.rights import Owner, RightsError, check_rights, set_rights
from webapp.extensions import db
from webapp.messages import error_message
from webapp.studio import bp, get_or_404
from webapp.studio.views_stops import stop_or_404
from webapp.studio.views_tours import tour_or_404


def _save(owner: Owner) -> bool:
    """Check the posted rights and store them on ``owner``; flash what happened."""
    form = request.form
    try:
        rights = check_rights(
            form.get("statement", ""),
            form.get("attribution", ""),
            form.get("source", ""),
            form.get("digitised", ""),
        )
    except RightsError as error:
        flash(error_message(error.code), "error")
        return False
    set_rights(db.session, owner, rights)
    flash(_("The rights are saved.") if rights else _("The rights are cleared."))
    return True


@bp.post("/models/<int:asset_id>/rights")
def model_rights(asset_id: int) -> Response:
    asset = get_or_404(ModelAsset, asset_id)
    _save(asset)
    return redirect(url_for("studio.model", asset_id=asset.id) + "#rights")


@bp.post("/tours/<int:tour_id>/rights")
def tour_rights(tour_id: int) -> Response:
    tour = tour_or_404(tour_id)
    _save(tour)
    return redirect(url_for("studio.tour", tour_id=tour.id) + "#rights")


@bp.post("/tours/<int:tour_id>/stops/<int:stop_id>/audio/<lang>/rights")
def stop_audio_rights(tour_id: int, stop_id: int, lang: str) -> Response:
    stop = stop_or_404(tour_id, stop_id)
    audio = next((row for row in stop.audio if row.locale == lang), None)
    if audio is None:
        abort(404)
    _save(audio)
    target = url_for("studio.stop", tour_id=tour_id, stop_id=stop.id, lang=lang)
    return redirect(target + "#audio-rights")


@bp.post("/tours/<int:tour_id>/images/<int:image_id>/rights")
def tour_image_rights(tour_id: int, image_id: int) -> Response:
    tour = tour_or_404(tour_id)
    image = next((image for image in tour.images if image.id == image_id), None)
    if image is None:
        abort(404)
    _save(image)
    stop = next((s for s in tour.stops if str(s.id) == request.form.get("stop", "")), None)
    lang = request.form.get("lang") or None
    if stop is None:
        return redirect(url_for("studio.tour", tour_id=tour.id, lang=lang))
    target = url_for("studio.stop", tour_id=tour.id, stop_id=stop.id, lang=lang)
    return redirect(f"{target}#images")
