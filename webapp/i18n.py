"""Interface languages: choosing one per request, the language in the URL, and switching."""

from __future__ import annotations

import json
from typing import Any

from babel import Locale, UnknownLocaleError, negotiate_locale
from flask import Blueprint, Flask, abort, current_app, g, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import LanguageAccept
from werkzeug.wrappers import Response

from tours.locales import DEFAULT_LOCALE, INTERFACE_LOCALES, is_language_tag, normalize_tag

COOKIE = "lang"
# Set on a request whose answer was chosen by its Accept-Language header.
VARY_MARK = "heritour.vary_accept_language"
COOKIE_MAX_AGE = 365 * 24 * 3600


def _autonym(tag: str) -> str:
    """The language's name in itself (from CLDR), capitalised as a menu item."""
    name = Locale.parse(tag).get_display_name(tag) or tag
    return name[:1].upper() + name[1:]


AUTONYMS = {tag: _autonym(tag) for tag in INTERFACE_LOCALES}


def preferred_locale() -> str:
    """The visitor's language when the URL names none: cookie, then Accept-Language, then vi."""
    cookie = request.cookies.get(COOKIE)
    if cookie in INTERFACE_LOCALES:
        return cookie
    request.environ[VARY_MARK] = True
    return negotiate(request.accept_languages) or DEFAULT_LOCALE


def negotiate(accepted: LanguageAccept) -> str | None:
    """The interface language that best serves an ``Accept-Language`` header, if any.

    Babel's negotiation: the browser's languages in order of quality, each matched exactly
    or by its primary language (``zh-Hant-TW`` gets ``zh``)."""
    preferred = [tag for tag, quality in accepted if quality > 0 and tag != "*"]
    match = negotiate_locale(preferred, INTERFACE_LOCALES, sep="-")
    return match.lower() if match else None


def visitor_languages() -> list[str]:
    """The languages the visitor's browser accepts (``Accept-Language``), best first.

    Content falls back along them before the tour's default language. The response then
    depends on the header, so it is marked ``Vary: Accept-Language``.
    """
    request.environ[VARY_MARK] = True
    tags: list[str] = []
    for value, quality in request.accept_languages:
        if quality <= 0 or not is_language_tag(value):
            continue
        tag = normalize_tag(value)
        if tag not in tags:
            tags.append(tag)
    return tags


def select_locale() -> str:
    """flask-babel's locale selector: the URL's language when there is one."""
    return g.get("lang") or preferred_locale()


def language_name(tag: str, in_locale: str) -> str:
    """The name of the language ``tag`` written in ``in_locale`` (``fr`` in ``vi``: tiếng Pháp)."""
    try:
        name = Locale.parse(tag.replace("-", "_")).get_display_name(in_locale)
    except (UnknownLocaleError, ValueError):
        return tag
    return name or tag


def remember_language(response: Response, lang: str) -> None:
    """Keep ``lang`` in the visitor's language cookie (public pages and the studio share it)."""
    config = current_app.config
    response.set_cookie(
        COOKIE,
        lang,
        max_age=COOKIE_MAX_AGE,
        samesite=config["SESSION_COOKIE_SAMESITE"],
        httponly=config["SESSION_COOKIE_HTTPONLY"],
    )


def localized_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint whose routes all live under ``/<lang>/`` and see ``g.lang``."""
    bp = Blueprint(name, import_name, url_prefix="/<lang>")

    @bp.url_value_preprocessor
    def _pull_lang(_endpoint: str | None, values: dict[str, Any] | None) -> None:
        lang = (values or {}).pop("lang", None)
        if lang not in INTERFACE_LOCALES:
            abort(404)
        g.lang = lang

    @bp.url_defaults
    def _add_lang(_endpoint: str, values: dict[str, Any]) -> None:
        values.setdefault("lang", g.get("lang") or DEFAULT_LOCALE)

    @bp.after_request
    def _remember_lang(response: Response) -> Response:
        lang = g.get("lang")
        if lang and request.cookies.get(COOKIE) != lang:
            remember_language(response, lang)
        return response

    return bp


def alternate_urls() -> dict[str, str]:
    """This page, with its query (a search, text mode), in each interface language.

    For the language switcher and the hreflang links; empty outside ``/<lang>/`` pages.
    """
    if request.url_rule is None or "lang" not in request.url_rule.arguments:
        return {}
    assert request.endpoint is not None
    query = request.query_string.decode("ascii", "replace")
    suffix = f"?{query}" if query else ""
    args = dict(request.view_args or {})
    return {
        lang: url_for(request.endpoint, **{**args, "lang": lang}) + suffix
        for lang in INTERFACE_LOCALES
    }


def language_redirect(target: str) -> Response:
    """A redirect to ``target``, chosen by the visitor's language: never cached for others."""
    response = redirect(target, code=302)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Accept-Language", "Cookie"))
    return response


def viewer_a11y() -> str:
    """model-viewer's own words for screen readers (its ``a11y`` attribute, JSON) in the
    page's language: where the camera looks from, and how to turn the model."""
    sides = {
        "front": _("front"),
        "right": _("right side"),
        "back": _("back"),
        "left": _("left side"),
    }
    heights = {"upper-": _("from above"), "": _("at eye level"), "lower-": _("from below")}
    words = {
        height_key + side_key: _("View: %(side)s, %(height)s", side=side, height=height)
        for side_key, side in sides.items()
        for height_key, height in heights.items()
    }
    words["interaction-prompt"] = _("Drag, swipe or use the arrow keys to turn the model.")
    return json.dumps(words, ensure_ascii=False)


def init_i18n(app: Flask) -> None:
    """Expose the language helpers to templates; mark responses chosen by Accept-Language."""

    @app.after_request
    def _vary_on_accept_language(response: Response) -> Response:
        if request.environ.get(VARY_MARK):
            response.vary.add("Accept-Language")
        return response

    @app.context_processor
    def _i18n_context() -> dict[str, Any]:
        lang = select_locale()
        return {
            "lang": lang,
            "locales": INTERFACE_LOCALES,
            "autonyms": AUTONYMS,
            "alternate_urls": alternate_urls(),
            "language_name": lambda tag: language_name(tag, lang),
            "viewer_a11y": viewer_a11y,
        }
