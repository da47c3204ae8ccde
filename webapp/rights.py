"""Rights statements in the visitor's language: the names of the statements listed in
:mod:`tours.rights`, and what each credit on a stop page is about."""

from __future__ import annotations

from typing import Any

from flask import Flask, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from tours.models import Tour
from tours.rights import BY_URI, CC, RS, STATEMENTS, MissingRights, missing_rights
from webapp.i18n import language_name


def _names() -> dict[str, str]:
    """The full name of every statement, by URI, in the current language."""
    return {
        f"{CC}publicdomain/zero/1.0/": _("CC0 1.0: no rights reserved (public domain dedication)"),
        f"{CC}licenses/by/4.0/": _("Creative Commons Attribution 4.0"),
        f"{CC}licenses/by-sa/4.0/": _("Creative Commons Attribution-ShareAlike 4.0"),
        f"{CC}licenses/by-nc/4.0/": _("Creative Commons Attribution-NonCommercial 4.0"),
        f"{CC}licenses/by-nc-sa/4.0/": _(
            "Creative Commons Attribution-NonCommercial-ShareAlike 4.0"
        ),
        f"{CC}licenses/by-nd/4.0/": _("Creative Commons Attribution-NoDerivatives 4.0"),
        f"{CC}licenses/by-nc-nd/4.0/": _(
            "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0"
        ),
        f"{RS}InC/1.0/": _("In copyright"),
        f"{RS}InC-EDU/1.0/": _("In copyright: educational use permitted"),
        f"{RS}InC-NC/1.0/": _("In copyright: non-commercial use permitted"),
        f"{RS}NoC-NC/1.0/": _("No copyright: non-commercial use only"),
        f"{RS}NoC-OKLR/1.0/": _("No copyright: other known legal restrictions"),
        f"{RS}CNE/1.0/": _("Copyright not evaluated"),
        f"{RS}UND/1.0/": _("Copyright undetermined"),
        f"{RS}NKC/1.0/": _("No known copyright"),
    }


def statement_name(uri: str) -> str:
    """The name of the statement ``uri`` in the current language (the URI if unknown)."""
    return _names().get(uri, uri)


def statement_label(uri: str) -> str:
    """The short label of the statement ``uri`` (``CC BY 4.0``, ``InC``)."""
    statement = BY_URI.get(uri)
    return statement.label if statement else uri


def statement_copyright(uri: str) -> bool:
    """Whether the statement ``uri`` says the work is in copyright (a licence, or InC)."""
    statement = BY_URI.get(uri)
    return statement.in_copyright if statement else False


def statement_choices() -> list[tuple[str, str]]:
    """(URI, "label: name") of every statement, in the order of the fixed list."""
    names = _names()
    return [(s.uri, f"{s.label} · {names[s.uri]}") for s in STATEMENTS]


def credit_kind(kind: str) -> str:
    """What a credit on a stop page is about, in the current language."""
    kinds = {
        "model": _("3D model"),
        "panorama": _("360° panorama"),
        "audio": _("Audio"),
        "image": _("Image"),
        "tour": _("Tour texts"),
    }
    return kinds.get(kind, kind)


def _missing_line(tour: Tour, item: MissingRights) -> tuple[str, str]:
    """A sentence naming what lacks rights, and the studio page where they are set."""
    if item.kind == "model":
        url = url_for("studio.model", asset_id=item.owner_id) + "#rights"
        return _("Stop %(number)d: the model %(name)s", number=item.stop, name=item.detail), url
    if item.kind == "audio":
        url = url_for("studio.stop", tour_id=tour.id, stop_id=item.stop_id, lang=item.detail)
        language = language_name(item.detail, str(get_locale()))
        sentence = _(
            "Stop %(number)d: the audio in %(language)s", number=item.stop, language=language
        )
        return sentence, url + "#audio-rights"
    if item.kind == "image" and tour.stops:
        url = url_for("studio.stop", tour_id=tour.id, stop_id=tour.stops[0].id) + "#images"
        return _("Image %(number)s of the texts", number=item.detail), url
    if item.kind == "image":
        return _("Image %(number)s of the texts", number=item.detail), ""
    return _("The tour texts"), "#rights"


def missing_rights_lines(tour: Tour) -> list[tuple[str, str]]:
    """What ``tour`` shows without rights, as (sentence, address where to set them)."""
    return [_missing_line(tour, item) for item in missing_rights(tour)]


def init_rights(app: Flask) -> None:
    """Give templates the names of rights statements."""

    @app.context_processor
    def _rights_context() -> dict[str, Any]:
        return {
            "statement_name": statement_name,
            "statement_label": statement_label,
            "statement_copyright": statement_copyright,
            "statement_choices": statement_choices,
            "credit_kind": credit_kind,
            "missing_rights_lines": missing_rights_lines,
        }
