"""Tour bundles in the studio: export a tour as a zip, import one as a new draft."""

from __future__ import annotations

import tempfile

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tours.authoring import AuthoringError
from tours.bundles import BundleLimits, export_bundle, import_bundle
from webapp.config import ingest_limits
from webapp.extensions import blobs, db
from webapp.messages import error_message
from webapp.studio import bp
from webapp.studio.views_tours import tour_or_404


@bp.get("/tours/<int:tour_id>/bundle.zip")
def export_tour(tour_id: int) -> Response:
    tour = tour_or_404(tour_id)
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    try:
        export_bundle(blobs.store, tour, spool)
    except AuthoringError as error:
        spool.close()
        flash(error_message(error.code), "error")
        return redirect(url_for("studio.tour", tour_id=tour.id))
    spool.seek(0)
    return send_file(
        spool,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{tour.slug}.heritour.zip",
        max_age=0,
    )


@bp.route("/import", methods=["GET", "POST"])
def import_tour() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return render_template("studio/import.html")
    file = request.files.get("bundle")
    if file is None or not file.filename:
        flash(_("Choose a bundle file."), "error")
        return render_template("studio/import.html"), 400
    ingest = ingest_limits(current_app.config)
    limits = BundleLimits(ingest.max_unpacked_bytes, ingest.max_archive_files)
    try:
        with tempfile.TemporaryFile() as copy:
            file.save(copy)
            copy.seek(0)
            tour = import_bundle(
                db.session, blobs.store, copy, limits, request.form.get("slug", "").strip() or None
            )
    except AuthoringError as error:
        flash(error_message(error.code, error.message), "error")
        # a slug taken meanwhile (say, by an import of the same bundle) is a conflict
        return render_template("studio/import.html"), 409 if error.code == "slug_taken" else 400
    flash(_("Imported the tour %(slug)s as a draft.", slug=tour.slug))
    return redirect(url_for("studio.tour", tour_id=tour.id))
