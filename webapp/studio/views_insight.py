"""Visitor insight in the studio: a tour's counts as charts and tables, and as CSV or JSON."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from flask import Response, jsonify, render_template, request
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from tours.insight import EXPORT_FIELDS, TourFigures, export_rows, today, tour_figures
from webapp.extensions import db, insight
from webapp.i18n import language_name
from webapp.studio import bp
from webapp.studio.views_tours import tour_or_404

PERIODS = (7, 30, 90, 365)
DEFAULT_PERIOD = 30


def _period() -> tuple[int, date, date]:
    """The days asked for (``?days=``, one of PERIODS), and the first and last day."""
    days = request.args.get("days", type=int)
    days = days if days in PERIODS else DEFAULT_PERIOD
    last = today()
    return days, last - timedelta(days=days - 1), last


def _event_names() -> dict[str, str]:
    return {
        "view": _("Page views"),
        "complete": _("Tours completed"),
        "offline_save": _("Saved for offline"),
        "ar": _("AR launches"),
        "vr": _("VR launches"),
        "audio": _("Audio plays"),
        "model_error": _("Models that failed to load"),
    }


def _chart_rows(figures: TourFigures) -> dict[str, list[tuple[str, int]]]:
    """Each chart's rows as (label in the curator's language, count)."""
    devices = {
        "phone": _("Phone"),
        "tablet": _("Tablet"),
        "desktop": _("Desktop"),
        "headset": _("Headset"),
    }
    return {
        "days": [(format_date(day, "medium"), n) for day, n in figures.days],
        "stops": [(_("Stop %(number)d", number=number), n) for number, n in figures.funnel],
        "languages": [(language_name(code, str(get_locale())), n) for code, n in figures.languages],
        "devices": [(devices[device], n) for device, n in figures.devices],
    }


@bp.get("/tours/<int:tour_id>/insight")
def tour_insight(tour_id: int) -> str:
    tour = tour_or_404(tour_id)
    insight.buffer.flush()  # this process's latest counts, before they are read
    days, first, last = _period()
    figures = tour_figures(db.session, tour.id, len(tour.stops), first, last)
    totals = [(event, name, figures.events.get(event, 0)) for event, name in _event_names().items()]
    return render_template(
        "studio/insight.html",
        tour=tour,
        totals=totals,
        rows=_chart_rows(figures),
        days=days,
        periods=PERIODS,
    )


@bp.get("/tours/<int:tour_id>/insight.<any(csv, json):kind>")
def tour_insight_export(tour_id: int, kind: str) -> Response:
    tour = tour_or_404(tour_id)
    insight.buffer.flush()
    _days, first, last = _period()
    rows = export_rows(db.session, tour.id, tour.slug, first, last)
    name = f"{tour.slug}-insight-{first.isoformat()}-{last.isoformat()}.{kind}"
    if kind == "json":
        period = {"first": first.isoformat(), "last": last.isoformat()}
        response = jsonify(tour=tour.slug, **period, rows=rows)
    else:
        text = io.StringIO()
        writer = csv.DictWriter(text, EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        response = Response(text.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
