"""The studio page of a user's personal API tokens: make one (its secret shown once), see
them with their scopes and last use, revoke one. Each user sees only their own tokens."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tours.apitokens import SCOPES, TokenError, active_tokens, create_token, revoke_token
from tours.models import User
from webapp.extensions import db
from webapp.messages import error_message
from webapp.studio import bp
from webapp.studio.security import current_user


def _user() -> User:
    user = current_user()
    assert user is not None  # the studio's before_request sends anonymous people away
    return user


def _page(secret: str | None = None, status: int = 200) -> tuple[str, int]:
    tokens = active_tokens(db.session, _user())
    page = render_template("studio/tokens.html", tokens=tokens, scopes=SCOPES, secret=secret)
    return page, status


@bp.route("/tokens", methods=["GET", "POST"])
def tokens() -> tuple[str, int]:
    if request.method == "GET":
        return _page()
    form = request.form
    try:
        made = create_token(db.session, _user(), form.get("name", ""), form.getlist("scope"))
    except TokenError as error:
        flash(error_message(error.code), "error")
        return _page(status=400)
    page, status = _page(made.secret, 201)
    return page, status


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_api_token(token_id: int) -> Response | tuple[str, int]:
    try:
        revoke_token(db.session, _user(), token_id)
    except TokenError as error:
        flash(error_message(error.code), "error")
        return _page(status=404)
    flash(_("The token is revoked: programs using it are refused from now on."))
    return redirect(url_for("studio.tokens"))
